"""attnscope's whole job beside llama.cpp's forward pass on the same GGUF and token ids, alternated in one session.

For each length, each round runs `AttnBenchmarks --case T` (attnscope: forward pass, per-head statistics, metrics;
the median of its own runs) and then llama.cpp's prompt evaluation of the same token ids (llama-cpp-python, logits
of the last token only, no maps), with flash attention off and on, each the median of `--runs` evaluations; the
better of the two counts, as llama.cpp users would pick it. The script prints each round and, per length, the
medians over rounds and their ratio (attnscope / llama.cpp). Outside CI: it needs llama-cpp-python, built from
source for this CPU:

    CMAKE_ARGS=-DGGML_NATIVE=ON python -m pip install llama-cpp-python      # slow: builds llama.cpp
    swift build -c release --product AttnBenchmarks
    python notebooks-data/bench/llama_cpp_side_by_side.py notebooks-data/checkpoints/SmolLM2-135M-Instruct.Q4_1.gguf \
        --lengths 512 2048 --rounds 3 --threads 2

Run from the repository root (AttnBenchmarks reads notebooks-data/prompts). The machine should be otherwise idle.
"""
import argparse
import json
import re
import statistics
import subprocess
import sys
import time


def attnscope(bench, checkpoint, length, threads):
    """The job time AttnBenchmarks reports for one prompt of `length` tokens, and its sgemm peak."""
    out = subprocess.run([bench, checkpoint, "--case", str(length), "--threads", str(threads)],
                         check=True, capture_output=True, text=True).stdout
    job = re.search(r"job ([0-9.]+) s", out)
    peak = re.search(r"sgemm peak ([0-9.]+) GFLOP/s", out)
    if not job or not peak:
        sys.exit(f"AttnBenchmarks printed no job time:\n{out}")
    return float(job.group(1)), float(peak.group(1))


def tokens(bench, checkpoint, length):
    out = subprocess.run([bench, checkpoint, "--tokens", str(length)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)["token_ids"]


def llama_cpp(checkpoint, ids, threads, runs, flash):
    """The median time llama.cpp takes to evaluate `ids` as one prompt."""
    from llama_cpp import Llama

    llm = Llama(model_path=checkpoint, n_ctx=len(ids), n_batch=len(ids), n_ubatch=min(len(ids), 512),
                n_threads=threads, n_threads_batch=threads, flash_attn=flash, logits_all=False, verbose=False)
    times = []
    for _ in range(runs):
        llm.reset()
        llm._ctx.kv_cache_clear() if hasattr(llm._ctx, "kv_cache_clear") else None
        start = time.perf_counter()
        llm.eval(ids)
        times.append(time.perf_counter() - start)
    del llm
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("--lengths", type=int, nargs="+", default=[512, 2048])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3, help="llama.cpp evaluations per setting and round")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--bench", default=".build/release/AttnBenchmarks")
    args = parser.parse_args()
    for length in args.lengths:
        ids = tokens(args.bench, args.checkpoint, length)
        ours, theirs, peaks = [], [], []
        for round in range(args.rounds):
            job, peak = attnscope(args.bench, args.checkpoint, length, args.threads)
            off = llama_cpp(args.checkpoint, ids, args.threads, args.runs, flash=False)
            on = llama_cpp(args.checkpoint, ids, args.threads, args.runs, flash=True)
            ours.append(job)
            theirs.append(min(off, on))
            peaks.append(peak)
            print(f"T={length:5d} round {round + 1}: attnscope job {job:.2f} s (sgemm peak {peak:.0f} GFLOP/s)  "
                  f"llama.cpp forward {off:.2f} s flash off, {on:.2f} s flash on", flush=True)
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"T={length:5d} medians over {args.rounds} rounds: attnscope {a:.2f} s, llama.cpp {b:.2f} s, "
              f"ratio {a / b:.2f}x (sgemm peak {statistics.median(peaks):.0f} GFLOP/s)", flush=True)


if __name__ == "__main__":
    main()
