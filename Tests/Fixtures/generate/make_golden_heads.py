"""Writes Tests/Fixtures/golden/<name>.heads.json: the per-head metrics of metrics.md's "Learned sinks",
"Head roles", "Value-weighted attention" and "Top keys" sections, from HF transformers' eager forward.

For every golden model of make_golden.py (the tiny families, the GGUF files HF reads itself, the variant
fixtures with their hooks, SmolLM2, MiniLM and all-mpnet-base-v2) it reloads the committed checkpoint (nothing is rewritten),
runs the golden prompts plus one that repeats a random sequence (so previous-token, duplicate and
induction scores are far from 0), and computes with metrics_reference.py from HF's own attention, the
value states as attention consumes them and the output projection HF multiplies by (bias left out):
sink_mass, previous/duplicate/induction scores, value-weighted first-token share, head output norm per
head, and top_keys per block. The Swift test runs attnscope's forward with its streamed statistics on the
same checkpoint and prompts and compares.

    /root/torchenv/bin/python Tests/Fixtures/generate/make_golden_heads.py [--only NAME ...]
"""

import argparse
import json
import os
import sys
import types

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_golden as gen  # noqa: E402
import metrics_reference as ref  # noqa: E402
import variants_reference  # noqa: E402


def repeated_random(vocabulary, length=8, copies=3, seed=0, first=None):
    """`copies` repeats of `length` random ids (ids 3 … vocabulary-1), after `first` when given (a BOS)."""
    rng = np.random.default_rng(seed)
    chunk = [int(x) for x in rng.integers(3, vocabulary, size=length)]
    return ([first] if first is not None else []) + chunk * copies


def output_weights(model):
    """Each block's output projection as a Linear weight [D, H*d], float64 numpy, bias left out."""
    family, blocks = gen.blocks_of(model)
    weights = []
    for block in blocks:
        if family == "gpt2":
            w = block.attn.c_proj.weight.T  # Conv1D stores [in, out]
        elif family == "bert":
            w = block.attention.output.dense.weight
        elif family == "mpnet":
            w = block.attention.attn.o.weight
        elif family == "gpt_neox":
            w = block.attention.dense.weight
        else:
            w = block.self_attn.o_proj.weight
        weights.append(w.detach().double().numpy())
    return weights


def write_heads(name, model, samples, value_hook_builder=None, extra=None, folder=None, checkpoint=None, variant="auto"):
    """The heads reference of `samples` ([(ids, text)]) through `model`, written as golden/<name>.heads.json."""
    family, _ = gen.blocks_of(model)
    causal = family not in gen.ENCODERS
    windows = gen.sliding_windows(model)
    weights = output_weights(model)
    out = []
    for ids, _text in samples:
        attn, vals, _ = gen.capture(model, ids, value_hook_builder)
        layers = []
        for l, (a, v) in enumerate(zip(attn, vals)):
            a, v = a.numpy(), v.float().numpy()
            window = windows[l] if windows else None
            layers.append({
                "top_keys": ref.top_keys(a),
                "heads": ref.head_role_metrics(a, v, causal, ids, window, weights[l]),
            })
        out.append({"token_ids": [int(t) for t in ids], "layers": layers})
    document = {"model": name, "checkpoint": checkpoint, "variant": (extra or {}).get("variant", variant), "samples": out}
    path = os.path.join(gen.FIXTURES, "golden", f"{name}.heads.json")
    with open(path, "w") as f:
        json.dump(document, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, gen.REPO)}")


def tiny_samples(name=None):
    extra = [(gen.MPNET_EXTRA, None)] if name == "mpnet-tiny" else []
    return [(ids, None) for ids in gen.TINY_SEQUENCES] + extra + [(repeated_random(gen.TINY_VOCAB), None)]


def tiny(name):
    from transformers import AutoModel, AutoModelForCausalLM

    loader = AutoModel if name.startswith(("bert", "mpnet")) else AutoModelForCausalLM
    model = gen.load_eager(loader, os.path.join(gen.FIXTURES, "models", name))
    write_heads(name, model, tiny_samples(name), checkpoint=f"models/{name}")


def gptoss_tiny():
    """GPT-OSS: its golden prompts (with the 40-id one) plus the repeated one, through HF's eager experts loop."""
    from transformers import AutoModelForCausalLM

    name = "gptoss-tiny"
    model = gen.load_eager(AutoModelForCausalLM, os.path.join(gen.FIXTURES, "models", name), experts_implementation="eager")
    samples = [(ids, None) for ids in gen.TINY_SEQUENCES + [gen.GPTOSS_LONG]] + [(repeated_random(gen.TINY_VOCAB), None)]
    write_heads(name, model, samples, checkpoint=f"models/{name}")


def gptoss_gguf_tiny():
    """gguf/gptoss-tiny.gguf: gptoss-tiny's samples through make_golden.gptoss_gguf_reference() (the expert weights
    gguf-py dequantizes from the file's MXFP4 bytes)."""
    name = "gptoss-gguf-tiny"
    model = gen.gptoss_gguf_reference()
    samples = [(ids, None) for ids in gen.TINY_SEQUENCES + [gen.GPTOSS_LONG]] + [(repeated_random(gen.TINY_VOCAB), None)]
    write_heads(name, model, samples, checkpoint="gguf/gptoss-tiny.gguf")


