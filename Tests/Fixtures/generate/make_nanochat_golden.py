"""Writes a tiny nanochat run folder and its golden capture, computed by nanochat's own GPT class.

The reference is karpathy/nanochat's `nanochat/gpt.py` (commit 92d63d4), imported from a copy outside the
repository (never committed): give the folder that holds its `nanochat` package, e.g.

    git --git-dir=<mirror of karpathy/nanochat> archive HEAD nanochat | tar -x -C /tmp/nc
    NANOCHAT_DTYPE=float32 python Tests/Fixtures/generate/make_nanochat_golden.py /tmp/nc

Run from the repository root with a Python that has torch and safetensors (never in CI; outputs committed).

The model (random weights: every matrix, lambda and gate non-zero, so each path is exercised):
  sequence_len 256 (short window ceil(256/4/128)*128 = 128), vocab 100 (padded to 128), 3 blocks, n_embd 64,
  2 heads, 1 kv head (GQA), head_dim 32, window_pattern "SSL" (blocks 0 and 1 short, 2 long), value embeddings
  on blocks 0 and 2 (has_ve), backout at block 1. wte and value_embeds are stored bf16 (as a GPU run saves
  them), everything else fp32; the reference runs in fp32 on the bf16-rounded values.
Outputs:
  nanochat/tiny-run/model_000100.pt, meta_000100.json  (torch.save(model.state_dict()) and its model_config)
  nanochat/compiled-run/model_000007.pt, meta_000007.json  (the same weights, every name `_orig_mod.`-prefixed)
  golden/nanochat-tiny.safetensors  (the golden layout of make_golden.py: s{i}.attn.{l} [H, T, T],
     s{i}.value.{l} [G, T, d] = v after the value embedding is added, s{i}.hidden.{l} [T, D] with h[0] the input
     of block 0 after its lambda mix; metadata "golden" with the samples and "windows" in attnscope's
     convention, w + 1 keys)
  golden/nanochat-tiny.metrics.json  make_golden_metrics.py's numpy reference metrics of that capture
  golden/nanochat-tiny.value-embedding.json  per sample, per value-embedding block and kv head: the mean gate,
     and ||gate*ve|| / ||v|| at token 0 and averaged over tokens t >= 1 (metrics.md "Value embeddings"), from
     the gates and embeddings nanochat's forward computed (hooks on ve_gate and value_embeds)
Attention is made eager: flash_attn_func is replaced by softmax(q·kᵀ/sqrt(d) + mask)·v with nanochat's SDPA
mask (key j visible to query i when 0 <= i - j <= window), so the probabilities can be captured.
"""

import collections
import json
import math
import os
import shutil
import sys

