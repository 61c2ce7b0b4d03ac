"""HF transformers on the AttnBenchmarks prompts: the reference the README's performance section quotes.

Runs the checkpoint with eager attention and output_attentions (the maps a
probe needs, as attnscope computes them) over the same token ids, each length
in a fresh process so that the peak resident memory (ru_maxrss) is that
length's own. Outside CI: it needs torch and transformers (e.g. /work/venv10).

    swift run -c release AttnBenchmarks --tokens 2048 > /tmp/prompt-2048.jsonl
    python notebooks-data/bench/hf_reference.py notebooks-data/checkpoints/SmolLM2-135M-Instruct.Q4_1.gguf \
        /tmp/prompt-512.jsonl /tmp/prompt-2048.jsonl [--threads N] [--runs 3]

HF eager at 8,192 tokens needs about 72 GB for SmolLM2's maps alone: do not run it on a small machine.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def measure(checkpoint: str, prompt: str, threads: int, runs: int) -> None:
    import torch
    from transformers import AutoModelForCausalLM

    torch.set_num_threads(threads)
    folder, name = os.path.split(os.path.abspath(checkpoint))
    start = time.perf_counter()
    if name.endswith(".gguf"):
        model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, torch_dtype=torch.float32, attn_implementation="eager")
    else:
        model = AutoModelForCausalLM.from_pretrained(checkpoint, torch_dtype=torch.float32, attn_implementation="eager")
    model.eval()
    load = time.perf_counter() - start
    with open(prompt) as f:
        ids = json.loads(f.readline())["token_ids"]
    tokens = torch.tensor([ids])
    times = []
    with torch.no_grad():
        for _ in range(runs):
            start = time.perf_counter()
            out = model.model(input_ids=tokens, output_attentions=True, output_hidden_states=True)
            times.append(time.perf_counter() - start)
            del out
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"T={len(ids):5d}  HF eager forward with output_attentions {statistics.median(times):.2f} s (median of {runs}, "
          f"{threads} threads)  peak RSS {peak:.0f} MiB  load {load:.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("prompts", nargs="+", help="JSON Lines files with one {\"token_ids\": [...]} record (AttnBenchmarks --tokens T)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        measure(args.checkpoint, args.prompts[0], args.threads, args.runs)
        return
    for prompt in args.prompts:
        subprocess.run([sys.executable, __file__, args.checkpoint, prompt, "--threads", str(args.threads), "--runs", str(args.runs), "--one"], check=True)


if __name__ == "__main__":
    main()
