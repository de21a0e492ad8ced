"""Reader's tables (gapcore.present.tables): the figures of the statistics' own tables, headed in the reader's
language and written as analysts write them; alpha and its flag checked against numpy."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from gapcore.analysis import analyze, prepare
from gapcore.i18n import t
from gapcore.io.load import SourceFile, load_study
from gapcore.present.tables import (
    consistency_table,
    item_reliability_table,
    reliability_table,
    segment_pairs_table,
    segment_tests_table,
    wave_changes_table,
)
from gapcore.segments import compare_segments, track_waves
from gapcore.stats import p_text
from tests.conftest import DATA


@pytest.fixture(scope="module")
def shuffled_tangibles():
    """300 demo customers whose perception answers on tangibles (P1–P4) are shuffled item by item (fixed
    seed): the items no longer hang together, so that alpha falls well under .70; the rest is as collected."""
    frame = pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig").head(300)
    rng = np.random.default_rng(11)
    for column in ("P1", "P2", "P3", "P4"):
        frame[column] = rng.permutation(frame[column].to_numpy())
    study = load_study([SourceFile("customers.csv", frame.to_csv(index=False).encode())]).study
    return study, frame


def numpy_alpha(frame: pd.DataFrame, columns: list[str]) -> float:
    block = frame[columns].dropna().to_numpy(float)
    cov = np.cov(block, rowvar=False)
    k = len(columns)
    return k / (k - 1) * (1 - np.trace(cov) / cov.sum())


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_alpha_is_written_to_two_decimals_and_flagged_under_point_seven(shuffled_tangibles, lang):
    study, frame = shuffled_tangibles
    table = reliability_table(study, analyze(prepare(study)), lang)
    assert list(table.columns) == [t("col_dimension", lang), t("alpha_E", lang), t("alpha_P", lang)]
    flag = f" ⚠ {t('reliability_flag', lang)}"
    flags = []
    for row, dimension in zip(table.itertuples(index=False), study.instrument.dimensions, strict=True):
        for level, cell in zip("EP", row[1:], strict=True):
            alpha = numpy_alpha(frame, [f"{level}{k}" for k in study.instrument.items_of(dimension)])
            assert cell == f"{alpha:.2f}" + (flag if alpha < 0.70 else ""), (dimension, level)
            flags.append(alpha < 0.70)
    assert flag in table.iloc[0, 2] and 0 < sum(flags) < len(flags)  # tangibles' shuffled perceptions, not all


def test_each_item_shows_its_item_rest_r_and_alpha_if_deleted(shuffled_tangibles):
    study, frame = shuffled_tangibles
    table = item_reliability_table(study, analyze(prepare(study)), "ko")
    assert list(table.columns) == ["구분", "차원", "문항", "문항-나머지 상관", "문항 제거 시 알파"]
    assert len(table) == 44 and table["구분"].value_counts().to_dict() == {"기대": 22, "인식": 22}
    row = table[(table["구분"] == "인식") & (table["문항"] == 5)].iloc[0]
    block = frame[["P5", "P6", "P7", "P8", "P9"]].dropna().to_numpy(float)
    assert row["차원"] == "신뢰성"
    assert row["문항-나머지 상관"] == round(np.corrcoef(block[:, 0], block[:, 1:].sum(axis=1))[0, 1], 3)
    cov = np.cov(block[:, 1:], rowvar=False)  # over those who answered the whole dimension
    assert row["문항 제거 시 알파"] == round(4 / 3 * (1 - np.trace(cov) / cov.sum()), 3)


def test_the_segment_test_tables_write_the_comparison_as_analysts_do(demo_study):
    comparison = compare_segments(prepare(demo_study), "branch")
    tests = segment_tests_table(comparison, "zh")
    raw = comparison.tests
    assert tests.iloc[:, 0].tolist() == [t("overall_column", "zh") if d == "overall" else t(f"dim_{d}", "zh")
                                         for d in raw["dimension"]]
    first = raw.iloc[0]
    assert tests.iloc[0, 1] == f"{first['welch_F']:.2f} ({first['welch_df1']:.0f}, {first['welch_df2']:.1f})"
    assert tests.iloc[:, 2].tolist() == [p_text(p) for p in raw["welch_p"]]
    pairs = segment_pairs_table(comparison, "en")
    assert len(pairs) == len(comparison.pairwise) == 6 * 10  # five branches: ten pairs in each of six rows
    first = comparison.pairwise.iloc[0]
    assert pairs.iloc[0].tolist() == [t(f"dim_{first['dimension']}", "en") if first["dimension"] != "overall"
                                      else "overall", f"{first['a']} − {first['b']}", round(first["difference"], 3),
                                      p_text(first["p"]), p_text(first["p_holm"]), p_text(first["p_fdr"])]


def test_the_consistency_table_names_the_value_furthest_from_the_others(demo_study):
    comparison = compare_segments(prepare(demo_study), "branch")
    table = consistency_table(demo_study, comparison, "en").set_index("dimension")
    assert list(table.index) == [t(f"dim_{d}", "en") for d in demo_study.instrument.dimensions]
    cells = comparison.cells[(comparison.cells["dimension"] == "tangibles") & ~comparison.cells["suppressed"]]
    means = dict(zip(cells["segment"], cells["mean"], strict=True))
    distance = {v: m - np.mean([o for w, o in means.items() if w != v]) for v, m in means.items()}
    furthest = max(distance, key=lambda v: abs(distance[v]))
    row = table.loc["Tangibles"]
    assert row["furthest value"] == furthest and row["distance from the rest"] == round(distance[furthest], 2)
    assert row["SD across values"] == round(float(np.std(list(means.values()), ddof=1)), 2)
    assert row["range"] == round(max(means.values()) - min(means.values()), 2)


def test_wave_changes_are_signed_to_two_decimals(demo_study):
    tracking = track_waves(prepare(demo_study), "wave")
    table = wave_changes_table(tracking, "en")
    raw = tracking.changes
    assert len(table) == len(raw) > 0
    assert table["change"].tolist() == [f"{v:+.2f}" for v in raw["difference"]]
    assert all(text[0] in "+-" for text in table["change"])
    assert table["p (Holm)"].tolist() == [p_text(p) for p in raw["p_holm"]]


def test_the_promise_check_is_read_once_and_said_by_the_page_the_deck_and_the_report(demo_study):
    """Delivered − promised below zero: "promises run ahead of delivery" — one verdict (story.promise_reading),
    in the waterfall slide's reading, so the deck's slide and the HTML report say what the page says."""
    from gapcore.present.slides import promise_reading, waterfall_slide

    analysis = analyze(prepare(demo_study))
    chain = analysis.chain
    assert chain.gap4_promise == pytest.approx(-0.328, abs=5e-4)  # the CLI's "D−C -0.328"
    said = promise_reading(chain, "en")
    assert said == t("promise_check", "en", value=chain.gap4_promise, verdict=t("promise_over", "en"))
    assert said in waterfall_slide(demo_study, analysis, "en").reading
    assert promise_reading(replace(chain, gap4_promise=0.1), "ko").endswith(t("promise_ok", "ko"))
    assert promise_reading(replace(chain, gap4_promise=None), "en") is None


def test_an_undefined_alpha_is_found_in_the_figures_not_read_back_from_the_table(demo_study):
    """A dimension of one item has no alpha: ``alpha_undefined`` says so from the reliability figures (the page
    read it back from the "–" the formatted table shows), and the demo's five dimensions all have one."""
    import gapcore
    from gapcore.io.mapping import ColumnMapping, ColumnSpec
    from gapcore.present.tables import alpha_undefined, reliability_table

    assert not alpha_undefined(analyze(prepare(demo_study)))
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({c: rng.integers(1, 6, 40) for c in ("q1", "q2", "q3")})
    mapping = ColumnMapping(specs=(ColumnSpec("customers", "q1", "P", 1, "alone"),
                                   ColumnSpec("customers", "q2", "P", 2, "pair"),
                                   ColumnSpec("customers", "q3", "P", 3, "pair")))
    study = gapcore.load(frame, mapping=mapping)
    analysis = analyze(prepare(study))
    assert alpha_undefined(analysis)
    shown = reliability_table(study, analysis, "en").set_index(t("col_dimension", "en"))
    assert shown.iloc[:, 0].tolist()[0] == "–" and shown.iloc[:, 0].tolist()[1] != "–"


