#!/usr/bin/env bash
# Runs every test from a bare Debian 12 machine: installs dependencies, builds with warnings as
# errors, runs the unit tests and the QEMU guest cases, then the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer, and checks formatting.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc)
echo "== build (-Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWARMBOOT_WERROR=ON >/dev/null
cmake --build build -j"$jobs"

echo "== unit and guest tests"
ctest --test-dir build --output-on-failure

echo "== unit tests under ASan+UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DWARMBOOT_WERROR=ON -DWARMBOOT_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" --target warmboot_tests warmboot
ctest --test-dir build-asan -L unit --output-on-failure

echo "== formatting"
scripts/check-format.sh
