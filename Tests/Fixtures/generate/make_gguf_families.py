"""Writes tiny GGUF files the way llama.cpp's convert_hf_to_gguf.py writes each architecture,
from BF16 HF checkpoints, keeping the weights BF16 (so nothing is lost in the conversion; gptoss-tiny's experts
excepted: MXFP4).

    Tests/Fixtures/gguf/llama3-rope-tiny.gguf  models/llama3-rope-tiny as architecture llama: Q/K rows
                                              permuted, Llama 3 RoPE scaling stored as the per-frequency
                                              divisors rope_freqs.weight (no scaling keys)
    Tests/Fixtures/gguf/phi3-tiny.gguf         models/phi3-tiny as architecture phi3: fused attn_qkv, ffn_up
                                              holding the gate and up rows, phi3.attention.sliding_window 7
    Tests/Fixtures/gguf/neox-tiny.gguf         models/neox-tiny (F16) as GPTNeoXModel writes architecture gptneox:
                                              attn_qkv rows reordered from HF's per-head [q|k|v] to all q rows,
                                              then all k, then all v (weight and bias); 2-D weights F16, 1-D
                                              tensors (LayerNorm scales, biases) F32; gptneox.rope.dimension_count
                                              = int(rotary_pct * head size) = 4, gptneox.use_parallel_residual,
                                              gptneox.attention.layer_norm_epsilon; no head_count_kv, no freq_base
    Tests/Fixtures/gguf/olmo2-tiny.gguf        models/olmo2-tiny (BF16) as Olmo2Model writes architecture olmo2:
                                              Q/K rows as they are (no permutation: olmo2 is NEOX RoPE in
                                              llama.cpp), attn_q_norm [H*d] / attn_k_norm [G*d], post_attention_norm,
                                              post_ffw_norm; 2-D weights BF16, norms F32
    Tests/Fixtures/gguf/gptoss-tiny.gguf       models/gptoss-tiny (BF16) as GptOssModel writes architecture gpt-oss
                                              (its non-MXFP4 branch), except that the experts are MXFP4 (quantized
                                              here with gguf.quants.quantize, as a converted MXFP4 checkpoint holds
                                              them): gate_up_proj [E, D, 2I] transposed to [E, 2I, D] and split into
                                              ffn_gate_exps = rows ::2, ffn_up_exps = rows 1::2 ([E, I, D], ne
                                              [D, I, E]); down_proj [E, I, D] transposed to ffn_down_exps [E, D, I]
                                              (ne [I, D, E]); gate_up_proj_bias split the same way (F32 [E, I]);
                                              sinks as attn_sinks.weight; router as ffn_gate_inp (F32, as
                                              prepare_tensors forces); other 2-D weights BF16, 1-D F32; YaRN keys
                                              from rope_parameters, sliding_window, expert_feed_forward_length

The first four are checked against the HF goldens of the original checkpoints (neox and olmo2 hold exactly the
checkpoint's values: F16/BF16 -> F32 is exact and the qkv reorder only moves rows). gptoss-tiny.gguf is checked
against golden/gptoss-gguf-tiny (make_golden.py --only gptoss-gguf-tiny, which rewrites it first): HF's forward of
models/gptoss-tiny with the expert weights gguf-py dequantizes from the file's MXFP4 bytes. make_golden.py also uses
write_gguf for the qwen2/qwen3 files whose goldens come from HF loading the GGUF itself.

Run from the repository root (last run with gguf 0.19.0, numpy 2.4):
    /work/venvq/bin/python Tests/Fixtures/generate/make_gguf_families.py [NAME ...]
"""
import json
import math
import struct
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "gguf"


def read_bf16_safetensors(path):
    """name -> uint16 BF16 bits in the stored shape; only BF16 tensors expected."""
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "BF16", (name, info["dtype"])
        begin, end = info["data_offsets"]
        out[name] = np.frombuffer(body[begin:end], dtype=np.uint16).reshape(info["shape"])
    return out


