#!/usr/bin/env python3
"""Writes prompts/long-2048.jsonl: 8 long prompts made of the bundled passages.

Prompt k (k = 0 ... 7) is passages 30k, 30k + 1, ... 30k + 39 of
prompts/shakespeare.jsonl (in file order, wrapping past the last), joined by a
blank line: 2,242-2,490 words, more than 2,048 tokens with Gemma 3's and
SmolLM2's tokenizers, so `attnscope analyze --max-tokens 2048` cuts every one
to exactly 2,048 tokens. Python 3 standard library only; the output is the same bytes each time.

Usage: python3 notebooks-data/make_long_prompts.py [--out FILE]
"""

import argparse
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROMPTS, PER_PROMPT, STEP = 8, 40, 30


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "prompts" / "long-2048.jsonl")
    args = parser.parse_args()
    with open(HERE / "prompts" / "shakespeare.jsonl", encoding="utf-8") as lines:
        passages = [json.loads(line) for line in lines]
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        for k in range(PROMPTS):
            chosen = [passages[(STEP * k + i) % len(passages)] for i in range(PER_PROMPT)]
            record = {"text": "\n\n".join(p["text"] for p in chosen), "id": f"long-{k}", "first": chosen[0]["id"], "passages": PER_PROMPT}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
