#!/usr/bin/env python3
"""Load an `attnscope analyze` output directory into tidy pandas DataFrames.

DIR holds metrics.json (schema version 2: the model, settings, run manifest and
dataset summary; see the README's "metrics.json") and samples.jsonl beside it,
one JSON line per sample with its prompt "index". Version 1 documents, which
held the samples inline, load too. When --save-attention was given, raw maps
are in DIR/attention/sample-SSS-layer-LL.npy (float32, shape [heads, queries,
keys]). Undefined metrics are JSON null and become NaN here.

Usage: python load_metrics.py DIR [--sample S] [--layer L] [--plot FILE]
Needs numpy and pandas; matplotlib only for --plot.
"""

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

MAP_NAME = re.compile(r"sample-(\d{3})-layer-(\d{2})\.npy$")


def load(directory):
    """metrics.json with its samples under doc["samples"], from samples.jsonl for schema version 2."""
    metrics_path = directory / "metrics.json"
    if not metrics_path.is_file():
        sys.exit(f"error: {metrics_path} not found; run `attnscope analyze --out {directory}` first")
    doc = json.loads(metrics_path.read_text(encoding="utf-8"))
    version = doc.get("schema_version")
    if version == 1:
        return doc
    if version != 2:
        sys.exit(f"error: {metrics_path}: schema_version {version} is not 1 or 2")
    with open(directory / doc["samples_file"], encoding="utf-8") as lines:
        doc["samples"] = [json.loads(line) for line in lines if line.endswith("\n")]  # a partial last line is a run in progress
    return doc


def layer_frame(doc):
    """One row per (sample, layer): the block metrics of metrics.json."""
    rows = []
    for s, sample in enumerate(doc["samples"]):
        for l, layer in enumerate(sample["layers"]):
            row = {"sample": sample.get("index", s), "layer": l, "tokens": len(sample["token_ids"])}
            for key, value in layer.items():
                if key == "top_k_share":
                    row.update({f"top_{k}_share": v for k, v in value.items()})
                elif key == "value_norm":
                    row["value_norm_first"] = value[0]
                elif key != "heads":
                    row[key] = value
            rows.append(row)
    return pd.DataFrame(rows).astype({"value_drain_ratio": float})


def head_frame(doc):
    """One row per (sample, layer, head): entropy and first-token importance of each query head."""
    rows = [
        {"sample": sample.get("index", s), "layer": l, "head": h, **head}
        for s, sample in enumerate(doc["samples"])
        for l, layer in enumerate(sample["layers"])
        for h, head in enumerate(layer["heads"])
    ]
    return pd.DataFrame(rows).astype({"normalized_head_entropy": float})


def hidden_frame(doc):
    """One row per (sample, state): residual-stream metrics of h[0] (embeddings) ... h[L]."""
    rows = []
    for s, sample in enumerate(doc["samples"]):
        for l, state in enumerate(sample["hidden_states"]):
            massive = state.get("massive_activations")  # null for h[0]
            rows.append({
                "sample": sample.get("index", s), "state": l,
                "first_token_hidden_ratio": state["first_token_hidden_ratio"],
                "peak_hidden_ratio": state["peak_hidden_ratio"],
                "peak_token": state["peak_token"],
                "peak_token_text": sample["tokens"][state["peak_token"]],
                "token_similarity": state["token_similarity"],
                "massive_count": None if massive is None else massive["count"],
                "massive_max": max((abs(m["value"]) for m in massive["top"]), default=None) if massive else None,
            })
    numeric = ["first_token_hidden_ratio", "peak_hidden_ratio", "token_similarity", "massive_count", "massive_max"]
    return pd.DataFrame(rows).astype({key: float for key in numeric})


def summary_frame(doc):
    """The exported dataset summary: one row per layer, columns (metric, mean|sd|count|m2)."""
    table = {
        (metric, field): value
        for layer in doc["summary"]["layers"]
        for metric, stat in layer.items()
        for field, value in stat.items()
    }
    columns = pd.MultiIndex.from_tuples(table.keys())
    rows = [[layer.get(m, {}).get(f) for m, f in columns] for layer in doc["summary"]["layers"]]
    return pd.DataFrame(rows, columns=columns, dtype=float).rename_axis("layer")


