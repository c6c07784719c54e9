#!/usr/bin/env bash
# Debian packages the tests use when present: chromium (the browser test drives it; Playwright's own
# browser download needs the internet) and a CJK font (PDF tests typeset Chinese, screenshots show it);
# and catdoc, which reads legacy Word .doc/.wps files for ingest (ingest/formats/doc.py).
# Installed when we are root and apt-get exists; without them those tests skip and say why.
set -uo pipefail
want=()
[ -x /usr/bin/chromium ] || want+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || want+=(fonts-wqy-zenhei)
command -v catdoc >/dev/null || want+=(catdoc)
[ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${want[@]}") >/dev/null 2>&1 \
    || echo "note: could not install ${want[*]}; the tests that need them will skip" >&2
else
  echo "note: missing Debian packages ${want[*]}; the tests that need them will skip" >&2
fi
exit 0
