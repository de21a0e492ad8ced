"""A click on the Data page with a large upload in the uploader: server time per rerun, with the uploads
copied and hashed once per new upload (``ui.state.uploaded_files``) against the previous way, a copy
(``getvalue``) and a SHA-256 of every file on every rerun, in the same run.

Run: ``.venv/bin/python bench/data_rerun.py [--mb 40] [--clicks 8]``. AppTest drives the page; a click is
a change of the "Reading options" N/A field back and forth, which reruns the page without a new read.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.timing import options, stopwatch  # noqa: E402


def big_csv(megabytes: float) -> bytes:
    rng = np.random.default_rng(0)
    rows = int(megabytes * 1e6 / 100)
    frame = pd.DataFrame(rng.integers(1, 8, size=(rows, 44)),
                         columns=[*(f"E{k}" for k in range(1, 23)), *(f"P{k}" for k in range(1, 23))])
    frame.insert(0, "branch", rng.choice(["Seoul", "Busan"], rows))
    return frame.to_csv(index=False).encode()


def clicks(data: bytes, count: int, *, cached: bool) -> list[float]:
    from ui import state

    original = state.uploaded_files
    if not cached:  # the previous behaviour: copy and hash on every rerun
        def every_time(uploads):
            files = tuple(state.SourceFile(u.name, u.getvalue()) for u in uploads)
            return files, state.content_key(files)
        state.uploaded_files = every_time
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.switch_page("pages/1_Data.py")
        at.run()
        at.file_uploader(key="w_upload").set_value(("big.csv", data, "text/csv"))
        at.run()
        times = []
        for i in range(count):
            at.text_input(key="w_na").input("" if i % 2 else " ")
            with stopwatch() as lap:
                at.run()
            times.append(lap.seconds)
        return times
    finally:
        state.uploaded_files = original


def main() -> None:
    args = options(__doc__, mb=40.0, clicks=8)
    data = big_csv(args.mb)
    print(f"upload: {len(data) / 1e6:.1f} MB")
    before = clicks(data, args.clicks, cached=False)
    after = clicks(data, args.clicks, cached=True)
    b, a = statistics.median(before), statistics.median(after)
    print(f"rerun, copy+hash every time: median {b * 1000:.0f} ms")
    print(f"rerun, once per upload:      median {a * 1000:.0f} ms  (ratio {a / b:.2f})")


if __name__ == "__main__":
    main()
