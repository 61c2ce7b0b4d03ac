"""Writes the committed fuzz corpus: small valid seeds per target, and one input per crash class
that the hand-made hostile-input review (issue 12) found before the fixes.

    python Tests/Fuzz/make_corpus.py RUN_FOLDER
        RUN_FOLDER: an `attnscope analyze` output of the two prompts FuzzRunFolder uses on the tiny Llama
        with `--save-attention 0`, beside its two shards RUN_FOLDER-1 and RUN_FOLDER-2 (their metrics.json,
        samples.jsonl and run.json, and attention/sample-000-layer-00.npy become seeds):
            printf '{"token_ids": [1, 2, 3, 4, 5]}\n{"token_ids": [9, 8, 7]}\n' > /tmp/p.jsonl
            for shard in "" 1 2; do
                swift run attnscope analyze Tests/Fixtures/models/llama-tiny --prompts /tmp/p.jsonl --save-attention 0 \
                    --out /tmp/seedrun${shard:+-$shard} ${shard:+--shard $shard/2} --no-figures --quiet
            done
    -> Tests/Fuzz/seeds/<target>/*    valid inputs the fuzzer starts from (replayed by FuzzReplayTests too)
    -> Tests/Fuzz/crashes/<target>/*  inputs that crashed, hung or ran away before (replayed by FuzzReplayTests)

Needs numpy, gguf and safetensors (pip), never torch. Deterministic: same seed, same bytes.
"""
import json
import math
import shutil
import struct
import sys
from pathlib import Path

import gguf
import numpy as np
from gguf import GGMLQuantizationType as Q
from safetensors.numpy import save as save_safetensors

ROOT = Path(__file__).resolve().parent
FIXTURES = ROOT.parent / "Fixtures"
# The order FuzzCheckpoint.fixtures uses: a config seed's first byte picks the fixture.
CONFIG_FIXTURES = ["llama-tiny", "gpt2-tiny", "bert-tiny", "resformer-learnable", "denseformer", "svformer", "cla", "neutreno", "qwen2-tiny", "mistral-tiny", "qwen3-tiny", "phi3-tiny", "llama3-rope-tiny", "gemma3-tiny", "gemma3-mm-tiny"]


def reset(kind):
    folder = ROOT / kind
    shutil.rmtree(folder, ignore_errors=True)
    for target in ["gguf", "safetensors", "pytorch", "config", "tokenizer", "prompts", "metrics", "npy", "normalizer", "resume", "merge"]:
        (folder / target).mkdir(parents=True)
    return folder


