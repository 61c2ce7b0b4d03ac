"""Writes the tiny test checkpoints and the golden captures the Swift tests compare against.

Reference: HF transformers, eager attention, output_attentions=True, float32.
Run from the repository root with a Python that has torch, transformers, gguf and safetensors
(never in CI; the outputs are committed):

    python Tests/Fixtures/generate/make_golden.py [--only NAME ...]

Tiny checkpoints (random, saved in the dtype named, reloaded in float32 for the reference):
  models/llama-tiny  Llama, GQA 4 heads / 2 kv heads, BF16 safetensors
  models/gpt2-tiny   GPT-2, F16 safetensors
  models/bert-tiny   BERT encoder, F32 safetensors
  models/mpnet-tiny  MPNet encoder (relative-position bias buckets shared by every block, random; RoBERTa-style
                     position ids from padding id 1), F32 safetensors; prompts: TINY_SEQUENCES plus MPNET_EXTRA
                     (40 ids with one id 1 in the middle, which HF gives position 1)
  models/qwen2-tiny  Qwen2, q/k/v biases, GQA, sliding window 5 on blocks 1 and 2, BF16 safetensors
  models/mistral-tiny  Mistral, GQA, sliding window 5 on every block (prompts of 12 tokens), BF16 safetensors
  models/qwen3-tiny  Qwen3, q/k norms, head_dim 24 (not hidden/heads), attention biases, window 5 on block 2, BF16
  models/phi3-tiny   Phi-3, fused qkv_proj and gate_up_proj, GQA, sliding window 7 on every block, BF16 safetensors
  models/llama3-rope-tiny  Llama with llama3 RoPE scaling (original context 64: every frequency branch taken), BF16
  models/gemma3-tiny  Gemma 3 text, GQA, head_dim 24, query_pre_attn_scalar 20, window 5 on blocks 0 and 2, local
                      RoPE θ 100, global θ 1e4 with linear scaling ×4, norms w = 1 ± 0.1 (so 1 + w ≈ 2), BF16
  models/gemma3-mm-tiny  gemma3-tiny's weights as the language model of a Gemma3ForConditionalGeneration (model_type
                      gemma3, tiny SigLIP tower); no golden of its own: HF's forward of it is checked here to equal
                      gemma3-tiny's golden, which the Swift test compares it with
  models/neox-tiny   GPT-NeoX, fused per-head [q|k|v] query_key_value, partial RoPE (rotary_pct 0.25: the first 4 of
                     16 values per head), parallel residual, LayerNorm, attention biases, untied lm_head, F16
  models/neox-sequential-tiny  GPT-NeoX as neox-tiny but sequential residual (use_parallel_residual false) and
                     rotary_pct 0.5 (8 of 16 values rotated), another seed, F16
  models/olmo2-tiny  OLMo 2, GQA 4 heads / 2 kv heads, q_norm/k_norm RMSNorms over the whole projection (H*d, G*d)
                     before the head split, post-attention and post-feedforward norms (no pre-norms), BF16
  models/gptoss-tiny  GPT-OSS, GQA, learned per-head sinks (rows sum below 1; golden metadata "learned_sinks"),
                     4 experts top-2 with clamped SwiGLU, YaRN RoPE (factor 4, original context 32), window 5 on
                     blocks 0 and 2, attention biases; a third prompt of 40 ids; BF16
GGUF files as llama.cpp writes them, the golden from HF loading the GGUF itself (gguf_file=):
  gguf/qwen2-gguf-tiny.gguf  models/qwen2-tiny's weights, architecture qwen2 (q/k/v biases; GGUF has no
                             sliding-window keys for qwen2, so no block slides)
  gguf/qwen3-gguf-tiny.gguf  a tiny Qwen3 with q/k norms and head_dim 128 (HF's GGUF loader ignores
                             qwen3.attention.key_length and uses Qwen3Config's default 128), BF16
  gguf/gemma3-gguf-tiny.gguf  a tiny Gemma 3 as llama.cpp's Gemma3Model writes it: norms stored as w + 1 (F32),
                             other weights BF16, Q/K rows as they are, 6 blocks (block 5 global: the every-6th
                             pattern HF's GGUF loader and llama.cpp both assume), window 3, head_dim 256 (so
                             query_pre_attn_scalar 256 means the same to both), norms w ≈ ±0.3 (near 0, as trained)
  gguf/gptoss-tiny.gguf  models/gptoss-tiny as llama.cpp's GptOssModel writes architecture gpt-oss, the expert
                             weights in MXFP4 (make_gguf_families.py); HF cannot read it, so its golden
                             golden/gptoss-gguf-tiny is HF's eager forward of models/gptoss-tiny with each expert weight
                             replaced by gguf-py's dequantization of the file's MXFP4 bytes (gptoss-tiny's prompts)
Real checkpoints (fetched by .ci/setup into notebooks-data/checkpoints):
  smollm2  SmolLM2-135M-Instruct Q4_1 GGUF (transformers dequantizes it to float32)
  minilm   all-MiniLM-L6-v2 safetensors
  mpnet    all-mpnet-base-v2 safetensors (MPNET_TEXTS: the second REAL_TEXTS only, to keep the golden small; ids
           from AutoTokenizer of the folder: <s> … </s>)
  gemma3-270m  Gemma 3 270M Q4_K_M GGUF: two short texts and 600 tokens of Shakespeare (past the 512-token
               window), token ids from HF's tokenizer of the same file (with BOS). Kept small: see below.

Golden file layout, golden/<name>.safetensors, all F32:
  s{i}.attn.{l}    [H, T, T]  post-softmax attention of block l
  s{i}.value.{l}   [G, T, d]  value states as attention consumes them
  s{i}.hidden.{l}  [T, D]     h[0] = input to block 0, h[l] = residual stream after block l (no final norm)
__metadata__["golden"] is a JSON string describing the model and the samples; "windows" (one entry per
block, null for none) is present when some block attends through a sliding window.

The gemma3-270m reference is reduced (full maps of 600 tokens would be 100 MB): golden/gemma3-270m/
capture.safetensors holds, for sample i and every block l, the query rows listed in the metadata
("rows" per sample: the middle and the last, plus 512, the first row whose window drops key 0):
  s{i}.attn_rows.{l}   [H, R, T]  those rows of the post-softmax attention
  s{i}.value_rows.{l}  [G, R, d]  the value states of those tokens
  s{i}.hidden_rows     [L+1, R, D] the hidden states of those tokens
and golden/gemma3-270m/metrics.json the metrics (metrics_reference.py) of the full capture.
"""

