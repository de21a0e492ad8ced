"""Tracking over waves: wave order, per-wave means and CIs, and wave-to-wave tests, checked against
numpy/scipy on the respondent rows and statsmodels' Holm adjustment."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from gapcore.analysis import prepare
from gapcore.scores import respondent_scores
from gapcore.segments import track_waves, wave_periods


@pytest.fixture(scope="module")
def unweighted(demo_study):
    return prepare(demo_study, use_weight=False)


def test_wave_order_numbers_dates_and_natural_text():
    assert wave_periods(["10", "2", "2.5"])[1] == ["2", "2.5", "10"]
    assert wave_periods(["2차", "10차", "1차"])[1] == ["1차", "2차", "10차"]
    assert wave_periods(["2025-Q10", "2025-Q2", "2024-Q4"])[1] == ["2024-Q4", "2025-Q2", "2025-Q10"]
    assert wave_periods(["2024/1/5", "2023-12-01", "2024.01.02"])[1] == ["2023-12-01", "2024.01.02", "2024/1/5"]
    days = [f"2024-{m:02d}-{d:02d}" for m in (1, 2, 3) for d in range(1, 11)]  # 30 dates → 3 months
    period_of, order, by_month = wave_periods(days)
    assert by_month and order == ["2024-01", "2024-02", "2024-03"]
    assert period_of["2024-02-07"] == "2024-02"


def test_wave_means_and_changes_match_scipy(demo_study, unweighted):
    tracking = track_waves(unweighted, "wave", {"branch": ["Seoul"]}, min_cell=5)
    assert tracking.waves == ("2025-H1", "2025-H2", "2026-H1")
    gap = respondent_scores(demo_study, use_weight=False).values["G:responsiveness"]
    customers = demo_study.customers
    rows = {w: gap[((customers["branch"] == "Seoul") & (customers["wave"] == w)).to_numpy()] for w in tracking.waves}
    rows = {w: x[~np.isnan(x)] for w, x in rows.items()}
    points = tracking.points[tracking.points["dimension"] == "responsiveness"].set_index("wave")
    for wave, x in rows.items():
        assert points.loc[wave, "n"] == len(x)
        assert points.loc[wave, "mean"] == pytest.approx(x.mean(), abs=1e-12)
        half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
        assert points.loc[wave, "ci_high"] - points.loc[wave, "mean"] == pytest.approx(half, rel=1e-9)
    # the improvement built into the demo (unweighted here; −1.09 → −0.90 → −0.62 with weights)
    assert points["mean"].round(2).tolist() == [-1.09, -0.88, -0.60]
    changes = tracking.changes[tracking.changes["dimension"] == "responsiveness"].reset_index(drop=True)
    assert changes[["wave_from", "wave_to"]].values.tolist() == [["2025-H1", "2025-H2"], ["2025-H2", "2026-H1"]]
    expected_p = []
    for i, (a, b) in enumerate([("2025-H1", "2025-H2"), ("2025-H2", "2026-H1")]):
        test = stats.ttest_ind(rows[b], rows[a], equal_var=False)
        assert changes.loc[i, "difference"] == pytest.approx(rows[b].mean() - rows[a].mean(), abs=1e-12)
        assert changes.loc[i, "t"] == pytest.approx(test.statistic, rel=1e-9)
        assert changes.loc[i, "p"] == pytest.approx(test.pvalue, rel=1e-6)
        expected_p.append(test.pvalue)
    holm = multipletests(expected_p, method="holm")[1]
    assert changes["p_holm"].to_numpy() == pytest.approx(holm, rel=1e-6)


def test_small_waves_are_held_back_with_complementary_suppression(demo_study, unweighted):
    filters = {"branch": ["Busan"], "channel": ["phone"]}
    counts = demo_study.customers.query("branch == 'Busan' and channel == 'phone'")["wave"].value_counts().sort_values()
    assert counts.iloc[0] < counts.iloc[1] < counts.iloc[2]
    min_cell = int(counts.iloc[0]) + 1  # only the smallest wave is under: the next smallest goes too
    tracking = track_waves(unweighted, "wave", filters, min_cell=min_cell)
    hidden = set(tracking.points.loc[tracking.points["suppressed"], "wave"])
    assert hidden == {counts.index[0], counts.index[1]}
    assert tracking.points.loc[tracking.points["suppressed"], ["n", "mean", "ci_low", "ci_high"]].isna().all().all()
    assert tracking.changes.empty  # one wave left: nothing to compare
    assert tracking.held_back == 2
