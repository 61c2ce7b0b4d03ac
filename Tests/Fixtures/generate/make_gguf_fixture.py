"""Writes Tests/Fixtures/gguf/quant-tiny.gguf and the values gguf-py dequantizes it to.

Run from the repository root with the project venv (last written with gguf 0.19.0, numpy 2.4):
    /work/venv/bin/python Tests/Fixtures/generate/make_gguf_fixture.py
        -> Tests/Fixtures/gguf/quant-tiny.gguf           (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1,
                                                           Q2_K, Q3_K, Q4_K, Q5_K, Q6_K tensors,
                                                           metadata of every GGUF value type)
        -> Tests/Fixtures/gguf/quant-tiny.expected.safetensors  (each tensor dequantized by gguf-py, F32)
        -> Tests/Fixtures/gguf/mxfp4-tiny.gguf           (two MXFP4 tensors, type 39: mxfp4_a.weight [4, 64] and
                                                          mxfp4_b.weight [3, 96]; E8M0 scale bytes 0, 1, 2 (the
                                                          subnormal half-scales), 120..135, 252, 254, an all-zero block)
        -> Tests/Fixtures/gguf/mxfp4-tiny.expected.safetensors  (gguf.quants.dequantize of each, F32, same names)
    /work/venv/bin/python Tests/Fixtures/generate/make_gguf_fixture.py mxfp4-tiny    (or quant-tiny: one file alone)
    /work/venv/bin/python Tests/Fixtures/generate/make_gguf_fixture.py --smollm2 notebooks-data/checkpoints/SmolLM2-135M-Instruct.Q4_1.gguf
        -> prints the checksums of un-permuted q/k projections that AttnCheckpointTests hard-codes
           (dequantized by gguf-py, un-permuted by transformers' own LlamaTensorProcessor).
"""
import sys
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q
from safetensors.numpy import save_file

OUT = Path(__file__).resolve().parent.parent / "gguf"


def tensors():
    """name -> (float32 values in PyTorch order, GGML type)."""
    rng = np.random.default_rng(20261123)
    q41 = rng.normal(0, 1, (4, 64)).astype(np.float32)
    q41[1, :32] = 0.25          # a constant block: d == 0, every value is m
    q40 = rng.normal(0, 0.5, (2, 96)).astype(np.float32)
    q40[0, 32:64] = 0.0         # an all-zero block
    return {
        "f32.weight": (rng.normal(0, 1, (3, 5)).astype(np.float32), Q.F32),
        "f16.weight": (rng.normal(0, 2, (4, 6)).astype(np.float32), Q.F16),
        "bf16.weight": (rng.normal(0, 3, (2, 7)).astype(np.float32), Q.BF16),
        "q8_0.weight": (rng.normal(0, 1, (2, 2, 64)).astype(np.float32), Q.Q8_0),
        "q4_0.weight": (q40, Q.Q4_0),
        "q4_1.weight": (q41, Q.Q4_1),
        "norm.bias": (rng.normal(0, 1, (32,)).astype(np.float32), Q.Q8_0),
        **q5_tensors(),
    }


def q5_tensors():
    """Q5_0 and Q5_1, quantized by gguf-py: four blocks each (ordinary, all-zero or
    constant, tiny values whose fp16 d is subnormal, large values)."""
    rng = np.random.default_rng(20261124)
    q50 = rng.normal(0, 1, (2, 64)).astype(np.float32)
    q50[0, 32:] = 0.0           # an all-zero block: d == 0
    q50[1, :32] *= 1e-6         # d below fp16's smallest normal
    q50[1, 32:] *= 3e3
    q51 = rng.normal(0, 1, (2, 64)).astype(np.float32)
    q51[0, 32:] = -0.75         # a constant block: d == 0, every value is m
    q51[1, :32] *= 1e-6
    q51[1, 32:] = q51[1, 32:] * 50 + 2e4
    return {"q5_0.weight": (q50, Q.Q5_0), "q5_1.weight": (q51, Q.Q5_1)}


# K-quant super-blocks: bytes and the offsets of their fp16 scales (d, and dmin when there is one).
K_QUANTS = {Q.Q2_K: (84, [80, 82]), Q.Q3_K: (110, [108]), Q.Q4_K: (144, [0, 2]),
            Q.Q5_K: (176, [0, 2]), Q.Q6_K: (210, [208])}