import argparse
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(FIXTURES))
CHECKPOINTS = os.environ.get("ATTNSCOPE_CHECKPOINTS", os.path.join(REPO, "notebooks-data", "checkpoints"))
sys.path.insert(0, HERE)

from variants_reference import VARIANT_BUILDERS  # noqa: E402  (tiny variant checkpoints, issue 7)

TINY_VOCAB = 512
TINY_SEQUENCES = [
    [5, 17, 301, 44, 44, 9, 260, 511, 0, 73, 128, 3],
    [1, 2, 3, 4, 5, 6, 7],
]
REAL_TEXTS = [
    "The quick brown fox jumps over the lazy dog. Attention sinks form on the first token.",
    "To be, or not to be, that is the question:",
]


def mpnet_extra():
    """40 ids below TINY_VOCAB, none equal to 1 (MPNet's padding id) except the one planted at index 20."""
    rng = np.random.default_rng(16)
    ids = [int(x) for x in rng.integers(2, TINY_VOCAB, size=40)]
    ids[20] = 1
    assert ids.count(1) == 1
    return ids


MPNET_EXTRA = mpnet_extra()
MPNET_TEXTS = REAL_TEXTS[1:]  # D = 768, 12 blocks: both texts make a 3 MB golden, the second alone ~1.3 MB


