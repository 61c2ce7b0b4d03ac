"""Writes a tiny nanochat tokenizer converted to tokenizer.json, and tiktoken's ids for the shared test strings.

A 400-id byte-level BPE trained with tiktoken's educational trainer on the bundled passages, with nanochat's split
pattern and special tokens (nanochat/tokenizer.py), pickled as nanochat saves it (tokenizer.pkl, kept outside the
repository) and converted by notebooks-data/nanochat_tokenizer.py. Run from the repository root with a Python that
has tiktoken (never in CI; outputs committed):

    python Tests/Fixtures/generate/make_nanochat_tokenizer.py

Outputs:
  tokenizers/nanochat-tiny/tokenizer.json  the converted tokenizer
  tokenizers/golden/nanochat-tiny.json     per string of tokenizers/golden/strings.json, tiktoken's ids with
                                           <|bos|> prepended (special-token text matched as special tokens,
                                           allowed_special="all", as added tokens are matched in any text)
"""

import json
import os
import pickle
import subprocess
import sys
import tempfile

import tiktoken
from tiktoken._educational import SimpleBytePairEncoding

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
REPO = os.path.join(ROOT, "..", "..")
PATTERN = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,2}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"""
SPECIALS = ["<|bos|>", "<|user_start|>", "<|user_end|>", "<|assistant_start|>", "<|assistant_end|>",
            "<|python_start|>", "<|python_end|>", "<|output_start|>", "<|output_end|>"]



def main():
    with open(os.path.join(REPO, "notebooks-data", "prompts", "shakespeare.jsonl"), encoding="utf-8") as f:
        corpus = "".join(json.loads(line)["text"] for line in f if line.strip())
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):  # the trainer prints every merge
        trained = SimpleBytePairEncoding.train(corpus, vocab_size=400, pat_str=PATTERN)
    ranks = trained.mergeable_ranks
    encoding = tiktoken.Encoding(name="rustbpe", pat_str=PATTERN, mergeable_ranks=ranks,
                                 special_tokens={s: len(ranks) + i for i, s in enumerate(SPECIALS)})
    out = os.path.join(ROOT, "tokenizers", "nanochat-tiny")
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        pkl = os.path.join(scratch, "tokenizer.pkl")
        with open(pkl, "wb") as f:
            pickle.dump(encoding, f)  # as nanochat's RustBPETokenizer.save does
        subprocess.run([sys.executable, os.path.join(REPO, "notebooks-data", "nanochat_tokenizer.py"), pkl,
                        os.path.join(out, "tokenizer.json")], check=True)
    bos = encoding.encode_single_token("<|bos|>")
    with open(os.path.join(ROOT, "tokenizers", "golden", "strings.json"), encoding="utf-8") as f:
        strings = json.load(f)["strings"]
    golden = {"reference": "tiktoken.Encoding(nanochat-tiny).encode(allowed_special='all'), <|bos|> first",
              "prefix": [bos], "suffix": [], "ids": [[bos] + encoding.encode(t, allowed_special="all") for t in strings]}
    with open(os.path.join(ROOT, "tokenizers", "golden", "nanochat-tiny.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
