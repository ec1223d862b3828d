#!/usr/bin/env bash
# The README's first command: install what is missing, build a release build, open LocalLab.
# Arguments are passed to the app, e.g. scripts/run.sh --data resources/data/blobs.csv
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh
cmake --preset release >/dev/null
cmake --build --preset release --target locallab locallab-cli -j "$(nproc)"
exec build/release/app/locallab "$@"