def test_stated_importance_comes_first_and_a_model_is_asked_for_only_when_the_selection_carries_one(demo_study):
    """The importance-performance rule, once (``story.ipa_table``): a study that asked importance points uses
    them and never fits a model; one that did not derives importance from its first outcome's driver model,
    asked only at n ≥ MODEL_MIN_N (the report's driver slide asks the same ``carries_a_model``)."""
    from dataclasses import replace as changed

    from gapcore.driver_model import derived_importance, fit_drivers
    from gapcore.present.story import carries_a_model, ipa_table

    asked: list[str] = []

    def model():
        asked.append("model")
        return fit_drivers(demo_study, "satisfaction", bootstrap=0)

    stated = analyze(prepare(demo_study))
    assert not stated.importance_performance.empty
    assert ipa_table(stated, model)["source"].unique().tolist() == ["stated_points"] and asked == []
    no_points = changed(demo_study, customers=demo_study.customers.drop(
        columns=[c for c in demo_study.customers if c.startswith("W_")]))
    derived = analyze(prepare(no_points))
    table = ipa_table(derived, model)
    assert asked == ["model"] and table["source"].unique().tolist() == ["derived"]
    shares = derived_importance(fit_drivers(demo_study, "satisfaction", bootstrap=0))
    assert table.set_index("dimension")["importance"].to_dict() == pytest.approx(shares)
    few = analyze(prepare(no_points), {"branch": ["Busan"], "channel": ["app"], "age_band": ["60+"]})
    assert few.n < 30 and not carries_a_model(few)
    assert ipa_table(few, model).empty and asked == ["model"]


def test_the_overall_scores_read_as_the_dimensions_page_shows_them(demo_study):
    from gapcore.present.tables import overall_lines

    analysis = analyze(prepare(demo_study))
    lines = overall_lines(analysis, "ko")
    overall = analysis.overall.set_index("measure")
    assert [label for label, _, _ in lines] == [t(f"overall_{m}", "ko") for m in overall.index]
    gap = overall.loc["unweighted"]
    assert lines[0][1] == f"{gap['value']:+.2f}" and lines[0][2] == t("ci_text", "ko", low=gap["ci_low"],
                                                                      high=gap["ci_high"], n=1500)
    assert lines[2][1] == f"{overall.loc['servperf', 'value']:.2f}"  # a level, unsigned