def micro_llama_gguf(path, block_count=1, key_length=None, rope_base=10000.0, epsilon=1e-5, extra=None):
    """A complete Llama GGUF of 1 block, hidden 32, 2 heads of 16, 1 kv head, vocab 16, with a gpt2 tokenizer."""
    rng = np.random.default_rng(12)
    w = gguf.GGUFWriter(str(path), arch="llama")
    w.add_block_count(block_count)
    w.add_embedding_length(32)
    w.add_feed_forward_length(32)
    w.add_head_count(2)
    w.add_head_count_kv(1)
    w.add_context_length(32)
    w.add_layer_norm_rms_eps(epsilon)
    w.add_rope_freq_base(rope_base)
    if key_length is not None:
        w.add_uint64("llama.attention.key_length", key_length)
    for key, value in (extra or {}).items():
        w.add_uint64(key, value)
    tokens = ["a", "b", "c", "Ġ", "ab", "Ġa", "<s>", "</s>"] + [f"t{i}" for i in range(8)]
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("smollm")
    w.add_token_list(tokens)
    w.add_token_merges(["a b", "Ġ a"])
    w.add_token_types([1] * 6 + [3, 3] + [1] * 8)
    w.add_bos_token_id(6)
    w.add_eos_token_id(7)

    def tensor(name, shape, qtype):
        values = rng.normal(0, 0.2, shape).astype(np.float32)
        if qtype in (Q.F32,):
            w.add_tensor(name, values)
        elif qtype == Q.F16:
            w.add_tensor(name, values.astype(np.float16))
        else:
            w.add_tensor(name, gguf.quants.quantize(values, qtype), raw_dtype=qtype)

    tensor("token_embd.weight", (16, 32), Q.F32)
    for b in range(1):
        tensor(f"blk.{b}.attn_norm.weight", (32,), Q.F32)
        tensor(f"blk.{b}.attn_q.weight", (32, 32), Q.Q4_0)
        tensor(f"blk.{b}.attn_k.weight", (16, 32), Q.Q8_0)
        tensor(f"blk.{b}.attn_v.weight", (16, 32), Q.F16)
        tensor(f"blk.{b}.attn_output.weight", (32, 32), Q.Q4_1)
        tensor(f"blk.{b}.ffn_norm.weight", (32,), Q.F32)
        tensor(f"blk.{b}.ffn_gate.weight", (32, 32), Q.Q5_0)
        tensor(f"blk.{b}.ffn_up.weight", (32, 32), Q.Q5_1)
        tensor(f"blk.{b}.ffn_down.weight", (32, 32), Q.Q8_0)
    tensor("output_norm.weight", (32,), Q.F32)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def micro_gemma3_gguf(path):
    """A complete Gemma 3 GGUF of 2 blocks (both sliding, window 2: every 6th block is global), hidden 32,
    one head of 256 (the only key length the gemma3 view reads), vocab 16, norms stored as llama.cpp does (w + 1),
    with a SentencePiece (llama) vocabulary."""
    rng = np.random.default_rng(13)
    w = gguf.GGUFWriter(str(path), arch="gemma3")
    w.add_block_count(2)
    w.add_embedding_length(32)
    w.add_feed_forward_length(32)
    w.add_head_count(1)
    w.add_head_count_kv(1)
    w.add_key_length(256)
    w.add_value_length(256)
    w.add_context_length(32)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_rope_freq_base(1e6)
    w.add_sliding_window(2)
    tokens = ["<pad>", "<eos>", "<bos>", "<unk>", "\u2581", "a", "b", "\u2581a", "ab", "<0x0A>"] + [f"t{i}" for i in range(6)]
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores([0.0] * 4 + [-float(i) for i in range(12)])
    w.add_token_types([3, 3, 3, 2] + [1] * 5 + [6] + [1] * 6)
    w.add_bos_token_id(2)
    w.add_eos_token_id(1)

    def tensor(name, shape, qtype, shift=0.0):
        values = (rng.normal(0, 0.2, shape) + shift).astype(np.float32)
        if qtype == Q.F32:
            w.add_tensor(name, values)
        else:
            w.add_tensor(name, gguf.quants.quantize(values, qtype), raw_dtype=qtype)

    tensor("token_embd.weight", (16, 32), Q.Q8_0)
    for b in range(2):
        for norm in ["attn_norm", "post_attention_norm", "ffn_norm", "post_ffw_norm"]:
            tensor(f"blk.{b}.{norm}.weight", (32,), Q.F32, shift=1.0)
        tensor(f"blk.{b}.attn_q_norm.weight", (256,), Q.F32, shift=1.0)
        tensor(f"blk.{b}.attn_k_norm.weight", (256,), Q.F32, shift=1.0)
        tensor(f"blk.{b}.attn_q.weight", (256, 32), Q.Q8_0)
        tensor(f"blk.{b}.attn_k.weight", (256, 32), Q.Q8_0)
        tensor(f"blk.{b}.attn_v.weight", (256, 32), Q.Q8_0)
        tensor(f"blk.{b}.attn_output.weight", (32, 256), Q.Q8_0)
        tensor(f"blk.{b}.ffn_gate.weight", (32, 32), Q.Q8_0)
        tensor(f"blk.{b}.ffn_up.weight", (32, 32), Q.Q8_0)
        tensor(f"blk.{b}.ffn_down.weight", (32, 32), Q.Q8_0)
    tensor("output_norm.weight", (32,), Q.F32, shift=1.0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def le_gguf(metadata, tensors, data=b""):
    """A GGUF v3 byte string from (key, type, payload bytes) metadata and (name, dims, type, offset) infos."""
    def string(s):
        b = s.encode()
        return struct.pack("<Q", len(b)) + b
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for key, vtype, payload in metadata:
        out += string(key) + struct.pack("<I", vtype) + payload
    for name, dims, ttype, offset in tensors:
        out += string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", ttype, offset)
    out += b"\0" * (-len(out) % 32)
    return out + data


def llama_header(**overrides):
    u32 = lambda v: struct.pack("<I", v)
    f32 = lambda v: struct.pack("<f", v)
    values = {"llama.embedding_length": (4, u32(32)), "llama.feed_forward_length": (4, u32(64)),
              "llama.block_count": (4, u32(1)), "llama.attention.head_count": (4, u32(2)),
              "llama.context_length": (4, u32(64)), "llama.attention.layer_norm_rms_epsilon": (6, f32(1e-5)),
              "llama.rope.freq_base": (6, f32(10000.0))}
    values.update(overrides)
    arch = b"llama"
    return [("general.architecture", 8, struct.pack("<Q", len(arch)) + arch)] + [(k, t, p) for k, (t, p) in values.items()]


WORDPIECE = {
    "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                   "strip_accents": None, "lowercase": True},
    "pre_tokenizer": {"type": "BertPreTokenizer"},
    "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
    "added_tokens": [{"id": i, "content": c, "special": True, "single_word": False, "lstrip": False,
                      "rstrip": False, "normalized": False} for i, c in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]"])],
    "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
              "max_input_chars_per_word": 100,
              "vocab": {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "b", "ab", "##b", "##a", ",", "!"])}},
}


