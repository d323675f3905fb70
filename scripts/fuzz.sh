#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer harnesses (fuzz/*_fuzzer.cc) with clang, ASan and UBSan in build-fuzz/ and
# runs each for a while, one at a time. Harnesses call only core's parsers and the fakes: nothing
# here touches kexec, reboot or the host's /boot.
#
#   scripts/fuzz.sh                       every harness, 60 s each
#   scripts/fuzz.sh 300                   every harness, 300 s each
#   scripts/fuzz.sh 600 grub_cfg cpio     the harnesses named (with or without "_fuzzer")
#   JOBS=2 scripts/fuzz.sh 5              build with -j2 (default -j1: the machine is shared)
#
# Corpora live in build-fuzz/corpus/<harness> (seeded from tests/data and fuzz/seeds/<harness> by
# scripts/fuzz-seeds.sh, and kept between runs); crashes, timeouts and OOMs are written to
# build-fuzz/crashes/<harness>/, libFuzzer's output to build-fuzz/logs/<harness>.log. Prints one
# line per harness (runs, coverage, corpus, findings); exits 1 when any harness found something.
# Reproduce a finding with:  build-fuzz/<harness> build-fuzz/crashes/<harness>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
[ $# -gt 0 ] && shift
case $seconds in
  '' | *[!0-9]*) echo "fuzz: usage: scripts/fuzz.sh [SECONDS] [HARNESS...]" >&2; exit 2 ;;
esac

build="build-fuzz"
command -v clang++ >/dev/null || {
  echo "fuzz: clang++ not found (scripts/install-deps.sh installs clang)" >&2
  exit 2
}

# Largest input per harness: a little above what the parser reads of a real file.
max_len_of() {
  case $1 in
    grubenv_fuzzer | loader_conf_fuzzer) echo 4096 ;;
    cmdline_fuzzer | version_order_fuzzer) echo 8192 ;;
    bls_entry_fuzzer | config_fuzzer) echo 16384 ;;
    pe_uki_fuzzer | kernel_image_fuzzer) echo 81920 ;;  # past the 64 KiB head read_uki takes
    boot_root_fuzzer) echo 131072 ;;
    *) echo 65536 ;;
  esac
}

harnesses=()
if [ $# -eq 0 ]; then
  for source in fuzz/*_fuzzer.cc; do harnesses+=("$(basename "$source" .cc)"); done
else
  for name in "$@"; do
    name=${name%_fuzzer}_fuzzer
    [ -f "fuzz/$name.cc" ] || { echo "fuzz: no harness fuzz/$name.cc" >&2; exit 2; }
    harnesses+=("$name")
  done
fi

echo "fuzz: building ${harnesses[*]} in $build/"
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWARMBOOT_WERROR=ON -DWARMBOOT_FUZZ=ON >/dev/null
cmake --build "$build" -j"${JOBS:-1}" --target "${harnesses[@]}" >"$build/fuzz-build.log" 2>&1 || {
  tail -n 40 "$build/fuzz-build.log" >&2
  echo "fuzz: build failed (log: $build/fuzz-build.log)" >&2
  exit 1
}

# The field after `key` in libFuzzer's last status line ("#1234 ... cov: 567 ft: 890 corp: 12/3Kb").
last_status_field() {
  grep -E '^#[0-9]+' "$2" | tail -n 1 | sed -nE "s/.* $1: ([0-9]+).*/\\1/p"
}

failed=()
for harness in "${harnesses[@]}"; do
  corpus=$build/corpus/$harness
  crashes=$build/crashes/$harness
  log=$build/logs/$harness.log
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  scripts/fuzz-seeds.sh "$harness" "$corpus"
  before=$(find "$crashes" -type f | wc -l)
  status=0
  # One process: no -fork/-jobs; libFuzzer runs in this process until the time is up or it finds
  # something.
  "$build/$harness" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -max_len="$(max_len_of "$harness")" -artifact_prefix="$crashes/" -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  after=$(find "$crashes" -type f | wc -l)
  runs=$(sed -nE 's/^stat::number_of_executed_units: ([0-9]+)/\1/p' "$log" | tail -n 1)
  if [ -z "$runs" ]; then
    runs=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -nE 's/^#([0-9]+).*/\1/p')
  fi
  found=$((after - before))
  [ "$status" -ne 0 ] && [ "$found" -eq 0 ] && found=1  # e.g. a crash before any artifact
  printf '%-22s %4ss  runs %-10s cov %-6s ft %-7s corpus %-6s findings %s\n' "$harness" \
    "$seconds" "${runs:-?}" "$(last_status_field cov "$log")" "$(last_status_field ft "$log")" \
    "$(find "$corpus" -type f | wc -l)" "$found"
  if [ "$found" -ne 0 ]; then
    failed+=("$harness")
    grep -m 3 -E 'ERROR: |SUMMARY: |fuzz property violated|runtime error' "$log" | sed 's/^/    /' || true
    echo "    log: $log  artifacts: $crashes/" >&2
  fi
done

if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no findings"
