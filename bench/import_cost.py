"""What ``import gapcore`` costs a notebook or a script, beside ``import pandas`` in the same run.

Each import runs in a fresh interpreter (``python -X importtime`` is not used: it slows what it measures),
interleaved with its baseline so a busy machine slows both alike; the median of ``--runs`` of each and
their ratio are printed. Also: the first ``gapcore.analyze(gapcore.demo())`` (what a first cell waits for),
beside the same work through the modules directly.

    .venv/bin/python bench/import_cost.py --runs 15
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.timing import stopwatch  # noqa: E402

CASES = {
    "import pandas (baseline)": "import pandas",
    "import gapcore": "import gapcore",
    "import gapcore, then gapcore.load is reached": "import gapcore; gapcore.load",
    "first analysis through the modules (baseline)": "from gapcore.io.bundled import demo_result; "
                                                     "from gapcore.analysis import analyze, prepare; "
                                                     "analyze(prepare(demo_result().study)).dimensions",
    "first analysis through gapcore.analyze": "import gapcore; gapcore.analyze(gapcore.demo()).dimensions",
}


def seconds(code: str) -> float:
    with stopwatch() as lap:
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return lap.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, code in CASES.items():
            times[name].append(seconds(code))
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["import pandas (baseline)"]
    modules = medians["first analysis through the modules (baseline)"]
    for name, value in medians.items():
        against = modules if name.startswith("first") else base
        print(f"{name:<48} {value * 1000:7.0f} ms   {value / against:5.2f}x")


if __name__ == "__main__":
    main()