def write_seeds(run):
    seeds = reset("seeds")
    micro_llama_gguf(seeds / "gguf" / "llama-micro.gguf")
    micro_gemma3_gguf(seeds / "gguf" / "gemma3-micro.gguf")
    shutil.copy(FIXTURES / "gguf" / "quant-tiny.gguf", seeds / "gguf" / "quant-tiny.gguf")

    rng = np.random.default_rng(3)
    (seeds / "safetensors" / "mixed.safetensors").write_bytes(save_safetensors({
        "model.embed_tokens.weight": rng.normal(size=(4, 8)).astype(np.float32),
        "model.norm.weight": rng.normal(size=(8,)).astype(np.float16),
        "lm_head.weight": rng.normal(size=(2, 8)).astype(np.float64),
        "position_ids": np.arange(4, dtype=np.int64),
    }, metadata={"format": "pt"}))

    for index, name in enumerate(CONFIG_FIXTURES):
        config = (FIXTURES / "models" / name / "config.json").read_bytes()
        (seeds / "config" / f"{index}-{name}.json").write_bytes(bytes([index]) + config)

    text = "Hello, world! ab abab  a\tb\n123 ünïcode [CLS] <s>".encode()
    (seeds / "tokenizer" / "bpe-tiny").write_bytes((FIXTURES / "tokenizers/bpe-tiny/tokenizer.json").read_bytes() + b"\0" + text)
    (seeds / "tokenizer" / "wordpiece-micro").write_bytes(json.dumps(WORDPIECE).encode() + b"\0" + text)
    # nanochat's split regex (2-digit numbers) and its special tokens, as nanochat_tokenizer.py converts them.
    (seeds / "tokenizer" / "nanochat-tiny").write_bytes(
        (FIXTURES / "tokenizers/nanochat-tiny/tokenizer.json").read_bytes() + b"\0" + text + " 2026-12-02 <|bos|>\r\n\n  x".encode())
    for name in ["sp-tiny", "sp-tiny-llama2"]:  # SentencePiece BPE: Metaspace, Prepend/Replace, byte fallback, unk
        (seeds / "tokenizer" / name).write_bytes(
            (FIXTURES / f"tokenizers/{name}/tokenizer.json").read_bytes() + b"\0" + text + "😀 \x07𠀀".encode())

    (seeds / "prompts" / "lines.jsonl").write_text('{"text": "To be, or not to be", "note": "x"}\n\n{"token_ids": [1, 2, 3]}\n')
    (seeds / "prompts" / "plain.txt").write_text("first prompt\r\nsecond prompt\n")
    (seeds / "prompts" / "hostile.jsonl").write_bytes(b'{"text": "a\\u0000b"}\n{"token_ids": [9223372036854775807, -1]}\n\xff\xfe')
    (seeds / "safetensors" / "shape-overflow.safetensors").write_bytes(
        struct.pack("<Q", 80) + b'{"x":{"dtype":"F32","shape":[4611686018427387904,4,0],"data_offsets":[0,0]}}'.ljust(80))

    (seeds / "metrics" / "llama-tiny").write_bytes(
        (Path(run) / "metrics.json").read_bytes() + b"\0" + (Path(run) / "samples.jsonl").read_bytes())
    shutil.copy(Path(run) / "attention" / "sample-000-layer-00.npy", seeds / "npy" / "layer-00.npy")

    for name, normalizer in NORMALIZERS.items():
        (seeds / "normalizer" / name).write_bytes(json.dumps(normalizer).encode() + b"\0" + text)
    files = [(Path(run) / name).read_bytes() for name in ["run.json", "samples.jsonl", "metrics.json"]]
    (seeds / "resume" / "finished").write_bytes(b"\0" + b"\0".join(files))
    (seeds / "resume" / "killed").write_bytes(b"\0" + files[0] + b"\0" + files[1][:-40])
    (seeds / "merge" / "two-shards").write_bytes(b"\0" + shard_pair(run))
    for name, fixture in PYTORCH_SEEDS.items():
        shutil.copy(FIXTURES / fixture, seeds / "pytorch" / name)
    return seeds


