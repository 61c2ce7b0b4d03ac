"""PyTorch references of the paper's variants, as forward hooks over HF Llama.

Each builder saves a tiny random Llama checkpoint under models/<name> in the form attnscope
reads (see README, "Architectures"), then writes golden/<name>.safetensors through
make_golden.write_golden with hooks that turn the plain Llama into the variant.
Block indices are 0-based (block l is the paper's block l+1).

  resformer           V'_l = ½ V_l + ½ V_0 for l ≥ 1; no marker (needs --variant resformer)
  resformer-lambda    V'_l = V_l + 2 V_0; config "attnscope_variant": "resformer:lambda=2"
  resformer-learnable V'_l = λ_{l,1} V_0 + λ_{l,2} V_l; tensors model.layers.N.self_attn.value_residual_lambda
  svformer            blocks l ≥ 1 attend with V_0 and have no v_proj
  neutreno            U_l = A_l V_l + 0.4 (V_0 − V_l) before o_proj; no marker (needs --variant neutreno)
  neutreno-resformer  ½/½ mix, then U_l += 0.2 (V_0 − V'_l); config marker
  denseformer         after block l: X̃ = Σ_j α_{l,j} X_j; tensors model.dense_weights.N; config marker
  cla                 blocks 1 and 3 reuse the keys and values of blocks 0 and 2 (CLA2); no k_proj/v_proj there
"""

import json
import os

import torch
from safetensors.torch import load_file, save_file

LAYERS = 4


