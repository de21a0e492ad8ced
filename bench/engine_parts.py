"""What one DuckDB pass over a study in a Parquet folder costs by what it computes, against the floor of issue 31
(one pass that only sums the 44 raw item columns), on the folders ``bench/engine.py --keep`` writes.

Each statement runs three times in one DuckDB connection (the best is kept), from the floor up to the two
statements ``prepare_connected`` runs:

- the floor; the items cast to DOUBLE;
- the items checked against the scale (the answers the loader counts as off-scale left out), in three SQL forms:
  the mapping's own expression, ``CASE WHEN x BETWEEN 1 AND 7``, ``IF(...)``, ``FILTER (WHERE ...)``;
- the mapped source's 44 items summed (``connected.open_study``'s relation: every rule of the mapping);
- every respondent variable of ``sql_scores`` computed (dimension scores under the half-of-items rule, gaps,
  outcomes), summed into one number; then their counts, sums and sums of squares;
- the cells' two statements as ``prepare_connected`` runs them (``totals``, ``values``).

    python bench/engine_parts.py FOLDER [FOLDER ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gapcore.connected import open_study
from gapcore.warehouse import cell_queries

ITEMS = [f"{level}{k}" for level in "EP" for k in range(1, 23)]


def statements(folder: str) -> dict[str, str]:
    loaded, connection = open_study(folder)
    reading = connection.reading
    queries = cell_queries(reading.relation, loaded.study.instrument, reading.columns, reading.segments,
                           weight="weight" if "weight" in reading.columns else None, outcomes=loaded.study.outcomes)
    low, high = loaded.study.scale.low, loaded.study.scale.high
    raw = f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
    n = len(queries.variables)

    def over_raw(expression: str) -> str:
        sums = ", ".join(expression.format(c='"' + c + '"') for c in ITEMS)
        return f"SELECT {sums} FROM {raw}"

    return {
        "floor: the 44 raw item columns summed": over_raw("SUM({c})"),
        "the items cast to DOUBLE, summed": over_raw("SUM(CAST({c} AS DOUBLE))"),
        "checked against the scale: the mapping's expression": over_raw(
            f"SUM(CASE WHEN CAST({{c}} AS DOUBLE) IS NOT NULL AND CAST({{c}} AS DOUBLE) >= {low} "
            f"AND CAST({{c}} AS DOUBLE) <= {high} THEN CAST({{c}} AS DOUBLE) END)"),
        "checked: CASE WHEN x BETWEEN low AND high": over_raw(
            f"SUM(CASE WHEN {{c}} BETWEEN {low} AND {high} THEN CAST({{c}} AS DOUBLE) END)"),
        "checked: IF(x BETWEEN low AND high, x, NULL)": over_raw(
            f"SUM(IF({{c}} BETWEEN {low} AND {high}, {{c}}, NULL))"),
        "checked: SUM(x) FILTER (WHERE x BETWEEN ...)": over_raw(
            f"SUM({{c}}) FILTER (WHERE {{c}} BETWEEN {low} AND {high})"),
        "the mapped source's 44 items summed (every rule of the mapping)":
            f"SELECT {', '.join(f'SUM({c})' for c in ITEMS)} FROM {reading.relation} AS sg_source",
        f"every respondent variable ({n}) computed, summed into one number":
            f"{queries.base} SELECT SUM({' + '.join(f'COALESCE(v{j}, 0)' for j in range(n))}) FROM scored",
        f"every variable's count, sum and sum of squares ({3 * n} aggregates)":
            f"{queries.base} SELECT {', '.join(f'COUNT(v{j}), SUM(v{j}), SUM(v{j} * v{j})' for j in range(n))} "
            "FROM scored",
        "the cells' totals (weighted moments, alpha's cross-products, per cell)": queries.totals,
        "the cells' value counts (grouping sets of every ranked variable)": queries.values,
    }, connection


def main() -> None:
    for folder in sys.argv[1:]:
        sqls, connection = statements(folder)
        best = {}
        for name, sql in sqls.items():
            times = []
            for _ in range(3):
                start = time.perf_counter()
                connection.source.run(sql)
                times.append(time.perf_counter() - start)
            best[name] = min(times)
        floor = next(iter(best.values()))
        print(f"{folder}:")
        for name, seconds in best.items():
            print(f"  {seconds:8.2f} s  {seconds / floor:5.1f}x  {name}")


if __name__ == "__main__":
    main()