def randomize(model, seed, std=0.15):
    """Re-initialise every parameter so that attention is far from uniform."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("weight") and p.dim() == 1:  # norm scales
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(std * torch.randn(p.shape, generator=gen))


def save_tiny(model, folder, dtype):
    os.makedirs(folder, exist_ok=True)
    model.to(dtype).save_pretrained(folder, safe_serialization=True)
    model.to(torch.float32)
    for extra in ("generation_config.json",):
        path = os.path.join(folder, extra)
        if os.path.exists(path):
            os.remove(path)


def tiny_llama():
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(
        vocab_size=TINY_VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
        rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=False,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(cfg)
    randomize(model, seed=1)
    return model


def tiny_qwen2():
    from transformers import Qwen2Config, Qwen2ForCausalLM

    cfg = Qwen2Config(
        vocab_size=TINY_VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
        rope_theta=10000.0, rms_norm_eps=1e-6, tie_word_embeddings=False,
        use_sliding_window=True, sliding_window=5, max_window_layers=1,  # blocks 1 and 2 slide
    )
    assert cfg.layer_types == ["full_attention", "sliding_attention", "sliding_attention"], cfg.layer_types
    torch.manual_seed(0)
    model = Qwen2ForCausalLM(cfg)
    randomize(model, seed=4)  # biases too: std 0.15, far from zero
    return model


def tiny_mistral():
    from transformers import MistralConfig, MistralForCausalLM

    cfg = MistralConfig(
        vocab_size=TINY_VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
        rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=False, sliding_window=5,
    )
    torch.manual_seed(0)
    model = MistralForCausalLM(cfg)
    randomize(model, seed=5)
    return model


def tiny_qwen3():
    from transformers import Qwen3Config, Qwen3ForCausalLM

    cfg = Qwen3Config(
        vocab_size=TINY_VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, head_dim=24, max_position_embeddings=128,
        rope_theta=10000.0, rms_norm_eps=1e-6, tie_word_embeddings=False, attention_bias=True,
        use_sliding_window=True, sliding_window=5, max_window_layers=2,  # block 2 slides
    )
    assert cfg.layer_types == ["full_attention", "full_attention", "sliding_attention"], cfg.layer_types
    torch.manual_seed(0)
    model = Qwen3ForCausalLM(cfg)
    randomize(model, seed=6)  # q_norm/k_norm scales 1 ± 0.1, biases std 0.15
    return model


def tiny_phi3():
    from transformers import Phi3Config, Phi3ForCausalLM

    cfg = Phi3Config(
        vocab_size=TINY_VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
        rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=False, sliding_window=7,
        pad_token_id=0, bos_token_id=1, eos_token_id=2,
    )
    torch.manual_seed(0)
    model = Phi3ForCausalLM(cfg)
    randomize(model, seed=7)
    return model


def tiny_llama3_rope():
    """head_dim 16, θ 1e4: wavelengths 6.3, 20, 63, 199, … against 64/4 = 16 and 64/1 = 64, so the first
    frequency is kept, the next two are blended and the rest divided by 8."""
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(
        vocab_size=TINY_VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
        rope_parameters={"rope_type": "llama3", "rope_theta": 10000.0, "factor": 8.0, "low_freq_factor": 1.0,
                         "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
        rms_norm_eps=1e-5, tie_word_embeddings=False,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(cfg)
    randomize(model, seed=8)
    return model


def tiny_gemma3():
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    cfg = Gemma3TextConfig(
        vocab_size=TINY_VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=4,
        num_attention_heads=4, num_key_value_heads=2, head_dim=24, query_pre_attn_scalar=20,
        max_position_embeddings=128, rms_norm_eps=1e-6, sliding_window=5,
        layer_types=["sliding_attention", "full_attention", "sliding_attention", "full_attention"],
        rope_parameters={"sliding_attention": {"rope_type": "default", "rope_theta": 100.0},
                         "full_attention": {"rope_type": "linear", "rope_theta": 10000.0, "factor": 4.0}},
        pad_token_id=0, bos_token_id=2, eos_token_id=1,
    )
    torch.manual_seed(0)
    model = Gemma3ForCausalLM(cfg)
    randomize(model, seed=9)
    return model


def tiny_neox(parallel, rotary_pct, seed):
    from transformers import GPTNeoXConfig, GPTNeoXForCausalLM

    cfg = GPTNeoXConfig(
        vocab_size=TINY_VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=3,
        num_attention_heads=4, max_position_embeddings=128, hidden_act="gelu", layer_norm_eps=1e-5,
        rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": rotary_pct},
        use_parallel_residual=parallel, attention_bias=True, tie_word_embeddings=False,
    )
    torch.manual_seed(0)
    model = GPTNeoXForCausalLM(cfg)
    assert model.gpt_neox.layers[0].attention.rotary_ndims == int(16 * rotary_pct)
    randomize(model, seed=seed)  # LayerNorm scales 1 ± 0.1; LayerNorm and attention/MLP biases std 0.15
    return model


def tiny_olmo2():
    from transformers import Olmo2Config, Olmo2ForCausalLM

    cfg = Olmo2Config(
        vocab_size=TINY_VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
        rope_parameters={"rope_type": "default", "rope_theta": 10000.0}, rms_norm_eps=1e-6,
        tie_word_embeddings=False, pad_token_id=1, bos_token_id=None, eos_token_id=2,
    )
    torch.manual_seed(0)
    model = Olmo2ForCausalLM(cfg)
    randomize(model, seed=15)  # q_norm [H*d] / k_norm [G*d] scales 1 ± 0.1 too
    return model


def tiny_gpt2():
    from transformers import GPT2Config, GPT2LMHeadModel

    cfg = GPT2Config(vocab_size=TINY_VOCAB, n_positions=128, n_embd=64, n_layer=3, n_head=4, bos_token_id=1, eos_token_id=2)
    torch.manual_seed(0)
    model = GPT2LMHeadModel(cfg)
    randomize(model, seed=2)
    return model


def tiny_bert():
    from transformers import BertConfig, BertModel

    cfg = BertConfig(
        vocab_size=TINY_VOCAB, hidden_size=64, num_hidden_layers=3, num_attention_heads=4,
        intermediate_size=128, max_position_embeddings=128, type_vocab_size=2,
    )
    torch.manual_seed(0)
    model = BertModel(cfg, add_pooling_layer=False)
    randomize(model, seed=3, std=0.4)  # post-LayerNorm keeps states small: larger weights make maps peaky
    return model


def tiny_mpnet():
    from transformers import MPNetConfig, MPNetModel

    cfg = MPNetConfig(
        vocab_size=TINY_VOCAB, hidden_size=64, num_hidden_layers=3, num_attention_heads=4, intermediate_size=96,
        max_position_embeddings=128, relative_attention_num_buckets=32, hidden_act="gelu", layer_norm_eps=1e-5,
    )
    torch.manual_seed(0)
    model = MPNetModel(cfg, add_pooling_layer=False)
    randomize(model, seed=17)  # encoder.relative_attention_bias.weight [32, H] is 2-D: std 0.15
    assert float(model.encoder.relative_attention_bias.weight.abs().min()) > 0
    return model


def make_gemma3_multimodal():
    """Writes models/gemma3-mm-tiny and checks that HF runs it exactly as gemma3-tiny (text-only prompts)."""
    from safetensors import safe_open
    from transformers import AutoModelForCausalLM, Gemma3Config, Gemma3ForConditionalGeneration, SiglipVisionConfig

    text = load_eager(AutoModelForCausalLM, os.path.join(FIXTURES, "models", "gemma3-tiny"))
    vision = SiglipVisionConfig(hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
                                image_size=28, patch_size=14)
    cfg = Gemma3Config(text_config=text.config.to_dict(), vision_config=vision.to_dict(), mm_tokens_per_image=4)
    torch.manual_seed(0)
    model = Gemma3ForConditionalGeneration(cfg)
    randomize(model, seed=10)
    model.model.language_model.load_state_dict(text.model.state_dict())
    folder = os.path.join(FIXTURES, "models", "gemma3-mm-tiny")
    save_tiny(model, folder, torch.bfloat16)
    model = load_eager(Gemma3ForConditionalGeneration, folder)
    with safe_open(os.path.join(FIXTURES, "golden", "gemma3-tiny.safetensors"), framework="pt") as golden:
        for i, ids in enumerate(TINY_SEQUENCES):
            with torch.no_grad():
                out = model(input_ids=torch.tensor([ids]), output_attentions=True, output_hidden_states=True, use_cache=False)
            worst = max(float((a[0] - golden.get_tensor(f"s{i}.attn.{l}")).abs().max()) for l, a in enumerate(out.attentions))
            assert worst == 0, f"gemma3-mm-tiny attention differs from gemma3-tiny's by {worst}"
    print(f"wrote {os.path.relpath(folder, REPO)} (HF runs it exactly as gemma3-tiny)")


def load_eager(loader, *args, **kwargs):
    model = loader.from_pretrained(*args, attn_implementation="eager", dtype=torch.float32, **kwargs)
    model.eval()
    return model


def blocks_of(model):
    """(family, blocks, per-block value-capturing module and how to reshape its output)."""
    if hasattr(model, "gpt_neox"):  # GPT-NeoX (Pythia)
        return "gpt_neox", list(model.gpt_neox.layers)
    base = getattr(model, "model", None) or getattr(model, "transformer", None) or model
    if getattr(model.config, "model_type", None) == "gpt_oss":  # Llama-shaped attention with learned sinks, MoE MLP
        return "gpt_oss", list(base.layers)
    if hasattr(base, "layers"):  # Llama
        return "llama", list(base.layers)
    if hasattr(base, "h"):  # GPT-2
        return "gpt2", list(base.h)
    if getattr(model.config, "model_type", None) == "mpnet":  # MPNet: BERT-like layers, relative bias in encoder
        return "mpnet", list(base.encoder.layer)
    if hasattr(base, "encoder"):  # BERT
        return "bert", list(base.encoder.layer)
    raise ValueError(f"unknown model {type(model)}")


ENCODERS = ("bert", "mpnet")  # bidirectional families


def capture(model, ids, value_hook_builder=None):
    """Runs one sequence; returns (attentions [L][H,T,T], values [L][G,T,d], hidden [L+1][T,D])."""
    cfg = model.config
    family, blocks = blocks_of(model)
    heads = cfg.num_attention_heads
    kv_heads = getattr(cfg, "num_key_value_heads", None) or heads
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // heads
    values, hidden_in, hidden_out = {}, {}, {}
    handles = []

    def to_heads(x, groups):  # [1, T, groups*d] -> [groups, T, d]
        return x[0].reshape(x.shape[1], groups, head_dim).transpose(0, 1).contiguous()

    for l, block in enumerate(blocks):
        if value_hook_builder is not None:
            handles += value_hook_builder(l, block, values, to_heads, kv_heads)
        elif family == "llama" and hasattr(block.self_attn, "qkv_proj"):  # Phi-3: q, k, v rows fused in that order
            start = (heads + kv_heads) * head_dim
            handles.append(block.self_attn.qkv_proj.register_forward_hook(
                lambda m, a, out, l=l: values.__setitem__(l, to_heads(out[..., start:], kv_heads))))
        elif family in ("llama", "gpt_oss"):
            handles.append(block.self_attn.v_proj.register_forward_hook(
                lambda m, a, out, l=l: values.__setitem__(l, to_heads(out, kv_heads))))
        elif family == "gpt_neox":  # fused rows viewed as [T, H, 3d]: per head q | k | v (v never rotated)
            handles.append(block.attention.query_key_value.register_forward_hook(
                lambda m, a, out, l=l: values.__setitem__(
                    l, out[0].reshape(out.shape[1], heads, 3 * head_dim)[..., 2 * head_dim:].transpose(0, 1).contiguous())))
        elif family == "mpnet":
            handles.append(block.attention.attn.v.register_forward_hook(
                lambda m, a, out, l=l: values.__setitem__(l, to_heads(out, heads))))
        elif family == "gpt2":
            d_model = cfg.hidden_size
            handles.append(block.attn.c_attn.register_forward_hook(
                lambda m, a, out, l=l: values.__setitem__(l, to_heads(out[..., 2 * d_model:], heads))))
        else:
            handles.append(block.attention.self.value.register_forward_hook(
                lambda m, a, out, l=l: values.__setitem__(l, to_heads(out, heads))))

        def pre(m, args, kwargs, l=l):
            x = args[0] if args else kwargs["hidden_states"]
            hidden_in[l] = x[0].clone()

        def post(m, args, kwargs, out, l=l):
            x = out[0] if isinstance(out, tuple) else out
            hidden_out[l] = x[0].clone()

        handles.append(block.register_forward_pre_hook(pre, with_kwargs=True))
        handles.append(block.register_forward_hook(post, with_kwargs=True))

    with torch.no_grad():
        inputs = torch.tensor([ids])
        out = model(input_ids=inputs, output_attentions=True, use_cache=False) if family not in ENCODERS \
            else model(input_ids=inputs, output_attentions=True)
    for h in handles:
        h.remove()
    attentions = [a[0].float().contiguous() for a in out.attentions]
    L = len(blocks)
    assert len(attentions) == L and len(values) == L
    hidden = [hidden_in[0]] + [hidden_out[l] for l in range(L)]
    return attentions, [values[l] for l in range(L)], hidden


def sliding_windows(model):
    """Each block's sliding window as the model's own attention modules hold it (Mistral, Qwen2, Qwen3, Phi-3), or None."""
    _, blocks = blocks_of(model)
    windows = [getattr(block.self_attn, "sliding_window", None) if hasattr(block, "self_attn") else None for block in blocks]
    if model.config.model_type in ("mistral", "phi3"):  # their attention passes config.sliding_window at call time
        windows = [model.config.sliding_window] * len(blocks)
    return windows if any(w is not None for w in windows) else None


def write_golden(name, model, samples, value_hook_builder=None, extra=None, folder=None):
    cfg = model.config
    family, blocks = blocks_of(model)
    heads = cfg.num_attention_heads
    tensors, meta_samples = {}, []
    for i, (ids, text) in enumerate(samples):
        attn, vals, hid = capture(model, ids, value_hook_builder)
        for l, a in enumerate(attn):
            tensors[f"s{i}.attn.{l}"] = a
            tensors[f"s{i}.value.{l}"] = vals[l].float()
        for l, h in enumerate(hid):
            tensors[f"s{i}.hidden.{l}"] = h.float()
        meta_samples.append({"token_ids": list(ids), "text": text})
    kv = getattr(cfg, "num_key_value_heads", None) or heads
    meta = {
        "model": name, "family": family, "causal": family not in ENCODERS, "layers": len(blocks),
        "heads": heads, "kv_heads": kv, "head_dim": getattr(cfg, "head_dim", None) or cfg.hidden_size // heads,
        "hidden_size": cfg.hidden_size, "samples": meta_samples,
    }
    windows = sliding_windows(model)
    if windows:
        meta["windows"] = windows
    if family == "gpt_oss":  # rows sum to 1 - s_i: metrics_reference counts the sink slot in the entropies
        meta["learned_sinks"] = True
    if extra:
        meta.update(extra)
    folder = folder or os.path.join(FIXTURES, "golden")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.safetensors")
    save_file({k: v.contiguous() for k, v in tensors.items()}, path, metadata={"golden": json.dumps(meta)})
    print(f"wrote {os.path.relpath(path, REPO)} ({os.path.getsize(path) // 1024} KiB)")


def make_tiny(name, build, dtype, extra_sequences=()):
    from transformers import AutoModel, AutoModelForCausalLM

    folder = os.path.join(FIXTURES, "models", name)
    save_tiny(build(), folder, dtype)
    loader = AutoModel if name.startswith(("bert", "mpnet")) else AutoModelForCausalLM
    model = load_eager(loader, folder)
    write_golden(name, model, [(ids, None) for ids in TINY_SEQUENCES + list(extra_sequences)])


GPTOSS_LONG = [int(x) for x in np.random.default_rng(20).integers(0, TINY_VOCAB, size=40)]  # past window and 32


def tiny_gptoss():
    """GPT-OSS: learned per-head sinks (std 1: rows visibly below 1), MoE of 4 experts (top 2, softmax over the
    chosen), interleaved gate/up [E, D, 2I] clamped at swiglu_limit 7 (gate_up_proj std 0.6 so the clamp bites),
    YaRN RoPE (factor 4 over an original context of 32), window 5 on blocks 0 and 2, attention biases."""
    from transformers import GptOssConfig, GptOssForCausalLM

    cfg = GptOssConfig(
        vocab_size=TINY_VOCAB, hidden_size=64, num_hidden_layers=4, num_attention_heads=4, num_key_value_heads=2,
        head_dim=16, intermediate_size=32, num_local_experts=4, num_experts_per_tok=2, sliding_window=5,
        layer_types=["sliding_attention", "full_attention", "sliding_attention", "full_attention"],
        rope_parameters={"rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0, "beta_fast": 32.0,
                         "beta_slow": 1.0, "original_max_position_embeddings": 32, "truncate": False},
        max_position_embeddings=128, attention_bias=True, rms_norm_eps=1e-5, tie_word_embeddings=False,
    )
    torch.manual_seed(0)
    model = GptOssForCausalLM(cfg)
    randomize(model, seed=16)
    gen = torch.Generator().manual_seed(17)
    with torch.no_grad():
        for block in model.model.layers:
            block.self_attn.sinks.copy_(torch.randn(block.self_attn.sinks.shape, generator=gen))
            block.mlp.experts.gate_up_proj.mul_(GPTOSS_GATE_UP_SCALE)
    return model


GPTOSS_GATE_UP_SCALE = 4.0  # std 0.15 * 4 = 0.6


def make_gptoss_tiny():
    """models/gptoss-tiny (BF16) and its golden, captured from the BF16 file reloaded in float32 with the eager
    attention and HF's eager experts loop (index_add_ per expert in increasing index)."""
    from transformers import AutoModelForCausalLM

    name = "gptoss-tiny"
    folder = os.path.join(FIXTURES, "models", name)
    built = tiny_gptoss()
    rounded = {k: v.to(torch.bfloat16).float() for k, v in built.state_dict().items()}
    save_tiny(built, folder, torch.bfloat16)
    model = load_eager(AutoModelForCausalLM, folder, experts_implementation="eager")
    reloaded = model.state_dict()
    assert set(reloaded) == set(rounded), set(reloaded) ^ set(rounded)
    worst = max(float((reloaded[k] - rounded[k]).abs().max()) for k in rounded)
    assert worst == 0, f"the BF16 file reloads {worst} away from the bf16-rounded built model"
    write_golden(name, model, [(ids, None) for ids in TINY_SEQUENCES + [GPTOSS_LONG]])


