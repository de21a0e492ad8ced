"""Driver models where the rows live (issue 31, item 4): the studies of ``bench/engine.py`` (a hive folder of
Parquet files, 44 items), each side in a fresh process:

- floor: one DuckDB pass that only sums every item column (``bench/engine.py``'s);
- engine: ``open_study`` + ``fitting_study`` (the segments' values), then the satisfaction model (OLS, HC3,
  200 bootstrap draws on the 20,000-row sample) and the retention model (logit, Newton steps), each timed;
- in memory, where it fits: ``load_study`` of the same rows as one file, then the same two models by
  ``fit_drivers`` (200 draws over every row), each timed; and the largest difference of a coefficient.

    python bench/engine_drivers.py [--rows 1000000 10000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import FLOOR, PRELUDE, run_side, write_study  # bench/ is not a package: its folder is on the path

MODELS = r"""
from gapcore.driver_model import fit_drivers
result["n"] = study.n
coefficients = {{}}
for outcome in ("satisfaction", "retention"):
    start = time.perf_counter()
    model = fit_drivers(study, outcome, bootstrap=200)
    result[outcome + "_s"] = time.perf_counter() - start
    coefficients[outcome] = model.coefficients["coef"].tolist()
result["coefficients"] = coefficients
result["peak_mb"] = high_water_mb()
print("JSON " + json.dumps(result))
"""

ENGINE = PRELUDE + r"""
from gapcore.connected import fitting_study, open_study
start = time.perf_counter()
loaded, connection = open_study(path)
study = fitting_study(connection, loaded.study)
result["open_s"] = time.perf_counter() - start
""" + MODELS

MEMORY = PRELUDE + r"""
from gapcore.io.load import SourceFile, load_study
from gapcore.io.readers import Limits
start = time.perf_counter()
with open(path + ".parquet", "rb") as handle:
    loaded = load_study([SourceFile("customers.parquet", handle.read())], limits=Limits(max_file_bytes=8 * 1024**3))
study = loaded.study
result["open_s"] = time.perf_counter() - start
""" + MODELS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--memory-up-to", type=int, default=10_000_000)
    parser.add_argument("--keep", type=Path, help="the studies' folder (bench/engine.py --keep): reused if there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        for rows in args.rows:
            folder = base / f"study_{rows}"
            in_memory = rows <= args.memory_up_to
            if not folder.exists():
                write_study(folder, rows, single_file=in_memory)
            floor = run_side(FLOOR, folder)
            engine = run_side(ENGINE, folder)
            memory = run_side(MEMORY, folder) if in_memory else None
            print(f"\n{rows:,} respondents × 44 items")
            print(f"floor      DuckDB sums every item {floor['analysis_s']:8.2f} s")
            for name, side in (("engine", engine), ("in memory", memory)):
                if side is None:
                    continue
                print(f"{name:<10} open {side['open_s']:7.2f} s  satisfaction (OLS) {side['satisfaction_s']:7.2f} s "
                      f"({side['satisfaction_s'] / floor['analysis_s']:5.1f}× floor)  retention (logit) "
                      f"{side['retention_s']:7.2f} s ({side['retention_s'] / floor['analysis_s']:5.1f}× floor)  "
                      f"peak {side['peak_mb']:7.0f} MB")
            if memory:
                mine, theirs = engine["coefficients"], memory["coefficients"]
                pairs = [zip(mine[o], theirs[o], strict=True) for o in ("satisfaction", "retention")]
                gap = max(abs(a - b) for pair in pairs for a, b in pair)
                print(f"largest coefficient difference engine − in memory: {gap:.2e}")
            print("RESULT " + json.dumps({"rows": rows, "floor": floor, "engine": engine, "memory": memory}))


if __name__ == "__main__":
    main()
