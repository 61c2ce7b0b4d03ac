"""The README's table of the trained variants: per variant and block, the mean ± sd over seeds of attnscope's figures.

Reads the `compare` output folder (one `<label>/metrics.json` per trained checkpoint, labels `<variant>-seed<s>`)
and each checkpoint's train_log.jsonl (its last validation loss). Python 3 standard library only. From the
repository root:

    attnscope compare notebooks-data/trained/*-seed* --prompts notebooks-data/trained/prompts.jsonl --out /tmp/trained
    python3 notebooks-data/train/summarize.py /tmp/trained > /tmp/table.md

A figure of one checkpoint is its dataset mean over the 64 held-out prompts; the table gives, per variant, the
mean over its seeds and (with two or more seeds) the sample standard deviation over them.
"""

import json
import os
import statistics
import sys

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ORDER = ["transformer", "resformer", "resformer-learnable", "svformer", "neutreno", "denseformer", "gqa", "cla"]
# (title, where the figure sits: "layers" = summary.layers[l], "hidden" = summary.hidden_states[l + 1], key)
FIGURES = [
    ("first-token importance", "layers", "first_token_importance"),
    ("sink rate (ε 0.3)", "layers", "layer_sink_rate"),
    ("value drain ratio", "layers", "value_drain_ratio"),
    ("value-weighted first-token share", "layers", "value_weighted_first_token_share"),
    ("peak hidden ratio (block output)", "hidden", "peak_hidden_ratio"),
]


def spread(values):
    mean = statistics.fmean(values)
    return f"{mean:.3f} ± {statistics.stdev(values):.3f}" if len(values) > 1 else f"{mean:.3f}"


def main(folder):
    runs = {}
    for label in sorted(os.listdir(folder)):
        path = os.path.join(folder, label, "metrics.json")
        if not os.path.isfile(path) or "-seed" not in label:
            continue
        variant = label.rsplit("-seed", 1)[0]
        with open(path) as f:
            summary = json.load(f)["summary"]
        with open(os.path.join(REPO, "notebooks-data", "trained", label, "train_log.jsonl")) as f:
            losses = [json.loads(line).get("validation_loss") for line in f]
        runs.setdefault(variant, []).append((summary, [x for x in losses if x is not None][-1]))
    variants = [v for v in ORDER if v in runs]
    blocks = len(next(iter(runs.values()))[0][0]["layers"])
    seeds = {v: len(runs[v]) for v in variants}
    print("| variant | seeds | validation loss |")
    print("|---|---:|---:|")
    for v in variants:
        print(f"| {v} | {seeds[v]} | {spread([loss for _, loss in runs[v]])} |")
    for title, where, key in FIGURES:
        rows = []
        for v in variants:
            cells = []
            for l in range(blocks):
                values = []
                for summary, _ in runs[v]:
                    entry = summary["layers"][l] if where == "layers" else summary["hidden_states"][l + 1]
                    if key in entry and entry[key]["count"] > 0:
                        values.append(entry[key]["mean"])
                cells.append(spread(values) if values else "—")
            rows.append(f"| {v} | " + " | ".join(cells) + " |")
        if all(set(r.split("|")[2:-1]) == {" — "} for r in rows):
            continue
        print(f"\n**{title}**, per block\n")
        print("| variant | " + " | ".join(f"block {l}" for l in range(blocks)) + " |")
        print("|---|" + "---:|" * blocks)
        print("\n".join(rows))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
