#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fails when a layer reaches above itself: src/core may include only src/core, src/os only
# src/core and src/os; fakes live in tests/fakes and nothing under src/ includes them.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
bad=0
report() {
  echo "layers: $1" >&2
  bad=1
}
while IFS= read -r hit; do report "core reaches up: $hit"; done < <(grep -rnE '#include "(os|cli|fakes)/' src/core || true)
while IFS= read -r hit; do report "os reaches up: $hit"; done < <(grep -rnE '#include "(cli|fakes)/' src/os || true)
while IFS= read -r hit; do report "a fake in production code: $hit"; done < <(grep -rnE '#include "fakes/|class Fake' src || true)
while IFS= read -r file; do report "a fake outside tests/fakes: $file"; done < <(find src -name 'fake_*' || true)
((bad == 0)) && echo "layers: core -> os -> cli, fakes only in tests"
exit "$bad"
