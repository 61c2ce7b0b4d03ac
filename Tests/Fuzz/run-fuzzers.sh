#!/usr/bin/env bash
# Runs the libFuzzer targets of Tests/FuzzTargets, each for SECONDS (default 300) or 1,000,000
# executions, whichever comes first; not part of CI (Tests/Fuzz/README.md).
#   bash Tests/Fuzz/run-fuzzers.sh [SECONDS] [TARGET…]     targets: gguf safetensors pytorch config tokenizer prompts
#                                                           metrics npy normalizer resume merge
# Builds a release binary with AddressSanitizer and coverage into .build-fuzz, starts each target from
# its committed seeds plus the test fixtures, keeps the growing corpus in .build-fuzz/corpus/TARGET,
# and copies every crash, leak or timeout input into Tests/Fuzz/crashes/TARGET/ to be committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(gguf safetensors pytorch config tokenizer prompts metrics npy normalizer resume merge)

runtime=$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")/lib/clang
libfuzzer=$(find "$runtime" -name 'libclang_rt.fuzzer_no_main-x86_64.a' | head -n 1)
[ -n "$libfuzzer" ] || { echo "run-fuzzers: libclang_rt.fuzzer_no_main not found under $runtime" >&2; exit 1; }
# -sanitize=fuzzer would also link libFuzzer's own main, which clashes with the driver's @main;
# the driver calls LLVMFuzzerRunDriver itself, so link the no-main runtime instead.
swift build -c release --scratch-path .build-fuzz --product AttnFuzz \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xswiftc -DFUZZING -Xlinker "$libfuzzer" -Xlinker -lstdc++
binary=.build-fuzz/release/AttnFuzz

extra_seeds() { # extra_seeds TARGET DIR: test fixtures that make good starting points
    case "$1" in
        gguf) cp Tests/Fixtures/gguf/*.gguf "$2/" ;;
        tokenizer) for f in Tests/Fixtures/tokenizers/*/tokenizer.json; do
                       { cat "$f"; printf '\0To be, or not to be: 123 ünïcode'; } > "$2/$(basename "$(dirname "$f")")"
                   done ;;
        prompts) cp notebooks-data/prompts/hand-picked.jsonl "$2/" ;;
    esac
}

export OPENBLAS_NUM_THREADS=1 ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
for target in "${targets[@]}"; do
    corpus=.build-fuzz/corpus/$target
    artifacts=.build-fuzz/artifacts/$target
    mkdir -p "$corpus" "$artifacts" "Tests/Fuzz/crashes/$target"
    cp Tests/Fuzz/seeds/"$target"/* "$corpus/" 2>/dev/null || true
    extra_seeds "$target" "$corpus"
    echo "run-fuzzers: $target for ${seconds}s or 1,000,000 runs"
    set +e
    ATTNSCOPE_FUZZ_TARGET=$target "$binary" "$corpus" -max_total_time="$seconds" -runs=1000000 \
        -max_len=65536 -timeout=10 -rss_limit_mb=3072 -malloc_limit_mb=3072 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" 2> ".build-fuzz/$target.log"
    status=$?
    set -e
    grep -E '^stat::(number_of_executed_units|peak_rss_mb)|cov: ' ".build-fuzz/$target.log" | tail -n 3 | sed "s/^/  $target: /"
    for found in "$artifacts"/*; do
        [ -e "$found" ] || continue
        cp "$found" "Tests/Fuzz/crashes/$target/"
        echo "  $target: FOUND $(basename "$found") (exit $status), copied to Tests/Fuzz/crashes/$target/"
    done
done
