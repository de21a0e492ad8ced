"""The command line's whole run against a plain read and against an analyst's script, each a fresh process.

Writes a customers CSV of N respondents (E1–E22 and P1–P22 with 1 % unanswered, branch / channel /
customer type / wave, satisfaction, retention), then runs, interleaved so that every side sees the same
machine state:
- ``read``: a fresh Python that only reads the CSV with pyarrow;
- ``floor``: a fresh Python that imports every library the command line imports (found by running it once and
  listing the modules it loaded that are neither ours nor the standard library's), then reads the CSV with pyarrow:
  what any tool built on those libraries pays before it computes anything (issue #30: cli ≤ 1.5× floor);
- ``cli``: ``python -m gapcore analyze FILE --json`` (imports, load, validation, every table, the JSON);
- ``script``: a fresh Python that reads the CSV with pandas and runs ``bench/analyze.py``'s baseline
  (the pandas/scipy/statsmodels analysis an analyst writes).
Targets: cli ≤ 1.5× floor (issue #30; ≤ 2× read in issue #14); cli ≥ 10× faster than script.

    python bench/cli.py [--rows 1000000] [--repeat 3] [--app DIR]

``--app DIR`` runs the command line of another checkout (e.g. a ``git worktree`` of an older commit)
as a fourth side, for before/after figures from the same run.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.analyze import make_frame  # noqa: E402
from bench.pyspy import PY_SPY, innermost, raw_stacks  # noqa: E402
from bench.timing import stopwatch  # noqa: E402

READ = "import sys, pyarrow.csv as c; t = c.read_csv(sys.argv[1]); print(t.num_rows)"
FLOOR = ("import importlib, sys\nfor m in sys.argv[2].split(','):\n    try: importlib.import_module(m)\n"
         "    except Exception: pass\nimport pyarrow.csv as c; t = c.read_csv(sys.argv[1]); print(t.num_rows)")
# the command line run in-process, then the modules it loaded that are neither ours nor the standard library's
LIBRARIES = ("import runpy, sys; sys.argv = ['gapcore', 'analyze', sys.argv[1], '--json']\n"
             "try: runpy.run_module('gapcore', run_name='__main__')\nexcept SystemExit: pass\n"
             "ours = ('gapcore', 'bench', '__main__')\n"
             "names = [m for m in sys.modules if m.split('.')[0] not in sys.stdlib_module_names "
             "and m.split('.')[0] not in ours and not m.startswith('_')]\n"
             "sys.stderr.write('\\n' + ','.join(sorted(names)))")
SCRIPT = ("import sys; sys.path.insert(0, sys.argv[2]); import pandas as pd; from bench.analyze import baseline; "
          "baseline(pd.read_csv(sys.argv[1]))")


def write_customers(path: Path, rows: int) -> None:
    frame = make_frame(rows)
    for column in frame.columns:
        if column[0] in "EP" and column[1:].isdigit():
            frame[column] = frame[column].astype("Int8")
    rng = np.random.default_rng(9)
    frame.insert(0, "id", np.arange(1, rows + 1))
    frame["satisfaction"] = rng.integers(1, 8, rows, dtype=np.int8)
    frame["retention"] = rng.integers(0, 2, rows, dtype=np.int8)
    frame.to_csv(path, index=False)


def timed(command: list[str], cwd: Path) -> float:
    with stopwatch() as lap:
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONPATH": str(cwd)})
    return lap.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--app", type=Path, help="another checkout whose command line runs as a fourth side")
    parser.add_argument("--no-script", action="store_true", help="skip the analyst's script (it is the slow side)")
    parser.add_argument("--profile", action="store_true", help="then the command line once under py-spy, by part")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "customers.csv"
        write_customers(path, args.rows)
        print(f"{args.rows:,} respondents, {path.stat().st_size / 1024**2:.1f} MB")
        cli = [sys.executable, "-m", "gapcore", "analyze", str(path), "--json"]
        libraries = subprocess.run([sys.executable, "-c", LIBRARIES, str(path)], cwd=ROOT, check=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)}).stderr.strip().splitlines()[-1]
        print(f"the command line loads {len(libraries.split(','))} modules of other libraries")
        sides = {"read": ([sys.executable, "-c", READ, str(path)], ROOT),
                 "floor": ([sys.executable, "-c", FLOOR, str(path), libraries], ROOT), "cli": (cli, ROOT)}
        if args.app:
            sides["cli (--app)"] = (cli, args.app.resolve())
        if not args.no_script:
            sides["script"] = ([sys.executable, "-c", SCRIPT, str(path), str(ROOT)], ROOT)
        times: dict[str, list[float]] = {side: [] for side in sides}
        for _ in range(args.repeat):
            for side, (command, cwd) in sides.items():
                times[side].append(timed(command, cwd))
        best = {side: min(runs) for side, runs in times.items()}
        for side, runs in times.items():
            print(f"{side:12s} best {best[side]:6.2f} s   runs " + " ".join(f"{t:.2f}" for t in runs))
        print(f"cli / read: {best['cli'] / best['read']:.2f}; cli / floor: {best['cli'] / best['floor']:.2f} "
              "(target <= 1.5)")
        if "script" in best:
            print(f"script / cli: {best['script'] / best['cli']:.1f} (target >= 10)")
        if "cli (--app)" in best:
            print(f"cli / cli (--app): {best['cli'] / best['cli (--app)']:.2f}")
        if args.profile:
            profiled(cli, Path(tmp) / "cli.txt")


# innermost first: the first frame whose module matches names the part a sample is charged to
CLI_PARTS = (("imports", re.compile(r"\(<frozen importlib")),
             ("the cells (gapcore.cells)", re.compile(r"\(gapcore/cells\.py")),
             ("the respondent variables (gapcore.scores)", re.compile(r"\(gapcore/scores\.py")),
             ("the CSV read (pyarrow, in gapcore.io.readers)", re.compile(r"\(gapcore/io/readers")),
             ("the load's checks and mapping (gapcore.io)", re.compile(r"\(gapcore/io/")),
             ("the JSON document (gapcore.documents)", re.compile(r"\(gapcore/documents")),
             ("the analysis above the cells (gapcore)", re.compile(r"\(gapcore/")))


def profiled(command: list[str], raw: Path, rate: int = 250) -> None:
    """The command under py-spy (``rate`` samples a second), its samples charged to ``CLI_PARTS``."""
    subprocess.run([PY_SPY, "record", "-r", str(rate), "-f", "raw", "-o", str(raw), "--", *command], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds: collections.Counter = collections.Counter()
    for frames, count in raw_stacks(raw):
        found = innermost(frames, CLI_PARTS)
        part = found[0] if found else "other"
        if any(CLI_PARTS[0][1].search(f) for f in frames):
            part = "imports"  # a module's top level runs while it is imported
        seconds[part] += count / rate
    total = sum(seconds.values())
    print(f"the command line under py-spy: {total:.2f} s sampled — " + ", ".join(
        f"{part} {value:.2f} s ({value / total:.0%})" for part, value in seconds.most_common()))


if __name__ == "__main__":
    main()
