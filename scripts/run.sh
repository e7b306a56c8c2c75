#!/usr/bin/env bash
# The main job, for now: set up, build natively, and run the per-CPU
# counter example on the simulated machine. (krseq compare replaces it.)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/scripts/setup.sh"
cmake -S "$top" -B "$top/build/native" -DKRSEQ_WERROR=ON >/dev/null
cmake --build "$top/build/native" -j "$(nproc)" --target hello_percpu >/dev/null
exec "$top/build/native/examples/hello_percpu"
