"""Driver models checked against independent computations and a published example."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy import stats as sps

from gapcore.driver_model import fit_drivers, what_if
from gapcore.errors import GapcoreError
from gapcore.importance import johnson_weights, shapley_r2, weighted_corr
from gapcore.scores import dimension_score

DIMS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")


def gaps(study) -> np.ndarray:
    columns = []
    for dim in DIMS:
        numbers = study.instrument.items_of(dim)
        e = study.customers[[f"E{k}" for k in numbers]].to_numpy(float)
        p = study.customers[[f"P{k}" for k in numbers]].to_numpy(float)
        item_gaps = p - e  # paired items only (GAP_MODEL.md): the dimension gap is their mean
        columns.append(dimension_score(item_gaps))
    return np.column_stack(columns)


def test_johnson_reproduces_the_iopsych_relwt_example():
    rs = np.array([[1.0, 0.2, 0.3, 0.4, -0.4], [0.2, 1.0, 0.5, 0.1, 0.1], [0.3, 0.5, 1.0, 0.2, -0.3],
                   [0.4, 0.1, 0.2, 1.0, 0.4], [-0.4, 0.1, -0.3, 0.4, 1.0]])
    eps = johnson_weights(rs[:4, :4], rs[:4, 4])
    np.testing.assert_allclose(eps, [0.24066119, 0.05492664, 0.12143476, 0.28158189], atol=5e-6)
    r2 = rs[:4, 4] @ np.linalg.solve(rs[:4, :4], rs[:4, 4])
    assert eps.sum() == pytest.approx(r2)


def test_shapley_sums_to_r2_and_matches_two_predictor_formula():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 4))
    y = x @ [0.5, 0.2, 0.0, -0.3] + rng.normal(size=400)
    corr = weighted_corr(np.column_stack([x, y]), None)
    values = shapley_r2(corr)
    full = np.linalg.lstsq(np.column_stack([np.ones(400), x]), y, rcond=None)
    r2 = 1 - ((y - np.column_stack([np.ones(400), x]) @ full[0]) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert values.sum() == pytest.approx(r2, abs=1e-12)
    two = shapley_r2(weighted_corr(np.column_stack([x[:, :2], y]), None))
    r = np.corrcoef(np.column_stack([x[:, :2], y]), rowvar=False)
    r2_12 = r[:2, 2] @ np.linalg.solve(r[:2, :2], r[:2, 2])
    assert two[0] == pytest.approx(0.5 * (r[0, 2] ** 2) + 0.5 * (r2_12 - r[1, 2] ** 2))


def test_ols_coefficients_and_hc3_errors_by_hand(demo_study):
    model = fit_drivers(demo_study, "satisfaction", use_weight=False, bootstrap=0)
    x = np.column_stack([np.ones(demo_study.n), gaps(demo_study)])
    y = demo_study.customers["satisfaction"].to_numpy(float)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    np.testing.assert_allclose(model.coefficients["coef"], beta, rtol=1e-9)
    bread = np.linalg.inv(x.T @ x)
    h = np.einsum("ij,jk,ik->i", x, bread, x)
    e = y - x @ beta
    hc3 = bread @ (x.T * (e / (1 - h)) ** 2) @ x @ bread
    np.testing.assert_allclose(model.coefficients["se"], np.sqrt(np.diag(hc3)), rtol=1e-9)
    assert model.fit["r2"] == pytest.approx(1 - (e**2).sum() / ((y - y.mean()) ** 2).sum())
    # built into the demo: reliability drives satisfaction most, tangibles least
    imp = model.importance.set_index("dimension")
    assert imp["shapley"].idxmax() == "reliability" and imp["shapley"].idxmin() in ("tangibles", "assurance")
    assert model.ordinal is not None and model.ordinal.set_index("term")["coef"].idxmax() == "reliability"


def test_logit_coefficients_by_direct_likelihood_maximisation(demo_study):
    model = fit_drivers(demo_study, "retention", use_weight=False, bootstrap=0)
    x = np.column_stack([np.ones(demo_study.n), gaps(demo_study)])
    y = demo_study.customers["retention"].to_numpy(float)

    def negative_loglik(beta: np.ndarray) -> float:
        eta = x @ beta
        return float(np.sum(np.logaddexp(0, eta) - y * eta))

    best = optimize.minimize(negative_loglik, np.zeros(x.shape[1]), method="BFGS", options={"gtol": 1e-8})
    np.testing.assert_allclose(model.coefficients["coef"], best.x, atol=1e-4)
    assert model.kind == "logit" and 0.65 < model.fit["auc"] < 0.85
    # AUC = the Mann-Whitney U of the fitted scores (retainers vs not) over n1·n0, ties half: scipy's own
    eta = x @ model.coefficients["coef"].to_numpy()
    u = sps.mannwhitneyu(eta[y == 1], eta[y == 0]).statistic
    assert model.fit["auc"] == pytest.approx(u / ((y == 1).sum() * (y == 0).sum()), rel=1e-9)
    assert model.classification["count"].sum() == demo_study.n
    assert model.importance.set_index("dimension")["johnson"].idxmax() == "reliability"


def test_what_if_closing_a_gap(demo_study):
    model = fit_drivers(demo_study, "satisfaction", use_weight=False, bootstrap=0)
    change, low, high = what_if(model, "reliability", 0.5)
    coef = model.coefficients.set_index("term").loc["reliability"]
    assert change == pytest.approx(0.5 * coef["coef"])
    assert low < change < high
    logit = fit_drivers(demo_study, "retention", use_weight=False, bootstrap=0)
    change, low, high = what_if(logit, "reliability", 0.5)
    assert 0 < low < change < high < 0.5


def test_weighted_and_bootstrap(demo_study):
    model = fit_drivers(demo_study, "satisfaction", use_weight=True, bootstrap=50, seed=3)
    imp = model.importance
    assert imp["shapley"].abs().sum() == pytest.approx(100)
    assert (imp["shapley_ci_low"] <= imp["shapley"]).all() and (imp["shapley"] <= imp["shapley_ci_high"]).all()


@pytest.mark.parametrize("blocks", ["one block", "blocks of 7 draws"])
@pytest.mark.parametrize("weighted", [False, True])
def test_bootstrap_intervals_equal_resampling_the_rows(demo_study, weighted, blocks, monkeypatch):
    """The bootstrap weighs each row by how often a draw picked it; the intervals equal those of copying
    the drawn rows (the same draws) and taking numpy's own correlations of them, whether the 40 draws are
    taken in one block or in blocks of 7 (the last one short)."""
    from gapcore import importance
    from gapcore.driver_model import importance_table
    from gapcore.importance import bootstrap_corr, weighted_corr

    x = gaps(demo_study)
    y = demo_study.customers["satisfaction"].to_numpy(float)
    keep = ~np.isnan(x).any(axis=1) & ~np.isnan(y)
    x, y = x[keep], y[keep]
    if blocks != "one block":
        monkeypatch.setattr(importance, "BOOTSTRAP_BLOCK_CELLS", 7 * len(y) + 3)
    w = demo_study.customers["weight"].to_numpy(float)[keep] if weighted else None
    data = np.column_stack([x, y])
    ours = importance_table(weighted_corr(data, w), np.ones(5), DIMS,
                            bootstrap_corr(data, w, 40, np.random.default_rng(3)), 0.95)
    rng, data, n = np.random.default_rng(3), np.column_stack([x, y]), len(y)
    draws = []
    for _ in range(40):
        idx = rng.integers(0, n, n)
        if w is None:
            draws.append(np.corrcoef(data[idx], rowvar=False))
        else:
            cov = np.cov(data[idx], rowvar=False, aweights=w[idx])
            sd = np.sqrt(np.diag(cov))
            draws.append(cov / np.outer(sd, sd))
    stack = np.stack(draws)
    shapley = shapley_r2(stack)
    shares = 100 * shapley / shapley.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ours["shapley_ci_low"], np.percentile(shares, 2.5, axis=0), rtol=1e-9)
    np.testing.assert_allclose(ours["shapley_ci_high"], np.percentile(shares, 97.5, axis=0), rtol=1e-9)
    johnson = johnson_weights(stack[:, :-1, :-1], stack[:, :-1, -1])
    shares = 100 * johnson / johnson.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ours["johnson_ci_low"], np.percentile(shares, 2.5, axis=0), rtol=1e-9)


@pytest.mark.parametrize(("change", "key"), [
    ("few", "drivers_too_few_rows"), ("constant", "drivers_constant_predictor"),
    ("separation", "drivers_separation"), ("outcome", "drivers_no_outcome"), ("collinear", "drivers_collinear"),
])
def test_failures_are_said_plainly(demo_study, change, key):
    customers = demo_study.customers.copy()
    outcome = "satisfaction"
    filters = None
    if change == "few":
        filters = {"branch": ["Seoul"], "wave": ["2025-H1"], "channel": ["phone"], "age_band": ["20s"],
                   "customer_type": ["new"]}
    if change == "constant":
        for k in demo_study.instrument.items_of("empathy"):
            customers[f"E{k}"] = 5.0
            customers[f"P{k}"] = 4.0
    if change == "separation":
        g = gaps(demo_study)[:, 1]
        customers["retention"] = np.where(np.nan_to_num(g) > -1.5, 1.0, 0.0)
        outcome = "retention"
    if change == "collinear":  # tangibles and empathy items all copy item 1: the two gaps are one column
        for k in (*demo_study.instrument.items_of("tangibles"), *demo_study.instrument.items_of("empathy")):
            customers[f"E{k}"] = customers["E1"]
            customers[f"P{k}"] = customers["P1"]
    if change == "outcome":
        customers = customers.drop(columns=["recommend"])
        outcome = "recommend"
    study = type(demo_study)(customers, demo_study.instrument, demo_study.scale, demo_study.mapping,
                             demo_study.providers, retention_kind="binary")
    with pytest.raises(GapcoreError) as info:
        fit_drivers(study, outcome, filters=filters, bootstrap=0)
    assert info.value.key == key


def test_cli_drivers_json():
    import io
    import json

    from gapcore.cli import main
    from tests.conftest import DATA

    out = io.StringIO()
    code = main(["drivers", str(DATA / "demo_study.xlsx"), "--outcome", "retention", "--json", "--bootstrap", "0",
                 "--filter", "channel=app"], out=out)
    assert code == 0
    doc = json.loads(out.getvalue())
    assert {"n", "model", "fit", "coefficients", "importance"} <= set(doc)
    assert doc["model"] == "servqual" and doc["kind"] == "logit"
    assert set(doc["coefficients"]["reliability"]) == {"coef", "se", "p", "ci_low", "ci_high", "std_coef", "vif"}
    assert sum(abs(v["shapley"]) for v in doc["importance"].values()) == pytest.approx(100)
    assert doc["fit"]["auc"] > 0.6 and doc["fit"]["r2"] is None


def test_segment_controls_enter_as_fixed_effects(demo_study):
    model = fit_drivers(demo_study, "satisfaction", use_weight=False, bootstrap=0, controls=("branch",))
    terms = list(model.coefficients["term"])
    assert sum(term.startswith("branch_") for term in terms) == 4  # five branches, one reference
    branch = demo_study.customers["branch"].astype(str)
    dummies = pd.get_dummies(branch, drop_first=True, dtype=float).to_numpy()
    x = np.column_stack([np.ones(demo_study.n), gaps(demo_study), dummies])
    beta, *_ = np.linalg.lstsq(x, demo_study.customers["satisfaction"].to_numpy(float), rcond=None)
    np.testing.assert_allclose(model.coefficients["coef"], beta, rtol=1e-8)
    with pytest.raises(GapcoreError):
        fit_drivers(demo_study, "satisfaction", controls=("city",), bootstrap=0)


def test_pseudo_r2_is_mcfadden(demo_study):
    model = fit_drivers(demo_study, "retention", use_weight=False, bootstrap=0)
    import statsmodels.api as sm

    x = np.column_stack([np.ones(demo_study.n), gaps(demo_study)])
    y = demo_study.customers["retention"].to_numpy(float)
    reference = sm.Logit(y, x).fit(disp=False)
    assert model.fit["pseudo_r2"] == pytest.approx(reference.prsquared, rel=1e-6)


@pytest.mark.parametrize("weighted", [False, True])
def test_least_squares_matches_statsmodels_hc3(demo_study, weighted):
    import statsmodels.api as sm

    model = fit_drivers(demo_study, "satisfaction", use_weight=weighted, bootstrap=0)
    x = np.column_stack([np.ones(demo_study.n), gaps(demo_study)])
    y = demo_study.customers["satisfaction"].to_numpy(float)
    w = demo_study.customers["weight"].to_numpy(float)
    reference = (sm.WLS(y, x, weights=w) if weighted else sm.OLS(y, x)).fit(cov_type="HC3")
    np.testing.assert_allclose(model.coefficients["coef"], reference.params, rtol=1e-9)
    np.testing.assert_allclose(model.coefficients["se"], reference.bse, rtol=1e-9)
    np.testing.assert_allclose(model.coefficients["p"], reference.pvalues, rtol=1e-6, atol=1e-300)
    assert model.fit["r2"] == pytest.approx(reference.rsquared, rel=1e-9)
    assert model.fit["adj_r2"] == pytest.approx(reference.rsquared_adj, rel=1e-9)
    assert model.fit["aic"] == pytest.approx(reference.aic, rel=1e-9)


def test_shared_predictors_give_the_same_model(demo_study):
    from gapcore.driver_model import dimension_predictors

    shared = dimension_predictors(demo_study, "servqual")
    np.testing.assert_allclose(np.column_stack(list(shared.values())), gaps(demo_study), equal_nan=True)
    a = fit_drivers(demo_study, "satisfaction", bootstrap=0, predictor_values=shared)
    b = fit_drivers(demo_study, "satisfaction", bootstrap=0)
    pd.testing.assert_frame_equal(a.coefficients, b.coefficients)


def test_a_model_note_reads_in_the_readers_language():
    """A respondent alone in a control's segment has leverage 1: the errors fall back to HC1, and the
    note says so in Korean on a Korean page (it was an English f-string everywhere)."""
    from gapcore.io.load import SourceFile, load_study
    from gapcore.present.readings import note_text
    from tests.conftest import DATA

    frame = pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig").head(120)
    frame.loc[0, "branch"] = "Solo"
    study = load_study([SourceFile("c.csv", frame.to_csv(index=False).encode())]).study
    model = fit_drivers(study, "satisfaction", use_weight=False, bootstrap=0, controls=["branch"])
    assert [n.key for n in model.notes][:1] == ["hc1_errors"]
    korean = "표준오차는 HC1입니다. 레버리지가 1인 응답자가 있어 HC3를 계산할 수 없습니다."
    assert note_text(model.notes[0], "ko") == korean
    assert note_text(model.notes[0], "en").startswith("Standard errors are HC1")


def test_model_tables_read_as_analysts_write_them():
    """A p-value of 1e-119 shows as "< .001" (it showed as 0 after rounding), terms by name, controls as
    "segment: value", CI in one column."""
    from gapcore.driver_model import fit_drivers
    from gapcore.io.load import load_paths
    from gapcore.present.tables import coefficients_table, importance_table
    from tests.conftest import DATA

    study = load_paths([DATA / "demo_study.xlsx"]).study
    model = fit_drivers(study, "satisfaction", controls=("channel",), bootstrap=0)
    assert model.coefficients.set_index("term").loc["reliability", "p"] < 1e-100
    table = coefficients_table(study, model, "ko").set_index("변수")
    assert table.loc["신뢰성", "p"] == "< .001" and table.loc["상수", "p"] == "< .001"
    assert "channel: phone" in table.index
    coef = model.coefficients.set_index("term").loc["reliability"]
    assert table.loc["신뢰성", "95% 신뢰구간"] == f"{coef['ci_low']:+.2f} … {coef['ci_high']:+.2f}"
    shares = importance_table(study, model, "en")
    assert list(shares.columns) == ["dimension", "Shapley share (%)", "Johnson weight (%)"]  # no bootstrap: no CI
    assert shares["Shapley share (%)"].tolist() == model.importance["shapley"].round(1).tolist()


def test_rows_dropped_are_counted_in_order_and_the_model_uses_the_rest(demo_study):
    """In a study with holes (answers, weights, a segment value and outcomes missing), under a filter and
    with a control, each kept respondent left out is counted once, under the first reason in the order
    outcome, predictors, segment, weight; the model's n is the rest. Counted here with pandas alone."""
    from gapcore.driver_model import driver_frame
    from tests.test_cells import _with_holes

    study = _with_holes(demo_study)
    customers = study.customers.copy()
    customers.loc[customers.index % 17 == 0, "satisfaction"] = np.nan
    study = dataclasses.replace(study, customers=customers)
    filters = {"channel": ["app", "branch"]}
    frame, names, weights, dropped = driver_frame(study, "satisfaction", filters=filters, controls=("branch",))

    kept = customers["channel"].isin(["app", "branch"])
    no_y = customers["satisfaction"].isna()
    no_x = pd.DataFrame(gaps(study)).isna().any(axis=1)
    no_segment = customers["branch"].isna()
    no_weight = ~(customers["weight"] > 0)
    expected = {"outcome_missing": kept & no_y, "predictor_missing": kept & ~no_y & no_x,
                "segment_missing": kept & ~no_y & ~no_x & no_segment,
                "weight_missing": kept & ~no_y & ~no_x & ~no_segment & no_weight}
    assert dropped == {reason: int(rows.sum()) for reason, rows in expected.items()}
    assert all(count > 0 for count in dropped.values())
    used = kept & ~no_y & ~no_x & ~no_segment & ~no_weight
    assert len(frame) == used.sum() == fit_drivers(study, "satisfaction", filters=filters, controls=("branch",),
                                                   bootstrap=0).n
    np.testing.assert_array_equal(frame["__y"], customers.loc[used, "satisfaction"])
    np.testing.assert_allclose(frame[names].to_numpy(), gaps(study)[used.to_numpy()], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(weights, customers.loc[used, "weight"])
    assert frame["__seg_branch"].tolist() == customers.loc[used, "branch"].astype(str).tolist()


def test_the_classification_table_is_the_logit_cut_at_one_half_in_the_readers_words(demo_study):
    """Retention kept (yes) or lost (no) against statsmodels' own logit predicting at 0.5, headed and
    labelled in Korean."""
    import statsmodels.api as sm

    from gapcore.present.tables import classification_table

    model = fit_drivers(demo_study, "retention", use_weight=False, bootstrap=0)
    x = np.column_stack([np.ones(demo_study.n), gaps(demo_study)])
    y = demo_study.customers["retention"].to_numpy(float)
    predicted = sm.Logit(y, x).fit(disp=False).predict(x) >= 0.5
    table = classification_table(model, "ko").set_index("실제")
    assert list(table.columns) == ["예측: 예", "예측: 아니요"]
    assert table.loc["예"].tolist() == [int(((y == 1) & predicted).sum()), int(((y == 1) & ~predicted).sum())]
    assert table.loc["아니요"].tolist() == [int(((y == 0) & predicted).sum()), int(((y == 0) & ~predicted).sum())]
    assert classification_table(fit_drivers(demo_study, "satisfaction", bootstrap=0), "ko") is None


def test_who_the_model_left_out_is_said_in_the_readers_words(demo_study):
    from gapcore.present.tables import dropped_text
    from tests.test_cells import _with_holes

    study = _with_holes(demo_study)
    customers = study.customers.copy()
    customers.loc[customers.index % 17 == 0, "satisfaction"] = np.nan
    study = dataclasses.replace(study, customers=customers)
    model = fit_drivers(study, "satisfaction", controls=("branch",), bootstrap=0)
    counts = model.n_dropped
    assert dropped_text(model, "en") == (f"{counts['outcome_missing']:,} without an answer on the outcome; "
                                         f"{counts['predictor_missing']:,} without a score on every dimension; "
                                         f"{counts['segment_missing']:,} without a value in a control segment; "
                                         f"{counts['weight_missing']:,} with a missing or zero weight")
    assert min(counts.values()) > 0
    assert "outcome_missing" not in dropped_text(model, "zh") and "人" in dropped_text(model, "zh")
    assert dropped_text(fit_drivers(demo_study, "satisfaction", bootstrap=0), "ko") == "없음"


def test_a_tie_split_by_rounding_is_still_a_tie_for_the_auc():
    """Two respondents whose X·β are equal on paper can come out one bit apart; the AUC counts them as a tie
    (half), as scipy does for exactly equal scores, whichever way the bit fell — so the engine's and the
    upload's models agree."""
    from gapcore.driver_model import grouped_auc

    y = np.array([1.0, 0.0, 1.0, 0.0])
    exact = np.array([0.3, 0.3, 0.8, 0.1])
    expected = sps.mannwhitneyu(exact[y == 1], exact[y == 0]).statistic / 4
    bump = np.array([0, 1e-16, 0, 0])
    assert (exact + bump)[1] != exact[1]
    for nudged in (exact + bump, exact - bump):
        assert grouped_auc(nudged, y, np.ones(4)) == pytest.approx(expected, rel=1e-12)
    assert grouped_auc(np.array([0.3, 0.3 + 1e-9]), np.array([1.0, 0.0]), np.array([2.0, 3.0])) == 0.0
