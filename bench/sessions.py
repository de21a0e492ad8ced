"""Many users on one server: memory of ten sessions with their own uploads (and after they end), and the
time to a refreshed chart when 20 sessions change filters at once, against one session alone.

Run: ``.venv/bin/python bench/sessions.py [--part memory|load|all] [--sessions 20] [--pin] [--app DIR]``
(needs Debian's chromium). ``--pin`` keeps the server on CPU 0 and this process and the browsers on the
other cores (``taskset``/``sched_setaffinity``), so the figures measure the server, not the browsers
competing with it; ``--app`` serves another checkout (an earlier commit in a ``git worktree``) for a
before/after comparison. Prints the figures recorded in BENCHMARKS.md. The server is a real ``streamlit run`` on a
free port, with a 30 s reconnect window (``server.disconnectedSessionTTL``) so the wait stays short;
memory is its resident set size. The baseline is taken after one session has uploaded, analysed and
ended, so that it includes every library the work imports (a one-off cost, not a per-session one).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.served import cpu_seconds, rss_mb, start_served
from bench.timing import stopwatch

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SESSION_TTL = 30  # seconds a closed tab's session is kept for a reconnect (Streamlit's default: 120)
READY = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')"""
# the first chart as drawn (Vega draws SVG here): a change of filter is over when it differs and the run is done
CHART = """() => { const svg = document.querySelector('[data-testid="stVegaLiteChart"] svg');
    return svg ? svg.innerHTML : ''; }"""
REDRAWN = f"""(before) => ({CHART})() !== before && ({READY})()"""
# every chart of the page drawn: a person clicks a filter on the page as shown, not while it is still drawing
DRAWN = """() => { const charts = document.querySelectorAll('[data-testid="stVegaLiteChart"]');
    return charts.length > 0 && Array.from(charts).every(c => c.querySelector('svg'))
        && !document.querySelector('[data-testid="stStatusWidget"]'); }"""


def start_server(app: Path = ROOT, pin: bool = False, script: str = "app.py") -> tuple[subprocess.Popen, str]:
    return start_served(script, app=app, pin=pin, options=["--server.disconnectedSessionTTL", str(SESSION_TTL)])


def study_file(folder: Path, index: int, n: int = 5_000) -> Path:
    rng = np.random.default_rng(index)
    frame = pd.DataFrame({"branch": [f"S{index}-{i % 5}" for i in range(n)],
                          "channel": rng.choice(["app", "phone", "branch"], n)})
    for level in "EP":
        for k in range(1, 23):
            frame[f"{level}{k}"] = rng.integers(1, 8, n)
    path = folder / f"study_{index}.csv"
    frame.to_csv(path, index=False)
    return path


async def ready(page) -> None:
    await page.wait_for_timeout(150)
    await page.wait_for_function(READY, timeout=120_000)


async def open_with_uploads(browser, url: str, folder: Path, indexes: list[int]) -> list:
    """One browser context per index, each uploading its own 5,000-respondent study and opening the
    Dimensions page inside its session; returns the contexts (still open)."""
    contexts = [await browser.new_context() for _ in indexes]
    for context in contexts:
        context.set_default_timeout(180_000)
    pages = [await c.new_page() for c in contexts]
    await asyncio.gather(*(p.goto(f"{url}/Data") for p in pages))
    await asyncio.gather(*(ready(p) for p in pages))
    files = [study_file(folder, i) for i in indexes]
    await asyncio.gather(*(p.locator('[data-testid="stFileUploader"]').first.locator(
        '[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(f)) for p, f in zip(pages, files,
                                                                                         strict=True)))
    await asyncio.gather(*(p.get_by_text("Loaded 5,000 respondents.").wait_for(timeout=180_000) for p in pages))
    # to the Dimensions page inside each session (a new URL would start a new session without the upload)
    await asyncio.gather(*(p.locator('[data-testid="stSidebar"] a[href*="Dimensions"]').first.click()
                           for p in pages))
    await asyncio.gather(*(p.get_by_text("5,000", exact=False).first.wait_for() for p in pages))
    await asyncio.gather(*(ready(p) for p in pages))
    return contexts


