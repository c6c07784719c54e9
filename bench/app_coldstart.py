"""App cold start: seconds from `streamlit run app.py` to the first answer shown, in Debian's headless chromium.

usage: .venv/bin/python bench/app_coldstart.py [--kb data/kb] [--port 8765] [--question 辽宁2024年旅游收入是多少？]
       [--expect 6325亿元]
Prints figures; asserts nothing. Needs /usr/bin/chromium (bash scripts/system-deps.sh).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", default="data/kb")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--question", default="辽宁2024年旅游收入是多少？")
    ap.add_argument("--expect", default="6325亿元", help="text the answer shows")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright
    env = dict(os.environ, HF_HUB_OFFLINE="1", POLICYKG_KB=a.kb)
    t0 = time.perf_counter()
    srv = subprocess.Popen([str(Path(sys.executable).parent / "streamlit"), "run", "app.py", "--server.headless", "true",
                            "--server.port", str(a.port), "--browser.gatherUsageStats", "false",
                            "--server.fileWatcherType", "none"], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{a.port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        up = time.perf_counter() - t0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{a.port}/")
            box = page.locator("textarea").last
            box.wait_for(timeout=60000)
            ready = time.perf_counter() - t0
            box.fill(a.question)
            box.press("Enter")
            page.get_by_text(a.expect).first.wait_for(timeout=60000)
            answered = time.perf_counter() - t0
            browser.close()
        print(f"server up {up:.1f} s, chat ready {ready:.1f} s, first answer {answered:.1f} s after start")
    finally:
        srv.terminate()
        srv.wait(10)


if __name__ == "__main__":
    main()