def permute(rows, heads):
    """llama.cpp's LlamaModel.permute (interleave each head's two halves)."""
    return rows.reshape(heads, 2, rows.shape[0] // heads // 2, *rows.shape[1:]).swapaxes(1, 2).reshape(rows.shape)


def rope_factors(config):
    """llama.cpp's LlamaModel.generate_extra_tensors for rope_type llama3."""
    rope = config["rope_parameters"]
    base = rope["rope_theta"]
    dim = config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"]
    freqs = 1.0 / (base ** (np.arange(0, dim, 2, dtype=np.float32) / dim))
    factor, low, high = rope["factor"], rope["low_freq_factor"], rope["high_freq_factor"]
    old = rope["original_max_position_embeddings"]
    low_wavelength, high_wavelength = old / low, old / high
    factors = []
    for freq in freqs:
        wavelength = 2 * math.pi / freq
        if wavelength < high_wavelength:
            factors.append(1)
        elif wavelength > low_wavelength:
            factors.append(factor)
        else:
            smooth = (old / wavelength - low) / (high - low)
            factors.append(1 / ((1 - smooth) / factor + smooth))
    return np.array(factors, dtype=np.float32)


TOP = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
       "lm_head.weight": "output.weight"}
BLOCK = {
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
    "self_attn.qkv_proj": "attn_qkv", "self_attn.o_proj": "attn_output", "self_attn.q_norm": "attn_q_norm",
    "self_attn.k_norm": "attn_k_norm", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
    "mlp.gate_up_proj": "ffn_up", "mlp.down_proj": "ffn_down", "input_layernorm": "attn_norm",
    "post_attention_layernorm": "ffn_norm",
}


def write_gguf(out, arch, config, tensors, extra=None):
    """Writes `tensors` (HF name -> BF16 bits) under llama.cpp's names and `arch`'s keys."""
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads") or heads
    head_dim = config.get("head_dim") or config["hidden_size"] // heads
    rope = config.get("rope_parameters") or {}
    writer = gguf.GGUFWriter(str(out), arch)
    writer.add_vocab_size(config["vocab_size"])
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_key_length(head_dim)
    writer.add_value_length(head_dim)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(rope.get("rope_theta", config.get("rope_theta", 10000.0)))
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    if arch == "phi3" and config.get("sliding_window"):
        writer.add_sliding_window(config["sliding_window"])
    for name in sorted(tensors):
        bits = tensors[name]
        if name in TOP:
            target = TOP[name]
        else:
            parts = name.split(".")
            stem, kind = ".".join(parts[3:-1]), parts[-1]
            target = f"blk.{parts[2]}.{BLOCK[stem]}.{kind}"
        if arch == "llama" and name.endswith("q_proj.weight"):
            bits = permute(bits, heads)
        elif arch == "llama" and name.endswith("k_proj.weight"):
            bits = permute(bits, kv_heads)
        # BF16 bits as bytes: gguf-py reads the element shape back from the byte shape.
        as_bytes = np.ascontiguousarray(bits).view(np.uint8).reshape(*bits.shape[:-1], bits.shape[-1] * 2)
        writer.add_tensor(target, as_bytes, raw_dtype=Q.BF16)
    for target, values in (extra or {}).items():
        writer.add_tensor(target, values)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"wrote {out} ({Path(out).stat().st_size} bytes)")


def from_checkpoint(model, arch, out, extra=None):
    folder = ROOT / "models" / model
    config = json.loads((folder / "config.json").read_text())
    write_gguf(out, arch, config, read_bf16_safetensors(folder / "model.safetensors"), extra)
    return config


def read_half_safetensors(path):
    """name -> (dtype "F16" or "BF16", uint16 bits in the stored shape)."""
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] in ("F16", "BF16"), (name, info["dtype"])
        begin, end = info["data_offsets"]
        out[name] = (info["dtype"], np.frombuffer(body[begin:end], dtype=np.uint16).reshape(info["shape"]))
    return out


def half_to_f32(dtype, bits):
    if dtype == "F16":
        return bits.view(np.float16).astype(np.float32)
    return (bits.astype(np.uint32) << 16).view(np.float32)


