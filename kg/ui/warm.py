"""Warm a freshly started app: `python -m kg.ui.warm [PORT]` waits for `streamlit run app.py` (started with
--server.scriptHealthCheckEnabled true) and asks it to run the script once, which starts loading the embedding
model and indexes in the server, so the first real question is answered without waiting for them."""
from __future__ import annotations

import sys
import time
import urllib.request


def warm(url: str, timeout: float = 120.0, pause: float = 1.0) -> bool:
    """Poll `url` until it answers 200 (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(pause)
    return False


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    port = int(args[0]) if args else 8501
    return 0 if warm(f"http://127.0.0.1:{port}/_stcore/script-health-check") else 1


if __name__ == "__main__":
    sys.exit(main())
