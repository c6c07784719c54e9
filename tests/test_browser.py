"""`streamlit run app.py` driven by a real headless Chromium (Debian's, through Playwright): ask, see a citation,
open an entity. Screenshots go to a temporary folder (POLICYKG_SCREENSHOTS=docs refreshes README's). Run with
`pytest -m browser`; skips when /usr/bin/chromium is missing (install it with `bash scripts/system-deps.sh`)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from test_app import ROOT, build_kb

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
# Screenshots go to a temporary folder; POLICYKG_SCREENSHOTS=docs refreshes the ones README shows.
DOCS = Path(os.environ.get("POLICYKG_SCREENSHOTS") or tempfile.mkdtemp(prefix="policykg-shots-")).resolve()
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
QUESTION = "2024年辽宁省旅游收入是多少？"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url}/_stcore/health within {timeout:.0f} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free loopback port over a small fake-embedder knowledge base; stopped afterwards."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: run `bash scripts/system-deps.sh` (as root) to install Debian's chromium")
    pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extra)")
    kb = Path(os.environ.get("POLICYKG_BROWSER_KB") or build_kb(tmp_path_factory.mktemp("browserkb") / "kb"))
    port = free_port()
    log = open(tmp_path_factory.mktemp("streamlit") / "streamlit.log", "w+")
    env = {**os.environ, "POLICYKG_KB": str(kb), "HF_HUB_OFFLINE": "1"}
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc)
        yield url, started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.seek(0)
        print(log.read()[-3000:])
        log.close()


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright
    url, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            outside: list[str] = []

            def only_local(route):  # nothing may leave the machine: record and refuse it
                if route.request.url.startswith(url) or route.request.url.startswith(("data:", "blob:", "about:")):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()
            context.route("**/*", only_local)
            page = context.new_page()
            page.set_default_timeout(60_000)
            yield page, outside
        finally:
            browser.close()


def test_chat_answers_with_a_citation_card(server, browser_page):
    url, started = server
    page, outside = browser_page
    page.goto(url)
    box = page.locator('[data-testid="stChatInputTextArea"]')
    box.wait_for(state="visible", timeout=60_000)
    box.fill(QUESTION)
    box.press("Enter")
    page.get_by_text("6325亿元", exact=True).wait_for(state="visible", timeout=90_000)
    first_answer = time.monotonic() - started
    card = page.locator('[data-testid="stExpander"]').filter(has_text="辽宁省金融运行报告（2025）").first
    card.wait_for(state="visible", timeout=10_000)
    assert card.locator("mark").first.is_visible(), "the supporting span is highlighted"
    assert "旅游收入 6325 亿元" in card.inner_text()
    page.wait_for_timeout(500)
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "screenshot-chat.png"), full_page=True)
    print(f"first answer {first_answer:.1f} s after `streamlit run`")
    assert not outside, f"requests left the machine: {outside}"


def test_entity_page_for_liaoning(server, browser_page):
    url, _ = server
    page, outside = browser_page
    page.goto(f"{url}/?page=Entities&entity=辽宁")
    page.get_by_role("heading", name="辽宁", exact=True).wait_for(state="visible", timeout=60_000)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(DOCS / "screenshot-entities.png"), full_page=True)
    page.get_by_role("tab", name="Over time").click()
    page.locator('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]').first.wait_for(
        state="visible", timeout=30_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(DOCS / "screenshot-chart.png"), full_page=True)
    page.get_by_role("tab", name="Neighbourhood").click()
    frame = page.frame_locator("iframe").first
    frame.locator("canvas").first.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(4000)  # let the physics settle
    page.screenshot(path=str(DOCS / "screenshot-graph.png"), full_page=True)
    assert not outside, f"requests left the machine: {outside}"


def test_export_downloads_turtle_and_sparql_shows_rows(server, browser_page):
    url, _ = server
    page, outside = browser_page
    page.goto(f"{url}/?page=Export+%26+SPARQL")
    button = page.locator('[data-testid="stDownloadButton"]').filter(has_text="Turtle").locator("button")
    button.wait_for(state="visible", timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    data = Path(download.value.path()).read_bytes()
    assert len(data) > 1000 and "辽宁".encode() in data and download.value.suggested_filename == "policykg.ttl"
    page.get_by_role("button", name="Run query").click()
    page.get_by_text("2 rows", exact=True).wait_for(state="visible", timeout=30_000)
    assert not outside, f"requests left the machine: {outside}"
