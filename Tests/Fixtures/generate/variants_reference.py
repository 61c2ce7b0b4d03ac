"""PyTorch references of the paper variants over HF Llama (filled by the variants work)."""

VARIANT_BUILDERS = {}
