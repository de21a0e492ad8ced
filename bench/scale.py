"""Scale benchmark: 1 million and 10 million respondents × 44 items from a Parquet file.

For each size, writes a customers Parquet file (E1–E22, P1–P22 as int8 with 1% missing answers,
branch / channel / customer type / wave, satisfaction, retention), then runs two fresh subprocesses
on it, so that each peak (VmHWM) is that side's own:

- gapcore: ``load_study`` on the file's bytes (read column by column, items kept as Int8), ``prepare``
  (respondent scores a chunk at a time, summed into per-cell sufficient statistics) + ``analyze`` for
  the whole study, then three segment switches (``analyze`` under a new filter; the slowest is kept)
  and a branch comparison;
- baseline, in the same run: pyarrow + pandas reading the same file whole (``read_table().to_pandas()``),
  the same cells by DuckDB's SQL over the file (``gapcore.warehouse``, alpha's cross-products left out; its moments are
  compared with gapcore's), and a pandas recompute of the item means on the filtered rows.

    python bench/scale.py [--rows 1000000 10000000]
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
            "customer_type": ["new", "regular", "business"], "wave": ["2025-H1", "2025-H2", "2026-H1"]}
SWITCHES = [{"branch": ["Seoul"]}, {"channel": ["app"], "wave": ["2026-H1"]},
            {"branch": ["Busan", "Daegu"], "customer_type": ["business"]}]

COMMON = r"""
import json, sys, time
sys.path.insert(0, {root!r})

def high_water_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

path, out = sys.argv[1], sys.argv[2]
switches = json.loads(sys.argv[3])
result = {{"base_mb": high_water_mb()}}
"""

GAPCORE = COMMON + r"""
from gapcore.analysis import analyze, prepare
from gapcore.io.load import SourceFile, load_study
from gapcore.io.readers import Limits
from gapcore.segments import compare_segments
import numpy as np

data = open(path, "rb").read()
result["file_mb"] = len(data) / 1024**2
start = time.perf_counter()
loaded = load_study([SourceFile("customers.parquet", data)], limits=Limits(max_file_bytes=4 * 1024**3))
result["load_s"] = time.perf_counter() - start
del data
study = loaded.study
result["rows"] = study.n
result["item_mb"] = sum(study.customers[c].memory_usage(index=False) for c in study.customers.columns
                        if c[0] in "EP" and c[1:].isdigit()) / 1024**2
result["load_peak_mb"] = high_water_mb()
start = time.perf_counter()
prepared = prepare(study, use_weight=False)
whole = analyze(prepared)
result["analysis_s"] = time.perf_counter() - start
result["analysis_peak_mb"] = high_water_mb()
times = []
for filters in switches:
    start = time.perf_counter()
    analysis = analyze(prepared, filters)
    times.append(time.perf_counter() - start)
result["switch_s"] = max(times)
start = time.perf_counter()
compare_segments(prepared, "branch", {{"wave": ["2026-H1"]}})
result["compare_s"] = time.perf_counter() - start
result["peak_mb"] = high_water_mb()
result["n_whole"] = int(whole.n)
cells = prepared.cells
np.savez(out, moments=cells.moments, variables=np.array(cells.variables),
         keys=cells.keys.astype(str).to_numpy(dtype=str))
print("JSON " + json.dumps(result))
"""

BASELINE = COMMON + r"""
import numpy as np
import pyarrow.parquet as pq
from gapcore.instrument import SERVQUAL_22
from gapcore.io.sources import open_source
from gapcore.warehouse import cell_queries, engine_cells

start = time.perf_counter()
frame = pq.read_table(path).to_pandas()
result["load_s"] = time.perf_counter() - start
result["load_peak_mb"] = high_water_mb()
items = [c for c in frame.columns if c[0] in "EP" and c[1:].isdigit()]
times = []
for filters in switches:
    start = time.perf_counter()
    keep = np.ones(len(frame), dtype=bool)
    for column, values in filters.items():
        keep &= frame[column].isin(values).to_numpy()
    frame.loc[keep, items].mean()
    times.append(time.perf_counter() - start)
result["switch_s"] = max(times)
del frame
start = time.perf_counter()
source = open_source(path)
sql = engine_cells(source.run, cell_queries(source.relation, SERVQUAL_22, list(source.columns), {segments!r},
                                            outcomes=("satisfaction", "retention"), cross_products=False))
result["analysis_s"] = time.perf_counter() - start
result["peak_mb"] = high_water_mb()
np.savez(out, moments=sql.moments, variables=np.array(sql.variables),
         keys=sql.keys[{segments!r}].astype(str).to_numpy(dtype=str))