def gptoss_gguf_reference():
    """models/gptoss-tiny reloaded in float32 (eager attention, eager experts loop) with every expert weight replaced
    by gguf-py's dequantization of the MXFP4 bytes in gguf/gptoss-tiny.gguf: HF's forward of exactly what that file
    holds. Every other tensor of the file is checked to equal the checkpoint's (BF16 -> F32 is exact)."""
    import gguf
    from transformers import AutoModelForCausalLM

    model = load_eager(AutoModelForCausalLM, os.path.join(FIXTURES, "models", "gptoss-tiny"), experts_implementation="eager")
    stored = {}
    for t in gguf.GGUFReader(os.path.join(FIXTURES, "gguf", "gptoss-tiny.gguf")).tensors:
        values = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32)
        stored[t.name] = torch.from_numpy(np.ascontiguousarray(values.reshape([int(n) for n in reversed(t.shape)])))
    state = model.state_dict()
    top = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
           "lm_head.weight": "output.weight"}
    block = {"input_layernorm.weight": "attn_norm.weight", "post_attention_layernorm.weight": "post_attention_norm.weight",
             "self_attn.sinks": "attn_sinks.weight", "mlp.router.weight": "ffn_gate_inp.weight",
             "mlp.router.bias": "ffn_gate_inp.bias", "mlp.experts.down_proj_bias": "ffn_down_exps.bias"}
    for p in ("q", "k", "v"):
        block.update({f"self_attn.{p}_proj.{kind}": f"attn_{p}.{kind}" for kind in ("weight", "bias")})
    block.update({f"self_attn.o_proj.{kind}": f"attn_output.{kind}" for kind in ("weight", "bias")})
    replaced = {}
    used = set()
    for name, value in state.items():
        if name in top:
            target = top[name]
        else:
            parts = name.split(".")
            l, rest = parts[2], ".".join(parts[3:])
            if rest == "mlp.experts.gate_up_proj":  # [E, D, 2I]: gate columns ::2, up columns 1::2
                gate, up = stored[f"blk.{l}.ffn_gate_exps.weight"], stored[f"blk.{l}.ffn_up_exps.weight"]  # [E, I, D]
                fused = torch.empty_like(value)
                fused[..., ::2], fused[..., 1::2] = gate.transpose(1, 2), up.transpose(1, 2)
                replaced[name] = fused
                used |= {f"blk.{l}.ffn_gate_exps.weight", f"blk.{l}.ffn_up_exps.weight"}
                continue
            if rest == "mlp.experts.gate_up_proj_bias":
                fused = torch.empty_like(value)
                fused[..., ::2], fused[..., 1::2] = stored[f"blk.{l}.ffn_gate_exps.bias"], stored[f"blk.{l}.ffn_up_exps.bias"]
                assert torch.equal(fused, value), name
                used |= {f"blk.{l}.ffn_gate_exps.bias", f"blk.{l}.ffn_up_exps.bias"}
                continue
            if rest == "mlp.experts.down_proj":  # [E, I, D] from ffn_down_exps [E, D, I]
                replaced[name] = stored[f"blk.{l}.ffn_down_exps.weight"].transpose(1, 2).contiguous()
                used.add(f"blk.{l}.ffn_down_exps.weight")
                continue
            target = f"blk.{l}.{block[rest]}"
        assert torch.equal(stored[target], value), name
        used.add(target)
    assert used == set(stored), set(stored) ^ used
    worst = max(float((replaced[k] - state[k]).abs().max()) for k in replaced)
    model.load_state_dict({**state, **replaced})
    reloaded = model.state_dict()
    assert all(torch.equal(reloaded[k], v) for k, v in replaced.items())
    print(f"  gptoss-gguf-tiny: {len(replaced)} expert weights replaced, max |BF16 - MXFP4| {worst}")
    return model