def attention_maps(directory):
    """Map (sample, layer) -> path of every saved attention map."""
    found = {}
    for path in sorted((directory / "attention").glob("sample-*-layer-*.npy")):
        match = MAP_NAME.search(path.name)
        if match:
            found[(int(match.group(1)), int(match.group(2)))] = path
    return found


def top_keys(attention, tokens):
    """Per head, the key that receives the most attention (summed over queries, as a share of all queries)."""
    heads, queries, keys = attention.shape
    received = attention.astype(np.float64).sum(axis=1)  # [heads, keys]
    best = received.argmax(axis=1)
    return pd.DataFrame({
        "head": np.arange(heads),
        "key": best,
        "token": [tokens[k] if k < len(tokens) else "?" for k in best],
        "share": received[np.arange(heads), best] / queries,
        "on_first_token": best == 0,
    })


def main():
    parser = argparse.ArgumentParser(description="Load attnscope's metrics.json and .npy maps into pandas.")
    parser.add_argument("dir", type=Path, help="output directory of `attnscope analyze` (holds metrics.json)")
    parser.add_argument("--sample", type=int, help="sample index of the map to inspect (default: first saved)")
    parser.add_argument("--layer", type=int, help="layer of the map to inspect (default: first saved)")
    parser.add_argument("--plot", type=Path, help="write a PNG of first-token importance per layer (needs matplotlib)")
    args = parser.parse_args()

    doc = load(args.dir)

    model = doc["model"]
    print(f"model: {model.get('path')} ({model.get('family')}, {model.get('variant')}), "
          f"{model['layers']} layers x {model['heads']} heads, {len(doc['samples'])} samples")

    layers, heads, hidden = layer_frame(doc), head_frame(doc), hidden_frame(doc)
    pd.set_option("display.width", 160, "display.max_columns", 20, "display.precision", 4)

    print("\nper-layer mean over samples (NaN-aware):")
    columns = ["attention_entropy", "first_token_importance", "layer_sink_rate", "top_1_share", "value_drain_ratio"]
    print(layers.groupby("layer")[columns].mean())
    print("\nhead entropy per layer (mean over samples and heads):")
    print(heads.groupby("layer")[["head_entropy", "normalized_head_entropy", "first_token_importance"]].mean())
    print("\nhidden states (mean over samples; state 0 = embeddings):")
    print(hidden.groupby("state")[["first_token_hidden_ratio", "peak_hidden_ratio", "token_similarity", "massive_count"]].mean())
    print("\nexported summary, first-token importance:")
    print(summary_frame(doc)["first_token_importance"])

    maps = attention_maps(args.dir)
    if not maps:
        print("\nno attention maps saved (run analyze with --save-attention)")
    else:
        wanted = [key for key in maps if args.sample in (None, key[0]) and args.layer in (None, key[1])]
        if not wanted:
            sys.exit(f"error: no map for sample {args.sample} layer {args.layer} in {args.dir / 'attention'}")
        sample, layer = wanted[0]
        attention = np.load(maps[(sample, layer)])
        tokens = {entry.get("index", s): entry for s, entry in enumerate(doc["samples"])}[sample]["tokens"]
        causal = np.allclose(np.triu(attention, k=1), 0)
        print(f"\n{maps[(sample, layer)].name}: shape {attention.shape} (heads, queries, keys), "
              f"{'causal' if causal else 'bidirectional'}, rows sum to 1 within "
              f"{np.abs(attention.sum(axis=-1) - 1).max():.1e}")
        print(top_keys(attention, tokens).to_string(index=False))

    if args.plot:
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("\nmatplotlib is not installed; skipping --plot")
        else:
            stats = layers.groupby("layer")["first_token_importance"].agg(["mean", "std"]).fillna(0)
            fig, ax = plt.subplots(figsize=(6, 3.5))
            ax.plot(stats.index, stats["mean"], marker="o")
            ax.fill_between(stats.index, stats["mean"] - stats["std"], stats["mean"] + stats["std"], alpha=0.2)
            ax.set(xlabel="layer", ylabel="first-token importance", ylim=(0, 1))
            fig.tight_layout()
            fig.savefig(args.plot, dpi=120)
            print(f"\nwrote {args.plot}")


if __name__ == "__main__":
    main()
