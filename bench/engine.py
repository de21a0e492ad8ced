"""Engine benchmark (issue 31): a study in a hive-partitioned Parquet folder, read where it lives by DuckDB.

For each size, writes ``wave=…/part-k.parquet`` files of N respondents × 44 items (E1–E22, P1–P22 as int8 with
1% missing answers; branch, channel, customer type as text; satisfaction; retention 0/1; weight), one million
rows per file, then runs fresh subprocesses, so that each peak (VmHWM) is that side's own:

- floor: one DuckDB pass that only sums every item column (the engine reading the data once);
- gapcore: ``connected.open_study`` (the first rows read as an upload, the reading's counts over every row),
  ``prepare_connected`` (the two cell statements), ``analyze`` of the whole study, then three filter changes
  (``analyze`` under a new filter: a sum over cells; the slowest is kept);
- with ``--spark``: the same as gapcore's side through Spark in local mode (``spark:FOLDER``, ``local[2]``);
- in memory, where it fits (``--memory-up-to``, default 10M): ``load_study`` of the same rows as one Parquet
  file (the upload limit raised), ``prepare``, ``analyze`` and the same filter changes.

    python bench/engine.py [--rows 1000000 10000000 100000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
SEGMENTS = {"branch": ["Seoul", "Busan", "Incheon", "Daegu", "Gwangju"], "channel": ["branch", "phone", "app"],
            "customer_type": ["new", "regular", "business"]}
WAVES = ["2025-H1", "2025-H2", "2026-H1"]
SWITCHES = [{"branch": ["Seoul"]}, {"channel": ["app"], "wave": ["2026-H1"]},
            {"branch": ["Busan", "Daegu"], "customer_type": ["business"]}]
ITEMS = [f"{level}{k}" for level in "EP" for k in range(1, 23)]

PRELUDE = r"""
import json, sys, time
sys.path.insert(0, {root!r})

def high_water_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

result = {{"base_mb": high_water_mb()}}
path, switches = {path!r}, {switches!r}
"""

FLOOR = PRELUDE + r"""
import duckdb
start = time.perf_counter()
with duckdb.connect() as connection:
    connection.execute("SET enable_progress_bar = false")
    sums = ", ".join(f"SUM({{c}})" for c in {items!r})
    files = f"read_parquet('{{path}}/**/*.parquet', hive_partitioning = true)"
    connection.execute(f"SELECT {{sums}} FROM {{files}}").fetchall()
result["analysis_s"] = time.perf_counter() - start
result["peak_mb"] = high_water_mb()
print("JSON " + json.dumps(result))
"""

ANALYSE = r"""
analysis = analyze(prepared)
analysis.dimensions, analysis.items, analysis.reliability
result["analysis_s"] = time.perf_counter() - start
result["n"] = analysis.n
times = []
for filters in switches:
    start = time.perf_counter()
    a = analyze(prepared, filters)
    a.dimensions, a.items, a.reliability
    times.append(time.perf_counter() - start)
result["switch_s"] = max(times)
result["peak_mb"] = high_water_mb()
result["gap_reliability"] = float(analysis.dimensions.set_index("dimension").loc["reliability", "gap"])
print("JSON " + json.dumps(result))
"""

ENGINE = PRELUDE + r"""
from gapcore.analysis import analyze
from gapcore.connected import open_study, prepare_connected
start = time.perf_counter()
loaded, connection = open_study({prefix!r} + path)
result["open_s"] = time.perf_counter() - start
prepared = prepare_connected(connection, loaded.study)
""" + ANALYSE

MEMORY = PRELUDE + r"""
from gapcore.analysis import analyze, prepare
from gapcore.io.load import SourceFile, load_study
from gapcore.io.readers import Limits
start = time.perf_counter()
with open(path + ".parquet", "rb") as handle:
    loaded = load_study([SourceFile("customers.parquet", handle.read())], limits=Limits(max_file_bytes=8 * 1024**3))
