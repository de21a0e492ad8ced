"""A filter change on every page: server CPU per rerun under AppTest, each page against the Method page
(static text: only the page frame and the sidebar) in the same run.

Run: ``.venv/bin/python bench/rerun.py [--changes 10] [--rows 100000] [--app /path/to/another/checkout]``
(``--app``: measure another checkout of the app, e.g. an earlier commit in a ``git worktree``, with this
script; run it in a separate process so the two do not share imported modules). A change sets the sidebar's
branch filter to a setting not seen before (each branch, then pairs of branches), which reruns the page; then
the changes go back to the last settings seen, which the app keeps (``ui.state.RECENT_SETTINGS``). Without
``--rows`` the demo study (1,500 respondents) is used; with it the demo customers are resampled to that many respondents
and uploaded (a CSV of customers plus the demo's provider tables in a workbook) before the changes.
CPU is ``time.process_time`` of this process (AppTest runs the script in a thread of it). Scripts are
compiled once, as a server does (``--recompile``: compile on every rerun, as AppTest itself does).
BLAS runs one thread, as ``serve.py`` sets it for the server (``--blas-threads N`` to see another setting):
CPU time counts every thread, and a second BLAS thread on a click's small matrices only spins.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

if __name__ == "__main__":  # before numpy is first imported: OpenBLAS reads it then
    _threads = sys.argv[sys.argv.index("--blas-threads") + 1] if "--blas-threads" in sys.argv else "1"
    for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_name] = _threads

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.timing import stopwatch  # noqa: E402

PAGES = ("pages/2_Method.py", "app.py", "pages/3_Dimensions.py", "pages/4_Gap_model.py", "pages/5_Drivers.py",
         "pages/6_Segments.py", "pages/7_Report.py", "pages/8_Present.py")
BRANCHES = ("Seoul", "Busan", "Incheon", "Daegu", "Gwangju")
REVISITED = 4  # the settings a return goes back to: the last ones seen, fewer than the app keeps


def resampled_study(rows: int) -> list[tuple[str, bytes, str]]:
    """The demo study with its customers resampled to ``rows`` (fixed seed), as two upload files."""
    sheets = pd.read_excel(ROOT / "data" / "demo_study.xlsx", sheet_name=None)
    customers = sheets.pop("customers")
    rng = np.random.default_rng(7)
    big = customers.iloc[rng.integers(0, len(customers), rows)].reset_index(drop=True)
    if "id" in big.columns:
        big["id"] = np.arange(1, rows + 1)
    workbook = io.BytesIO()
    with pd.ExcelWriter(workbook) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return [("customers.csv", big.to_csv(index=False).encode(), "text/csv"),
            ("providers.xlsx", workbook.getvalue(), xlsx)]


def compile_once() -> None:
    """Compile each script once, as a real server does: its ``Runtime`` holds one ``ScriptCache`` for every
    session and rerun. AppTest makes a new cache for every run, so each of its reruns would also pay for
    parsing app.py and the page and adding Streamlit's "magic" to them — a cost no server pays, and one that
    grows with the page's length."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def filter_settings(count: int) -> list[list[str]]:
    """``count`` different values of the branch filter: each branch alone, then pairs of branches. Each change
    is a setting the session has not seen, so no change finds its results kept from an earlier one (the app
    keeps the results of a session's recent settings)."""
    singles = [[branch] for branch in BRANCHES]
    pairs = [list(pair) for pair in itertools.combinations(BRANCHES, 2)]
    settings = (singles + pairs)[:count]
    if len(settings) < count:
        raise SystemExit(f"at most {len(singles) + len(pairs) - 1} changes")
    return settings


def page_reruns(app: Path, page: str, changes: int, upload: list[tuple[str, bytes, str]] | None
                ) -> tuple[list[float], list[float]]:
    """CPU of each change to a new setting, then of each return to one of the last settings seen."""
    at = AppTest.from_file(str(app / "app.py"), default_timeout=900)
    if upload is not None:
        at.switch_page("pages/1_Data.py")
        at.run()
        at.file_uploader(key="w_upload").set_value(upload)
        at.run()
        assert not at.exception, at.exception
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    shared = getattr(sys.modules.get("ui.state"), "shared_results", None)
    if shared is not None:  # the demo's results are kept for every session: each page's new settings start new
        shared.clear()

    def change(values: list[str]) -> float:
        at.multiselect(key="w_f_branch").set_value(values)
        with stopwatch(time.process_time) as lap:
            at.run()
        assert not at.exception, at.exception
        return lap.seconds

    settings = filter_settings(changes + 1)
    new = [change(values) for values in settings][1:]  # the first change also warms what a page keeps per study
    recent = settings[-REVISITED:]
    returns = [change(values) for values in [*recent[::-1][1:], *recent]]
    return new, returns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--app", type=Path, default=ROOT)
    parser.add_argument("--blas-threads", type=int, default=1, help="BLAS threads (read before the imports)")
    parser.add_argument("--recompile", action="store_true", help="compile the scripts on every rerun (AppTest's way)")
    args = parser.parse_args()
    app = args.app.resolve()
    if not args.recompile:
        compile_once()
    sys.path.insert(0, str(app))
    upload = resampled_study(args.rows) if args.rows else None
    medians, returns = {}, {}
    for page in PAGES:
        new, back = page_reruns(app, page, args.changes, upload)
        medians[page], returns[page] = statistics.median(new), statistics.median(back)
    method = medians["pages/2_Method.py"]
    label = f"{args.rows:,} respondents (resampled demo)" if args.rows else "demo study, 1,500 respondents"
    compiled = "compiled on every rerun" if args.recompile else "each script compiled once"
    print(f"{label}, app at {app}: server CPU per filter change, median of {args.changes} changes to a setting "
          f"not seen before and of {2 * REVISITED - 1} returns to one of the last {REVISITED} ({compiled})")
    print("| page | new setting, ms | × Method | return, ms | × Method |\n| --- | ---: | ---: | ---: | ---: |")
    for page, value in medians.items():
        print(f"| {Path(page).stem} | {value * 1000:.0f} | {value / method:.2f} | {returns[page] * 1000:.0f} "
              f"| {returns[page] / method:.2f} |")

if __name__ == "__main__":
    main()