# Normalizer seeds: every kind tokenizer.json files use, alone and in a sequence.
NORMALIZERS = {
    "bert": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
    "sequence": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"},
                 {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}, {"type": "Prepend", "prepend": "\u2581"}]},
    "nfc": {"type": "NFC"},
}


def shard_pair(run):
    """The two shards of RUN_FOLDER as the merge target reads them: metrics.json, NUL, samples.jsonl, per shard."""
    parts = []
    for k in [1, 2]:
        shard = Path(f"{run}-{k}")
        parts += [(shard / "metrics.json").read_bytes(), (shard / "samples.jsonl").read_bytes()]
    return b"\0".join(parts)


KEPT = (ROOT / "crashes" / "metrics" / "timeout-under-load-valid-run").read_bytes()


# The PyTorch seeds, by name in Tests/Fuzz/seeds/pytorch: the fixture each is copied from.
PYTORCH_SEEDS = {"micro-llama.bin": "pytorch/micro-llama/pytorch_model.bin", "zip64.bin": "pytorch/zip64.bin",
                 "int64.bin": "pytorch/hostile/int64.bin", "transposed.bin": "pytorch/hostile/transposed.bin"}


def write_crashes(seeds):
    crashes = reset("crashes")
    u32 = lambda v: struct.pack("<I", v)
    u64 = lambda v: struct.pack("<Q", v)
    f32 = lambda v: struct.pack("<f", v)
    embd = [("token_embd.weight", [32, 8], 0, 0)]
    data = b"\0" * (32 * 8 * 4)
    g = crashes / "gguf"
    # TensorInfo.elementCount trapped on a zero-first product in the other order.
    (g / "dims-zero-then-2e62").write_bytes(le_gguf(llama_header(), embd + [("big.weight", [0, 1 << 62, 1 << 62], 0, 1024)], data))
    # The "past end of data" message added offset and size and trapped.
    (g / "offset-near-2e63").write_bytes(le_gguf(llama_header(), embd + [("far.weight", [8], 0, (1 << 63) - 32)], data))
    # A block count of 2^31 allocated 34 GB of tensor names up front.
    (g / "block-count-2e31").write_bytes(le_gguf(llama_header(**{"llama.block_count": (4, u32(1 << 31))}), embd, data))
    # key_length 2^62 overflowed head products in the model.
    (g / "key-length-2e62").write_bytes(le_gguf(llama_header(**{"llama.attention.key_length": (10, u64(1 << 62))}), embd, data))
    # NaN RoPE base and infinite epsilon exited 70 instead of 65.
    (g / "rope-base-nan").write_bytes(le_gguf(llama_header(**{"llama.rope.freq_base": (6, f32(math.nan))}), embd, data))
    (g / "epsilon-inf").write_bytes(le_gguf(llama_header(**{"llama.attention.layer_norm_rms_epsilon": (6, f32(math.inf))}), embd, data))

    for index, name in enumerate(CONFIG_FIXTURES):
        config = json.loads((FIXTURES / "models" / name / "config.json").read_text())
        keys = {"llama-tiny": ["num_hidden_layers", "num_attention_heads", "head_dim"],
                "gpt2-tiny": ["n_embd", "n_layer"], "bert-tiny": ["num_attention_heads", "hidden_size"]}.get(name, [])
        for key in keys:
            for value in [-1, 1 << 31, 1 << 62, (1 << 63) - 1]:
                broken = dict(config, **{key: value})
                (crashes / "config" / f"{index}-{key}-{value}").write_bytes(bytes([index]) + json.dumps(broken).encode())

    document, samples = (seeds / "metrics" / "llama-tiny").read_bytes().split(b"\0", 1)
    metrics = json.loads(document)
    for field, value in [("layers", 1_000_000), ("layers", -3), ("heads", 1 << 62)]:
        broken = json.loads(json.dumps(metrics))
        broken["model"][field] = value
        (crashes / "metrics" / f"model-{field}-{value}").write_bytes(json.dumps(broken).encode() + b"\0" + samples)

    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4611686018427387904, 4), }"
    header = header.ljust(117) + "\n"
    (crashes / "npy" / "shape-overflow").write_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + b"\0" * 64)

    # WordPiece with a huge max_input_chars_per_word was cubic in the word length.
    wordpiece = json.loads(json.dumps(WORDPIECE))
    wordpiece["model"]["max_input_chars_per_word"] = 10**9
    (crashes / "tokenizer" / "wordpiece-long-word").write_bytes(json.dumps(wordpiece).encode() + b"\0" + b"ab" * 20000 + b"x")
    # Byte-level BPE was quadratic in the length of a word without spaces.
    bpe = (FIXTURES / "tokenizers/bpe-tiny/tokenizer.json").read_bytes()
    (crashes / "tokenizer" / "bpe-long-word").write_bytes(bpe + b"\0" + b"ab" * 30000)

    # Round 3. Normalizers grew text without bound: ten-fold Replace steps in a 25 KB file tried to allocate
    # 6.4 GB for a 1-character prompt; 40 doubling steps hung.
    tenfold = {"type": "Sequence", "normalizers": [{"type": "Replace", "pattern": {"String": "a"}, "content": "a" * 10}] * 10}
    doubling = {"type": "Sequence", "normalizers": [{"type": "Replace", "pattern": {"String": "a"}, "content": "aa"}] * 40}
    prepend = {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "a" * 1000}] * 200}
    for name, normalizer in [("tenfold-replace", tenfold), ("doubling-replace", doubling), ("huge-prepend", prepend)]:
        tokenizer = json.loads(bpe)
        tokenizer["normalizer"] = normalizer
        (crashes / "tokenizer" / name).write_bytes(json.dumps(tokenizer).encode() + b"\0a")
        (crashes / "normalizer" / name).write_bytes(json.dumps(normalizer).encode() + b"\0a")

    # Finite but huge statistics overflowed to inf and failed to encode (exit 70): a resumed sample of ±1e308,
    # shard summaries near 1e308.
    run_json, samples_jsonl, metrics_json = (seeds / "resume" / "finished").read_bytes()[1:].split(b"\0")
    lines = samples_jsonl.decode().splitlines()
    huge = "\n".join(line.replace('"sink_rate":', f'"sink_rate":{sign}1e308,"was":', 1) for sign, line in zip(["", "-"], lines)) + "\n"
    (crashes / "resume" / "samples-1e308").write_bytes(b"\0" + run_json + b"\0" + huge.encode() + b"\0")
    document = json.loads(metrics_json)
    for key in ["mean", "m2"]:
        broken = json.loads(json.dumps(document))
        broken["summary"]["sink_rate"][key] = 1.7e308
        (crashes / "metrics" / f"statistic-{key}-1e308").write_bytes(json.dumps(broken).encode() + b"\0" + samples_jsonl)
        pair = shard_pair(RUN).split(b"\0")
        shard = json.loads(pair[0])
        shard["summary"]["sink_rate"][key] = 1.7e308
        pair[0] = json.dumps(shard).encode()
        (crashes / "merge" / f"statistic-{key}-1e308").write_bytes(b"\0" + b"\0".join(pair))

    # Links and FIFOs where a run writes were followed or opened (a rewritten file outside the run, a hang):
    # each flag byte plants a different mix (FuzzRunFolder.plant).
    finished = (seeds / "resume" / "finished").read_bytes()[1:]
    two = (seeds / "merge" / "two-shards").read_bytes()[1:]
    for flags in [0x01, 0x02, 0x04, 0x09, 0x0A, 0x0C, 0x87]:
        (crashes / "resume" / f"planted-{flags:02x}").write_bytes(bytes([flags]) + finished)
    for flags in [0x01, 0x02, 0x04, 0x09, 0x10, 0x20, 0x40, 0x66]:
        (crashes / "merge" / f"planted-{flags:02x}").write_bytes(bytes([flags]) + two)
    # Kept as found (a valid run that timed out under load): not regenerated.
    (crashes / "metrics" / "timeout-under-load-valid-run").write_bytes(KEPT)
    # PyTorch archives come from make_pytorch_fixtures.py (it needs torch): copied, the hostile ones as crashes.
    for path in sorted((FIXTURES / "pytorch" / "hostile").glob("*.bin")):
        if path.name not in PYTORCH_SEEDS:
            shutil.copy(path, crashes / "pytorch" / path.name)



if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    RUN = sys.argv[1]
    write_crashes(write_seeds(RUN))
    for kind in ["seeds", "crashes"]:
        files = sorted(p for p in (ROOT / kind).rglob("*") if p.is_file())
        print(f"{kind}: {len(files)} files, {sum(p.stat().st_size for p in files)} bytes")