def make_gptoss_gguf_tiny():
    """golden/gptoss-gguf-tiny: gptoss-tiny's prompts through gptoss_gguf_reference() (writes gguf/gptoss-tiny.gguf
    first with make_gguf_families.gptoss_tiny)."""
    from make_gguf_families import gptoss_tiny as write_gguf_file

    write_gguf_file()
    model = gptoss_gguf_reference()
    write_golden("gptoss-gguf-tiny", model, [(ids, None) for ids in TINY_SEQUENCES + [GPTOSS_LONG]])


def tiny_qwen3_gguf():
    from transformers import Qwen3Config, Qwen3ForCausalLM

    cfg = Qwen3Config(
        vocab_size=TINY_VOCAB, hidden_size=64, intermediate_size=96, num_hidden_layers=3,
        num_attention_heads=4, num_key_value_heads=2, head_dim=128, max_position_embeddings=128,
        rope_theta=10000.0, rms_norm_eps=1e-6, tie_word_embeddings=False,
    )
    torch.manual_seed(0)
    model = Qwen3ForCausalLM(cfg)
    randomize(model, seed=9)
    return model


def make_gguf_tiny(name, arch, build=None, source=None):
    """Writes gguf/<name>.gguf from a built model or a committed BF16 checkpoint, then the golden
    of HF's own reading of that GGUF file."""
    import tempfile
    from transformers import AutoModelForCausalLM
    from make_gguf_families import read_bf16_safetensors, write_gguf

    folder = os.path.join(FIXTURES, "models", source) if source else tempfile.mkdtemp()
    if build:
        save_tiny(build(), folder, torch.bfloat16)
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    tensors = read_bf16_safetensors(os.path.join(folder, "model.safetensors"))
    write_gguf(os.path.join(FIXTURES, "gguf", f"{name}.gguf"), arch, config, tensors)
    model = load_eager(AutoModelForCausalLM, os.path.join(FIXTURES, "gguf"), gguf_file=f"{name}.gguf")
    write_golden(name, model, [(ids, None) for ids in TINY_SEQUENCES])


