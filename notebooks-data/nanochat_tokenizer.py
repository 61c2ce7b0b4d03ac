"""Converts a nanochat tokenizer (tokenizer.pkl, a pickled tiktoken Encoding) into a tokenizer.json attnscope reads.

attnscope never unpickles tokenizer.pkl itself: a pickle can run code, and this one names tiktoken's classes, which
a state dict's restricted unpickler does not allow. Run this once, with the Python nanochat runs with (it needs
tiktoken), on a tokenizer you trust, and put the output beside the model files:

    python notebooks-data/nanochat_tokenizer.py ~/.cache/nanochat/tokenizer/tokenizer.pkl \
        ~/.cache/nanochat/base_checkpoints/d20/tokenizer.json

The tokenizer.json is byte-level BPE as Hugging Face `tokenizers` writes it: the vocabulary is the Encoding's
mergeable ranks (id = rank), the merges are those ranks split the way transformers' TikTokenConverter splits them
(each token into the two parts tiktoken's own BPE joins last), the pre-tokenizer is nanochat's split regex, the
special tokens are added tokens, and a post-processor puts <|bos|> first, as nanochat's `tokenizer.encode(text,
prepend=bos)` does. attnscope's encoding equals tiktoken's `encode_ordinary` with <|bos|> prepended.
"""

import json
import pickle
import sys


def byte_level_alphabet():
    """GPT-2's bytes_to_unicode: every byte as a printable character."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    characters = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            characters.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(printable, characters)}


def last_merge(ranks, token, rank):
    """tiktoken's BPE of `token` with only the merges ranked below `rank`: the two parts joined last."""
    parts = [bytes([b]) for b in token]
    while True:
        best = None
        for i in range(len(parts) - 1):
            r = ranks.get(parts[i] + parts[i + 1])
            if r is not None and r < rank and (best is None or r < best[0]):
                best = (r, i)
        if best is None:
            return parts
        i = best[1]
        parts = parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2:]


def convert(encoding):
    ranks = encoding._mergeable_ranks
    alphabet = byte_level_alphabet()
    spell = lambda token: "".join(alphabet[b] for b in token)
    if sorted(ranks.values()) != list(range(len(ranks))):
        sys.exit("the mergeable ranks are not the ids 0 … n-1")
    merges = []
    for token, rank in sorted(ranks.items(), key=lambda item: item[1]):
        if len(token) == 1:
            continue
        parts = last_merge(ranks, token, rank)
        if len(parts) != 2:
            sys.exit(f"token {token!r} (rank {rank}) is not one merge of two tokens")
        merges.append([spell(parts[0]), spell(parts[1])])
    specials = encoding._special_tokens
    if "<|bos|>" not in specials:
        sys.exit("no <|bos|> special token")
    bos = specials["<|bos|>"]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for s, i in sorted(specials.items(), key=lambda x: x[1])],
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": encoding._pat_str}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "<|bos|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                           "pair": [{"SpecialToken": {"id": "<|bos|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                    {"Sequence": {"id": "B", "type_id": 1}}],
                           "special_tokens": {"<|bos|>": {"id": "<|bos|>", "ids": [bos], "tokens": ["<|bos|>"]}}},
        "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {spell(token): rank for token, rank in sorted(ranks.items(), key=lambda x: x[1])},
                  "merges": merges},
    }


def main(source, target):
    with open(source, "rb") as f:
        encoding = pickle.load(f)  # a file you trust: unpickling runs whatever it names
    with open(target, "w", encoding="utf-8") as f:
        json.dump(convert(encoding), f, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
