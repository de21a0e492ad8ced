"""Load benchmark: pyarrow's CSV read alone vs the full gapcore load + validate, in the same run.

Writes a customers CSV of N respondents (44 item columns E1–E22, P1–P22 plus 6 others), then runs
each side in a fresh subprocess (so peak memory is each side's own) and prints times, the ratio and
peak resident memory against the file size. Targets: ratio ≤ 1.5, gapcore peak ≤ 3× file size.

    python bench/load.py [--rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time

def high_water_kb():
    # VmHWM belongs to this process image (reset by exec); ru_maxrss would carry the parent's peak.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

sys.path.insert(0, {root!r})
path, side = sys.argv[1], sys.argv[2]
import pyarrow.csv as pacsv
from gapcore.io.load import SourceFile, load_study
base = high_water_kb()
data = open(path, "rb").read()
start = time.perf_counter()
if side == "pyarrow":
    import io
    table = pacsv.read_csv(io.BytesIO(data))
    rows = table.num_rows
else:
    result = load_study([SourceFile("customers.csv", data)])
    rows = result.study.n
elapsed = time.perf_counter() - start
peak = high_water_kb()
print(json.dumps({{"seconds": elapsed, "rows": rows, "peak_kb": peak, "base_kb": base}}))
"""


def write_customers(path: Path, rows: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "id": np.arange(1, rows + 1),
        "branch": rng.choice(["Seoul", "Busan", "Incheon", "Daegu", "Gwangju"], rows),
        "channel": rng.choice(["branch", "phone", "app"], rows),
        "wave": rng.choice(["2025-H1", "2025-H2", "2026-H1"], rows),
    })
    for level in "EP":
        for k in range(1, 23):
            frame[f"{level}{k}"] = rng.integers(1, 8, rows, dtype=np.int8)
    frame["satisfaction"] = rng.integers(1, 8, rows, dtype=np.int8)
    frame["retention"] = rng.integers(0, 2, rows, dtype=np.int8)
    frame.to_csv(path, index=False)


def run_side(path: Path, side: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), str(path), side],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "customers.csv"
        start = time.perf_counter()
        write_customers(path, args.rows)
        size_mb = path.stat().st_size / 1024**2
        print(f"wrote {args.rows:,} rows, {size_mb:.1f} MB in {time.perf_counter() - start:.1f} s")
        results: dict[str, list[dict[str, float]]] = {"pyarrow": [], "gapcore": []}
        for _ in range(args.repeat):  # interleaved, so both sides see the same machine state
            for side in results:
                results[side].append(run_side(path, side))
        summary = {}
        for side, runs in results.items():
            best = min(r["seconds"] for r in runs)
            peak_mb = max(r["peak_kb"] for r in runs) / 1024
            base_mb = min(r["base_kb"] for r in runs) / 1024
            summary[side] = (best, peak_mb, base_mb)
            print(f"{side:8s} best of {args.repeat}: {best:6.2f} s   peak RSS {peak_mb:7.0f} MB "
                  f"(after imports {base_mb:.0f} MB; {(peak_mb - base_mb) / size_mb:.2f}x file size above that)")
        ratio = summary["gapcore"][0] / summary["pyarrow"][0]
        print(f"ratio gapcore/pyarrow: {ratio:.2f} (target <= 1.5)")
        print(f"gapcore peak / file size: {summary['gapcore'][1] / size_mb:.2f}x total, "
              f"{(summary['gapcore'][1] - summary['gapcore'][2]) / size_mb:.2f}x above imports (target <= 3)")


if __name__ == "__main__":
    main()