def make_gemma3_gguf_tiny():
    """Writes gguf/gemma3-gguf-tiny.gguf the way convert_hf_to_gguf.py's Gemma3Model does, then the golden of
    HF's own reading of it."""
    import gguf
    from transformers import AutoModelForCausalLM, Gemma3ForCausalLM, Gemma3TextConfig

    cfg = Gemma3TextConfig(
        vocab_size=TINY_VOCAB, hidden_size=32, intermediate_size=48, num_hidden_layers=6, num_attention_heads=1,
        num_key_value_heads=1, head_dim=256, query_pre_attn_scalar=256, max_position_embeddings=128,
        rms_norm_eps=1e-6, sliding_window=3, sliding_window_pattern=6,
        rope_parameters={"sliding_attention": {"rope_type": "default", "rope_theta": 10000.0},
                         "full_attention": {"rope_type": "default", "rope_theta": 1000000.0}},
    )
    torch.manual_seed(0)
    model = Gemma3ForCausalLM(cfg)
    randomize(model, seed=11)
    gen = torch.Generator().manual_seed(12)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):  # w near 0 (as trained Gemma norms): w + 1 - 1 rounds in float32
                p.copy_(0.3 * torch.randn(p.shape, generator=gen))
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.GEMMA3, cfg.num_hidden_layers)
    path = os.path.join(FIXTURES, "gguf", "gemma3-gguf-tiny.gguf")
    writer = gguf.GGUFWriter(path, "gemma3")
    writer.add_vocab_size(cfg.vocab_size)
    writer.add_context_length(cfg.max_position_embeddings)
    writer.add_embedding_length(cfg.hidden_size)
    writer.add_block_count(cfg.num_hidden_layers)
    writer.add_feed_forward_length(cfg.intermediate_size)
    writer.add_head_count(cfg.num_attention_heads)
    writer.add_head_count_kv(cfg.num_key_value_heads)
    writer.add_key_length(cfg.head_dim)
    writer.add_value_length(cfg.head_dim)
    writer.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    writer.add_rope_freq_base(1000000.0)
    writer.add_sliding_window(cfg.sliding_window)
    for name, tensor in model.state_dict().items():
        if name == "lm_head.weight":
            continue
        stem, suffix = name.rsplit(".", 1)
        target = names.get_name(stem) + "." + suffix
        if name.endswith("norm.weight"):  # F32 with Gemma3Model.norm_shift added
            writer.add_tensor(target, tensor.float().numpy() + np.float32(1))
        else:  # BF16 bits as bytes: gguf-py reads the element shape back from the byte shape
            bits = tensor.to(torch.bfloat16).view(torch.int16).numpy()
            writer.add_tensor(target, bits.view(np.uint8).reshape(*bits.shape[:-1], bits.shape[-1] * 2),
                              raw_dtype=gguf.GGMLQuantizationType.BF16)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    model = load_eager(AutoModelForCausalLM, os.path.join(FIXTURES, "gguf"), gguf_file="gemma3-gguf-tiny.gguf")
    assert model.config.layer_types[5] == "full_attention" and model.config.sliding_window == 3
    write_golden("gemma3-gguf-tiny", model, [(ids, None) for ids in TINY_SEQUENCES])


