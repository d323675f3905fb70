#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the tests from a bare Debian 12 machine: installs dependencies, builds with warnings as
# errors, runs the unit tests, then again under AddressSanitizer + UndefinedBehaviorSanitizer,
# every fuzz harness briefly, checks formatting, builds the Debian packages (amd64; arm64
# cross-built), lintian clean, and last runs the QEMU guest cases of the CI tier.
#
#   scripts/test.sh          guest cases labelled vm-ci (TIER=ci in the case file)
#   scripts/test.sh --full   every guest case (vm-ci and vm-full)
set -euo pipefail
cd "$(dirname "$0")/.."

vm_label=vm-ci
case ${1:-} in
  '') ;;
  --full) vm_label=vm ;;
  *) echo "test: usage: scripts/test.sh [--full]" >&2; exit 2 ;;
esac

scripts/install-deps.sh

jobs=$(nproc)
echo "== build (-Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWARMBOOT_WERROR=ON >/dev/null
cmake --build build -j"$jobs"

echo "== unit tests"
ctest --test-dir build -L unit --output-on-failure

echo "== unit tests under ASan+UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DWARMBOOT_WERROR=ON -DWARMBOOT_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" --target warmboot_tests warmboot_core_tests warmboot
ctest --test-dir build-asan -L unit --output-on-failure

# Every libFuzzer harness for about 5 s (clang, ASan+UBSan, build-fuzz/): long enough to catch a
# parser that crashes on its seeds or soon after; long runs are `scripts/fuzz.sh 600`.
echo "== fuzz (short)"
JOBS="$jobs" scripts/fuzz.sh 5

echo "== formatting"
scripts/check-format.sh

# Into the directories the guest cases take them from (tests/vm/lib/payload.sh), which then find
# them built.
echo "== Debian packages (dpkg-buildpackage, lintian)"
scripts/build-deb.sh --nocheck --out build/deb/amd64
scripts/build-deb.sh --arch arm64 --out build/deb/arm64

echo "== guest tests (ctest -L $vm_label)"
ctest --test-dir build -L "$vm_label" --output-on-failure
