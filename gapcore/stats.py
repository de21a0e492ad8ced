"""Weighted summary statistics from sufficient statistics (moments and histograms).

Everything here works on sums that can be added across cells, so that a segment switch only adds up
precomputed cells (see ``gapcore.cells``). Conventions:

- ``Moments``: n (answered), sum of weights W, sum of squared weights W2, and the weighted sums
  Σw·x, Σw·x², Σw²·x, Σw²·x². With weights of 1, W = W2 = n.
- Mean: Σw·x / W. Its standard error is the survey-linearisation one,
  SE² = n/(n−1) · Σw²(x−m)² / W², which with weights of 1 is s²/n exactly.
- Effective n (Kish): W² / W2. Confidence intervals use Student's t with n_eff − 1 degrees of freedom.
- Rank tests (Wilcoxon, Kruskal-Wallis) use unweighted counts of each distinct value: the large-sample
  normal / chi-square forms with tie corrections, as scipy's ``method="approx"``.

In detail: summaries from moments (weighted mean, linearised SE, t CI, paired t; no interval and no test when the
answers do not vary, `no_variation`), `p_text` (`< .001`, `.032`), Welch ANOVA, Wilcoxon and Kruskal-Wallis from
counts, Holm/BH, compact letters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy import special

from gapcore.defaults import CONFIDENCE

MOMENT_FIELDS = ("n", "w", "w2", "wx", "wx2", "w2x", "w2x2")


@dataclass(frozen=True)
class Summary:
    """Mean of a variable with its uncertainty; NaN where it cannot be computed."""

    n: int
    n_eff: float
    mean: float
    sd: float
    se: float
    ci_low: float
    ci_high: float
    t: float
    p_value: float  # two-sided test of mean = 0 (for a gap: P = E)


def summarize_many(m: np.ndarray, *, level: float = CONFIDENCE) -> dict[str, np.ndarray]:
    """Vectorised :func:`summarize` over rows of moments (variables × 7): arrays per field."""
    m = np.atleast_2d(np.asarray(m, dtype=float))
    n, w, w2, wx, wx2, w2x, w2x2 = m.T
    with np.errstate(invalid="ignore", divide="ignore"):
        valid = (n >= 1) & (w > 0)
        mean = np.where(valid, wx / w, np.nan)
        n_eff = np.where(valid, w * w / w2, 0.0)
        two = valid & (n >= 2)
        ss_w2 = np.maximum(w2x2 - 2 * mean * w2x + mean * mean * w2, 0.0)
        se = np.where(two, np.sqrt(n / (n - 1) * ss_w2 / (w * w)), np.nan)
        sd = np.where(two, np.sqrt(np.maximum(wx2 / w - mean * mean, 0.0) * n / (n - 1)), np.nan)
        df = np.maximum(n_eff - 1, 1.0)
        q = special.stdtrit(df, 0.5 + level / 2)
        # Answers that do not vary (se = 0): no interval and no test, which would be undefined.
        varies = two & (se > 0)
        t = np.where(varies, mean / se, np.nan)
        p = np.where(varies, 2 * special.stdtr(df, -np.abs(t)), np.nan)
        ci_low = np.where(varies, mean - q * se, np.nan)
        ci_high = np.where(varies, mean + q * se, np.nan)
    return {"n": n.astype(int), "n_eff": n_eff, "mean": mean, "sd": sd, "se": se, "ci_low": ci_low,
            "ci_high": ci_high, "t": t, "p_value": p}


def no_variation(summary: Summary | None) -> bool:
    """Two or more answers, all alike: a mean without a spread, so no interval and no test."""
    return summary is not None and summary.n >= 2 and summary.se == 0


def significance_stars(p: float) -> str:
    """The conventional stars: *** p < .001, ** p < .01, * p < .05, n.s. otherwise; '' without a test."""
    if p is None or not np.isfinite(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else "n.s."


def p_text(p: float) -> str:
    """A p-value as analysts read it (APA): '< .001', '.032', '.41'; '–' when there is no test."""
    if p is None or not np.isfinite(p):
        return "–"
    if p < 0.001:
        return "< .001"
    return (f"{p:.2f}" if p >= 0.1 else f"{p:.3f}").lstrip("0")


def summarize(m: np.ndarray, *, level: float = CONFIDENCE) -> Summary:
    """Summary of one variable from its moments vector (order :data:`MOMENT_FIELDS`)."""
    fields = summarize_many(m, level=level)
    return Summary(int(fields["n"][0]), *(float(fields[f][0]) for f in SUMMARY_FIELDS[1:]))


SUMMARY_FIELDS = ("n", "n_eff", "mean", "sd", "se", "ci_low", "ci_high", "t", "p_value")


def moments(x: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """Moments of one variable over rows (NaN = not answered)."""
    ok = ~np.isnan(x)
    xv = x[ok].astype(float)
    wv = np.ones_like(xv) if w is None else w[ok].astype(float)
    return np.array([ok.sum(), wv.sum(), (wv**2).sum(), (wv * xv).sum(), (wv * xv**2).sum(),
                     (wv**2 * xv).sum(), (wv**2 * xv**2).sum()])


def difference_test(a: Summary, b: Summary) -> tuple[float, float, float]:
    """Welch-type test of two independent means: (difference a − b, t, p), Satterthwaite df."""
    if np.isnan(a.se) or np.isnan(b.se):
        return a.mean - b.mean, float("nan"), float("nan")
    va, vb = a.se**2, b.se**2
    diff = a.mean - b.mean
    if va + vb == 0:
        return diff, float("nan"), float("nan")
    t = diff / np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / max(a.n_eff - 1, 1e-9) + vb**2 / max(b.n_eff - 1, 1e-9))
    return diff, float(t), float(2 * special.stdtr(df, -abs(t)))


def welch_anova(groups: Sequence[Summary]) -> tuple[float, float, float, float]:
    """Welch's heteroscedastic one-way ANOVA from group summaries: (F, df1, df2, p).

    Weights 1/SE² per group (n/s² without sampling weights, as in Welch 1951).
    """
    usable = [g for g in groups if g.n >= 2 and g.se > 0 and not np.isnan(g.se)]
    k = len(usable)
    if k < 2:
        return (float("nan"),) * 4
    wts = np.array([1 / g.se**2 for g in usable])
    means = np.array([g.mean for g in usable])
    dfs = np.array([max(g.n_eff - 1, 1e-9) for g in usable])
    total = wts.sum()
    grand = (wts * means).sum() / total
    a = (wts * (means - grand) ** 2).sum() / (k - 1)
    lam = ((1 - wts / total) ** 2 / dfs).sum()
    b = 1 + 2 * (k - 2) / (k**2 - 1) * lam
    f = a / b
    df2 = (k**2 - 1) / (3 * lam)
    return float(f), float(k - 1), float(df2), float(special.fdtrc(k - 1, df2, f))


def wilcoxon_from_counts(values: np.ndarray, counts: np.ndarray) -> tuple[float, float, int]:
    """Wilcoxon signed-rank test of paired differences given as distinct values and their counts.

    Zeros are dropped (Wilcoxon's method); ranks of |d| are averaged over ties; normal
    approximation with the tie correction of the variance, no continuity correction:
    the same as ``scipy.stats.wilcoxon(d, method="approx")``. Returns (statistic W+, p, n used).
    """
    keep = (values != 0) & (counts > 0)
    vals, cnts = values[keep], counts[keep].astype(float)
    n = cnts.sum()
    if n < 1:
        return float("nan"), float("nan"), 0
    absolute = np.abs(vals)
    order = np.argsort(absolute, kind="stable")
    absolute, vals, cnts = absolute[order], vals[order], cnts[order]
    # group equal |d| (positive and negative share ranks)
    _, inverse = np.unique(absolute, return_inverse=True)
    tie_sizes = np.bincount(inverse, weights=cnts)
    upper = np.cumsum(tie_sizes)
    avg_rank = upper - (tie_sizes - 1) / 2
    r_plus = float((avg_rank[inverse] * cnts * (vals > 0)).sum())
    r_minus = float((avg_rank[inverse] * cnts * (vals < 0)).sum())
    mean = n * (n + 1) / 4
    var = n * (n + 1) * (2 * n + 1) / 24 - (tie_sizes**3 - tie_sizes).sum() / 48
    if var <= 0:
        return min(r_plus, r_minus), float("nan"), int(n)
    z = (min(r_plus, r_minus) - mean) / np.sqrt(var)
    return min(r_plus, r_minus), float(2 * special.ndtr(-abs(z))), int(n)


def kruskal_from_counts(values: np.ndarray, counts_by_group: np.ndarray) -> tuple[float, float]:
    """Kruskal-Wallis H test from counts of each distinct value per group (rows: groups).

    Ties get average ranks and the usual tie correction, as ``scipy.stats.kruskal``. Returns (H, p).
    """
    counts = np.asarray(counts_by_group, dtype=float)
    counts = counts[counts.sum(axis=1) > 0]
    if counts.shape[0] < 2:
        return float("nan"), float("nan")
    order = np.argsort(values)
    counts = counts[:, order]
    pooled = counts.sum(axis=0)
    n = pooled.sum()
    upper = np.cumsum(pooled)
    avg_rank = upper - (pooled - 1) / 2
    rank_sums = counts @ avg_rank
    sizes = counts.sum(axis=1)
    h = 12 / (n * (n + 1)) * (rank_sums**2 / sizes).sum() - 3 * (n + 1)
    ties = 1 - (pooled**3 - pooled).sum() / (n**3 - n)
    if ties <= 0:
        return float("nan"), float("nan")
    h /= ties
    return float(h), float(special.chdtrc(counts.shape[0] - 1, h))


def adjust(p_values: Sequence[float], method: str) -> np.ndarray:
    """Holm (``"holm"``) or Benjamini-Hochberg FDR (``"fdr_bh"``) adjusted p-values; NaN kept."""
    p = np.asarray(p_values, dtype=float)
    out = np.full_like(p, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    ranked = p[order]
    if method == "holm":
        adjusted = np.maximum.accumulate(ranked * (m - np.arange(m)))
    elif method == "fdr_bh":
        adjusted = np.minimum.accumulate((ranked * m / np.arange(1, m + 1))[::-1])[::-1]
    else:
        raise ValueError(method)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def compact_letters(groups: Sequence[str], means: Sequence[float],
                    significant: dict[tuple[str, str], bool]) -> dict[str, str]:
    """Compact letter display: groups sharing a letter do not differ significantly.

    Insert-and-absorb algorithm (Piepho 2004), groups ordered by mean, highest first.
    """
    order = [g for _, g in sorted(zip(means, groups, strict=True), key=lambda t: -t[0])]
    columns: list[set[str]] = [set(order)]
    for a, b in combinations(order, 2):
        if not (significant.get((a, b)) or significant.get((b, a))):
            continue
        new_columns: list[set[str]] = []
        for col in columns:
            if a in col and b in col:
                new_columns.extend([col - {a}, col - {b}])
            else:
                new_columns.append(col)
        unique: list[set[str]] = []
        for col in new_columns:
            if col and col not in unique:
                unique.append(col)
        columns = [c for c in unique if not any(c < d for d in unique)]  # absorb

    # order columns by the first (highest-mean) group they contain
    columns.sort(key=lambda c: min(order.index(g) for g in c))
    letters = {g: "" for g in order}
    for index, col in enumerate(columns):
        letter = chr(ord("a") + index) if index < 26 else f"<{index}>"
        for g in col:
            letters[g] += letter
    return letters
