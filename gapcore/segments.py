"""Comparisons across the values of one segment column, with small cells held back.

Per dimension (and overall): each segment value's mean gap (or perception, for SERVPERF studies) with
its n and CI; Welch's ANOVA and Kruskal-Wallis across values; pairwise differences (Welch-type t)
with Holm and Benjamini-Hochberg adjustments; compact letters from the Holm-adjusted tests. A value
with fewer respondents than the minimum cell size carries no numbers; when exactly one value would be
held back, the next smallest is held back too, so the hidden one cannot be recovered from the total.

In detail: comparisons across one segment column (Welch, Kruskal-Wallis, pairwise with Holm/FDR, letters),
complementary suppression, consistency (`SegmentComparison.spread`: computed once for the heatmap's reading, the
consistency panel and its table); tracking over waves (`wave_periods` orders numbers, dates — months above 24 dates
— and natural text; each wave against the previous, Holm).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations, pairwise

import numpy as np
import pandas as pd

from gapcore.analysis import Prepared
from gapcore.defaults import ALPHA, CONFIDENCE, MIN_CELL
from gapcore.errors import GapcoreError
from gapcore.filters import Filters, normalize_filters
from gapcore.io.study import Study
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

    def __repr__(self) -> str:
        values = self.cells["segment"].nunique() if not self.cells.empty else 0
        what = "the gap (P − E)" if self.measure == "G" else "perception"
        return (f"SegmentComparison({self.column}: {values} values compared on {what} per dimension, "
                f"{self.held_back} held back)")

    def _repr_html_(self) -> str:
        """A notebook's view: the summary line and each dimension's mean per segment value."""
        from html import escape

        table = self.cells.pivot_table(index="dimension", columns="segment", values="mean", sort=False) \
            if not self.cells.empty else self.cells
        return f"<p>{escape(repr(self))}</p>{table.to_html(float_format='{:.2f}'.format)}"

    @cached_property
    def spread(self) -> pd.DataFrame:
        """``consistency(self)``, computed once: the heatmap's reading, the consistency panel, its table and
        the report's sheet all read it."""
        return consistency(self)


def suppressed_values(counts: dict[str, int], min_cell: int) -> set[str]:
    """Values under the minimum cell size, plus complementary suppression when only one is."""
    hidden = {v for v, c in counts.items() if c < min_cell}
    if len(hidden) == 1 and len(counts) > 1:
        shown = sorted((c, v) for v, c in counts.items() if v not in hidden)
        hidden.add(shown[0][1])
    return hidden


def _selection(prepared: Prepared, column: str, filters: Filters | None) -> tuple[np.ndarray, str]:
    """The cells selected by the other filters (the compared column's own filter is ignored) and the
    measure compared: the gap where expectations exist, else perception."""
    study = prepared.study
    if column not in study.segments:
        raise GapcoreError("unknown_segment", column=column, segments=", ".join(study.segments))
    clean = {k: v for k, v in normalize_filters(study, filters).items() if k != column}
    measure = "G" if any(v.startswith("G:") for v in prepared.cells.variables) else "P"
    return prepared.cells.mask(clean), measure


def _group_summaries(prepared: Prepared, measure: str, group_of_cell: np.ndarray, groups: list[str],
                     level: float):
    """Per dimension and overall: (key, variable, {group: Summary}) from the cells mapped to each group."""
    cells = prepared.cells
    for key in [*prepared.study.instrument.dimensions, "overall"]:
        variable = f"{measure}:{key}" if key != "overall" else ("SQ:overall" if measure == "G" else "PF:overall")
        if variable not in cells.variables:
            continue
        j = cells.index(variable)
        yield key, variable, {g: summarize(cells.moments[group_of_cell == i][:, j].sum(axis=0), level=level)
                              for i, g in enumerate(groups)}


def compare_segments(prepared: Prepared, column: str, filters: Filters | None = None, *,
                     min_cell: int = MIN_CELL, level: float = CONFIDENCE, alpha: float = ALPHA) -> SegmentComparison:
    cells = prepared.cells
    base, measure = _selection(prepared, column, filters)
    values = [v for v in cells.keys[column].dropna().unique().tolist()]
    values.sort()
    group_of_cell = np.full(len(cells.keys), -1)
    for g, value in enumerate(values):
        group_of_cell[(cells.keys[column] == value).to_numpy() & base] = g
    counts = {v: int(cells.rows[group_of_cell == g].sum()) for g, v in enumerate(values)}
    hidden = suppressed_values(counts, min_cell)

    cell_rows, test_rows, pair_rows = [], [], []
    for key, variable, summaries in _group_summaries(prepared, measure, group_of_cell, values, level):
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
    shown = comparison.cells[~comparison.cells["suppressed"] & comparison.cells["mean"].notna()]
    for key, group in shown.groupby("dimension", sort=False):
        means = group["mean"].to_numpy(dtype=float)
        if len(means) < 2:
            continue
        distance = means - (means.sum() - means) / (len(means) - 1)  # each value against the mean of the others
        furthest = int(np.argmax(np.abs(distance)))  # the first of equals, in the comparison's order
        rows.append({"dimension": key, "values": len(means), "sd": float(means.std(ddof=1)),
                     "range": float(means.max() - means.min()), "furthest": group["segment"].iloc[furthest],
                     "furthest_distance": float(distance[furthest])})
    return pd.DataFrame(rows, columns=["dimension", "values", "sd", "range", "furthest", "furthest_distance"])


