#!/usr/bin/env bash
# The main job: install, ingest the bundled corpus if there is no knowledge base yet, show it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
KB="${KB:-data/kb}"
if [ ! -f "$KB/kb.sqlite" ]; then
  .venv/bin/kg ingest --kb "$KB" data/corpus
fi
.venv/bin/kg docs --kb "$KB"
