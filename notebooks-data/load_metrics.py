#!/usr/bin/env python3
"""Read an attnscope run folder from Python: per-head metrics as a pandas frame,
one saved attention map with its token labels, and a one-call plot of it.

A run folder (`attnscope analyze --out DIR`) holds metrics.json (schema version
2: the model, settings, run manifest and dataset summary; notebooks-data/README.md
and the README's "metrics.json"), samples.jsonl beside it (one JSON line per
sample, with its prompt "index"), and attention/sample-SSS-layer-LL.npy (float32,
[heads, queries, keys]): sample 0's first, middle and last blocks always, more
with --save-attention. Undefined metrics are JSON null and become NaN here.

samples.jsonl is read one line at a time, so a frame of 100,000 samples needs
memory for its rows, never for every sample's full metrics at once.

    import load_metrics as lm
    heads = lm.head_frame("outputs/SmolLM2-135M-Instruct.Q4_1")     # one row per (sample, layer, head)
    maps, tokens = lm.load_map("outputs/SmolLM2-135M-Instruct.Q4_1", sample=0, layer=29)
    lm.plot_map("outputs/SmolLM2-135M-Instruct.Q4_1", sample=0, layer=29, head=3)

Command line: python load_metrics.py DIR [--sample S] [--layer L] [--head H] [--plot FILE]
Needs numpy and pandas; matplotlib only for plot_map and --plot.
"""

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

MAP_NAME = re.compile(r"sample-(\d{3})-layer-(\d{2})\.npy$")
HEAD_METRICS = ("head_entropy", "normalized_head_entropy", "first_token_importance")


def load(directory):
    """metrics.json of the run folder `directory` (schema version 2), without its samples."""
    path = Path(directory) / "metrics.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; run `attnscope analyze --out {directory}` first")
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("schema_version") != 2:
        raise ValueError(f"{path}: schema_version {doc.get('schema_version')} is not 2")
    return doc


def samples(directory):
    """Yields the samples of samples.jsonl one at a time, in prompt order.

    A last line without a newline is a run in progress or killed mid-write and is skipped."""
    doc = load(directory)
    with open(Path(directory) / doc["samples_file"], encoding="utf-8") as lines:
        for line in lines:
            if line.endswith("\n"):
                yield json.loads(line)


def head_frame(directory, metrics=HEAD_METRICS):
    """One row per (sample, layer, head) with the per-head `metrics`, streamed from samples.jsonl."""
    rows = []
    for sample in samples(directory):
        for layer_index, layer in enumerate(sample["layers"]):
            for head_index, head in enumerate(layer["heads"]):
                rows.append((sample["index"], layer_index, head_index, *(head.get(m) for m in metrics)))
    frame = pd.DataFrame(rows, columns=["sample", "layer", "head", *metrics])
    return frame.astype({m: float for m in metrics})


def layer_frame(directory):
    """One row per (sample, layer): the block metrics (value norms reduced to token 0's), streamed."""
    rows = []
    for sample in samples(directory):
        for layer_index, layer in enumerate(sample["layers"]):
            row = {"sample": sample["index"], "layer": layer_index, "tokens": len(sample["token_ids"])}
            for key, value in layer.items():
                if key == "top_k_share":
                    row.update({f"top_{k}_share": v for k, v in value.items()})
                elif key == "value_norm":
                    row["value_norm_first"] = value[0]
                elif key != "heads":
                    row[key] = value
            rows.append(row)
    return pd.DataFrame(rows).astype({"value_drain_ratio": float})


def summary_frame(directory):
    """The exported dataset summary: one row per layer, columns (metric, mean|sd|count|m2)."""
    layers = load(directory)["summary"]["layers"]
    columns = pd.MultiIndex.from_tuples(sorted({(m, f) for layer in layers for m, stat in layer.items() for f in stat}))
    rows = [[layer.get(m, {}).get(f) for m, f in columns] for layer in layers]
    return pd.DataFrame(rows, columns=columns, dtype=float).rename_axis("layer")


def saved_maps(directory):
    """{(sample, layer): path} of every saved attention map."""
    found = {}
    for path in sorted((Path(directory) / "attention").glob("sample-*-layer-*.npy")):
        match = MAP_NAME.search(path.name)
        if match:
            found[(int(match.group(1)), int(match.group(2)))] = path
    return found


def load_map(directory, sample=0, layer=0):
    """(maps, tokens): sample `sample`'s saved block-`layer` maps as a float32 array [heads, queries,
    keys] and the sample's token labels (one per position; ␣ is a space, ↵ a newline)."""
    path = saved_maps(directory).get((sample, layer))
    if path is None:
        kept = ", ".join(f"sample {s} block {l}" for s, l in sorted(saved_maps(directory))) or "none"
        raise KeyError(f"no map of sample {sample} block {layer} in {Path(directory) / 'attention'} (kept: {kept})")
    maps = np.load(path)
    tokens = next((s["tokens"] for s in samples(directory) if s["index"] == sample), None)
    if tokens is None or maps.shape[1] != len(tokens):
        raise ValueError(f"{path}: shape {maps.shape} does not match sample {sample}'s tokens")
    return maps, tokens


