"""Driver models of a connected study, fitted from the engine's sums (``gapcore.engine_drivers``): every exact
figure equals ``fit_drivers`` on an upload of the same rows (which itself equals statsmodels: ``test_drivers``);
the bootstrap intervals and the ordinal model come from a seeded random sample, said in a note."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from gapcore.cli import main
from gapcore.connected import open_study, prepare_connected
from gapcore.driver_model import dimension_predictors, fit_drivers, importance_table
from gapcore.errors import GapcoreError
from gapcore.importance import bootstrap_corr, weighted_corr
from gapcore.io.load import SourceFile, load_study
from tests import test_connected
from tests.test_connected import DATA, assert_same_document, demo_rows  # noqa: F401 — a fixture of the next one

connected_sources = test_connected.sources  # the sources of test_connected.py: messy rows, a hive folder

EXACT_IMPORTANCE = ["dimension", "shapley_r2", "johnson_r2", "shapley", "johnson"]


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> dict[str, tuple]:
    """(connected study, uploaded study, Parquet path) for the demo, messier rows and a perception-only study."""
    folder = tmp_path_factory.mktemp("drivers")
    demo = pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig")
    messy = demo.copy()
    rng = np.random.default_rng(5)
    items = [c for c in messy.columns if c[0] in "EP" and c[1:].isdigit()]
    messy[items] = messy[items].mask(rng.random((len(messy), len(items))) < 0.12)  # some dimensions unscored
    messy.loc[rng.random(len(messy)) < 0.04, "satisfaction"] = np.nan
    messy.loc[[3, 9, 27], "weight"] = [np.nan, -2.0, 0.0]
    messy.loc[[4, 40, 41], "channel"] = np.nan  # a missing control value
    perception = demo.drop(columns=[c for c in demo.columns if c[0] == "E" and c[1:].isdigit()])
    out = {}
    for name, rows in (("demo", demo), ("messy", messy), ("perception", perception)):
        path = folder / f"{name}.parquet"
        rows.to_parquet(path, index=False)
        result, connection = open_study(str(path))
        connected = prepare_connected(connection, result.study).study
        out[name] = (connected, load_study([SourceFile(path.name, path.read_bytes())]).study, path)
    return out


def assert_same_model(got, expected) -> None:
    """Every exact figure of two driver models equal: coefficients, fit, importance shares, counts."""
    assert (got.kind, got.predictors, got.n, dict(got.n_dropped)) == \
           (expected.kind, expected.predictors, expected.n, dict(expected.n_dropped))
    pd.testing.assert_frame_equal(got.coefficients, expected.coefficients, check_exact=False, rtol=1e-8, atol=1e-10)
    assert got.fit.keys() == expected.fit.keys()
    for key, value in expected.fit.items():
        assert (value is None) == (got.fit[key] is None)
        assert value is None or got.fit[key] == pytest.approx(value, rel=1e-8, abs=1e-10), key
    pd.testing.assert_frame_equal(got.importance[EXACT_IMPORTANCE], expected.importance[EXACT_IMPORTANCE],
                                  check_exact=False, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(got.covariance, expected.covariance, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(got.design_means, expected.design_means, rtol=1e-10)
    if expected.classification is not None:
        pd.testing.assert_frame_equal(got.classification, expected.classification)
    assert [n.key for n in got.notes] == [n.key for n in expected.notes]


@pytest.mark.parametrize("name", ["demo", "messy"])
@pytest.mark.parametrize("outcome", ["satisfaction", "retention", "recommend"])
@pytest.mark.parametrize("settings", [{}, {"use_weight": False}, {"controls": ["channel", "customer_type"]},
                                      {"filters": {"branch": ["Busan", "Seoul"]}, "predictors": "servperf"}],
                         ids=["weighted", "unweighted", "controls", "filtered servperf"])
def test_a_connected_model_equals_the_upload_s(studies, name, outcome, settings):
    connected, uploaded, _ = studies[name]
    got = fit_drivers(connected, outcome, bootstrap=0, **settings)
    expected = fit_drivers(uploaded, outcome, bootstrap=0, **settings)
    assert got.kind == ("logit" if outcome == "retention" else "ols")
    assert_same_model(got, expected)
    if name == "messy" and settings == {}:  # of rows 3, 9 and 27 (no weight, −2, 0), those the model would take
        x = np.column_stack(list(dimension_predictors(uploaded, "servqual").values()))
        complete = ~np.isnan(x).any(axis=1) & uploaded.customers[outcome].notna().to_numpy()
        assert got.n_dropped["predictor_missing"] > 100
        assert got.n_dropped["weight_missing"] == complete[[3, 9, 27]].sum() > 0


def test_a_perception_only_study_fits_perceptions(studies):
    connected, uploaded, _ = studies["perception"]
    got = fit_drivers(connected, "satisfaction", bootstrap=0)
    assert got.predictors == "servperf"
    assert_same_model(got, fit_drivers(uploaded, "satisfaction", bootstrap=0))
    with pytest.raises(GapcoreError) as raised:
        fit_drivers(connected, "satisfaction", predictors="servqual")
    assert raised.value.problem.key == "drivers_no_predictors"


def _model_rows(study, outcome: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The upload's model rows (x, y, w) in the sample's fixed order: sorted by predictors, outcome, weight."""
    x = np.column_stack(list(dimension_predictors(study, "servqual").values()))
    y = study.customers[outcome].to_numpy(float)
    w = study.customers["weight"].to_numpy(float)
    keep = ~np.isnan(x).any(axis=1) & ~np.isnan(y) & (w > 0)
    frame = pd.DataFrame(np.column_stack([x[keep], y[keep], w[keep]])).sort_values(list(range(x.shape[1] + 2)))
    data = frame.to_numpy()
    return data[:, :-2], data[:, -2], data[:, -1]


