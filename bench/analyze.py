"""Analysis benchmark: gapcore against a straightforward pandas/scipy/statsmodels baseline, same run.

Builds a customers table of N respondents (22 items, E and P; branch, channel, customer type, wave),
loads it through gapcore (not timed), then times
- the full analysis: gapcore ``prepare`` + ``analyze`` + a branch comparison, against the baseline
  an analyst would write (per-item loops of paired t and Wilcoxon, dimension scores with the half rule,
  alpha from covariance matrices, Welch ANOVA and Kruskal-Wallis across branches);
- a segment switch: a new filter with every table recomputed (gapcore: ``analyze`` on the prepared
  cells; baseline: its full analysis on the filtered rows).
Targets: full analysis ≥ 5× faster than the baseline; a segment switch ≤ 100 ms.

    python bench/analyze.py [--rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.oneway import anova_oneway

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import best_of
from gapcore.analysis import analyze, prepare
from gapcore.instrument import SERVQUAL_22
from gapcore.io.load import SourceFile, load_study
from gapcore.segments import compare_segments

SEGMENTS = {"branch": ["Seoul", "Busan", "Incheon", "Daegu", "Gwangju"], "channel": ["branch", "phone", "app"],
            "customer_type": ["new", "regular", "business"], "wave": ["2025-H1", "2025-H2", "2026-H1"]}


def make_frame(rows: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({k: rng.choice(v, rows) for k, v in SEGMENTS.items()})
    for dim in SERVQUAL_22.dimensions:
        base_e = rng.normal(6.0, 0.5, rows)
        base_p = rng.normal(5.0, 0.7, rows)
        for k in SERVQUAL_22.items_of(dim):
            for level, base in (("E", base_e), ("P", base_p)):
                values = np.clip(np.rint(base + rng.normal(0, 0.6, rows)), 1, 7).astype(np.float32)
                values[rng.random(rows) < 0.01] = np.nan
                frame[f"{level}{k}"] = values
    return frame


def baseline(frame: pd.DataFrame) -> dict[str, object]:
    """What an analyst would write with pandas, scipy and statsmodels."""
    out: dict[str, object] = {}
    for k in SERVQUAL_22.numbers:
        pair = frame[[f"E{k}", f"P{k}"]].dropna()
        d = pair[f"P{k}"] - pair[f"E{k}"]
        out[f"item{k}"] = (pair.mean().tolist(), sps.ttest_rel(pair[f"P{k}"], pair[f"E{k}"]).pvalue,
                           sps.wilcoxon(d, method="approx").pvalue, sps.sem(d))
    scores = {}
    for dim in SERVQUAL_22.dimensions:
        for level in "EP":
            block = frame[[f"{level}{k}" for k in SERVQUAL_22.items_of(dim)]]
            score = block.mean(axis=1).where(block.notna().sum(axis=1) >= block.shape[1] / 2)
            scores[f"{level}_{dim}"] = score
            complete = block.dropna()
            cov = complete.cov().to_numpy()
            n_items = cov.shape[0]
            out[f"alpha_{level}_{dim}"] = n_items / (n_items - 1) * (1 - np.trace(cov) / cov.sum())
        gap = (scores[f"P_{dim}"] - scores[f"E_{dim}"]).dropna()
        out[f"dim_{dim}"] = (gap.mean(), sps.sem(gap), sps.ttest_1samp(gap, 0).pvalue,
                             sps.wilcoxon(gap, method="approx").pvalue)
        by_branch = [g.dropna().to_numpy() for _, g in (scores[f"P_{dim}"] - scores[f"E_{dim}"]).groupby(
            frame["branch"], observed=True)]
        out[f"anova_{dim}"] = (anova_oneway(by_branch, use_var="unequal").pvalue, sps.kruskal(*by_branch).pvalue)
    long = frame.melt(id_vars=list(SEGMENTS), value_vars=[c for c in frame.columns if c[0] in "EP"])
    out["long_means"] = long.groupby(["branch", "variable"], observed=True)["value"].mean()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frame = make_frame(args.rows)
    study = load_study([SourceFile("customers.parquet", frame.to_parquet(index=False))]).study
    print(f"{study.n:,} respondents, {len(study.instrument.items)} items, segments {list(study.segments)}")

    def gapcore_full() -> None:
        prepared = prepare(study)
        analyze(prepared)
        compare_segments(prepared, "branch")

    full_gap = best_of(args.repeat, gapcore_full)
    full_base = best_of(args.repeat, lambda: baseline(study.customers))
    print(f"full analysis   gapcore {full_gap:7.2f} s   baseline {full_base:7.2f} s   "
          f"speed-up {full_base / full_gap:5.1f}x (target >= 5x)")

    prepared = prepare(study)
    filters = [{"branch": ["Busan"]}, {"branch": ["Seoul", "Daegu"], "channel": ["app"]},
               {"wave": ["2026-H1"], "customer_type": ["business"]}]
    switch = max(best_of(args.repeat, lambda f=f: analyze(prepared, f)) for f in filters)
    switch_compare = best_of(args.repeat, lambda: compare_segments(prepared, "branch", {"wave": ["2026-H1"]}))
    rows = study.customers["wave"].astype(str).eq("2026-H1").to_numpy()
    switch_base = best_of(args.repeat, lambda: baseline(study.customers[rows]))
    print(f"segment switch  gapcore {switch * 1000:7.1f} ms (slowest of {len(filters)} filters; target <= 100 ms)"
          f"   baseline on the filtered rows {switch_base * 1000:7.0f} ms   "
          f"speed-up {switch_base / switch:5.0f}x")
    print(f"segment comparison after a switch (branch within a wave): {switch_compare * 1000:.1f} ms")


if __name__ == "__main__":
    main()
