"""Writes Tests/Fixtures/gguf/llama3-rope-tiny.gguf: models/llama3-rope-tiny as
llama.cpp's convert_hf_to_gguf.py would write it (architecture llama, Q/K rows
permuted, Llama 3 RoPE scaling stored as the per-frequency divisors
`rope_freqs.weight`, no scaling keys), with the BF16 weights kept BF16.

The Swift test runs it against the HF golden of models/llama3-rope-tiny.

Run from the repository root (last run with gguf 0.19.0, numpy 2.4):
    /work/venvq/bin/python Tests/Fixtures/generate/make_gguf_llama3.py
"""
import json
import math
import struct
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "models" / "llama3-rope-tiny"
OUT = ROOT / "gguf" / "llama3-rope-tiny.gguf"


def read_bf16_safetensors(path):
    """name -> (uint16 BF16 bits, shape); only BF16 tensors expected."""
    data = path.read_bytes()
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


def main():
    config = json.loads((SOURCE / "config.json").read_text())
    tensors = read_bf16_safetensors(SOURCE / "model.safetensors")
    heads, kv_heads = config["num_attention_heads"], config["num_key_value_heads"]
    writer = gguf.GGUFWriter(str(OUT), "llama")
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_key_length(config["head_dim"])
    writer.add_value_length(config["head_dim"])
    writer.add_rope_freq_base(config["rope_parameters"]["rope_theta"])
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    names = {
        "model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
        "lm_head.weight": "output.weight",
    }
    per_block = {
        "self_attn.q_proj.weight": "attn_q.weight", "self_attn.k_proj.weight": "attn_k.weight",
        "self_attn.v_proj.weight": "attn_v.weight", "self_attn.o_proj.weight": "attn_output.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight", "mlp.up_proj.weight": "ffn_up.weight",
        "mlp.down_proj.weight": "ffn_down.weight", "input_layernorm.weight": "attn_norm.weight",
        "post_attention_layernorm.weight": "ffn_norm.weight",
    }
    for name in sorted(tensors):
        bits = tensors[name]
        if name in names:
            target = names[name]
        else:
            parts = name.split(".")
            target = f"blk.{parts[2]}." + per_block[".".join(parts[3:])]
        if name.endswith("q_proj.weight"):
            bits = permute(bits, heads)
        elif name.endswith("k_proj.weight"):
            bits = permute(bits, kv_heads)
        # BF16 bits as bytes: gguf-py reads the element shape back from the byte shape.
        as_bytes = np.ascontiguousarray(bits).view(np.uint8).reshape(*bits.shape[:-1], bits.shape[-1] * 2)
        writer.add_tensor(target, as_bytes, raw_dtype=Q.BF16)
    writer.add_tensor("rope_freqs.weight", rope_factors(config))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes); rope factors {rope_factors(config).tolist()}")


if __name__ == "__main__":
    main()