def make_smollm2():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = "SmolLM2-135M-Instruct.Q4_1.gguf"
    tok = AutoTokenizer.from_pretrained(CHECKPOINTS, gguf_file=gguf)
    model = load_eager(AutoModelForCausalLM, CHECKPOINTS, gguf_file=gguf)
    samples = [(tok(t, add_special_tokens=False)["input_ids"], t) for t in REAL_TEXTS]
    write_golden("smollm2", model, samples)


def make_minilm():
    from transformers import AutoModel, AutoTokenizer

    folder = os.path.join(CHECKPOINTS, "all-MiniLM-L6-v2")
    tok = AutoTokenizer.from_pretrained(folder)
    model = load_eager(AutoModel, folder)
    samples = [(tok(t)["input_ids"], t) for t in REAL_TEXTS]
    write_golden("minilm", model, samples)


def make_mpnet():
    from transformers import AutoModel, AutoTokenizer

    folder = os.path.join(CHECKPOINTS, "all-mpnet-base-v2")
    tok = AutoTokenizer.from_pretrained(folder)
    model = load_eager(AutoModel, folder)
    samples = [(tok(t)["input_ids"], t) for t in MPNET_TEXTS]
    write_golden("mpnet", model, samples)


def make_gemma3_270m():
    import tempfile

    from transformers import AutoModelForCausalLM, AutoTokenizer
    import make_golden_metrics

    gguf, long_tokens = "gemma-3-270m-q4_k_m.gguf", 600
    tok = AutoTokenizer.from_pretrained(CHECKPOINTS, gguf_file=gguf)
    model = load_eager(AutoModelForCausalLM, CHECKPOINTS, gguf_file=gguf)
    with open(os.path.join(REPO, "notebooks-data", "prompts", "shakespeare.jsonl")) as f:
        lines = [json.loads(line)["text"] for line in f]
    long_ids = tok(" ".join(lines[:40]))["input_ids"][:long_tokens]
    assert len(long_ids) == long_tokens, len(long_ids)
    samples = [(tok(t)["input_ids"], t) for t in REAL_TEXTS] + [(long_ids, None)]
    with tempfile.TemporaryDirectory() as scratch:
        write_golden("gemma3-270m", model, samples, folder=scratch)
        full = os.path.join(scratch, "gemma3-270m.safetensors")
        metrics = make_golden_metrics.metrics_for(full)
        from safetensors import safe_open
        with safe_open(full, framework="pt") as f:
            meta = json.loads(f.metadata()["golden"])
            tensors = {}
            for i, sample in enumerate(meta["samples"]):
                T = len(sample["token_ids"])
                rows = sorted({T // 2, T - 1} | ({512} if T > 512 else set()))
                sample["rows"] = rows
                for l in range(meta["layers"]):
                    tensors[f"s{i}.attn_rows.{l}"] = f.get_tensor(f"s{i}.attn.{l}")[:, rows, :].contiguous()
                    tensors[f"s{i}.value_rows.{l}"] = f.get_tensor(f"s{i}.value.{l}")[:, rows, :].contiguous()
                tensors[f"s{i}.hidden_rows"] = torch.stack(
                    [f.get_tensor(f"s{i}.hidden.{l}")[rows, :] for l in range(meta["layers"] + 1)]).contiguous()
    folder = os.path.join(FIXTURES, "golden", "gemma3-270m")
    os.makedirs(folder, exist_ok=True)
    save_file(tensors, os.path.join(folder, "capture.safetensors"), metadata={"golden": json.dumps(meta)})
    with open(os.path.join(folder, "metrics.json"), "w") as f:
        f.write(json.dumps(metrics) + "\n")
    for name in ("capture.safetensors", "metrics.json"):
        path = os.path.join(folder, name)
        print(f"wrote {os.path.relpath(path, REPO)} ({os.path.getsize(path) // 1024} KiB)")


JOBS = {
    "llama-tiny": lambda: make_tiny("llama-tiny", tiny_llama, torch.bfloat16),
    "gpt2-tiny": lambda: make_tiny("gpt2-tiny", tiny_gpt2, torch.float16),
    "bert-tiny": lambda: make_tiny("bert-tiny", tiny_bert, torch.float32),
    "qwen2-tiny": lambda: make_tiny("qwen2-tiny", tiny_qwen2, torch.bfloat16),
    "mistral-tiny": lambda: make_tiny("mistral-tiny", tiny_mistral, torch.bfloat16),
    "qwen3-tiny": lambda: make_tiny("qwen3-tiny", tiny_qwen3, torch.bfloat16),
    "phi3-tiny": lambda: make_tiny("phi3-tiny", tiny_phi3, torch.bfloat16),
    "llama3-rope-tiny": lambda: make_tiny("llama3-rope-tiny", tiny_llama3_rope, torch.bfloat16),
    "gemma3-tiny": lambda: make_tiny("gemma3-tiny", tiny_gemma3, torch.bfloat16),
    "gemma3-mm-tiny": make_gemma3_multimodal,
    "neox-tiny": lambda: make_tiny("neox-tiny", lambda: tiny_neox(True, 0.25, seed=13), torch.float16),
    "neox-sequential-tiny": lambda: make_tiny("neox-sequential-tiny", lambda: tiny_neox(False, 0.5, seed=14), torch.float16),
    "olmo2-tiny": lambda: make_tiny("olmo2-tiny", tiny_olmo2, torch.bfloat16),
    "gptoss-tiny": make_gptoss_tiny,
    "gptoss-gguf-tiny": make_gptoss_gguf_tiny,
    "qwen2-gguf-tiny": lambda: make_gguf_tiny("qwen2-gguf-tiny", "qwen2", source="qwen2-tiny"),
    "qwen3-gguf-tiny": lambda: make_gguf_tiny("qwen3-gguf-tiny", "qwen3", build=tiny_qwen3_gguf),
    "gemma3-gguf-tiny": make_gemma3_gguf_tiny,
    "smollm2": make_smollm2,
    "minilm": make_minilm,
    "mpnet-tiny": lambda: make_tiny("mpnet-tiny", tiny_mpnet, torch.float32, extra_sequences=[MPNET_EXTRA]),
    "mpnet": make_mpnet,
    "gemma3-270m": make_gemma3_270m,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="jobs to run (default: all)")
    args = parser.parse_args()
    jobs = dict(JOBS)
    for name, builder in VARIANT_BUILDERS.items():
        jobs[name] = lambda name=name, builder=builder: builder(name, sys.modules[__name__])
    for name in args.only or jobs:
        jobs[name]()


if __name__ == "__main__":
    main()