async def readings(pid: int, seconds: int) -> list[float]:
    out = []
    for _ in range(seconds // 5):
        await asyncio.sleep(5)
        out.append(rss_mb(pid))
    return out


async def uploads(browser, url: str, pid: int, folder: Path) -> dict[str, float]:
    """Ten sessions upload their own study at once; server RSS before (after one session did the same
    and ended, so every library the work needs is imported), with them, and after they end."""
    for context in await open_with_uploads(browser, url, folder, [99]):
        await context.close()
    await readings(pid, SESSION_TTL + 15)
    baseline = rss_mb(pid)
    cycles = []
    for cycle in range(3):  # the same ten-session wave three times: a leak would grow each time
        contexts = await open_with_uploads(browser, url, folder, list(range(10 * cycle, 10 * cycle + 10)))
        with_sessions = rss_mb(pid)
        for context in contexts:
            await context.close()
        after = await readings(pid, SESSION_TTL + 45)
        cycles.append({"ten_uploads_mb": with_sessions, "after_mb": after[-1], "readings": after})
    # the next visitor: Streamlit reaps expired sessions only when its session storage is written
    visitor = await browser.new_context()
    page = await visitor.new_page()
    await page.goto(url)
    await ready(page)
    await visitor.close()
    later = await readings(pid, 30)
    return {"baseline_mb": baseline, "cycles": cycles, "after_visitor_mb": later[-1]}


async def centre_of(page, option, name: str) -> tuple[float, float]:
    """The centre of the list's option ``name``, where a person clicks, once nothing lies on top of it there
    (``elementFromPoint`` is the option itself: a click does not land on whatever covers it)."""
    for _ in range(50):
        area = await option.bounding_box()
        if area is not None:
            x, y = area["x"] + area["width"] / 2, area["y"] + area["height"] / 2
            hit = await page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('[role=option]')"
                                      "?.textContent ?? ''", [x, y])
            if hit.strip() == name:
                return x, y
        await page.wait_for_timeout(20)
    raise RuntimeError(f"the option {name!r} is covered where a person would click it")


async def filter_changes(browser, url: str, sessions: int, changes: int) -> list[float]:
    """Each session adds branches to the sidebar filter one after another (at most 4: a picked branch
    leaves the list); seconds from a person's click on the value (the mouse at its centre) to the first chart
    drawn anew (its SVG differs from the one before the click) with the run over. A click the list loses (a
    finishing rerun closed it: no chip appears) is retried, and timed from the retry."""
    contexts = [await browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(sessions)]
    for context in contexts:
        context.set_default_timeout(180_000)
    pages = [await c.new_page() for c in contexts]
    await asyncio.gather(*(p.goto(f"{url}/Dimensions") for p in pages))
    await asyncio.gather(*(ready(p) for p in pages))
    await asyncio.gather(*(p.wait_for_function(DRAWN, timeout=180_000) for p in pages))
    branches = ["Seoul", "Busan", "Daegu", "Incheon", "Gwangju"]

    async def one(page, offset: int) -> list[float]:
        times = []
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        for step in range(changes):
            name = branches[(offset + step) % len(branches)]
            option = page.get_by_role("option", name=name, exact=True)
            chip = box.locator('[data-testid="stMultiSelectTagsContainer"]').get_by_text(name, exact=True)
            for attempt in range(5):  # a rerun finishing under load can close the list just opened
                await box.locator("input").click()  # the box centre may be a chip of a picked value
                await option.wait_for(timeout=15_000)
                x, y = await centre_of(page, option, name)
                before = await page.evaluate(CHART)
                start = time.perf_counter()  # from a person's click on the value, not from opening the list
                await page.mouse.click(x, y)
                try:
                    await chip.wait_for(timeout=15_000)
                    break
                except Exception:
                    if attempt == 4:
                        raise
            await page.keyboard.press("Escape")
            await page.wait_for_function(REDRAWN, arg=before, timeout=180_000)
            times.append(time.perf_counter() - start)
        return times

    async def recorded(page, offset: int) -> list[float]:
        try:
            return await one(page, offset)
        except Exception:
            await page.screenshot(path=f"/tmp/sessions_failed_{offset}.png")
            raise

    results = await asyncio.gather(*(recorded(p, i) for i, p in enumerate(pages)))
    for context in contexts:
        await context.close()
    return [t for r in results for t in r]


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


