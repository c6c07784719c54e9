#!/usr/bin/env bash
# Time the quick start as a fresh machine runs it: a clean clone of the committed tree, a new .venv,
# empty pip and model caches (HOME points at an empty folder), no knowledge base. Prints the seconds
# of each phase: install (scripts/setup.sh), first ingest of data/corpus with the embedding model
# (what scripts/start.sh does before the app starts), and their sum. The app's own start to its
# first answer is bench/app_coldstart.py. Usage: bash bench/first_run.sh [WORKDIR]
set -euo pipefail
SRC="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-$(mktemp -d)}"
git clone --quiet "$SRC" "$WORK/repo"
mkdir -p "$WORK/home"
cd "$WORK/repo"
export HOME="$WORK/home" HF_HUB_OFFLINE=1
t0=$(date +%s)
bash scripts/setup.sh
t1=$(date +%s)
.venv/bin/kg ingest --kb data/kb data/corpus
t2=$(date +%s)
echo "install $((t1 - t0)) s; first ingest $((t2 - t1)) s; total $((t2 - t0)) s ($(nproc) cores; $(uname -m))"
