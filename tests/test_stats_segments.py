"""Tests of the statistics helpers and segment comparisons against scipy/statsmodels and by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.oneway import anova_oneway

from gapcore.analysis import prepare
from gapcore.gaps import chain_from_levels
from gapcore.io.scale import Scale
from gapcore.segments import compare_segments, consistency, suppressed_values
from gapcore.stats import (
    adjust,
    compact_letters,
    kruskal_from_counts,
    moments,
    p_text,
    summarize,
    welch_anova,
    wilcoxon_from_counts,
)


def test_wilcoxon_reproduces_hollander_wolfe_depression_example():
    # Hollander & Wolfe (1999), Table 3.1: Hamilton depression scale, first (x) and second (y) visit.
    x = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
    y = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])
    values, counts = np.unique(np.round(x - y, 6), return_counts=True)
    statistic, p, n = wilcoxon_from_counts(values, counts)
    assert (statistic, n) == (5.0, 9)  # T− = 5, i.e. T+ = 40 as in the book
    z = (5 - 9 * 10 / 4) / np.sqrt(9 * 10 * 19 / 24)
    assert p == pytest.approx(2 * sps.norm.sf(abs(z)), rel=1e-12)
    assert p == pytest.approx(sps.wilcoxon(x, y, method="approx").pvalue, rel=1e-12)


def test_wilcoxon_with_ties_and_zeros_matches_scipy():
    rng = np.random.default_rng(5)
    d = rng.integers(-3, 4, 300).astype(float)
    values, counts = np.unique(d, return_counts=True)
    assert wilcoxon_from_counts(values, counts)[1] == pytest.approx(sps.wilcoxon(d, method="approx").pvalue,
                                                                    rel=1e-10)


def test_kruskal_matches_scipy_with_ties():
    rng = np.random.default_rng(2)
    groups = [rng.integers(1, 8, n).astype(float) + shift for n, shift in ((40, 0), (55, 1), (23, 0))]
    values = np.unique(np.concatenate(groups))
    counts = np.array([[np.sum(g == v) for v in values] for g in groups])
    h, p = kruskal_from_counts(values, counts)
    expected = sps.kruskal(*groups)
    assert h == pytest.approx(expected.statistic, rel=1e-10)
    assert p == pytest.approx(expected.pvalue, rel=1e-9)


def test_welch_anova_matches_statsmodels():
    rng = np.random.default_rng(9)
    groups = [rng.normal(m, s, n) for m, s, n in ((0, 1, 30), (0.5, 2, 45), (1.0, 0.5, 12), (0.2, 1.5, 60))]
    f, df1, df2, p = welch_anova([summarize(moments(g)) for g in groups])
    expected = anova_oneway(groups, use_var="unequal", welch_correction=True)
    assert f == pytest.approx(expected.statistic, rel=1e-10)
    assert (df1, df2) == (pytest.approx(expected.df[0]), pytest.approx(expected.df[1], rel=1e-10))
    assert p == pytest.approx(expected.pvalue, rel=1e-9)


def test_holm_and_fdr_by_hand():
    p = [0.01, 0.04, 0.03, np.nan]
    np.testing.assert_allclose(adjust(p, "holm")[:3], [0.03, 0.06, 0.06])
    np.testing.assert_allclose(adjust(p, "fdr_bh")[:3], [0.03, 0.04, 0.04])
    assert np.isnan(adjust(p, "holm")[3])


def test_compact_letters_by_hand():
    # A > B > C in means; A differs from C only: A "a", B "ab", C "b".
    letters = compact_letters(["A", "B", "C"], [3.0, 2.0, 1.0], {("A", "C"): True})
    assert letters == {"A": "a", "B": "ab", "C": "b"}
    assert compact_letters(["x", "y"], [1, 2], {}) == {"x": "a", "y": "a"}
    assert compact_letters(["x", "y", "z"], [3, 2, 1], {("x", "y"): True, ("x", "z"): True,
                                                        ("y", "z"): True}) == {"x": "a", "y": "b", "z": "c"}


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 30), min_size=1, max_size=8),
       st.integers(1, 10))
def test_suppression_never_leaves_exactly_one_value_hidden(counts, min_cell):
    hidden = suppressed_values(counts, min_cell)
    assert {v for v, c in counts.items() if c < min_cell} <= hidden
    assert len(hidden) != 1 or len(counts) == 1


@settings(max_examples=200)
@given(st.lists(st.one_of(st.none(), st.floats(-10, 10)), min_size=5, max_size=5).filter(
    lambda v: v[0] is not None and v[4] is not None))
def test_chain_steps_always_add_up_to_gap5(levels):
    chain = chain_from_levels(dict(zip("EMSDP", levels, strict=True)))
    assert sum(s.value for s in chain.steps) == pytest.approx(levels[4] - levels[0], abs=1e-9)
    assert chain.steps[0].start == "E" and chain.steps[-1].end == "P"
    assert all(s.merged == ("+" in s.name) for s in chain.steps)


@given(st.lists(st.integers(1, 7), min_size=1, max_size=30))
def test_reverse_coding_twice_is_identity(values):
    scale = Scale(1, 7)
    series = pd.Series(values, dtype=float)
    pd.testing.assert_series_equal(scale.flip(scale.flip(series)), series)


def test_compare_branches_matches_scipy_welch_and_kruskal(demo_study):
    prepared = prepare(demo_study, use_weight=False)
    result = compare_segments(prepared, "branch")
    frame = demo_study.customers
    e = frame[[f"E{k}" for k in range(5, 10)]].astype(float).to_numpy()
    p = frame[[f"P{k}" for k in range(5, 10)]].astype(float).to_numpy()
    item_gaps = pd.DataFrame(p - e)  # paired items only: the dimension gap is the mean item gap
    gap = item_gaps.mean(axis=1).where(item_gaps.notna().sum(axis=1) >= 2.5)
    groups = {b: gap[(frame["branch"] == b).to_numpy()].dropna().to_numpy() for b in sorted(frame["branch"].unique())}
    tests = result.tests.set_index("dimension").loc["reliability"]
    welch = anova_oneway(list(groups.values()), use_var="unequal")
    assert tests["welch_F"] == pytest.approx(welch.statistic, rel=1e-9)
    rounded = [np.round(g * 420) / 420 for g in groups.values()]
    assert tests["kruskal_H"] == pytest.approx(sps.kruskal(*rounded).statistic, rel=1e-9)
    pair = result.pairwise.query("dimension == 'reliability' and a == 'Busan' and b == 'Seoul'").iloc[0]
    expected = sps.ttest_ind(groups["Busan"], groups["Seoul"], equal_var=False)
    assert pair["t"] == pytest.approx(expected.statistic, rel=1e-9)
    assert pair["p"] == pytest.approx(expected.pvalue, rel=1e-6)
    cells = result.cells.query("dimension == 'reliability'").set_index("segment")
    assert cells.loc["Busan", "mean"] == pytest.approx(groups["Busan"].mean())
    assert cells.loc["Busan", "letters"] != cells.loc["Seoul", "letters"]
    spread = consistency(result).set_index("dimension")
    assert spread.loc["reliability", "furthest"] == "Busan"
    assert spread.loc["reliability", "range"] == pytest.approx(
        max(g.mean() for g in groups.values()) - min(g.mean() for g in groups.values()))


def test_small_segments_are_held_back_with_complement(demo_study):
    prepared = prepare(demo_study, use_weight=False)
    result = compare_segments(prepared, "age_band", {"branch": ["Gwangju"], "wave": ["2025-H1"],
                                                     "channel": ["phone"]}, min_cell=8)
    counts = result.cells.query("dimension == 'tangibles'")
    held = counts[counts["suppressed"]]
    assert len(held) != 1
    assert held[["n", "mean", "ci_low", "ci_high"]].isna().all().all()
    assert result.held_back == len(held)


def test_responsiveness_improves_over_waves(demo_study):
    result = compare_segments(prepare(demo_study), "wave")
    means = result.cells.query("dimension == 'responsiveness'").set_index("segment")["mean"]
    assert means["2025-H1"] < means["2025-H2"] < means["2026-H1"]
    assert means["2026-H1"] - means["2025-H1"] > 0.4


def test_answers_that_do_not_vary_get_no_interval_and_no_test():
    constant = moments(np.full(30, 1.0))  # every gap +1: a mean, no spread
    fields = summarize(constant)
    assert (fields.mean, fields.sd, fields.se) == (1.0, 0.0, 0.0)
    assert np.isnan([fields.ci_low, fields.ci_high, fields.t, fields.p_value]).all()
    varied = summarize(moments(np.array([1.0, 2.0, 3.0])))
    assert varied.p_value == pytest.approx(sps.ttest_1samp([1, 2, 3], 0).pvalue)


@pytest.mark.parametrize(("p", "text"), [(0.0, "< .001"), (8.76e-297, "< .001"), (0.00099, "< .001"),
                                         (0.001, ".001"), (0.0324, ".032"), (0.05, ".050"), (0.41, ".41"),
                                         (0.999, "1.00"), (float("nan"), "–")])
def test_p_values_read_as_analysts_write_them(p, text):
    assert p_text(p) == text


def test_the_worst_step_is_the_largest_shortfall():
    chain = chain_from_levels({"E": 6.0, "M": 5.8, "S": 5.1, "D": 5.3, "P": 4.5})
    # steps: E→M −0.2, M→S −0.7, S→D +0.2, D→P −0.8
    assert chain.worst_step.name == "gap4" and chain.worst_step.value == pytest.approx(-0.8)


def test_whether_waves_can_be_followed_is_one_rule_with_its_reason(demo_study):
    """No wave column, a filter on the wave, or followed: the Segments page says the reason ``waves_to_follow``
    gives, and ``follows_waves`` (the report's tracking slide) asks the same rule."""
    from dataclasses import replace

    from gapcore.analysis import prepare
    from gapcore.segments import follows_waves, waves_to_follow

    assert demo_study.wave == "wave"
    assert waves_to_follow(demo_study, {"branch": ["Busan"]}) == "followed"
    assert waves_to_follow(demo_study, {"wave": ["2026-H1"]}) == "filtered"
    no_wave = replace(demo_study, mapping=replace(demo_study.mapping, specs=tuple(
        replace(s, role="segment") if s.role == "wave" else s for s in demo_study.mapping.specs)))
    assert no_wave.wave is None and waves_to_follow(no_wave, None) == "none"
    prepared = prepare(demo_study)
    assert follows_waves(prepared, {"branch": ["Busan"]}) and not follows_waves(prepared, {"wave": ["2026-H1"]})
