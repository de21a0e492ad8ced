"""The app's chart data transformer (``ui.downloads.chart_values``) gives every chart the records Altair's
own transformer gives: checked on every chart of the story and the pages, in three languages, and on
frames holding every kind of cell by hand."""

from __future__ import annotations

import json
import math

import altair as alt
import numpy as np
import pandas as pd
import pytest

from gapcore.analysis import analyze, by_segment_value, prepare
from gapcore.present import charts as chart_builders
from gapcore.present.charts import gap_model_picture, ipa_chart
from gapcore.present.segment_slides import consistency_slide
from gapcore.present.slides import driver_charts, waterfall_grid_for
from gapcore.present.story import build_story, fit_driver_model
from gapcore.segments import compare_segments
from ui.downloads import chart_values, dataset_arrow, vega_lite_spec


def _every_chart(study, lang: str) -> list[alt.TopLevelMixin]:
    prepared = prepare(study)
    analysis = analyze(prepared)
    story = build_story(prepared, {"branch": ["Busan", "Seoul"]}, lang=lang, min_cell=5, segment="branch")
    charts = [slide.chart for slide in story.slides]
    charts.append(waterfall_grid_for(dict(analysis.chain_by_dimension), lang, study))
    busan = by_segment_value(prepared, "branch", values=["Busan"])["Busan"]
    charts.append(waterfall_grid_for({"company": analysis.chain, "Busan": busan.chain}, lang, study, columns=2))
    charts += list(driver_charts(study, fit_driver_model(prepared, {}), lang))
    charts.append(consistency_slide(study, compare_segments(prepared, "channel"), lang).chart)
    quadrants = ("concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill")
    ipa = analysis.importance_performance
    charts.append(ipa_chart(ipa, labels={d: d for d in [*ipa["dimension"], *quadrants]} | {
        "importance": "I", "performance": "P"}, title="IPA"))
    charts.append(gap_model_picture(lang))
    return charts


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_every_chart_gets_the_records_altair_would_give(demo_study, lang):
    charts = _every_chart(demo_study, lang)
    assert len(charts) >= 12
    ours = [json.dumps(vega_lite_spec(chart), sort_keys=True) for chart in charts]
    with alt.data_transformers.enable("default"):
        altairs = [json.dumps(vega_lite_spec(chart), sort_keys=True) for chart in charts]
    assert alt.data_transformers.active == "servicegap"
    for index, (mine, theirs) in enumerate(zip(ours, altairs, strict=True)):
        assert mine == theirs, f"chart {index}"


def _arrow_rows(stream: bytes) -> tuple[list[str], list[dict]]:
    import pyarrow as pa

    table = pa.ipc.open_stream(stream).read_all()
    names = [n for n in table.column_names if not n.startswith("__index_level_")]
    return names, table.select(names).to_pylist()


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_every_dataset_reaches_the_browser_as_streamlits_own_conversion_sends_it(demo_study, lang):
    """The Arrow tables the app sends for a chart's datasets hold the columns and values Streamlit's own
    conversion (records → frame → Arrow) would send, for every chart in each language."""
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    datasets = [rows for chart in _every_chart(demo_study, lang) for rows in vega_lite_spec(chart).get(
        "datasets", {}).values()]
    assert len(datasets) >= 12
    for rows in datasets:
        ours = dataset_arrow(rows)
        assert isinstance(ours, bytes)
        assert _arrow_rows(ours) == _arrow_rows(convert_anything_to_arrow_bytes(pd.DataFrame.from_records(rows)))


def test_a_dataset_pyarrow_cannot_type_goes_as_a_frame():
    rows = [{"label": "a", "value": 1.5}, {"label": 2, "value": None}]
    assert isinstance(dataset_arrow(rows), pd.DataFrame)
    names, values = _arrow_rows(dataset_arrow([{"a": 1, "b": None}, {"a": 2.5, "b": True}]))
    assert names == ["a", "b"] and values == [{"a": 1.0, "b": None}, {"a": 2.5, "b": True}]


def test_cells_of_every_kind_by_hand():
    frame = pd.DataFrame({
        "f": [1.5, math.nan, math.inf], "i": np.array([1, 2, 3], dtype=np.int64), "b": [True, False, True],
        "o": ["a", None, math.nan], "c": pd.Categorical(["x", None, "y"]), "s": pd.array(["p", None, "q"], dtype="str"),
    })
    values = chart_values(frame)["values"]
    assert values == [{"f": 1.5, "i": 1, "b": True, "o": "a", "c": "x", "s": "p"},
                      {"f": None, "i": 2, "b": False, "o": None, "c": None, "s": None},
                      {"f": None, "i": 3, "b": True, "o": None, "c": "y", "s": "q"}]
    assert all(type(row["i"]) is int and type(row["b"]) is bool for row in values)
    assert json.dumps(alt.Chart(frame).mark_point().to_dict(validate=False)["datasets"], sort_keys=True) == \
        _default_datasets(alt.Chart(frame).mark_point())


