"""Comparisons across the values of one segment column, with small cells held back.

Per dimension (and overall): each segment value's mean gap (or perception, for SERVPERF studies) with
its n and CI; Welch's ANOVA and Kruskal-Wallis across values; pairwise differences (Welch-type t)
with Holm and Benjamini-Hochberg adjustments; compact letters from the Holm-adjusted tests. A value
with fewer respondents than the minimum cell size carries no numbers; when exactly one value would be
held back, the next smallest is held back too, so the hidden one cannot be recovered from the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from gapcore.analysis import Filters, Prepared, normalize_filters
from gapcore.errors import GapcoreError
from gapcore.stats import (
    adjust,
    compact_letters,
    difference_test,
    kruskal_from_counts,
    summarize,
    welch_anova,
)


@dataclass(frozen=True)
class SegmentComparison:
    column: str
    measure: str  # "G" (gap 5) or "P" (perception)
    cells: pd.DataFrame  # dimension, segment, n, mean, ci_low, ci_high, letters, suppressed
    tests: pd.DataFrame  # dimension, welch_F, welch_df1, welch_df2, welch_p, kruskal_H, kruskal_p
    pairwise: pd.DataFrame  # dimension, a, b, difference, t, p, p_holm, p_fdr
    held_back: int  # segment values held back (min cell size, including complementary)
    correction: str = "holm"


def suppressed_values(counts: dict[str, int], min_cell: int) -> set[str]:
    """Values under the minimum cell size, plus complementary suppression when only one is."""
    hidden = {v for v, c in counts.items() if c < min_cell}
    if len(hidden) == 1 and len(counts) > 1:
        shown = sorted((c, v) for v, c in counts.items() if v not in hidden)
        hidden.add(shown[0][1])
    return hidden


def compare_segments(prepared: Prepared, column: str, filters: Filters | None = None, *,
                     min_cell: int = 5, level: float = 0.95, alpha: float = 0.05) -> SegmentComparison:
    study = prepared.study
    cells = prepared.cells
    if column not in study.segments:
        raise GapcoreError("unknown_segment", column=column, segments=", ".join(study.segments))
    clean = {k: v for k, v in normalize_filters(study, filters).items() if k != column}
    base = cells.mask(clean)
    measure = "G" if any(v.startswith("G:") for v in cells.variables) else "P"
    keys = [*study.instrument.dimensions, "overall"]
    values = [v for v in cells.keys[column].dropna().unique().tolist()]
    values.sort()
    group_of_cell = np.full(len(cells.keys), -1)
    for g, value in enumerate(values):
        group_of_cell[(cells.keys[column] == value).to_numpy() & base] = g
    counts = {v: int(cells.rows[group_of_cell == g].sum()) for g, v in enumerate(values)}
    hidden = suppressed_values(counts, min_cell)

    cell_rows, test_rows, pair_rows = [], [], []
    for key in keys:
        variable = f"{measure}:{key}" if key != "overall" else ("SQ:overall" if measure == "G" else "PF:overall")
        if variable not in cells.variables:
            continue
        j = cells.index(variable)
        summaries = {v: summarize(cells.moments[group_of_cell == g][:, j].sum(axis=0), level=level)
                     for g, v in enumerate(values)}
        shown = [v for v in values if v not in hidden]
        f, df1, df2, p_welch = welch_anova([summaries[v] for v in shown])
        hist = cells.histograms.get(variable)
        h, p_kw = (float("nan"), float("nan"))
        if hist is not None and len(shown) >= 2:
            group_shown = np.where(np.isin(group_of_cell, [values.index(v) for v in shown]), group_of_cell, -1)
            by_group = hist.counts_by_group(group_shown, len(values))
            h, p_kw = kruskal_from_counts(hist.values, by_group[[values.index(v) for v in shown]])
        test_rows.append({"dimension": key, "welch_F": f, "welch_df1": df1, "welch_df2": df2, "welch_p": p_welch,
                          "kruskal_H": h, "kruskal_p": p_kw})
        pairs = list(combinations(shown, 2))
        results = [difference_test(summaries[a], summaries[b]) for a, b in pairs]
        p_raw = [r[2] for r in results]
        holm, fdr = adjust(p_raw, "holm"), adjust(p_raw, "fdr_bh")
        significant = {}
        for (a, b), (diff, t, p), ph, pf in zip(pairs, results, holm, fdr, strict=True):
            pair_rows.append({"dimension": key, "a": a, "b": b, "difference": diff, "t": t, "p": p,
                              "p_holm": ph, "p_fdr": pf})
            significant[(a, b)] = bool(ph < alpha) if not np.isnan(ph) else False
        letters = compact_letters(shown, [summaries[v].mean for v in shown], significant) if shown else {}
        for v in values:
            s = summaries[v]
            held = v in hidden
            cell_rows.append({"dimension": key, "segment": v, "n": np.nan if held else s.n,
                              "mean": np.nan if held else s.mean, "ci_low": np.nan if held else s.ci_low,
                              "ci_high": np.nan if held else s.ci_high, "letters": "" if held else letters.get(v, ""),
                              "suppressed": held})
    return SegmentComparison(column, measure, pd.DataFrame(cell_rows), pd.DataFrame(test_rows),
                             pd.DataFrame(pair_rows, columns=["dimension", "a", "b", "difference", "t", "p",
                                                              "p_holm", "p_fdr"]),
                             len(hidden))


def consistency(comparison: SegmentComparison) -> pd.DataFrame:
    """How evenly each dimension is served across the segment's values (shown values only): the
    spread (SD and range of the values' means) and the value furthest from the mean of the others."""
    rows = []
    for key, group in comparison.cells[~comparison.cells["suppressed"]].groupby("dimension", sort=False):
        means = group.set_index("segment")["mean"].dropna()
        if len(means) < 2:
            continue
        distance = {v: float(m - means.drop(v).mean()) for v, m in means.items()}
        furthest = max(distance, key=lambda v: abs(distance[v]))
        rows.append({"dimension": key, "values": len(means), "sd": float(means.std(ddof=1)),
                     "range": float(means.max() - means.min()), "furthest": furthest,
                     "furthest_distance": distance[furthest]})
    return pd.DataFrame(rows, columns=["dimension", "values", "sd", "range", "furthest", "furthest_distance"])
