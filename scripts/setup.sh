#!/usr/bin/env bash
# Create .venv and install PolicyKG into it. torch comes first, pinned to the CPU build
# (2.13.0), so that sentence-transformers does not pull the CUDA wheels.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -e ".${extras:+[$extras]}"
