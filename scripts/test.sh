#!/usr/bin/env bash
# Install the test dependencies and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# A CJK font lets the PDF tests typeset Chinese; without it they skip and say so.
if ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei) >/dev/null 2>&1 \
      || echo "note: could not install fonts-wqy-zenhei; the PDF tests will skip" >&2
  fi
fi
bash scripts/setup.sh test
export HF_HUB_OFFLINE=1
.venv/bin/python -m pytest "$@"