import torch
from safetensors.torch import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main(source):
    os.environ.setdefault("NANOCHAT_DTYPE", "float32")
    sys.path.insert(0, source)
    import nanochat.gpt as gpt

    config = gpt.GPTConfig(sequence_len=256, vocab_size=100, n_layer=3, n_head=2, n_kv_head=1, n_embd=64,
                           window_pattern="SSL")
    torch.manual_seed(20)
    model = gpt.GPT(config)
    model.init_weights()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("c_proj.weight"):  # zero-initialised by nanochat
                p.copy_(torch.empty_like(p).uniform_(-0.15, 0.15))
            if "ve_gate" in name or "smear_gate" in name:
                p.copy_(torch.empty_like(p).uniform_(-1.0, 1.0))
        model.resid_lambdas.copy_(torch.tensor([1.1, 0.9, 0.8]))
        model.x0_lambdas.copy_(torch.tensor([0.3, 0.2, -0.25]))
        model.smear_lambda.fill_(0.7)
        model.backout_lambda.fill_(0.3)
        # bf16 storage for wte and value_embeds, as nanochat keeps them; the reference uses the rounded values
        model.transformer.wte.weight.copy_(model.transformer.wte.weight.to(torch.bfloat16).float())
        for ve in model.value_embeds.values():
            ve.weight.copy_(ve.weight.to(torch.bfloat16).float())
    model.eval()

    state = collections.OrderedDict()
    for name, tensor in model.state_dict().items():
        bf16 = name.startswith("transformer.wte") or name.startswith("value_embeds")
        state[name] = tensor.to(torch.bfloat16) if bf16 else tensor.clone()
    meta = {"step": 100, "model_config": {"sequence_len": 256, "vocab_size": 100, "n_layer": 3, "n_head": 2,
                                          "n_kv_head": 1, "n_embd": 64, "window_pattern": "SSL"}}
    for folder, step, prefix in [("tiny-run", 100, ""), ("compiled-run", 7, "_orig_mod.")]:
        out = os.path.join(ROOT, "nanochat", folder)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        torch.save(collections.OrderedDict((prefix + k, v) for k, v in state.items()), os.path.join(out, f"model_{step:06d}.pt"))
        with open(os.path.join(out, f"meta_{step:06d}.json"), "w") as f:
            json.dump(dict(meta, step=step), f, indent=2)

    captured = {}

    def eager(q, k, v, causal=True, window_size=(-1, -1)):
        B, T, H, D = q.shape
        G = k.shape[2]
        qh, kh, vh = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        kh = kh.repeat_interleave(H // G, dim=1)
        vr = vh.repeat_interleave(H // G, dim=1)
        scores = qh @ kh.transpose(-1, -2) / math.sqrt(D)
        i = torch.arange(T)[:, None]
        j = torch.arange(T)[None, :]
        mask = j <= i
        window = window_size[0]
        if 0 <= window < T:
            mask = mask & ((i - j) <= window)
        probs = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
        captured.setdefault("attn", []).append(probs[0].detach().clone())
        captured.setdefault("value", []).append(vh[0].detach().clone())
        return (probs @ vr).transpose(1, 2)

    gpt.flash_attn.flash_attn_func = eager
    hidden = []
    hooks = [model.transformer.h[0].register_forward_pre_hook(lambda m, args: hidden.append(args[0][0].detach().clone()))]
    for block in model.transformer.h:
        hooks.append(block.register_forward_hook(lambda m, args, out: hidden.append(out[0].detach().clone())))

    gates, embeds = {}, {}
    for l, block in enumerate(model.transformer.h):
        if block.attn.ve_gate is not None:
            hooks.append(block.attn.ve_gate.register_forward_hook(
                lambda m, args, out, l=l: gates.__setitem__(l, 3 * torch.sigmoid(out[0].detach().clone()))))
    for key, embedding in model.value_embeds.items():
        hooks.append(embedding.register_forward_hook(
            lambda m, args, out, l=int(key): embeds.__setitem__(l, out[0].detach().clone())))

    g = torch.Generator().manual_seed(3)
    samples = [torch.randint(0, 100, (140,), generator=g).tolist(), torch.randint(0, 100, (9,), generator=g).tolist()]
    samples[0][0] = samples[1][0] = 0  # a fixed first token, like <|bos|>
    tensors = {}
    value_embedding = []
    windows = [w + 1 if w < config.sequence_len else None for w, _ in model.window_sizes]
    for s, ids in enumerate(samples):
        captured.clear()
        hidden.clear()
        with torch.no_grad():
            model(torch.tensor([ids]))
        for l in range(config.n_layer):
            tensors[f"s{s}.attn.{l}"] = captured["attn"][l]
            tensors[f"s{s}.value.{l}"] = captured["value"][l]
        for l, h in enumerate(hidden):
            tensors[f"s{s}.hidden.{l}"] = h
        layers = {}
        for l in sorted(gates):
            gate = gates[l].double()  # [T, G]
            T, G = gate.shape
            added = gate[:, :, None] * embeds[l].double().view(T, G, -1)  # [T, G, d]
            v = captured["value"][l].double().transpose(0, 1)  # [T, G, d], after the embedding is added
            share = added.norm(dim=-1) / v.norm(dim=-1)  # [T, G]
            layers[str(l)] = {"gate": gate.mean(dim=0).tolist(), "first_token_share": share[0].tolist(),
                              "share": share[1:].mean(dim=0).tolist()}
        value_embedding.append({"token_ids": ids, "layers": layers})
    meta_golden = {"model": "nanochat-tiny", "family": "nanochat", "causal": True, "layers": config.n_layer,
                   "heads": config.n_head, "kv_heads": config.n_kv_head, "head_dim": config.n_embd // config.n_head,
                   "hidden_size": config.n_embd, "windows": windows, "samples": [{"token_ids": ids} for ids in samples]}
    os.makedirs(os.path.join(ROOT, "golden"), exist_ok=True)
    golden = os.path.join(ROOT, "golden", "nanochat-tiny.safetensors")
    save_file({k: v.contiguous().float() for k, v in tensors.items()}, golden, metadata={"golden": json.dumps(meta_golden)})
    os.chmod(golden, 0o644)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from make_golden_metrics import metrics_for  # the numpy reference metrics beside every golden capture
    with open(os.path.join(ROOT, "golden", "nanochat-tiny.metrics.json"), "w") as f:
        f.write(json.dumps(metrics_for(golden), indent=1) + "\n")
    with open(os.path.join(ROOT, "golden", "nanochat-tiny.value-embedding.json"), "w") as f:
        f.write(json.dumps({"samples": value_embedding}, indent=1) + "\n")
    print("windows", windows, "ve layers", sorted(model.value_embeds.keys()), {k: tuple(v.shape) for k, v in list(state.items())[:4]})


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
