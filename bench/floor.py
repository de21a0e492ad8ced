"""The floor of a filter change: what a page would cost if every figure, table and chart spec were already
computed, against the page as it is and the Method page, in one run.

Run: ``.venv/bin/python bench/floor.py [--changes 10] [--pages Dimensions Segments]``. For each page, one
filter change is recorded under AppTest: every element the page sends (charts as the specs and Arrow
datasets Streamlit receives, tables as the frames, texts, metrics, messages) with its arguments. A replay
page in a temporary copy of the app (the same frame: ``ui.page.run``, the sidebar, the gate) then sends the
recorded elements again on every rerun, with the popover and two download buttons each chart has, and
computes nothing. Its CPU per filter change is what Streamlit itself costs to send what the page shows: no
change to gapcore or the page can bring the page below it. CPU is ``time.process_time``, as in
``bench/rerun.py``, each script compiled once, BLAS on one thread.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

if __name__ == "__main__":  # before numpy is first imported: OpenBLAS reads it then
    for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_name] = "1"

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
from rerun import BRANCHES, compile_once, page_reruns  # noqa: E402

from ui import sidebar  # noqa: E402

PAGES = {"Method": "pages/2_Method.py", "Home": "app.py", "Dimensions": "pages/3_Dimensions.py",
         "Gap_model": "pages/4_Gap_model.py", "Drivers": "pages/5_Drivers.py", "Segments": "pages/6_Segments.py",
         "Report": "pages/7_Report.py", "Present": "pages/8_Present.py"}
RECORDED = ("vega_lite_chart", "dataframe", "table", "caption", "markdown", "write", "metric", "title", "subheader",
            "header", "info", "warning", "error", "success", "text", "code", "image", "progress")
REPLAY_PAGE = '''
import pickle, os
import streamlit as st
from ui.page import run

ELEMENTS = pickle.loads(open(os.environ["SERVICEGAP_FLOOR"], "rb").read())

def replay(lang):
    for index, (method, args, kwargs) in enumerate(ELEMENTS):
        getattr(st, method)(*args, **kwargs)
        if method == "vega_lite_chart":
            with st.popover("download", key=f"floor_pop_{index}"):
                st.download_button("png", data=lambda: b"", file_name="c.png", key=f"floor_png_{index}",
                                   on_click="ignore")
                st.download_button("svg", data=lambda: b"", file_name="c.svg", key=f"floor_svg_{index}",
                                   on_click="ignore")

run(replay)
'''


def record(app: Path, page: str) -> list[tuple[str, tuple, dict]]:
    """The elements one filter change of ``page`` sends, in order, with their arguments: those of the page's
    body, not of the sidebar (the replay page draws its own), and the outermost call only (``st.write`` of a
    text is recorded as itself, not as the ``markdown`` it makes)."""
    calls: list[tuple[str, tuple, dict]] = []
    depth = [0]
    originals = {name: getattr(DeltaGenerator, name) for name in RECORDED}
    module_level = {name: getattr(st, name) for name in RECORDED}

    def recorded(name, method):
        def call(*args, **kwargs):
            if depth[0] == 0:
                shown = args[1:] if args and isinstance(args[0], DeltaGenerator) else args
                calls.append((name, shown, {k: v for k, v in kwargs.items() if k != "key"}))
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1
        return call

    at = AppTest.from_file(str(app / "app.py"), default_timeout=900)
    at.switch_page(page)
    at.run()
    at.multiselect(key="w_f_branch").set_value([BRANCHES[0]])
    at.run()
    render_sidebar = sidebar.render

    def sidebar_unrecorded() -> str:
        depth[0] += 1
        try:
            return render_sidebar()
        finally:
            depth[0] -= 1

    try:
        sidebar.render = sidebar_unrecorded
        for name in RECORDED:
            setattr(DeltaGenerator, name, recorded(name, originals[name]))
            setattr(st, name, recorded(name, module_level[name]))
        at.multiselect(key="w_f_branch").set_value([BRANCHES[1]])
        at.run()
    finally:
        sidebar.render = render_sidebar
        for name in RECORDED:
            setattr(DeltaGenerator, name, originals[name])
            setattr(st, name, module_level[name])
    assert not at.exception, at.exception
    return calls


def reruns(app: Path, page: str, changes: int) -> list[float]:
    """CPU of each change to a setting not seen before, as ``bench/rerun.py`` measures it."""
    return page_reruns(app, page, changes, None)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--pages", nargs="*", default=[p for p in PAGES if p != "Method"])
    args = parser.parse_args()
    compile_once()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "app"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "tests", "bench", "__pycache__"))
        (copy / "pages" / "9_Floor.py").write_text(REPLAY_PAGE)
        recordings = Path(folder) / "elements.pickle"
        os.environ["SERVICEGAP_FLOOR"] = str(recordings)
        method = statistics.median(reruns(ROOT, PAGES["Method"], args.changes))
        print(f"demo study: server CPU per filter change, median of {args.changes}; Method page {method * 1000:.0f} ms")
        print("| page | elements (charts) | page | × Method | floor: the same elements, nothing computed "
              "| × Method |\n| --- | ---: | ---: | ---: | ---: | ---: |")
        for name in args.pages:
            elements = record(ROOT, PAGES[name])
            recordings.write_bytes(pickle.dumps(elements))
            page = statistics.median(reruns(ROOT, PAGES[name], args.changes))
            floor = statistics.median(reruns(copy, "pages/9_Floor.py", args.changes))
            charts = sum(1 for method_name, _, _ in elements if method_name == "vega_lite_chart")
            print(f"| {name} | {len(elements)} ({charts}) | {page * 1000:.0f} ms | {page / method:.2f} "
                  f"| {floor * 1000:.0f} ms | {floor / method:.2f} |")


if __name__ == "__main__":
    main()