def mask(directory, maps):
    """Boolean [queries, keys] for `maps` [heads, T, T]: True where the key is hidden from the query,
    by the causal mask, or by the model's sliding window when every head's map is 0 outside it
    (a local block); never for an encoder."""
    model = load(directory)["model"]
    t = maps.shape[-1]
    i, j = np.indices((t, t))
    hidden = (j > i) if model["causal"] else np.zeros((t, t), dtype=bool)
    window = model.get("sliding_window")
    if model["causal"] and window and t > window and not maps[:, i - j >= window].any():
        hidden |= i - j >= window
    return hidden


def plot_map(directory, sample=0, layer=0, head=None, log=True, ax=None, max_labels=40):
    """Draws one map (head `head`, or the mean over heads) with token labels on both axes, masked
    cells in grey, on a log colour scale from 1e-4 unless `log` is False. Returns the axes."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm, Normalize

    maps, tokens = load_map(directory, sample, layer)
    values = maps.mean(axis=0) if head is None else maps[head]
    hidden = mask(directory, maps)
    shown = np.ma.masked_array(np.maximum(values, 1e-4) if log else values, mask=hidden)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 5.5))
    cmap = plt.get_cmap("viridis").with_extremes(bad="#d0d0d0")
    norm = LogNorm(1e-4, max(values.max(), 1e-3)) if log else Normalize(0, values.max())
    image = ax.imshow(shown, cmap=cmap, norm=norm, interpolation="nearest")
    step = max(1, -(-len(tokens) // max_labels))
    ticks = np.arange(0, len(tokens), step)
    ax.set_xticks(ticks, [tokens[t] for t in ticks], rotation=90, fontsize=7)
    ax.set_yticks(ticks, [tokens[t] for t in ticks], fontsize=7)
    ax.set(xlabel="key", ylabel="query", title=f"sample {sample}, block {layer}, " + ("mean over heads" if head is None else f"head {head}"))
    ax.figure.colorbar(image, ax=ax, label="attention weight" + (" (log)" if log else ""))
    return ax


def main():
    parser = argparse.ArgumentParser(description="Summarize an attnscope run folder with pandas and plot one map.")
    parser.add_argument("dir", type=Path, help="run folder (holds metrics.json and samples.jsonl)")
    parser.add_argument("--sample", type=int, default=0, help="sample of the map to inspect (default 0)")
    parser.add_argument("--layer", type=int, help="block of the map to inspect (default: the first kept)")
    parser.add_argument("--head", type=int, help="head to plot (default: the mean over heads)")
    parser.add_argument("--plot", type=Path, help="write the map as a PNG (needs matplotlib)")
    args = parser.parse_args()

    try:
        doc = load(args.dir)
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f"error: {error}")
    model = doc["model"]
    print(f"model: {Path(model['path']).name} ({model['family']}, {model['variant']}), "
          f"{model['layers']} blocks x {model['heads']} heads, {doc['summary']['samples']} samples")
    pd.set_option("display.width", 160, "display.max_columns", 20, "display.precision", 4)
    heads = head_frame(args.dir)
    print("\nper block, mean over samples and heads:")
    print(heads.groupby("layer")[list(HEAD_METRICS)].mean())
    kept = sorted(saved_maps(args.dir))
    layers = [l for s, l in kept if s == args.sample]
    if not layers:
        sys.exit(f"error: no saved map of sample {args.sample} (kept: {kept})")
    layer = args.layer if args.layer is not None else layers[0]
    maps, tokens = load_map(args.dir, args.sample, layer)
    received = maps.astype(np.float64).sum(axis=1)  # [heads, keys]: attention each key receives
    best = received.argmax(axis=1)
    print(f"\nsample {args.sample}, block {layer}: {maps.shape[0]} heads over {len(tokens)} tokens; the key each head attends to most:")
    print(pd.DataFrame({"head": np.arange(len(best)), "key": best, "token": [tokens[k] for k in best],
                        "share": received[np.arange(len(best)), best] / maps.shape[1]}).to_string(index=False))
    if args.plot:
        import matplotlib
        matplotlib.use("Agg")
        ax = plot_map(args.dir, args.sample, layer, args.head)
        ax.figure.tight_layout()
        ax.figure.savefig(args.plot, dpi=150)
        print(f"\nwrote {args.plot}")


if __name__ == "__main__":
    main()