def k_quant_blocks():
    """name -> (uint8 super-blocks [4, bytes], GGML type), one super-block per row of 256 values.

    gguf-py can dequantize K-quants but not quantize them, so the blocks are random
    bytes with chosen fp16 scales: row 0 random, d (and dmin) in [-2, 2]; row 1 random
    with a wide dynamic range (Q3_K/Q6_K: d subnormal; the others: d = 1500, dmin
    subnormal); row 2 all zero; row 3 every byte 0xFF but the scales (a constant
    block: the same sub-block scale, min and q everywhere).
    """
    rng = np.random.default_rng(20261125)
    out = {}
    for qtype, (size, scale_offsets) in K_QUANTS.items():
        blocks = rng.integers(0, 256, (4, size), dtype=np.uint8)
        blocks[2] = 0
        blocks[3] = 0xFF
        wide = [3e-7] if len(scale_offsets) == 1 else [1500.0, 3e-7]
        rows = {0: rng.uniform(-2, 2, len(scale_offsets)), 1: wide, 3: [0.5, -0.25][:len(scale_offsets)]}
        for row, scales in rows.items():
            for offset, value in zip(scale_offsets, scales):
                blocks[row, offset:offset + 2] = np.array([value], dtype=np.float16).view(np.uint8)
        out[f"{qtype.name.lower()}.weight"] = (blocks, qtype)
    return out


