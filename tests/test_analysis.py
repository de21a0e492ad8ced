"""Analysis figures checked against independent computations (numpy/scipy/statsmodels on raw rows)."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from gapcore.analysis import PAIRED_ONLY_COLUMNS, analyze, prepare
from gapcore.cli import main
from gapcore.io.load import SourceFile, load_study
from gapcore.io.scale import Scale
from gapcore.scores import dimension_score
from tests.conftest import DATA


@pytest.fixture(scope="module")
def unweighted(demo_study):
    return prepare(demo_study, use_weight=False)


@pytest.fixture(scope="module")
def weighted(demo_study):
    return prepare(demo_study, use_weight=True)


def raw_dimension(study, level: str, dim: str, rows=None) -> np.ndarray:
    """Respondent dimension score computed from scratch with pandas: mean of the items answered in both
    E and P (paired items), half rule on those."""
    frame = study.customers if rows is None else study.customers[rows]
    numbers = study.instrument.items_of(dim)
    block = frame[[f"{level}{k}" for k in numbers]].astype(float)
    if level in "EP" and study.has_level("E") and study.has_level("P"):
        other = "P" if level == "E" else "E"
        both = frame[[f"{other}{k}" for k in numbers]].notna().to_numpy() & block.notna().to_numpy()
        block = block.where(both)
    score = block.mean(axis=1, skipna=True)
    score[block.notna().sum(axis=1) < block.shape[1] / 2] = np.nan
    return score.to_numpy()


def test_dimension_score_half_rule_by_hand():
    items = np.array([[1, 2, 3, 4], [1, np.nan, np.nan, 4], [np.nan, np.nan, np.nan, 7], [5, 5, 5, np.nan]])
    np.testing.assert_allclose(dimension_score(items), [2.5, 2.5, np.nan, 5.0])
    five = np.array([[1, 2, np.nan, np.nan, np.nan], [1, 2, 3, np.nan, np.nan]])
    np.testing.assert_allclose(dimension_score(five), [np.nan, 2.0])


def test_unweighted_dimensions_match_scipy(demo_study, unweighted):
    result = analyze(unweighted)
    dims = result.dimensions.set_index("dimension")
    for dim in demo_study.instrument.dimensions:
        e, p = raw_dimension(demo_study, "E", dim), raw_dimension(demo_study, "P", dim)
        both = ~np.isnan(e) & ~np.isnan(p)
        d = p[both] - e[both]
        row = dims.loc[dim]
        assert row["n"] == both.sum()
        assert row["E"] == pytest.approx(e[both].mean(), abs=1e-9)
        assert row["P"] == pytest.approx(p[both].mean(), abs=1e-9)
        assert row["gap"] == pytest.approx(d.mean(), abs=1e-9)
        low, high = sps.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=sps.sem(d))
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
        ttest = sps.ttest_rel(p[both], e[both])
        assert row["t"] == pytest.approx(ttest.statistic, rel=1e-9)
        assert row["p_value"] == pytest.approx(ttest.pvalue, rel=1e-6, abs=1e-300)
        # Differences of item means carry float noise (5.3333… − 4.2); rounding them to their exact
        # grid (multiples of 1/60 here) makes scipy see the true ties, as the histogram does.
        wil = sps.wilcoxon(np.round(d * 420) / 420, method="approx")
        assert row["wilcoxon_p"] == pytest.approx(wil.pvalue, rel=1e-6, abs=1e-300)
        assert row["effect_size"] == pytest.approx(d.mean() / d.std(ddof=1), rel=1e-9)


def test_unweighted_items_match_scipy(demo_study, unweighted):
    items = analyze(unweighted).items.set_index("item")
    for k in (1, 7, 13, 22):
        e = demo_study.customers[f"E{k}"].to_numpy(float)
        p = demo_study.customers[f"P{k}"].to_numpy(float)
        both = ~np.isnan(e) & ~np.isnan(p)
        d = p[both] - e[both]
        assert items.loc[k, "n"] == both.sum()
        assert items.loc[k, "gap"] == pytest.approx(d.mean(), abs=1e-9)
        assert items.loc[k, "E"] - items.loc[k, "P"] == pytest.approx(-d.mean(), abs=1e-9)
        assert items.loc[k, "wilcoxon_p"] == pytest.approx(sps.wilcoxon(d, method="approx").pvalue, rel=1e-6)


def test_weighted_mean_and_se_match_statsmodels_wls_hc1(demo_study, weighted):
    result = analyze(weighted, {"branch": ["Seoul", "Busan"]})
    rows = demo_study.customers["branch"].isin(["Seoul", "Busan"]).to_numpy()
    w_all = demo_study.customers["weight"].to_numpy(float)
    dims = result.dimensions.set_index("dimension")
    for dim in ("reliability", "empathy"):
        e, p = raw_dimension(demo_study, "E", dim, rows), raw_dimension(demo_study, "P", dim, rows)
        both = ~np.isnan(e) & ~np.isnan(p)
        d, w = (p - e)[both], w_all[rows][both]
        fit = sm.WLS(d, np.ones_like(d), weights=w).fit(cov_type="HC1")
        assert dims.loc[dim, "gap"] == pytest.approx(np.average(d, weights=w), abs=1e-9)
        assert dims.loc[dim, "se"] == pytest.approx(fit.bse[0], rel=1e-9)
        assert dims.loc[dim, "n_eff"] == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)
    assert result.n == rows.sum()


def test_weights_of_one_equal_unweighted(demo_study, unweighted):
    ones = demo_study.customers.assign(weight=1.0)
    study = type(demo_study)(ones, demo_study.instrument, demo_study.scale, demo_study.mapping,
                             demo_study.providers, demo_study.sources, demo_study.question_texts,
                             demo_study.retention_kind)
    a = analyze(prepare(study, use_weight=True), {"channel": ["app"]})
    b = analyze(unweighted, {"channel": ["app"]})
    pd.testing.assert_frame_equal(a.dimensions, b.dimensions)
    pd.testing.assert_frame_equal(a.items, b.items)
    pd.testing.assert_frame_equal(a.overall, b.overall)


def test_row_order_does_not_matter(demo_study, unweighted):
    shuffled = demo_study.customers.sample(frac=1.0, random_state=3).reset_index(drop=True)
    study = type(demo_study)(shuffled, demo_study.instrument, demo_study.scale, demo_study.mapping,
                             demo_study.providers, demo_study.sources, demo_study.question_texts,
                             demo_study.retention_kind)
    a = analyze(prepare(study, use_weight=False), {"wave": ["2026-H1"]})
    b = analyze(unweighted, {"wave": ["2026-H1"]})
    pd.testing.assert_frame_equal(a.dimensions, b.dimensions, check_exact=False, rtol=1e-12, atol=1e-12)
    pd.testing.assert_frame_equal(a.reliability, b.reliability, check_exact=False, rtol=1e-10)


def test_filter_equals_analysis_of_the_filtered_rows(demo_study, unweighted):
    keep = (demo_study.customers["branch"] == "Daegu") & demo_study.customers["channel"].isin(["app", "phone"])
    sub = demo_study.customers[keep.to_numpy()].reset_index(drop=True)
    study = type(demo_study)(sub, demo_study.instrument, demo_study.scale, demo_study.mapping,
                             demo_study.providers, demo_study.sources, demo_study.question_texts,
                             demo_study.retention_kind)
    direct = analyze(prepare(study, use_weight=False), {"branch": ["Daegu"]})
    via_cells = analyze(unweighted, {"branch": ["Daegu"], "channel": ["app", "phone"]})
    assert direct.n == via_cells.n == keep.sum()
    pd.testing.assert_frame_equal(direct.dimensions, via_cells.dimensions, check_exact=False, rtol=1e-10)


def test_reliability_matches_covariance_formula(demo_study, unweighted):
    rel = analyze(unweighted).reliability.set_index(["measure", "dimension"])
    for level in ("E", "P"):
        for dim in demo_study.instrument.dimensions:
            block = demo_study.customers[[f"{level}{k}" for k in demo_study.instrument.items_of(dim)]].dropna()
            cov = np.cov(block.to_numpy(float), rowvar=False)
            k = cov.shape[0]
            expected = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
            assert rel.loc[(level, dim), "alpha"] == pytest.approx(expected, rel=1e-9)
            assert rel.loc[(level, dim), "n"] == len(block)


def test_alpha_if_deleted_and_item_rest(demo_study, unweighted):
    items = analyze(unweighted).reliability_items.set_index(["measure", "item"])
    block = demo_study.customers[["P5", "P6", "P7", "P8", "P9"]].dropna().to_numpy(float)
    rest = block[:, 1:].sum(axis=1)
    assert items.loc[("P", 5), "item_rest_r"] == pytest.approx(np.corrcoef(block[:, 0], rest)[0, 1], rel=1e-9)
    cov = np.cov(block[:, 1:], rowvar=False)
    assert items.loc[("P", 5), "alpha_if_deleted"] == pytest.approx(4 / 3 * (1 - np.trace(cov) / cov.sum()),
                                                                     rel=1e-9)


def test_chain_identity_and_demo_structure(unweighted):
    whole = analyze(unweighted)
    chain = whole.chain
    assert sum(s.value for s in chain.steps) == pytest.approx(chain.gap5, abs=1e-12)
    assert [s.name for s in chain.steps] == ["gap1", "gap2", "gap3", "gap4"]
    dims = whole.dimensions.set_index("dimension")
    assert dims["gap"].idxmin() == "reliability"  # built in: reliability is the largest shortfall
    assert dims.loc["tangibles", "gap"] > dims.loc["reliability", "gap"] + 0.8
    by_branch = {b: analyze(unweighted, {"branch": [b]}).chain for b in ("Seoul", "Busan", "Incheon", "Daegu",
                                                                          "Gwangju")}
    gap4 = {b: c.steps[3].value for b, c in by_branch.items()}
    gap1 = {b: c.steps[0].value for b, c in by_branch.items()}
    assert min(gap4, key=gap4.get) == "Busan" and gap4["Busan"] < -0.8  # over-promising branch
    assert by_branch["Busan"].gap4_promise < -0.9
    assert min(gap1, key=gap1.get) == "Daegu" and gap1["Daegu"] < -1.0  # knowledge gap
    assert all(c.scope == {"management": "segment", "standards": "segment", "delivery": "segment",
                           "communications": "segment"} for c in by_branch.values())
    assert whole.chain.scope["management"] == "all"


def test_missing_standards_table_merges_steps(demo_study):
    providers = {k: v for k, v in demo_study.providers.items() if k != "standards"}
    study = type(demo_study)(demo_study.customers, demo_study.instrument, demo_study.scale, demo_study.mapping,
                             providers)
    chain = analyze(prepare(study, use_weight=False)).chain
    assert [(s.name, s.start, s.end, s.merged) for s in chain.steps] == [
        ("gap1", "E", "M", False), ("gap2+3", "M", "D", True), ("gap4", "D", "P", False)]
    assert chain.levels["S"] is None
    alone = type(demo_study)(demo_study.customers, demo_study.instrument, demo_study.scale, demo_study.mapping)
    only = analyze(prepare(alone, use_weight=False)).chain
    assert [(s.name, s.merged) for s in only.steps] == [("gap1+2+3+4", True)]
    assert only.steps[0].value == pytest.approx(only.gap5)
    # what each chain measured, and which tables would tell a merged step apart
    assert [s.name for s in chain.measured_steps] == ["gap1", "gap4"]
    assert chain.steps[1].missing_tables == ("standards",)
    assert chain.missing_tables == ("standards",)
    assert only.measured_steps == ()
    assert only.steps[0].missing_tables == ("management", "standards", "delivery")
    assert only.missing_tables == ("management", "standards", "delivery", "communications")


def test_readings_and_actions_say_only_what_was_measured(demo_study):
    """Customer answers alone: gap 5 is the one reading, no action for gaps 1–4, and the four tables that
    would add them; without standards: the merged gap 2+3 gets the table that splits it, not actions."""
    from gapcore.i18n import t
    from gapcore.present.readings import step_labels
    from gapcore.present.slides import waterfall_slide
    from gapcore.present.story import action_blocks, provider_needs
    from gapcore.present.waterfall import waterfall_frame

    alone = type(demo_study)(demo_study.customers, demo_study.instrument, demo_study.scale, demo_study.mapping)
    analysis = analyze(prepare(alone, use_weight=False))
    reading = waterfall_slide(alone, analysis, "en").reading
    worst = analysis.dimensions.sort_values("gap").iloc[0]
    assert reading.startswith(f"Customers perceive {analysis.chain.gap5:+.2f} points")
    assert f"({worst['gap']:+.2f})" in reading and "gap 5 only" in reading and "largest step" not in reading
    assert action_blocks(analysis, "en") == ()
    assert [n.table for n in provider_needs(analysis.chain, "ko")] == [
        "management", "standards", "delivery", "communications"]
    frame = waterfall_frame(analysis.chain, step_labels=step_labels("en"), level_labels={"E": "E", "P": "P"})
    assert list(frame["key"]) == ["E", "P", "gap5"]  # no bar for a "step" that is gap 5 again

    providers = {k: v for k, v in demo_study.providers.items() if k != "standards"}
    partial = type(demo_study)(demo_study.customers, demo_study.instrument, demo_study.scale, demo_study.mapping,
                               providers)
    analysis = analyze(prepare(partial, use_weight=False))
    blocks = {b.heading.split(":")[0]: b.actions for b in action_blocks(analysis, "en")}
    shortfalls = [s for s in analysis.chain.steps if s.value < 0]
    assert len(blocks) == len(shortfalls) > 0
    merged = [s for s in shortfalls if s.merged]
    for step in shortfalls:
        lines = blocks[" + ".join(t(f"step_name_gap{n}", "en") for n in step.name[3:].split("+"))]
        if step.merged:
            assert lines == ("gap 2 (standards) + gap 3 (delivery) is measured only as a whole; the standards "
                             "table would tell these gaps apart.",)
        else:
            assert lines[0] == t(f"actions_{step.name}", "en").split("\n")[0].removeprefix("- ")
    assert [s.name for s in merged] == ["gap2+3"]

    delivery_only = type(demo_study)(demo_study.customers, demo_study.instrument, demo_study.scale,
                                     demo_study.mapping, {"delivery": demo_study.providers["delivery"]})
    analysis = analyze(prepare(delivery_only, use_weight=False))
    assert analysis.chain.worst_step.name == "gap1+2+3"
    assert waterfall_slide(delivery_only, analysis, "ko").reading.endswith(
        "갭 1(고객 이해) + 갭 2(서비스 기준) + 갭 3(서비스 제공): 하나로 묶여서만 측정되었습니다. "
        "경영진, 서비스 기준 표를 추가하면 갭을 하나씩 나눠 볼 수 있습니다.")


def test_provider_without_segment_column_counts_company_wide(demo_study):
    management = demo_study.providers["management"].drop(columns=["branch"])
    study = type(demo_study)(demo_study.customers, demo_study.instrument, demo_study.scale, demo_study.mapping,
                             {**demo_study.providers, "management": management})
    chain = analyze(prepare(study, use_weight=False), {"branch": ["Daegu"]}).chain
    assert chain.scope["management"] == "company" and chain.scope["standards"] == "segment"
    expected_m = np.mean([np.mean([management[f"M{k}"].mean() for k in study.instrument.items_of(d)])
                          for d in study.instrument.dimensions])
    assert chain.levels["M"] == pytest.approx(expected_m)


def test_overall_scores(demo_study, unweighted):
    result = analyze(unweighted)
    overall = result.overall.set_index("measure")
    dims = result.dimensions
    assert overall.loc["unweighted", "value"] == pytest.approx(dims["gap"].mean())
    assert overall.loc["servperf", "value"] == pytest.approx(dims["P"].mean())
    gaps = np.column_stack([raw_dimension(demo_study, "P", d) - raw_dimension(demo_study, "E", d)
                            for d in demo_study.instrument.dimensions])
    points = demo_study.customers[["W_TAN", "W_REL", "W_RES", "W_ASS", "W_EMP"]].to_numpy(float) / 100
    per_respondent = (gaps * points).sum(axis=1)
    per_respondent = per_respondent[~np.isnan(gaps).any(axis=1)]
    assert overall.loc["weighted", "value"] == pytest.approx(per_respondent.mean(), abs=1e-9)
    assert overall.loc["weighted", "n"] == len(per_respondent)


def test_zone_of_tolerance(demo_study, unweighted):
    zone = analyze(unweighted).zone
    row = zone[(zone["level"] == "dimension") & (zone["key"] == "reliability")].iloc[0]
    a = raw_dimension(demo_study, "A", "reliability")
    assert row["A"] == pytest.approx(np.nanmean(a))
    assert row["MSA"] == pytest.approx(np.nanmean(raw_dimension(demo_study, "P", "reliability") - a))
    expected = "below" if row["P"] < row["A"] else ("above" if row["P"] > row["E"] else "inside")
    assert row["zone"] == expected == "below"


def test_importance_performance_quadrants(unweighted):
    ipa = analyze(unweighted).importance_performance.set_index("dimension")
    assert ipa.loc["reliability", "quadrant"] == "concentrate_here"
    assert ipa["source"].unique().tolist() == ["stated_points"]
    assert ipa["importance"].sum() == pytest.approx(100, abs=0.01)
    mid = analyze(unweighted, ipa_grid="midpoint").importance_performance
    assert mid.attrs["grid"]["performance"] == 4.0


def test_small_filter_is_suppressed(unweighted, demo_study):
    rows = demo_study.customers
    cell = rows.groupby(["branch", "channel", "age_band", "wave"], observed=True).size()
    small = cell[cell < 5].index[0]
    result = analyze(unweighted, dict(zip(["branch", "channel", "age_band", "wave"], [[v] for v in small],
                                          strict=True)))
    assert result.suppressed and result.dimensions.empty and result.overall.empty and result.chain is None


def test_cli_json_has_documented_keys():
    out = io.StringIO()
    assert main(["analyze", str(DATA / "demo_study.xlsx"), "--json", "--filter", "branch=Busan"], out=out) == 0
    doc = json.loads(out.getvalue())
    assert {"n", "scale", "instrument", "dimensions", "items", "overall", "chain", "chain_by_dimension",
            "validation"} <= set(doc)
    assert doc["scale"] == [1, 7] and doc["n"] == 268
    assert set(doc["dimensions"]) == {"tangibles", "reliability", "responsiveness", "assurance", "empathy"}
    assert {"E", "P", "gap5", "n", "ci_low", "ci_high", "p_value", "alpha_E", "alpha_P"} <= set(
        doc["dimensions"]["reliability"])
    assert set(doc["items"]["5"]) >= {"dimension", "E", "P", "gap5", "n"}
    assert set(doc["overall"]) == {"unweighted", "weighted", "servperf"}
    assert {s["name"] for s in doc["chain"]["steps"]} == {"gap1", "gap2", "gap3", "gap4"}
    assert set(doc["chain"]["levels"]) == {"E", "M", "S", "D", "P"}
    assert doc["chain"]["gap4_promise"] < 0


def test_cli_errors_exit_2_with_the_app_message(capsys, tmp_path):
    assert main(["analyze", str(DATA / "demo_study.xlsx"), "--filter", "city=Seoul"]) == 2
    assert "'city' is not a segment column" in capsys.readouterr().err
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    assert main(["analyze", str(bad), "--lang", "ko"]) == 2
    assert "파일이 비어 있습니다" in capsys.readouterr().err


def test_perception_only_study():
    frame = pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig").head(200)
    keep = ["branch", *[f"P{k}" for k in range(1, 23)], "satisfaction"]
    result = load_study([SourceFile("perf.csv", frame[keep].to_csv(index=False).encode())])
    assert "perception_only" in result.report.message_keys()
    analysis = analyze(prepare(result.study))
    dims = analysis.dimensions.set_index("dimension")
    # complete in itself (GAP_MODEL.md): no E, no gap, no test where nothing is compared
    assert not set(PAIRED_ONLY_COLUMNS) & (set(dims.columns) | set(analysis.items.columns))
    p = frame[[f"P{k}" for k in range(5, 10)]]
    scores = p.mean(axis=1)[p.notna().sum(axis=1) >= 2.5]
    assert dims.loc["reliability", "P"] == pytest.approx(scores.mean())
    low, high = sps.t.interval(0.95, len(scores) - 1, loc=scores.mean(), scale=sps.sem(scores))
    assert (dims.loc["reliability", "ci_low"], dims.loc["reliability", "ci_high"]) == pytest.approx((low, high))
    satisfaction = frame["satisfaction"].dropna()
    outcome = analysis.outcomes.set_index("outcome").loc["satisfaction"]
    low, high = sps.t.interval(0.95, len(satisfaction) - 1, loc=satisfaction.mean(),
                                       scale=sps.sem(satisfaction))
    assert (outcome["kind"], outcome["n"]) == ("mean", len(satisfaction))
    assert (outcome["mean"], outcome["ci_low"], outcome["ci_high"]) == pytest.approx((satisfaction.mean(), low, high))
    assert analysis.chain is None
    assert analysis.overall.set_index("measure").loc["servperf", "value"] == pytest.approx(dims["P"].mean())
    assert result.study.scale == Scale(1, 7)


def test_dimension_scores_pair_items_by_hand():
    """GAP_MODEL.md: E, P and gap 5 of a dimension are means over the items the respondent answered in
    both E and P; the half rule counts those paired items. Tangibles (items 1–4) worked by hand."""
    rows = [
        # E1..E4, P1..P4
        [5, 6, None, 4, 6, None, 5, 5],  # paired items 1 and 4: E (5+4)/2=4.5, P (6+5)/2=5.5, gap 1.0
        [7, 7, 7, 7, 5, 6, 7, None],     # paired 1–3: E 7, P 6, gap −1 (unpaired: E 7, P 6)
        [3, None, None, 2, None, 4, 4, 4],  # paired item 4 only: 1 of 4 < half → no score
        [2, 4, 6, 4, 3, 5, 7, 5],         # all paired: E 4, P 5, gap 1
    ]
    other = {f"{level}{k}": [4] * len(rows) for level in "EP" for k in range(5, 23)}
    frame = pd.DataFrame(rows, columns=[*(f"E{k}" for k in range(1, 5)), *(f"P{k}" for k in range(1, 5))])
    frame = frame.assign(**other, branch="A", satisfaction=[5, 6, 4, 5])
    result = load_study([SourceFile("paired.csv", frame.to_csv(index=False).encode())], scale=Scale(1, 7))
    analysis = analyze(prepare(result.study), min_cell=1)
    row = analysis.dimensions.set_index("dimension").loc["tangibles"]
    assert row["n"] == 3
    assert row["E"] == pytest.approx((4.5 + 7 + 4) / 3)
    assert row["P"] == pytest.approx((5.5 + 6 + 5) / 3)
    assert row["gap"] == pytest.approx((1.0 - 1 + 1) / 3)
    # the respondent's dimension gap is the mean of their item gaps
    items = analysis.items.set_index("item")
    assert items.loc[1, "gap"] == pytest.approx((1 - 2 + 1) / 3)
    from gapcore.driver_model import dimension_predictors
    from gapcore.scores import respondent_scores
    gaps = dimension_predictors(result.study, "servqual")["tangibles"]
    np.testing.assert_allclose(gaps, [1.0, -1.0, np.nan, 1.0])
    np.testing.assert_array_equal(respondent_scores(result.study).values["G:tangibles"], gaps)
    perceptions = dimension_predictors(result.study, "servperf")["tangibles"]
    np.testing.assert_allclose(perceptions, [5.5, 6.0, np.nan, 5.0])


def test_a_study_whose_answers_never_vary_prints_no_test(tmp_path, capsys):
    """E = 4 and P = 5 for everyone: gap +1 exactly, so no CI, no p, no alpha — and it says why."""
    columns = {f"{level}{k}": [4 if level == "E" else 5] * 30 for level in "EP" for k in range(1, 23)}
    frame = pd.DataFrame(columns).assign(branch="A", satisfaction=5)
    path = tmp_path / "flat.csv"
    frame.to_csv(path, index=False)
    result = load_study([SourceFile("flat.csv", path.read_bytes())], scale=Scale(1, 7))
    dims = analyze(prepare(result.study)).dimensions
    assert dims["no_variation"].all() and (dims["gap"] == 1.0).all()
    assert dims[["ci_low", "ci_high", "p_value", "wilcoxon_p", "alpha_E", "alpha_P"]].isna().all().all()
    assert main(["analyze", str(path), "--scale", "1-7"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.strip().startswith("Tangibles"))
    assert row.split() == ["Tangibles", "4.00", "5.00", "+1.00", "–", "30"]  # no interval, p "–"
    assert "Every answer is the same: no interval and no test." in out
    assert main(["analyze", str(path), "--scale", "1-7", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["dimensions"]["tangibles"]["no_variation"] is True
    assert doc["dimensions"]["tangibles"]["p_value"] is None and doc["items"]["1"]["ci_low"] is None


def test_worst_and_best_dimension_by_hand():
    """Lowest and highest on the measure, NaN left out, the first listed on a tie; None without values."""
    from gapcore.present.readings import worst_and_best

    dims = pd.DataFrame({"dimension": ["tangibles", "reliability", "responsiveness", "assurance"],
                         "gap": [-0.4, np.nan, -0.9, -0.9], "P": [5.1, 4.0, np.nan, 5.1]})
    worst, best = worst_and_best(dims, "gap")
    assert (worst["dimension"], best["dimension"]) == ("responsiveness", "tangibles")
    worst, best = worst_and_best(dims, "P")
    assert (worst["dimension"], best["dimension"]) == ("reliability", "tangibles")
    assert worst_and_best(dims.assign(gap=np.nan), "gap") is None


def test_named_step_says_merged_only_for_joined_gaps():
    from gapcore.i18n import t
    from gapcore.present.readings import named_step

    assert named_step("gap3", "en") == t("step_name_gap3", "en")
    merged = named_step("gap2+3", "ko")
    assert t("step_name_gap2", "ko") in merged and t("step_name_gap3", "ko") in merged
    assert merged == t("step_merged", "ko", names=f"{t('step_name_gap2', 'ko')} + {t('step_name_gap3', 'ko')}")


def test_chains_read_the_same_means_as_the_item_and_dimension_tables(demo_study):
    """The chain's E and P (read without the tables' rank tests) are the item and dimension tables' figures,
    held back where those are, in a study with holes under a filter and a minimum cell that bites."""
    from gapcore.gaps import build_chains, provider_item_means
    from tests.test_cells import _with_holes

    prepared = prepare(_with_holes(demo_study), use_weight=True)
    probe = analyze(prepared, {"branch": ["Seoul"]})
    n = probe.items["n"]
    min_cell = int(n.median()) + 1  # about half the items fall under it
    result = analyze(prepared, {"branch": ["Seoul"]}, min_cell=min_cell)
    items, dims = result.items.set_index("item"), result.dimensions.set_index("dimension")
    assert 0 < items["suppressed"].sum() < len(items)
    means, scope, _ = provider_item_means(prepared.providers, result.filters)
    chain, by_dim, by_item = build_chains(prepared.study.instrument, items[["E", "P"]], dims[["E", "P"]],
                                          means, scope)
    assert result.chain == chain
    assert dict(result.chain_by_dimension) == by_dim
    assert dict(result.chain_by_item) == by_item
    held, shown = items.index[items["suppressed"]][0], items.index[~items["suppressed"]][0]
    assert result.chain_by_item[held].levels["P"] is None
    assert result.chain_by_item[shown].levels["P"] == pytest.approx(items.at[shown, "P"], abs=1e-12)


def test_rows_kept_compares_values_as_text_and_never_keeps_a_missing_one():
    """The one row filter, on the column kinds segments come in: text with gaps (None, NaN, and a real
    answer spelt "nan"), whole numbers read as floats, nullable integers and categories."""
    from gapcore.filters import rows_kept

    table = pd.DataFrame({
        "branch": ["Seoul", None, "Busan", np.nan, "nan", "Seoul"],
        "wave": [1.0, 2.0, np.nan, 1.0, 2.0, 1.0],
        "year": pd.array([2024, 2025, None, 2024, 2025, 2024], dtype="Int64"),
        "channel": pd.Categorical(["app", "web", "app", None, "web", "branch"], categories=["app", "web", "branch"]),
    })
    assert rows_kept(table, {}).tolist() == [True] * 6
    assert rows_kept(table, {"branch": ["Seoul"]}).tolist() == [True, False, False, False, False, True]
    assert rows_kept(table, {"branch": ["nan"]}).tolist() == [False, False, False, False, True, False]
    assert rows_kept(table, {"wave": ["1.0"]}).tolist() == [True, False, False, True, False, True]
    assert rows_kept(table, {"year": ["2025"]}).tolist() == [False, True, False, False, True, False]
    assert rows_kept(table, {"channel": ["app", "branch"]}).tolist() == [True, False, True, False, False, True]
    assert rows_kept(table, {"branch": ["Seoul"], "channel": ["app"]}).tolist() == [True] + [False] * 5
    assert rows_kept(table.iloc[:0], {"branch": ["Seoul"]}).tolist() == []
    assert rows_kept(pd.DataFrame({"branch": [None, None]}), {"branch": ["None"]}).tolist() == [False, False]


def test_filters_are_checked_by_one_rule_that_keeps_what_the_data_takes(demo_study):
    """``checked_filters`` keeps the values of segment columns the data takes and lists every other
    (column, value); a script's ``normalize_filters`` raises on the first, the app drops and says them."""
    from gapcore.errors import GapcoreError
    from gapcore.filters import checked_filters, normalize_filters

    kept, refused = checked_filters(demo_study, {"branch": ["Busan", "Atlantis", "Busan"], "nope": ["x"],
                                                 "channel": "app"})
    assert kept == {"branch": ("Busan",), "channel": ("app",)}
    assert refused == [("branch", "Atlantis"), ("nope", "x")]
    with pytest.raises(GapcoreError) as error:
        normalize_filters(demo_study, {"branch": ["Atlantis"]})
    assert error.value.key == "unknown_segment_value" and error.value.problem.values["value"] == "Atlantis"
    with pytest.raises(GapcoreError) as error:
        normalize_filters(demo_study, {"nope": ["x"]})
    assert error.value.key == "unknown_segment"
    assert normalize_filters(demo_study, {"branch": "Busan"}) == {"branch": ("Busan",)}