def base_model(kv_heads):
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(
        vocab_size=512, hidden_size=64, intermediate_size=96, num_hidden_layers=LAYERS,
        num_attention_heads=4, num_key_value_heads=kv_heads, max_position_embeddings=128,
        rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=False,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(cfg)
    return model


def save_variant(gen, model, name, seed, marker=None, drop=(), extra_tensors=None):
    """Saves the checkpoint (F32), edits its tensors and config, and reloads it eagerly."""
    from transformers import AutoModelForCausalLM

    gen.randomize(model, seed=seed)
    folder = os.path.join(gen.FIXTURES, "models", name)
    gen.save_tiny(model, folder, torch.float32)
    weights_path = os.path.join(folder, "model.safetensors")
    weights = load_file(weights_path)
    for key in drop:
        del weights[key]
    weights.update(extra_tensors or {})
    save_file(weights, weights_path, metadata={"format": "pt"})
    if marker:
        config_path = os.path.join(folder, "config.json")
        config = json.load(open(config_path))
        config["attnscope_variant"] = marker
        json.dump(config, open(config_path, "w"), indent=2, sort_keys=True)
    reference = gen.load_eager(AutoModelForCausalLM, folder)
    # Blocks whose projections were dropped get random weights on load; the hooks never use them.
    return reference


def value_mix_hooks(mix, correction=None, sources=None):
    """Hooks that mix values (mix[l] = (current, first) or None) and add NeuTRENO's correction."""

    def builder(l, block, values, to_heads, kv_heads):
        state = builder.state
        attn = block.self_attn
        handles = []

        def on_values(module, args, out):
            if l == 0:
                state["first"] = out
            if sources and sources[l] != l:
                out = state["raw"][sources[l]]
            state.setdefault("raw", {})[l] = out
            if mix and mix[l] is not None:
                current, first = mix[l]
                out = current * out + first * state["first"]
            state["consumed"] = out
            values[l] = to_heads(out, kv_heads)
            return out

        handles.append(attn.v_proj.register_forward_hook(on_values))
        if correction and correction[l] is not None:
            lam = correction[l]

            def on_output(module, args):
                return (args[0] + lam * (state["first"] - state["consumed"]),)

            handles.append(attn.o_proj.register_forward_pre_hook(on_output))
        return handles

    builder.state = {}
    return builder


def key_sharing_hooks(owner):
    """Hooks making block l use block owner[l]'s keys (k_proj output, re-rotated at the same positions)."""
    keys = {}

    def install(model):
        handles = []
        for l, block in enumerate(model.model.layers):
            def on_keys(module, args, out, l=l):
                if owner[l] == l:
                    keys[l] = out
                    return out
                return keys[owner[l]]

            handles.append(block.self_attn.k_proj.register_forward_hook(on_keys))
        return handles

    return install


def run(gen, name, model, builder, variant, install=None, hidden_hooks=None):
    handles = install(model) if install else []
    handles += hidden_hooks(model) if hidden_hooks else []
    gen.write_golden(name, model, [(ids, None) for ids in gen.TINY_SEQUENCES],
                     value_hook_builder=builder, extra={"variant": variant})
    for h in handles:
        h.remove()


def resformer(name, gen):
    model = save_variant(gen, base_model(2), name, seed=11)
    run(gen, name, model, value_mix_hooks([None] + [(0.5, 0.5)] * (LAYERS - 1)), "resformer")


def resformer_lambda(name, gen):
    model = save_variant(gen, base_model(2), name, seed=13, marker="resformer:lambda=2")
    run(gen, name, model, value_mix_hooks([None] + [(1.0, 2.0)] * (LAYERS - 1)), "auto")


def resformer_learnable(name, gen):
    g = torch.Generator().manual_seed(14)
    lambdas = {l: (torch.rand(2, generator=g) + 0.25) for l in range(1, LAYERS)}
    tensors = {f"model.layers.{l}.self_attn.value_residual_lambda": v for l, v in lambdas.items()}
    model = save_variant(gen, base_model(2), name, seed=15, marker="resformer:learnable", extra_tensors=tensors)
    mix = [None] + [(lambdas[l][1].item(), lambdas[l][0].item()) for l in range(1, LAYERS)]
    run(gen, name, model, value_mix_hooks(mix), "auto")


def svformer(name, gen):
    drop = [f"model.layers.{l}.self_attn.v_proj.weight" for l in range(1, LAYERS)]
    model = save_variant(gen, base_model(2), name, seed=17, drop=drop)
    run(gen, name, model, value_mix_hooks(None, sources=[0] * LAYERS), "auto")


def neutreno(name, gen):
    model = save_variant(gen, base_model(4), name, seed=19)
    run(gen, name, model, value_mix_hooks(None, correction=[None] + [0.4] * (LAYERS - 1)), "neutreno")


def neutreno_resformer(name, gen):
    model = save_variant(gen, base_model(4), name, seed=21, marker="neutreno+resformer")
    builder = value_mix_hooks([None] + [(0.5, 0.5)] * (LAYERS - 1), correction=[None] + [0.2] * (LAYERS - 1))
    run(gen, name, model, builder, "auto")


def denseformer(name, gen):
    g = torch.Generator().manual_seed(22)
    alphas = []
    for l in range(LAYERS):
        a = 0.15 * torch.randn(l + 2, generator=g)
        a[-1] += 1.0  # near the identity initialisation
        alphas.append(a)
    tensors = {f"model.dense_weights.{l}": a for l, a in enumerate(alphas)}
    model = save_variant(gen, base_model(2), name, seed=23, marker="denseformer", extra_tensors=tensors)
    outputs = {}

    def hooks(model):
        handles = []
        layers = model.model.layers

        def record_input(module, args, kwargs):
            x = args[0] if args else kwargs["hidden_states"]
            outputs[0] = x

        handles.append(layers[0].register_forward_pre_hook(record_input, with_kwargs=True))
        for l, block in enumerate(layers):
            def average(module, args, out, l=l):
                x = out[0] if isinstance(out, tuple) else out
                outputs[l + 1] = x
                mixed = sum(alphas[l][j] * outputs[j] for j in range(l + 2))
                return (mixed,) + tuple(out[1:]) if isinstance(out, tuple) else mixed

            handles.append(block.register_forward_hook(average))
        return handles

    run(gen, name, model, value_mix_hooks(None), "auto", hidden_hooks=hooks)


def cla(name, gen):
    owner = [0, 0, 2, 2]
    drop = [f"model.layers.{l}.self_attn.{p}_proj.weight" for l in (1, 3) for p in ("k", "v")]
    model = save_variant(gen, base_model(2), name, seed=25, drop=drop)
    run(gen, name, model, value_mix_hooks(None, sources=owner), "auto", install=key_sharing_hooks(owner))


VARIANT_BUILDERS = {
    "resformer": resformer,
    "resformer-lambda": resformer_lambda,
    "resformer-learnable": resformer_learnable,
    "svformer": svformer,
    "neutreno": neutreno,
    "neutreno-resformer": neutreno_resformer,
    "denseformer": denseformer,
    "cla": cla,
}
