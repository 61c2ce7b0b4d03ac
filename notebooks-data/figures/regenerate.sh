#!/usr/bin/env bash
# Draws every figure of the README again, from a clone: run `bash .ci/setup`
# first (it fetches the three checkpoints), then this script. It runs five
# jobs into outputs/ (about 8 minutes on 2 cores) and copies each figure the
# README shows, as PNG and SVG, into notebooks-data/figures/.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product attnscope
bin="$(swift build -c release --show-bin-path)/attnscope"
ck=notebooks-data/checkpoints
fig=notebooks-data/figures
copy() { # copy RUN_FOLDER FIGURE NAME: figures/FIGURE.{png,svg} of the run as NAME.{png,svg}
    for ext in png svg; do cp "$1/figures/$2.$ext" "$fig/$3.$ext"; done
}

# 1. The default run: SmolLM2-135M-Instruct (Q4_1) over the 240 bundled passages.
"$bin" analyze --out outputs/SmolLM2-135M-Instruct.Q4_1 --quiet
for name in first-token-importance-by-layer sink-atlas value-drain-by-layer hidden-norm-h16 sink-vs-value-weighted-atlas \
    value-weighted-share-by-layer; do
    copy outputs/SmolLM2-135M-Instruct.Q4_1 "$name" "$name"
done

# 2. Three architectures on the same passages.
"$bin" compare "$ck/SmolLM2-135M-Instruct.Q4_1.gguf" "$ck/gemma-3-270m-q4_k_m.gguf" "$ck/all-MiniLM-L6-v2" \
    --labels SmolLM2-135M,Gemma-3-270M,MiniLM-L6 --out outputs/cross-architecture --quiet
copy outputs/cross-architecture first-token-importance-by-layer cross-architecture-first-token-importance
copy outputs/cross-architecture value-drain-by-layer cross-architecture-value-drain
copy outputs/cross-architecture sink-atlas-side-by-side cross-architecture-sink-atlas
copy outputs/cross-architecture value-weighted-atlas-side-by-side cross-architecture-value-weighted-atlas
copy outputs/cross-architecture value-weighted-share-by-layer cross-architecture-value-weighted-share

# 3. Gemma 3 on the 8 prompts of 2,048 tokens, beside its run on the passages (from step 2).
"$bin" analyze "$ck/gemma-3-270m-q4_k_m.gguf" --prompts notebooks-data/prompts/long-2048.jsonl --max-tokens 2048 \
    --out outputs/gemma3-2048 --quiet
"$bin" compare outputs/cross-architecture/Gemma-3-270M/metrics.json outputs/gemma3-2048/metrics.json \
    --labels "Gemma 3: passages of 48-142 tokens,Gemma 3: prompts of 2048 tokens" --out outputs/gemma3-window --quiet
copy outputs/gemma3-window first-token-importance-by-layer gemma3-window-first-token-importance

# 4. SmolLM2's head roles on the induction probe (16 prompts of 64 random tokens repeated once).
"$bin" analyze --probe induction --out outputs/SmolLM2-induction-probe --quiet
copy outputs/SmolLM2-induction-probe head-role-atlas induction-probe-head-roles
copy outputs/SmolLM2-induction-probe induction-score-by-layer induction-probe-induction-score

# 5. The trained transformer and ResFormer, three seeds each, on their 64 held-out prompts.
"$bin" compare notebooks-data/trained/transformer-seed* notebooks-data/trained/resformer-seed? \
    --prompts notebooks-data/trained/prompts.jsonl --out outputs/trained-pair --quiet
for name in first-token-importance-by-layer value-weighted-share-by-layer value-drain-by-layer; do
    copy outputs/trained-pair "$name" "trained-$name"
done

echo "regenerate: the README's figures are in $fig (PNG and SVG)"
