"""The app on a connected dataset, as served (issue 31): the first radar against the command line on the same source.

Copies the tree to a temporary folder with a ``.streamlit/secrets.toml`` that declares ``--source`` as a connected
dataset, serves ``serve.py``, and measures side by side in one run:

- the command line: ``python -m gapcore analyze --source SOURCE --json`` in a fresh process (wall time);
- a first browser session (headless Debian Chromium): on the Data page, the mouse on "Open", then on Dimensions
  in the sidebar, until the radar is drawn (the cells computed by the engine in this server);
- a second browser session, a new context: the same clicks (the cells are found, not computed).

    python bench/connected_app.py --source /tmp/engbench/study_1000000 [--port 8631]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def command_line(source: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gapcore", "analyze", "--source", source, "--json"], cwd=ROOT,
                   check=True, capture_output=True)
    return time.perf_counter() - start


def click(page, locator) -> None:
    """A person's click: the mouse at the control's centre."""
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def first_radar(browser, url: str) -> float:
    """Open → Dimensions → the radar drawn, from the click on Open."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/Data")
    page.wait_for_selector(".st-key-w_connected_open button", timeout=120_000)
    start = time.perf_counter()
    click(page, page.locator(".st-key-w_connected_open button"))
    page.wait_for_function("document.querySelector('[data-testid=\"stSidebar\"]').innerText.includes('Lake')",
                           timeout=1_800_000)
    click(page, page.locator('[data-testid="stSidebar"] a[href*="Dimensions"]').first)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg',
                           timeout=600_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--port", type=int, default=8631)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    cli = command_line(args.source)
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "app"
        shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.pyc"))
        (tree / ".streamlit" / "secrets.toml").write_text(
            f'[servicegap.sources.lake]\nsource = "{args.source}"\nlabel = "Lake"\n', encoding="utf-8")
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port",
                                   str(args.port), "--server.headless", "true", "--server.address", "127.0.0.1"],
                                  cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(6)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                first = first_radar(browser, f"http://127.0.0.1:{args.port}")
                second = first_radar(browser, f"http://127.0.0.1:{args.port}")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"command line analyze --source     {cli:7.2f} s")
    print(f"app, first session: Open → radar  {first:7.2f} s   ratio {first / cli:5.2f} (target ≤ 1.3)")
    print(f"app, second session: Open → radar {second:7.2f} s   (cells found, not computed)")


if __name__ == "__main__":
    main()
