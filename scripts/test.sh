#!/usr/bin/env bash
# The README's second command: install what is missing, build everything (optimised, with tests) and run
# the whole Qt Test suite. GUI tests need a display: without one, Xvfb provides it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh
cmake --preset release
cmake --build --preset release -j "$(nproc)"

run_tests=(ctest --preset release --parallel "$(nproc)" "$@")
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    xvfb-run -a -s "-screen 0 1920x1200x24" "${run_tests[@]}"
else
    "${run_tests[@]}"
fi
