#!/usr/bin/env bash
# The main job: set up, build natively, and run krseq compare, which puts
# every protection strategy of the seed's foo() side by side.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/scripts/setup.sh"
cmake -S "$top" -B "$top/build/native" -DKRSEQ_WERROR=ON >/dev/null
cmake --build "$top/build/native" -j "$(nproc)" --target krseq_cli >/dev/null
exec "$top/build/native/src/krseq" compare "$@"
