#!/usr/bin/env bash
# The main job: install, ingest the bundled corpus if there is no knowledge base yet, start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1  # every model comes from a package; never reach for a hub
KB="${KB:-data/kb}"
if [ ! -f "$KB/kb.sqlite" ]; then
  .venv/bin/kg ingest --kb "$KB" data/corpus
fi
.venv/bin/kg docs --kb "$KB"
PORT="${PORT:-8501}"
# Load the model as soon as the server is up, so the first question does not wait for it.
.venv/bin/python -m kg.ui.warm "$PORT" >/dev/null 2>&1 &
POLICYKG_KB="$KB" exec .venv/bin/streamlit run app.py --server.headless true --server.port "$PORT" \
  --browser.gatherUsageStats false --server.fileWatcherType none --server.scriptHealthCheckEnabled true