def _default_datasets(chart: alt.Chart) -> str:
    with alt.data_transformers.enable("default"):
        return json.dumps(chart.to_dict(validate=False)["datasets"], sort_keys=True)


def test_dates_and_arrays_go_through_altairs_own_transformer():
    dates = pd.DataFrame({"when": pd.to_datetime(["2026-01-01", None]), "v": [1.0, 2.0]})
    arrays = pd.DataFrame({"a": [np.array([1, 2]), np.array([3])]})
    nullable = pd.DataFrame({"n": pd.array([1, None], dtype="Int8")})
    for frame in (dates, arrays, nullable):
        chart = alt.Chart(frame).mark_point()
        assert json.dumps(chart.to_dict(validate=False)["datasets"], sort_keys=True) == _default_datasets(chart)
    assert chart_values(dates)["values"][0]["when"] == "2026-01-01T00:00:00"


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_fresh_layers_give_the_specs_altair_layers_give(demo_study, lang, monkeypatch):
    charts = _every_chart(demo_study, lang)
    fresh = [c for c in charts if isinstance(c, chart_builders.FreshLayers)
             or isinstance(getattr(c, "spec", None), chart_builders.FreshLayers)]
    assert len(fresh) >= 12
    ours = [json.dumps(vega_lite_spec(chart), sort_keys=True) for chart in charts]
    monkeypatch.setattr(chart_builders, "FreshLayers", alt.LayerChart)
    altairs = [json.dumps(vega_lite_spec(chart), sort_keys=True) for chart in _every_chart(demo_study, lang)]
    for index, (mine, theirs) in enumerate(zip(ours, altairs, strict=True)):
        assert mine == theirs, f"chart {index}"


def test_fresh_layers_lift_shared_data_and_sizes_and_leave_selections_to_altair():
    frame = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    base = alt.Chart(frame)
    line = base.mark_line().encode(x="x:Q", y="y:Q").properties(width=200)
    points = base.mark_point().encode(x="x:Q", y="y:Q")
    ours = vega_lite_spec(chart_builders.layered(points, line, height=100))
    assert isinstance(chart_builders.layered(points, line), chart_builders.FreshLayers)
    assert ours == vega_lite_spec(alt.layer(points, line, height=100))
    assert ours["width"] == 200 and ours["height"] == 100 and "width" not in ours["layer"][1]
    assert "data" in ours and all("data" not in part for part in ours["layer"])
    picked = points.add_params(alt.selection_point(name="pick"))
    ours = vega_lite_spec(chart_builders.layered(picked, line, height=100))
    assert ours == vega_lite_spec(alt.layer(picked, line, height=100))
    assert ours["params"][0]["name"] == "pick" and "params" not in ours["layer"][0]


def test_a_chart_is_known_by_everything_it_is_drawn_from_and_the_study_by_its_key(demo_study):
    """``drawing_key``: the same figures give the same key, another filter or language another; the study
    in a drawing stands for its content key (the key never pickles the respondents); a drawing that is not
    a partial has no key."""
    import io
    import pickle

    import ui.downloads
    from gapcore.present.slides import radar_slide, waterfall_slide
    from ui.downloads import drawing_key

    prepared = prepare(demo_study)
    seoul, again, busan = (analyze(prepared, {"branch": [b]}) for b in ("Seoul", "Seoul", "Busan"))
    key = drawing_key(radar_slide(demo_study, seoul, "en").draw, "demo")
    assert key is not None and key == drawing_key(radar_slide(demo_study, again, "en").draw, "demo")
    assert key != drawing_key(radar_slide(demo_study, busan, "en").draw, "demo")
    assert key != drawing_key(radar_slide(demo_study, seoul, "ko").draw, "demo")
    waterfall = waterfall_slide(demo_study, seoul, "en").draw  # drawn from the study itself
    assert drawing_key(waterfall, "demo") != drawing_key(waterfall, "another upload")
    payload = io.BytesIO()
    ui.downloads._DrawingPickler(payload, "demo").dump((waterfall.args, waterfall.keywords))
    assert len(payload.getvalue()) < 20_000 < len(pickle.dumps(demo_study.customers))
    assert drawing_key(lambda: None, "demo") is None
