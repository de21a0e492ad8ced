"""End-to-end fixtures: a real ``streamlit run serve.py`` (as ``make run`` starts it) on a free port and
Debian's Chromium via Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "tests" / "artifacts" / "screens"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(**env: str) -> Iterator[str]:
    """``streamlit run serve.py`` on a free port (with ``env`` added), until the block ends."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **env},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        raise RuntimeError("streamlit did not become healthy: " + process.stdout.read().decode()[-2000:])
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    with streamlit_server() as url:
        yield url


# Installed in every page before its scripts run: counts each change of Streamlit's script state (the app
# root's data-test-script-state: "rerunRequested", "running", "notRunning") and notes when the last one came,
# so a test waits for the run an action started and for the app to stay idle (tests/e2e/test_browser.py).
RUN_WATCH = """(() => {
  window.__sgRuns = 0; window.__sgSeen = 0; window.__sgLast = 0;
  const attach = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) { requestAnimationFrame(attach); return; }
    new MutationObserver((records) => { window.__sgRuns += records.length; window.__sgLast = performance.now(); })
      .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  };
  attach();
})();"""


def watching(instance):
    """The browser with every new context watching the script state (``RUN_WATCH``)."""
    new_context = instance.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.add_init_script(RUN_WATCH)
        return context

    instance.new_context = watched_context
    return instance


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (make test installs it as root)")
        pytest.skip("Debian's chromium is not installed: apt-get install chromium chromium-driver")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # assertions wait like a user on a busy two-core CI machine
    with sync_playwright() as playwright:
        instance = watching(playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS))
        yield instance
        instance.close()


@pytest.fixture
def page(browser, server):  # noqa: ARG001 — the app is up before a tab opens
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US", accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


def screenshot(tab, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