def test_the_intervals_come_from_every_row_when_the_sample_holds_them_all(studies):
    """1,500 rows under the sample's 20,000: the bootstrap runs on all of them (in the sample's order), and
    the intervals equal ``importance_table`` on the upload's rows in that order."""
    connected, uploaded, _ = studies["demo"]
    got = fit_drivers(connected, "satisfaction", bootstrap=40, seed=4)
    assert "engine_sample" not in [n.key for n in got.notes]
    x, y, w = _model_rows(uploaded, "satisfaction")
    data = np.column_stack([x, y])
    stack = bootstrap_corr(data, w, 40, np.random.default_rng(4))
    expected = importance_table(weighted_corr(data, w), got.coefficients["coef"].to_numpy()[1:6],
                                list(got.importance["dimension"]), stack, 0.95)
    pd.testing.assert_frame_equal(got.importance, expected, check_exact=False, rtol=1e-8)


def test_a_sample_smaller_than_the_rows_is_said_and_its_intervals_are_scaled(studies):
    """400 of 1,500 rows: a note says so; each interval is the sample's percentiles less its own share, times
    √(400/1500), around the share of every row (checked by hand from the sample the model kept); the same
    seed gives the same sample and intervals."""
    connected, uploaded, _ = studies["demo"]
    from gapcore import engine_drivers

    def fitted():
        return engine_drivers.fit_engine_drivers(connected.engine, connected, "satisfaction", bootstrap=60, seed=2,
                                                 sample_rows=400)

    got = fitted()
    assert [(n.key, dict(n.values)) for n in got.notes] == [("engine_sample", {"rows": 400, "n": 1500, "seed": 2})]
    pd.testing.assert_frame_equal(got.importance, fitted().importance)
    from dataclasses import replace
    assert_same_model(replace(got, notes=()), fit_drivers(uploaded, "satisfaction", bootstrap=0))
    y, x = got.ordinal_data[0], got.ordinal_data[1]
    assert len(y) == 400 and got.design.shape == (400, 6) and len(got.weights) == 400
    data = np.column_stack([x, y])
    stack = bootstrap_corr(data, got.weights, 60, np.random.default_rng(2))
    from gapcore.importance import shapley_r2
    draws = shapley_r2(stack)
    shares = 100 * draws / draws.sum(axis=1, keepdims=True)
    own = shapley_r2(weighted_corr(data, got.weights))
    own = 100 * own / own.sum()
    full = got.importance["shapley"].abs().to_numpy()
    low = full + np.sqrt(400 / 1500) * (np.percentile(shares, 2.5, axis=0) - own)
    high = full + np.sqrt(400 / 1500) * (np.percentile(shares, 97.5, axis=0) - own)
    sign = np.sign(got.coefficients["coef"].to_numpy()[1:6])
    np.testing.assert_allclose(got.importance["shapley_ci_low"], sign * np.where(sign >= 0, low, high), rtol=1e-9)
    np.testing.assert_allclose(got.importance["shapley_ci_high"], sign * np.where(sign >= 0, high, low), rtol=1e-9)