def gguf_tiny(name):
    from transformers import AutoModelForCausalLM

    model = gen.load_eager(AutoModelForCausalLM, os.path.join(gen.FIXTURES, "gguf"), gguf_file=f"{name}.gguf")
    write_heads(name, model, tiny_samples(), checkpoint=f"gguf/{name}.gguf")


def variant(name, builder):
    """A variant fixture: its builder's hooks on the committed checkpoint (nothing is saved again)."""
    from transformers import AutoModelForCausalLM

    def reload(_gen, _model, name, seed, **_):
        return gen.load_eager(AutoModelForCausalLM, os.path.join(gen.FIXTURES, "models", name))

    proxy = types.SimpleNamespace(
        TINY_SEQUENCES=[ids for ids, _ in tiny_samples()],
        write_golden=lambda name, model, samples, value_hook_builder=None, extra=None: write_heads(
            name, model, samples, value_hook_builder, extra, checkpoint=f"models/{name}"),
    )
    saved = variants_reference.save_variant
    variants_reference.save_variant = reload
    try:
        builder(name, proxy)
    finally:
        variants_reference.save_variant = saved


def smollm2():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(gen.CHECKPOINTS, gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf")
    model = gen.load_eager(AutoModelForCausalLM, gen.CHECKPOINTS, gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf")
    samples = [(tok(t, add_special_tokens=False)["input_ids"], t) for t in gen.REAL_TEXTS]
    samples.append((repeated_random(model.config.vocab_size, length=24, copies=2, seed=1), None))
    write_heads("smollm2", model, samples, checkpoint="checkpoints/SmolLM2-135M-Instruct.Q4_1.gguf")


def minilm():
    from transformers import AutoModel, AutoTokenizer

    folder = os.path.join(gen.CHECKPOINTS, "all-MiniLM-L6-v2")
    tok = AutoTokenizer.from_pretrained(folder)
    model = gen.load_eager(AutoModel, folder)
    samples = [(tok(t)["input_ids"], t) for t in gen.REAL_TEXTS]
    samples.append((repeated_random(model.config.vocab_size, length=24, copies=2, seed=2, first=tok.cls_token_id), None))
    write_heads("minilm", model, samples, checkpoint="checkpoints/all-MiniLM-L6-v2")


def mpnet():
    from transformers import AutoModel, AutoTokenizer

    folder = os.path.join(gen.CHECKPOINTS, "all-mpnet-base-v2")
    tok = AutoTokenizer.from_pretrained(folder)
    model = gen.load_eager(AutoModel, folder)
    samples = [(tok(t)["input_ids"], t) for t in gen.MPNET_TEXTS]
    samples.append((repeated_random(model.config.vocab_size, length=24, copies=2, seed=3, first=tok.cls_token_id), None))
    write_heads("mpnet", model, samples, checkpoint="checkpoints/all-mpnet-base-v2")


def nanochat():
    """nanochat's own eager forward (captured by make_nanochat_golden.py: its prompts of ids below 100 repeat
    tokens often) with the checkpoint's c_proj weights."""
    from safetensors import safe_open

    capture = os.path.join(gen.FIXTURES, "golden", "nanochat-tiny.safetensors")
    state = torch.load(os.path.join(gen.FIXTURES, "nanochat", "tiny-run", "model_000100.pt"), map_location="cpu", weights_only=True)
    with safe_open(capture, "np") as f:
        meta = json.loads(f.metadata()["golden"])
        weights = [next(v for k, v in state.items() if k.endswith(f"transformer.h.{l}.attn.c_proj.weight")).double().numpy()
                   for l in range(meta["layers"])]
        out = []
        for s, sample in enumerate(meta["samples"]):
            ids, layers = sample["token_ids"], []
            for l in range(meta["layers"]):
                a, v = f.get_tensor(f"s{s}.attn.{l}"), f.get_tensor(f"s{s}.value.{l}")
                layers.append({"top_keys": ref.top_keys(a),
                               "heads": ref.head_role_metrics(a, v, True, ids, meta["windows"][l], weights[l])})
            out.append({"token_ids": ids, "layers": layers})
    path = os.path.join(gen.FIXTURES, "golden", "nanochat-tiny.heads.json")
    with open(path, "w") as f:
        json.dump({"model": "nanochat-tiny", "checkpoint": "nanochat/tiny-run", "variant": "auto", "samples": out}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, gen.REPO)}")


JOBS = {name: (lambda name=name: tiny(name)) for name in (
    "llama-tiny", "gpt2-tiny", "bert-tiny", "qwen2-tiny", "mistral-tiny", "qwen3-tiny", "phi3-tiny",
    "llama3-rope-tiny", "gemma3-tiny", "neox-tiny", "neox-sequential-tiny", "olmo2-tiny", "mpnet-tiny")}
JOBS.update({name: (lambda name=name: gguf_tiny(name)) for name in ("qwen2-gguf-tiny", "qwen3-gguf-tiny", "gemma3-gguf-tiny")})
JOBS.update({name: (lambda name=name, b=b: variant(name, b)) for name, b in variants_reference.VARIANT_BUILDERS.items()})
JOBS.update({"smollm2": smollm2, "minilm": minilm, "mpnet": mpnet, "nanochat-tiny": nanochat})
JOBS["gptoss-tiny"] = gptoss_tiny
JOBS["gptoss-gguf-tiny"] = gptoss_gguf_tiny


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="jobs to run (default: all)")
    args = parser.parse_args()
    torch.manual_seed(0)
    for name in args.only or JOBS:
        JOBS[name]()


if __name__ == "__main__":
    main()
