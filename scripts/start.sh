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
# The app can upload and remove reports and has no login: it listens on this machine only. To let
# other machines in, deliberately, on a network you trust: HOST=0.0.0.0 bash scripts/start.sh
HOST="${HOST:-127.0.0.1}"
# Load the model as soon as the server is up, so the first question does not wait for it.
.venv/bin/python -m kg.ui.warm "$PORT" >/dev/null 2>&1 &
POLICYKG_KB="$KB" exec .venv/bin/streamlit run app.py --server.headless true --server.address "$HOST" --server.port "$PORT" \
  --browser.gatherUsageStats false --server.fileWatcherType none --server.scriptHealthCheckEnabled true