async def main() -> None:
    import argparse

    from playwright.async_api import async_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", choices=["memory", "load", "alone", "all"], default="all",
                        help="alone: one browser session's 20 filter changes, without the crowd")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--pin", action="store_true")
    parser.add_argument("--app", type=Path, default=ROOT)
    args = parser.parse_args()
    # one session alone is timed as served (``serve.py``: the guard in front, as a workshop runs it)
    process, url = start_server(args.app.resolve(), args.pin, "serve.py" if args.part == "alone" else "app.py")
    if args.pin:  # this process and the browsers it starts: every core but the server's
        os.sched_setaffinity(0, set(range(1, os.cpu_count() or 2)))
    print(f"app at {args.app.resolve()}" + (", server pinned to CPU 0, browsers on the others" if args.pin else ""))
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            if args.part in ("memory", "all"):
                with tempfile.TemporaryDirectory() as folder:
                    memory = await uploads(browser, url, process.pid, Path(folder))
                print(f"server RSS: baseline {memory['baseline_mb']:.0f} MB (one session uploaded, analysed, ended)")
                for i, cycle in enumerate(memory["cycles"], 1):
                    print(f"wave {i}: ten 5,000-respondent uploads at once {cycle['ten_uploads_mb']:.0f} MB; "
                          f"{SESSION_TTL + 45} s after they closed {cycle['after_mb']:.0f} MB  (every 5 s: "
                          + " ".join(f"{m:.0f}" for m in cycle["readings"]) + ")")
                print(f"after one more visitor came and went: {memory['after_visitor_mb']:.0f} MB")
            if args.part in ("alone", "load", "all"):
                cpu = cpu_seconds(process.pid)
                alone = [t for _ in range(5) for t in await filter_changes(browser, url, 1, 4)]
                cpu_alone = cpu_seconds(process.pid) - cpu
                print(f"one browser session, {len(alone)} changes: click → chart drawn median "
                      f"{statistics.median(alone):.2f} s, p95 {p95(alone):.2f} s, max {max(alone):.2f} s; server CPU "
                      f"{cpu_alone:.1f} s (with 5 page loads); each: " + " ".join(f"{t:.2f}" for t in alone))
            if args.part in ("load", "all"):
                cpu = cpu_seconds(process.pid)
                with stopwatch() as lap:
                    crowd = await filter_changes(browser, url, args.sessions, 4)
                wall = lap.seconds
                cpu_crowd = cpu_seconds(process.pid) - cpu
                print(f"server CPU: {cpu_alone:.1f} s for the single session's {len(alone)} changes (with 5 page "
                      f"loads); {cpu_crowd:.1f} s for the crowd's {len(crowd)} changes (with {args.sessions} page "
                      f"loads) over {wall:.0f} s of wall time on {os.cpu_count()} cores")
                print(f"filter change → refreshed chart: 1 session p95 {p95(alone):.2f} s (median "
                      f"{statistics.median(alone):.2f}); {args.sessions} sessions p95 {p95(crowd):.2f} s (median "
                      f"{statistics.median(crowd):.2f}, {len(crowd)} changes); ratio of p95 "
                      f"{p95(crowd) / p95(alone):.1f}")
            await browser.close()
    finally:
        process.terminate()


if __name__ == "__main__":
    asyncio.run(main())