def test_a_model_the_rows_cannot_carry_is_the_upload_s_message(studies):
    connected, uploaded, _ = studies["demo"]
    for study in (connected, uploaded):
        with pytest.raises(GapcoreError) as raised:
            fit_drivers(study, "satisfaction", filters={"branch": ["Busan"], "channel": ["app"],
                                                        "customer_type": ["new"], "wave": ["2025-H1"]})
        assert raised.value.problem.key == "drivers_too_few_rows"
    with pytest.raises(GapcoreError) as raised:
        fit_drivers(connected, "satisfaction", controls=["nosuch"])
    assert raised.value.problem.key == "unknown_segment"


def _json(argv: list[str], capsys) -> dict:
    assert main(argv) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("outcome", ["satisfaction", "retention"])
def test_drivers_source_prints_the_upload_s_document(studies, outcome, capsys):
    _, _, path = studies["messy"]
    options = ["--outcome", outcome, "--json", "--control", "channel", "--filter", "wave=2025-H2,2026-H1"]
    got = _json(["drivers", "--source", str(path), *options], capsys)
    expected = _json(["drivers", str(path), *options], capsys)
    assert got["n"] > 650 and got["n_dropped"]["predictor_missing"] > 50
    assert_same_document(got, expected)
    assert main(["drivers", "--source", str(path), "--outcome", outcome, "--lang", "ko",
                 "--filter", "branch=Busan", "--filter", "channel=app", "--filter", "wave=2025-H1",
                 "--filter", "customer_type=new"]) == 2
    error = capsys.readouterr().err
    assert "Traceback" not in error and error.count("\n") <= 2 and "응답자" in error


def test_a_hive_folder_with_merged_segments_and_not_applicable_codes_fits_the_upload_s_models(connected_sources,
                                                                                               tmp_path, capsys):
    """The demo as a hive folder by wave, read with a mapping that merges two age bands (the merged group a control's
    dummy), and the messy rows with "not applicable" codes (99), text answers and bad weights: ``drivers --json``
    as the upload's."""
    from gapcore.io.mapping_edit import with_segment_setup
    from gapcore.io.segment_setup import SegmentSetup

    sources = connected_sources
    uploaded = load_study([SourceFile("demo.parquet", sources["parquet"].read_bytes())]).study
    merged = with_segment_setup(uploaded.mapping, "age_band", SegmentSetup({}, {"50s": "50+", "60+": "50+"}, {}))
    mapping = tmp_path / "merged.yaml"
    mapping.write_text(merged.dumps("yaml"), encoding="utf-8")
    cases = [([str(sources["folder"].parent / "waves.parquet")], ["--source", str(sources["folder"])],
              ["--mapping", str(mapping), "--control", "age_band", "--outcome", "retention"]),
             ([str(sources["messy"])], ["--source", str(sources["messy"])],
              ["--scale", "1-7", "--na", "99", "--outcome", "satisfaction", "--control", "branch"])]
    documents = []
    for upload, source, options in cases:
        expected = _json(["drivers", *upload, *options, "--json"], capsys)
        got = _json(["drivers", *source, *options, "--json"], capsys)
        assert_same_document(got, expected)
        assert got["n"] > 1000
        documents.append(got)
    assert [t for t in documents[0]["coefficients"] if t.startswith("age_band")] == \
        ["age_band_30s", "age_band_40s", "age_band_50+"]  # 50s and 60+ are one group


def test_reverse_coded_items_of_the_analyst_s_instrument_read_as_the_upload_reads_them(studies, tmp_path, capsys):
    """An items table marks items 3 and 14 reversed (1 or blank): the engine flips them as the loader does, and
    ``analyze --json`` and ``drivers --json`` equal the upload's."""
    _, _, path = studies["demo"]
    dimensions = ["tangibles"] * 4 + ["reliability"] * 5 + ["responsiveness"] * 4 + ["assurance"] * 4 + ["empathy"] * 5
    items = tmp_path / "items.csv"
    items.write_text("code,dimension,text_en,reverse\n" + "".join(
        f"{k},{d},Item {k},{1 if k in (3, 14) else ''}\n" for k, d in enumerate(dimensions, start=1)), encoding="utf-8")
    for command in (["analyze"], ["drivers", "--outcome", "retention", "--bootstrap", "0"]):
        upload = _json([*command, str(path), "--instrument", str(items), "--json"], capsys)
        source = _json([*command, "--source", str(path), "--instrument", str(items), "--json"], capsys)
        if command == ["analyze"]:
            upload, source = (test_connected._without_places(d) for d in (upload, source))
            plain = test_connected._without_places(_json(["analyze", str(path), "--json"], capsys))
            assert upload["items"]["3"]["E"] != plain["items"]["3"]["E"]  # flipped: 1 + 7 − x
        assert_same_document(source, upload)
