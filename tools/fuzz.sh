#!/bin/sh
# fuzz.sh: run the libFuzzer targets (fuzz_elf, fuzz_cpio) of a host build.
#
#   tools/fuzz.sh [-r RUNS] [-b BUILD_DIR] [TARGET...]
#
#   -r RUNS       inputs per target (libFuzzer -runs=), default 1000000
#   -b BUILD_DIR  the host build, default ./build; the fuzzers are found under it
#   TARGET        elf, cpio (default: both)
#
# Each target starts from tests/fuzz/corpus/<target> (read only) and writes the inputs it finds
# to a scratch corpus in $FUZZ_WORK (default /tmp/keel-fuzz/<target>), crashes included
# (crash-*, leak-*, timeout-*). The last lines of each run (runs, coverage "cov:" and feature
# "ft:" counts) are printed. Copy small interesting or crashing inputs into the seed corpus by
# hand; `ctest -R fuzz` replays it. Exits non-zero if any fuzzer failed.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
runs=1000000
build=build
while getopts r:b: opt; do
    case $opt in
    r) runs=$OPTARG ;;
    b) build=$OPTARG ;;
    *) sed -n '3,9p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- elf cpio
work=${FUZZ_WORK:-/tmp/keel-fuzz}

status=0
for target in "$@"; do
    bin=$(find "$build" -type f -name "fuzz_$target" -perm -u+x | head -n 1)
    if [ -z "$bin" ]; then
        echo "fuzz.sh: no fuzz_$target under $build (configure with clang, build it)" >&2
        exit 2
    fi
    seeds=$root/tests/fuzz/corpus/$target
    out=$work/$target
    mkdir -p "$out"
    log=$out/fuzz.log
    echo "== fuzz_$target: $runs runs, seeds $seeds, new inputs in $out"
    if "$bin" -runs="$runs" -artifact_prefix="$out/" -print_final_stats=1 "$out" "$seeds" \
        >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
    fi
    grep -E '^#[0-9]+.*(INITED|DONE)|^Done [0-9]+ runs|stat::number_of_executed_units|ERROR|SUMMARY' \
        "$log" || true
    echo "== fuzz_$target: $result (full log: $log)"
done
exit $status
