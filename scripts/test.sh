#!/usr/bin/env bash
# Install the test dependencies and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh test
export HF_HUB_OFFLINE=1
.venv/bin/python -m pytest "$@"