def write_fixture():
    OUT.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(OUT / "quant-tiny.gguf"), arch="quanttest")
    writer.add_uint8("test.u8", 200)
    writer.add_int8("test.i8", -100)
    writer.add_uint16("test.u16", 60000)
    writer.add_int16("test.i16", -30000)
    writer.add_uint32("test.u32", 4000000000)
    writer.add_int32("test.i32", -2000000000)
    writer.add_float32("test.f32", 0.1)
    writer.add_bool("test.bool", True)
    writer.add_string("test.string", "héllo ▁wörld")
    writer.add_array("test.strings", ["a", "bc", "Ġd"])
    writer.add_array("test.ints", [1, -2, 3])
    writer.add_array("test.nested", [[1, 2], [3]])
    writer.add_uint64("test.u64", 1 << 40)
    writer.add_int64("test.i64", -(1 << 40))
    writer.add_float64("test.f64", 2.5e-300)
    expected = {}
    for name, (values, qtype) in tensors().items():
        encoded = values if qtype == Q.F32 else gguf.quants.quantize(values, qtype)
        if qtype == Q.F16:
            encoded = values.astype(np.float16)
            writer.add_tensor(name, encoded)
        elif qtype == Q.F32:
            writer.add_tensor(name, encoded)
        else:
            writer.add_tensor(name, encoded, raw_dtype=qtype)
        decoded = gguf.quants.dequantize(encoded.view(np.uint8), qtype) if qtype != Q.F32 else values
        expected[name] = np.ascontiguousarray(decoded.reshape(values.shape).astype(np.float32))
    for name, (blocks, qtype) in k_quant_blocks().items():
        writer.add_tensor(name, blocks, raw_dtype=qtype)
        expected[name] = np.ascontiguousarray(gguf.quants.dequantize(blocks, qtype).astype(np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    save_file(expected, str(OUT / "quant-tiny.expected.safetensors"))


# E8M0 scale byte of each MXFP4 block, in row-major block order ("hand" marks a block written as bytes).
MXFP4_SCALES = {
    "mxfp4_a.weight": ((4, 64), [0, 1, 2, 120, 125, 127, 130, 135]),
    "mxfp4_b.weight": ((3, 96), [122, 124, 126, 128, 131, 133, "zero", 252, "hand"]),
}


def mxfp4_tensors():
    """name -> (uint8 MXFP4 blocks [rows, cols / 32 * 17], float32 shape).

    Each block is 32 random normal values scaled so that its largest |value| is 1.5 * 2^(e - 125), from which
    gguf.quants.quantize picks the scale byte e (floor(log2 max) - 2 + 127): e = 0 and 1 take
    e8m0_to_fp32_half's subnormal branch (2^-128, 2^-127), e = 2 the smallest normal 2^-126. "zero" is an
    all-zero block (scale byte 0, every code 0). "hand" is written as bytes, since no float32 block quantizes
    to it: scale byte 254 (half-scale 2^126) with codes 0-3 and 8-11 only (|value| <= 3 * 2^126, finite;
    code 8 is E2M1's -0, which dequantizes to +0) in a shuffled order.
    """
    rng = np.random.default_rng(20261203)
    out = {}
    for name, (shape, scales) in MXFP4_SCALES.items():
        blocks = rng.normal(0, 1, (len(scales), 32)).astype(np.float64)
        for i, e in enumerate(scales):
            if e == "zero":
                blocks[i] = 0.0
            elif e == "hand":
                blocks[i] = 1.0  # replaced below
            else:
                blocks[i] *= 1.5 * 2.0 ** (e - 125) / np.abs(blocks[i]).max()
        values = blocks.astype(np.float32).reshape(shape)
        with np.errstate(over="ignore"):  # the e = 252 block: candidates 12 * 2^124 away overflow (never chosen)
            encoded = gguf.quants.quantize(values, Q.MXFP4).reshape(len(scales), 17)
        for i, e in enumerate(scales):
            if e == "hand":
                codes = rng.permutation(np.tile(np.array([0, 1, 2, 3, 8, 9, 10, 11], dtype=np.uint8), 4))
                encoded[i, 0] = 254
                encoded[i, 1:] = codes[:16] | (codes[16:] << 4)
            else:
                assert encoded[i, 0] == (0 if e == "zero" else e), (name, i, encoded[i, 0], e)
        out[name] = (encoded.reshape(shape[0], -1), shape)
    return out


def write_mxfp4_fixture():
    """Writes gguf/mxfp4-tiny.gguf and gguf/mxfp4-tiny.expected.safetensors (gguf-py's dequantization)."""
    OUT.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(OUT / "mxfp4-tiny.gguf"), arch="quanttest")
    expected = {}
    for name, (encoded, shape) in mxfp4_tensors().items():
        writer.add_tensor(name, encoded, raw_dtype=Q.MXFP4)
        decoded = gguf.quants.dequantize(encoded, Q.MXFP4).astype(np.float32)
        assert decoded.shape == shape and np.isfinite(decoded).all(), (name, decoded.shape)
        expected[name] = np.ascontiguousarray(decoded)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    save_file(expected, str(OUT / "mxfp4-tiny.expected.safetensors"))
    # read back: the file holds type 39 with the float shape, and the reader dequantizes to the same values
    reader = gguf.GGUFReader(str(OUT / "mxfp4-tiny.gguf"))
    for t in reader.tensors:
        assert t.tensor_type == Q.MXFP4 and list(t.shape) == list(reversed(expected[t.name].shape)), t
        again = gguf.quants.dequantize(t.data, t.tensor_type)
        assert np.array_equal(again.view(np.uint32), expected[t.name].view(np.uint32)), t.name
        print(f"  {t.name}: ne {[int(n) for n in t.shape]}, scale bytes {sorted(set(np.asarray(t.data).reshape(-1, 17)[:, 0].tolist()))}")
    print(f"wrote {OUT / 'mxfp4-tiny.gguf'} and its expected values")


JOBS = {"quant-tiny": write_fixture, "mxfp4-tiny": write_mxfp4_fixture}


def smollm2_checksums(path):
    from transformers.modeling_gguf_pytorch_utils import LlamaTensorProcessor
    reader = gguf.GGUFReader(path)
    proc = LlamaTensorProcessor(config={"num_attention_heads": 9, "num_key_value_heads": 3})
    for t in reader.tensors:
        if t.name not in ("blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.29.attn_q.weight"):
            continue
        w = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32)
        hf = proc.process(w, t.name).weights
        rows = np.arange(hf.shape[0], dtype=np.float64)[:, None] + 1
        print(t.name, hf.shape,
              "rows0..3 col0:", [float(x).hex() for x in hf[:4, 0]],
              "row32 col1:", float(hf[32, 1]).hex(),
              "weighted sum:", repr(float((rows * hf.astype(np.float64)).sum())))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--smollm2":
        smollm2_checksums(sys.argv[2])
    else:
        for job in sys.argv[1:] or JOBS:  # names to write (default: all)
            JOBS[job]()