print("JSON " + json.dumps(result))
"""


def write_customers(path: Path, rows: int, seed: int = 11) -> None:
    """The study in row groups of one million respondents (how survey warehouses write Parquet)."""
    rng = np.random.default_rng(seed)
    writer = None
    for start in range(0, rows, 1_000_000):
        n = min(1_000_000, rows - start)
        columns: dict[str, pa.Array] = {"id": pa.array(np.arange(start + 1, start + n + 1))}
        for name, values in SEGMENTS.items():
            columns[name] = pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(values), n, dtype=np.int8)),
                                                           pa.array(values))
        for level, centre in (("E", 6.0), ("P", 5.0)):
            for k in range(1, 23):
                answers = np.clip(np.rint(centre + rng.normal(0, 1.0, n)), 1, 7).astype(np.int8)
                columns[f"{level}{k}"] = pa.array(answers, mask=rng.random(n) < 0.01)
        columns["satisfaction"] = pa.array(rng.integers(1, 8, n, dtype=np.int8))
        columns["retention"] = pa.array(rng.integers(0, 2, n, dtype=np.int8))
        table = pa.table(columns)
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    assert writer is not None
    writer.close()


def run(code: str, path: Path, out: Path) -> dict[str, float]:
    completed = subprocess.run([sys.executable, "-c", code, str(path), str(out), json.dumps(SWITCHES)],
                               check=True, capture_output=True, text=True)
    return json.loads(completed.stdout.rpartition("JSON ")[2])


def same_moments(gapcore_npz: Path, sql_npz: Path) -> float:
    """Largest relative difference between the two sides' moments over the variables both have."""
    a, b = np.load(gapcore_npz), np.load(sql_npz)
    order = {tuple(k): i for i, k in enumerate(b["keys"].tolist())}
    rows = [order[tuple(k)] for k in a["keys"].tolist()]
    variables_b = b["variables"].tolist()
    worst = 0.0
    for j, name in enumerate(a["variables"].tolist()):
        if name in variables_b:
            x, y = a["moments"][:, j], b["moments"][rows, variables_b.index(name)]
            worst = max(worst, float(np.max(np.abs(x - y) / np.maximum(np.abs(x), 1.0))))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    args = parser.parse_args()
    segments = list(SEGMENTS)
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            path = Path(folder) / f"customers_{rows}.parquet"
            write_customers(path, rows)
            ours = run(GAPCORE.format(root=str(ROOT)), path, Path(folder) / "gapcore.npz")
            base = run(BASELINE.format(root=str(ROOT), segments=segments), path, Path(folder) / "sql.npz")
            difference = same_moments(Path(folder) / "gapcore.npz", Path(folder) / "sql.npz")
            file_mb = ours["file_mb"]
            print(f"\n{rows:,} respondents × 44 items; Parquet file {file_mb:,.0f} MB; "
                  f"items in memory {ours['item_mb']:,.0f} MB")
            print(f"load        gapcore {ours['load_s']:7.2f} s  peak {ours['load_peak_mb']:7,.0f} MB   "
                  f"pyarrow+pandas {base['load_s']:6.2f} s  peak {base['load_peak_mb']:7,.0f} MB   "
                  f"ratio {ours['load_s'] / base['load_s']:.2f}")
            print(f"analysis    gapcore {ours['analysis_s']:7.2f} s  peak {ours['analysis_peak_mb']:7,.0f} MB   "
                  f"DuckDB SQL moments {base['analysis_s']:6.2f} s   ratio "
                  f"{ours['analysis_s'] / base['analysis_s']:.2f}   largest moment difference {difference:.1e}")
            print(f"switch      gapcore {ours['switch_s'] * 1000:7.1f} ms (slowest of {len(SWITCHES)})   "
                  f"pandas item means on the filtered rows {base['switch_s'] * 1000:7.1f} ms   "
                  f"speed-up {base['switch_s'] / ours['switch_s']:.0f}x;  branch comparison "
                  f"{ours['compare_s'] * 1000:.1f} ms")
            print(f"peak        gapcore {ours['peak_mb']:7,.0f} MB ({ours['peak_mb'] / file_mb:.1f}x file, "
                  f"{ours['peak_mb'] / ours['item_mb']:.1f}x items in memory)   baseline {base['peak_mb']:7,.0f} MB")
            print("RESULT " + json.dumps({"rows": rows, "gapcore": ours, "baseline": base,
                                          "moment_difference": difference}))


if __name__ == "__main__":
    main()