prepared = prepare(loaded.study)
""" + ANALYSE


def _part(rng: np.random.Generator, n: int, start: int) -> pa.Table:
    columns: dict[str, pa.Array] = {"id": pa.array(np.arange(start + 1, start + n + 1))}
    for name, values in SEGMENTS.items():
        columns[name] = pa.array(np.asarray(values, dtype=object)[rng.integers(0, len(values), n)])
    for level, centre in (("E", 6.0), ("P", 5.0)):
        for k in range(1, 23):
            answers = np.clip(np.rint(centre + rng.normal(0, 1.0, n)), 1, 7).astype(np.int8)
            columns[f"{level}{k}"] = pa.array(answers, mask=rng.random(n) < 0.01)
    columns["satisfaction"] = pa.array(np.clip(np.rint(5 + rng.normal(0, 1.2, n)), 1, 7).astype(np.int8))
    columns["retention"] = pa.array((rng.random(n) < 0.8).astype(np.int8))
    columns["weight"] = pa.array(rng.uniform(0.5, 2.0, n))
    return pa.table(columns)


def write_study(folder: Path, rows: int, *, single_file: bool, seed: int = 11) -> None:
    """The study as ``wave=…/part-k.parquet`` (one million rows a file) and, if asked, as one file beside it."""
    rng = np.random.default_rng(seed)
    writer = None
    for k, start in enumerate(range(0, rows, 1_000_000)):
        n = min(1_000_000, rows - start)
        table = _part(rng, n, start)
        wave = WAVES[k % len(WAVES)] if rows >= 3_000_000 else None
        if wave is None:  # small studies: every file holds every wave
            for w in WAVES:
                part = folder / f"wave={w}"
                part.mkdir(parents=True, exist_ok=True)
                pick = np.arange(n) % len(WAVES) == WAVES.index(w)
                pq.write_table(table.filter(pa.array(pick)), part / f"part-{k}.parquet")
        else:
            part = folder / f"wave={wave}"
            part.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, part / f"part-{k}.parquet")
        if single_file:
            if wave is None:
                waves = np.asarray(WAVES, dtype=object)[np.arange(n) % len(WAVES)]
            else:
                waves = np.full(n, wave, dtype=object)
            whole = table.append_column("wave", pa.array(waves))
            writer = writer or pq.ParquetWriter(str(folder) + ".parquet", whole.schema)
            writer.write_table(whole)
    if writer is not None:
        writer.close()


def run_side(template: str, path: Path, prefix: str = "") -> dict:
    code = template.format(root=str(ROOT), path=str(path), switches=SWITCHES, items=ITEMS, prefix=prefix)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("JSON ")), None)
    if line is None:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(line[5:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--memory-up-to", type=int, default=10_000_000)
    parser.add_argument("--spark", action="store_true", help="also through Spark in local mode")
    parser.add_argument("--keep", type=Path, help="write the studies here and keep them (default: a temporary folder)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        for rows in args.rows:
            folder = base / f"study_{rows}"
            in_memory = rows <= args.memory_up_to
            if not folder.exists():
                write_study(folder, rows, single_file=in_memory)
            size = sum(p.stat().st_size for p in folder.rglob("*.parquet")) / 1024**2
            floor = run_side(FLOOR, folder)
            engine = run_side(ENGINE, folder)
            memory = run_side(MEMORY, folder) if in_memory else None
            spark = run_side(ENGINE, folder, "spark:") if args.spark else None
            print(f"\n{rows:,} respondents × 44 items; Parquet folder {size:,.0f} MB")
            print(f"floor      DuckDB sums every item  {floor['analysis_s']:8.2f} s  peak {floor['peak_mb']:7.0f} MB")
            print(f"engine     open + cells + analyze  {engine['analysis_s']:8.2f} s  peak {engine['peak_mb']:7.0f} MB"
                  f"  ratio {engine['analysis_s'] / floor['analysis_s']:5.2f}  (open {engine['open_s']:.2f} s)"
                  f"  filter change {engine['switch_s'] * 1000:6.1f} ms")
            if spark:
                print(f"Spark      open + cells + analyze  {spark['analysis_s']:8.2f} s  "
                      f"peak {spark['peak_mb']:7.0f} MB"
                      f" (this process; the JVM beside it)  {spark['analysis_s'] / engine['analysis_s']:5.2f}× DuckDB"
                      f"  reliability gap equal: {abs(spark['gap_reliability'] - engine['gap_reliability']) < 1e-9}")
            if memory:
                print(f"in memory  load + prepare + analyze  {memory['analysis_s']:6.2f} s  "
                      f"peak {memory['peak_mb']:7.0f} MB  filter change {memory['switch_s'] * 1000:6.1f} ms  "
                      f"reliability gap equal: {abs(memory['gap_reliability'] - engine['gap_reliability']) < 1e-9}")
            results.append({"rows": rows, "folder_mb": size, "floor": floor, "engine": engine, "memory": memory,
                            "spark": spark})
            print("RESULT " + json.dumps(results[-1]))


if __name__ == "__main__":
    main()