def neox_qkv_blocks(rows, heads):
    """GPTNeoXModel.modify_tensors: HF's rows [H, 3, d] (per head q | k | v) -> [3, H, d] (all q, all k, all v)."""
    return rows.reshape(heads, 3, rows.shape[0] // heads // 3, *rows.shape[1:]).swapaxes(0, 1).reshape(rows.shape)


def write_converted(out, arch, config, tensors):
    """`tensors` (HF name -> (dtype, bits)) as convert_hf_to_gguf.py's GPTNeoXModel / Olmo2Model write them:
    llama.cpp's names, 2-D weights kept in their half dtype, 1-D tensors and *_norm.weight F32."""
    heads = config["num_attention_heads"]
    arch_enum = {"gptneox": gguf.MODEL_ARCH.GPTNEOX, "olmo2": gguf.MODEL_ARCH.OLMO2}[arch]
    names = gguf.get_tensor_name_map(arch_enum, config["num_hidden_layers"])
    writer = gguf.GGUFWriter(str(out), arch)
    writer.add_vocab_size(config["vocab_size"])  # no tokenizer: llama.cpp would count tokenizer.ggml.tokens
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    rope = config.get("rope_parameters") or {}
    if arch == "gptneox":  # GPTNeoXModel.set_gguf_parameters (it does not call the base's)
        fraction = rope.get("partial_rotary_factor", config.get("rotary_pct"))
        writer.add_rope_dimension_count(int(fraction * (config["hidden_size"] // heads)))
        writer.add_parallel_residual(config.get("use_parallel_residual", True))
        writer.add_layer_norm_eps(config["layer_norm_eps"])
    else:  # TextModel.set_gguf_parameters
        writer.add_head_count_kv(config.get("num_key_value_heads") or heads)
        writer.add_rope_freq_base(rope.get("rope_theta", config.get("rope_theta", 10000.0)))
        writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    for name in sorted(tensors):
        dtype, bits = tensors[name]
        stem, kind = name.rsplit(".", 1)
        target = names.get_name(stem)
        assert target is not None, name
        target += "." + kind
        if arch == "gptneox" and stem.endswith("attention.query_key_value"):
            bits = neox_qkv_blocks(bits, heads)
        if bits.ndim <= 1 or target.endswith("_norm.weight"):
            writer.add_tensor(target, half_to_f32(dtype, bits))
        elif dtype == "F16":
            writer.add_tensor(target, np.ascontiguousarray(bits).view(np.float16))
        else:  # BF16 bits as bytes: gguf-py reads the element shape back from the byte shape.
            as_bytes = np.ascontiguousarray(bits).view(np.uint8).reshape(*bits.shape[:-1], bits.shape[-1] * 2)
            writer.add_tensor(target, as_bytes, raw_dtype=Q.BF16)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"wrote {out} ({Path(out).stat().st_size} bytes)")


def converted_from_checkpoint(model, arch, out):
    folder = ROOT / "models" / model
    config = json.loads((folder / "config.json").read_text())
    write_converted(out, arch, config, read_half_safetensors(folder / "model.safetensors"))


def llama3_rope():
    config = json.loads((ROOT / "models" / "llama3-rope-tiny" / "config.json").read_text())
    factors = rope_factors(config)
    from_checkpoint("llama3-rope-tiny", "llama", OUT / "llama3-rope-tiny.gguf", {"rope_freqs.weight": factors})
    print(f"  rope factors {factors.tolist()}")


def write_gptoss(out, config, tensors):
    """`tensors` (HF name -> BF16 bits) as convert_hf_to_gguf.py's GptOssModel writes them, experts in MXFP4.

    Returns {gguf name: float32 values gguf-py dequantizes the stored bytes to} for the expert weights."""
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.GPT_OSS, config["num_hidden_layers"])
    rope = config["rope_parameters"]
    writer = gguf.GGUFWriter(str(out), "gpt-oss")
    # TextModel.set_gguf_parameters, in its order
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(config["num_attention_heads"])
    writer.add_head_count_kv(config["num_key_value_heads"])
    assert rope["rope_type"] == "yarn"
    writer.add_rope_scaling_type(gguf.RopeScalingType.YARN)
    writer.add_rope_scaling_factor(rope["factor"])
    writer.add_rope_scaling_orig_ctx_len(rope["original_max_position_embeddings"])
    writer.add_rope_scaling_yarn_beta_fast(rope["beta_fast"])
    writer.add_rope_scaling_yarn_beta_slow(rope["beta_slow"])
    writer.add_rope_freq_base(rope["rope_theta"])
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    writer.add_expert_count(config["num_local_experts"])
    writer.add_expert_used_count(config["num_experts_per_tok"])
    writer.add_key_length(config["head_dim"])
    writer.add_value_length(config["head_dim"])
    # GptOssModel.set_gguf_parameters
    writer.add_sliding_window(config["sliding_window"])
    writer.add_expert_feed_forward_length(config["intermediate_size"])
    writer.add_vocab_size(config["vocab_size"])  # no tokenizer: llama.cpp would count tokenizer.ggml.tokens
    dequantized = {}

    def f32(bits):
        return (bits.astype(np.uint32) << 16).view(np.float32)

    def add_bf16(target, bits):
        as_bytes = np.ascontiguousarray(bits).view(np.uint8).reshape(*bits.shape[:-1], bits.shape[-1] * 2)
        writer.add_tensor(target, as_bytes, raw_dtype=Q.BF16)

    def add_mxfp4(target, values):
        encoded = gguf.quants.quantize(np.ascontiguousarray(values, dtype=np.float32), Q.MXFP4)
        writer.add_tensor(target, encoded, raw_dtype=Q.MXFP4)
        dequantized[target] = gguf.quants.dequantize(encoded, Q.MXFP4).astype(np.float32)
        assert dequantized[target].shape == values.shape

    for name in sorted(tensors):
        bits = tensors[name]
        stem, kind = name.rsplit(".", 1)
        if stem.endswith("mlp.experts"):  # gate_up_proj, gate_up_proj_bias, down_proj, down_proj_bias
            block = stem.rsplit(".", 1)[0]
            if kind == "down_proj":
                add_mxfp4(names.get_name(block + ".experts.down_proj") + ".weight", f32(bits).transpose(0, 2, 1))
            elif kind == "down_proj_bias":
                writer.add_tensor(names.get_name(block + ".experts.down_proj") + ".bias", f32(bits))
            elif kind == "gate_up_proj":
                rows = f32(bits).transpose(0, 2, 1)  # [E, 2I, D]
                add_mxfp4(names.get_name(block + ".experts.gate_proj") + ".weight", rows[:, ::2, :])
                add_mxfp4(names.get_name(block + ".experts.up_proj") + ".weight", rows[:, 1::2, :])
            elif kind == "gate_up_proj_bias":
                writer.add_tensor(names.get_name(block + ".experts.gate_proj") + ".bias", f32(bits)[..., ::2].copy())
                writer.add_tensor(names.get_name(block + ".experts.up_proj") + ".bias", f32(bits)[..., 1::2].copy())
            else:
                raise ValueError(name)
            continue
        if kind == "sinks":  # GptOssModel.filter_tensors appends ".weight"
            stem, kind = name, "weight"
        target = names.get_name(stem)
        assert target is not None, name
        target += "." + kind
        if bits.ndim <= 1 or target.endswith("_norm.weight") or ".ffn_gate_inp." in target or kind != "weight":
            writer.add_tensor(target, f32(bits))
        else:
            add_bf16(target, bits)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"wrote {out} ({Path(out).stat().st_size} bytes)")
    return dequantized


def gptoss_tiny():
    folder = ROOT / "models" / "gptoss-tiny"
    config = json.loads((folder / "config.json").read_text())
    tensors = read_bf16_safetensors(folder / "model.safetensors")
    dequantized = write_gptoss(OUT / "gptoss-tiny.gguf", config, tensors)
    worst = 0.0
    for l in range(config["num_hidden_layers"]):
        experts = f"model.layers.{l}.mlp.experts."
        gate_up = (tensors[experts + "gate_up_proj"].astype(np.uint32) << 16).view(np.float32)
        down = (tensors[experts + "down_proj"].astype(np.uint32) << 16).view(np.float32)
        for target, exact in ((f"blk.{l}.ffn_gate_exps.weight", gate_up[..., ::2].transpose(0, 2, 1)),
                              (f"blk.{l}.ffn_up_exps.weight", gate_up[..., 1::2].transpose(0, 2, 1)),
                              (f"blk.{l}.ffn_down_exps.weight", down.transpose(0, 2, 1))):
            worst = max(worst, float(np.abs(dequantized[target] - exact).max()))
    print(f"  max |BF16 - MXFP4-dequantized| over the expert weights: {worst}")
    return dequantized


JOBS = {
    "llama3-rope-tiny": llama3_rope,
    "phi3-tiny": lambda: from_checkpoint("phi3-tiny", "phi3", OUT / "phi3-tiny.gguf"),
    "neox-tiny": lambda: converted_from_checkpoint("neox-tiny", "gptneox", OUT / "neox-tiny.gguf"),
    "olmo2-tiny": lambda: converted_from_checkpoint("olmo2-tiny", "olmo2", OUT / "olmo2-tiny.gguf"),
    "gptoss-tiny": gptoss_tiny,
}


def main():
    import sys
    for name in sys.argv[1:] or JOBS:  # names to write (default: all)
        JOBS[name]()


if __name__ == "__main__":
    main()
