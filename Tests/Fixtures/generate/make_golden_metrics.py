"""Writes Tests/Fixtures/golden/<model>.metrics.json beside every golden <model>.safetensors.

Each JSON holds {"model", "settings", "samples": [SampleMetrics]} computed by
metrics_reference.py from the captured float32 tensors (golden format: see
make_golden.py). Tokens are the token ids as strings. With --synthetic it
first writes two small random golden files itself (synthetic.safetensors,
causal with grouped-query attention, and synthetic-bidirectional.safetensors)
with planted sinks, zeros and massive activations.

Usage: /work/venv/bin/python Tests/Fixtures/generate/make_golden_metrics.py [--synthetic] [--only NAME ...]
"""

import json
import sys
from pathlib import Path

import numpy as np
from safetensors import safe_open
from safetensors.numpy import save_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
import metrics_reference as ref  # noqa: E402

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
EPSILON, SINK_KEY = 0.3, 0


def random_attention(rng, heads, T, causal):
    """Softmax rows of random logits at random sharpness (masked entries 0), with an exact zero among the visible keys."""
    logits = rng.normal(size=(heads, T, T)) * rng.uniform(0.2, 6, size=(heads, T, 1))
    if causal:
        logits = np.where(ref.visible(T, True), logits, -np.inf)
    weights = np.exp(logits - logits.max(axis=-1, keepdims=True))
    if T > 3:
        weights[:, T - 1, 1] = 0.0  # an exact zero among the visible keys
    return (weights / weights.sum(axis=-1, keepdims=True)).astype(np.float32)


def synthetic(name, causal, layers, heads, kv_heads, head_dim, hidden_size, lengths, seed):
    """Writes one random golden file in the make_golden.py format."""
    rng = np.random.default_rng(seed)
    tensors, samples = {}, []
    for i, T in enumerate(lengths):
        for l in range(layers):
            attention = random_attention(rng, heads, T, causal)
            if l == 1:
                attention[0] = 0.0
                attention[0, :, 0] = 1.0
            values = rng.normal(size=(kv_heads, T, head_dim)).astype(np.float32)
            values[:, 0] *= 0.05  # a drained first-token value
            tensors[f"s{i}.attn.{l}"] = attention
            tensors[f"s{i}.value.{l}"] = values
        for l in range(layers + 1):
            hidden = rng.normal(size=(T, hidden_size)).astype(np.float32)
            hidden[0] *= 1 + 2 * l
            hidden[0, 3] = 5000.0  # massive for l >= 1, ignored in h[0]
            if T > 1:
                hidden[T - 1, hidden_size - 1] = -2500.0
                hidden[1, 0] = 300.0  # above 100, below 1000 x median
            tensors[f"s{i}.hidden.{l}"] = hidden
        samples.append({"token_ids": [int(t) for t in rng.integers(0, 1000, size=T)], "text": f"synthetic sample {i}"})
    meta = {"model": name, "family": "llama" if causal else "bert", "causal": causal, "layers": layers,
            "heads": heads, "kv_heads": kv_heads, "head_dim": head_dim, "hidden_size": hidden_size, "samples": samples}
    save_file(tensors, str(GOLDEN / f"{name}.safetensors"), metadata={"golden": json.dumps(meta)})


def metrics_for(path):
    """The reference metrics document of one golden file."""
    with safe_open(str(path), framework="numpy") as f:
        meta = json.loads(f.metadata()["golden"])
        samples = []
        for i, sample in enumerate(meta["samples"]):
            L = meta["layers"]
            samples.append(ref.sample_metrics(
                [f.get_tensor(f"s{i}.attn.{l}") for l in range(L)],
                [f.get_tensor(f"s{i}.value.{l}") for l in range(L)],
                [f.get_tensor(f"s{i}.hidden.{l}") for l in range(L + 1)],
                meta["causal"], sample["token_ids"], sample.get("text"), EPSILON, SINK_KEY, meta.get("windows"),
                learned_sinks=bool(meta.get("learned_sinks", False))))
    return {"model": meta["model"], "settings": {"sink_epsilon": EPSILON, "sink_key": SINK_KEY}, "samples": samples}


def main():
    GOLDEN.mkdir(parents=True, exist_ok=True)
    if "--synthetic" in sys.argv[1:]:
        synthetic("synthetic", True, layers=3, heads=4, kv_heads=2, head_dim=5, hidden_size=16, lengths=[9, 1, 12], seed=4)
        synthetic("synthetic-bidirectional", False, layers=2, heads=3, kv_heads=3, head_dim=4, hidden_size=10,
                  lengths=[7, 2], seed=5)
    args = sys.argv[1:]
    only = args[args.index("--only") + 1:] if "--only" in args else None  # golden names, e.g. --only neox-tiny
    for path in sorted(GOLDEN.glob("*.safetensors")):
        if only is not None and path.stem not in only:
            continue
        out = path.with_suffix(".metrics.json")
        out.write_text(json.dumps(metrics_for(path), indent=1) + "\n")
        print(f"wrote {out.relative_to(GOLDEN.parent.parent.parent)}")


if __name__ == "__main__":
    main()