@dataclass(frozen=True)
class Tracking:
    """Each dimension's gap (or perception) per wave, in time order, and the change from one wave to the next."""

    column: str
    measure: str
    waves: tuple[str, ...]  # periods in time order (held-back ones included)
    points: pd.DataFrame  # dimension, wave, order, n, mean, ci_low, ci_high, suppressed
    changes: pd.DataFrame  # dimension, wave_from, wave_to, difference (to − from), t, p, p_holm
    held_back: int
    by_month: bool = False  # dates were grouped into calendar months


_MAX_DATE_WAVES = 24


def wave_periods(values: list[str]) -> tuple[dict[str, str], list[str], bool]:
    """Map each distinct wave value to its period and order the periods in time.

    Numbers sort as numbers and dates as dates (more than 24 distinct dates are grouped into months);
    anything else sorts naturally, so ``2025-Q2`` < ``2025-Q10`` and ``2차`` < ``10차``.
    """
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
    if len(values) and numbers.notna().all():
        order = [v for _, v in sorted(zip(numbers, values, strict=True))]
        return {v: v for v in values}, order, False
    looks_like_date = all(re.fullmatch(r"\d{4}[-/.]\d{1,2}([-/.]\d{1,2})?([ T].*)?", v) for v in values)
    if values and looks_like_date:
        dates = pd.to_datetime(pd.Series(values).str.replace(r"[/.]", "-", regex=True), errors="coerce",
                               format="mixed")
        if dates.notna().all():
            if len(values) > _MAX_DATE_WAVES:
                months = dates.dt.strftime("%Y-%m")
                return dict(zip(values, months, strict=True)), sorted(set(months)), True
            order = [v for _, v in sorted(zip(dates, values, strict=True))]
            return {v: v for v in values}, order, False

    def natural(text: str) -> list[tuple[int, object]]:
        return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", text) if p]

    order = sorted(values, key=natural)
    return {v: v for v in values}, order, False


def waves_to_follow(study: Study, filters: Filters | None) -> str:
    """Whether the study can be followed over its waves, one rule with its reason: ``"none"`` (no wave
    column), ``"filtered"`` (a filter fixes the wave), else ``"followed"``."""
    if study.wave is None:
        return "none"
    return "filtered" if study.wave in (filters or {}) else "followed"


def follows_waves(prepared: Prepared, filters: Filters | None) -> bool:
    """Whether the study can be followed over waves: it has a wave column and no filter fixes it."""
    return waves_to_follow(prepared.study, filters) == "followed"


def track_waves(prepared: Prepared, column: str, filters: Filters | None = None, *, min_cell: int = MIN_CELL,
                level: float = CONFIDENCE) -> Tracking:
    """Each dimension's mean gap per wave with its CI, and a Welch-type test of each wave against the one
    before it (Holm-adjusted within a dimension). A wave under the minimum cell size is held back (with
    complementary suppression, as for any segment) and a change is tested only between shown waves."""
    cells = prepared.cells
    base, measure = _selection(prepared, column, filters)
    values = sorted(str(v) for v in cells.keys[column].dropna().unique())
    period_of, waves, by_month = wave_periods(values)
    group_of_cell = np.full(len(cells.keys), -1)
    cell_values = cells.keys[column].to_numpy()
    for g, wave in enumerate(waves):
        members = [v for v in values if period_of[v] == wave]
        group_of_cell[np.isin(cell_values, members) & base] = g
    counts = {w: int(cells.rows[group_of_cell == g].sum()) for g, w in enumerate(waves)}
    hidden = suppressed_values(counts, min_cell)

    point_rows, change_rows = [], []
    for key, _variable, summaries in _group_summaries(prepared, measure, group_of_cell, list(waves), level):
        for order, wave in enumerate(waves):
            s, held = summaries[wave], wave in hidden
            point_rows.append({"dimension": key, "wave": wave, "order": order, "n": np.nan if held else s.n,
                               "mean": np.nan if held else s.mean, "ci_low": np.nan if held else s.ci_low,
                               "ci_high": np.nan if held else s.ci_high, "suppressed": held})
        shown = [w for w in waves if w not in hidden and summaries[w].n > 0]
        steps = list(pairwise(shown))
        tests = [difference_test(summaries[b], summaries[a]) for a, b in steps]
        holm = adjust([p for _, _, p in tests], "holm") if tests else []
        for (a, b), (diff, t, p), ph in zip(steps, tests, holm, strict=True):
            change_rows.append({"dimension": key, "wave_from": a, "wave_to": b, "difference": diff, "t": t,
                                "p": p, "p_holm": ph})
    changes = pd.DataFrame(change_rows, columns=["dimension", "wave_from", "wave_to", "difference", "t", "p",
                                                 "p_holm"])
    return Tracking(column, measure, tuple(waves), pd.DataFrame(point_rows), changes, len(hidden), by_month)
