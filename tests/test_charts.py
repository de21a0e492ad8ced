"""Chart builders: the data behind each mark and the encodings, checked without a browser."""

from __future__ import annotations

import ast
import itertools
import math

import pandas as pd
import pytest

from gapcore.analysis import analyze, prepare
from gapcore.gaps import chain_from_levels
from gapcore.present.charts import (
    RADAR_REACH,
    dumbbell_chart,
    gap_model_frames,
    ipa_chart,
    radar_chart,
    radar_frames,
    zone_band_frame,
)
from gapcore.present.waterfall import waterfall_chart, waterfall_frame
from tests.conftest import ROOT

LEVELS = pd.DataFrame({"series": ["E"] * 3 + ["P"] * 3, "dimension": ["a", "b", "c"] * 2,
                       "value": [7.0, 4.0, 1.0, 4.0, 4.0, 4.0]})


def test_radar_coordinates_start_at_the_top_and_close():
    shapes, rings, spokes = radar_frames(LEVELS, low=1, high=7, labels={"a": "A"})
    e = shapes[shapes["series"] == "E"].sort_values("order")
    assert len(e) == 4 and e.iloc[0]["dimension"] == e.iloc[-1]["dimension"] == "A"  # closed shape
    assert (e.iloc[0]["x"], e.iloc[0]["y"]) == (pytest.approx(0.0, abs=1e-12), pytest.approx(1.0))  # 7 on 1–7: rim
    b = e.iloc[1]  # 4 on 1–7: radius 0.5, 120° clockwise from the top
    assert math.hypot(b["x"], b["y"]) == pytest.approx(0.5)
    assert b["x"] > 0 and b["y"] < 0
    assert e.iloc[2]["x"] == pytest.approx(0.0, abs=1e-12) and e.iloc[2]["y"] == pytest.approx(0.0, abs=1e-12)
    assert sorted(rings["value"].unique()) == [2.5, 4.0, 5.5, 7.0]
    assert list(spokes["dimension"]) == ["A", "b", "c"]


def test_radar_spec_has_equal_axes_and_both_series():
    chart = radar_chart(LEVELS, low=1, high=7, labels={}, title="t", series_labels={"E": "Exp", "P": "Perc"},
                        band=pd.DataFrame({"dimension": ["a"], "low": [3.0], "high": [6.0]}))
    spec = chart.to_dict()
    assert spec["width"] == spec["height"]
    encodings = [layer.get("encoding", {}) for layer in spec["layer"]]
    domains = {tuple(e["x"]["scale"]["domain"]) for e in encodings if "x" in e and "scale" in e["x"]}
    assert domains == {(-RADAR_REACH, RADAR_REACH)}
    line = next(e for e in encodings if "strokeDash" in e)
    assert line["color"]["scale"]["domain"] == ["Exp", "Perc"]
    assert line["strokeDash"]["scale"]["range"][:2] == [[6, 3], [1, 0]]  # told apart without colour


def test_zone_band_runs_along_the_spoke():
    band = zone_band_frame(pd.DataFrame({"dimension": ["a"], "low": [4.0], "high": [7.0]}), dims=["a", "b"],
                           low=1, high=7)
    row = band.iloc[0]
    assert (row["x"], row["y"], row["x2"], row["y2"]) == (pytest.approx(0), pytest.approx(0.5), pytest.approx(0),
                                                          pytest.approx(1.0))


def test_waterfall_bars_run_from_level_to_level():
    chain = chain_from_levels({"E": 6.0, "M": 5.5, "S": None, "D": 5.2, "P": 4.5}, promise=-0.8)
    frame = waterfall_frame(chain, step_labels={"gap1": "g1", "gap2+3": "g23", "gap4": "g4", "gap5": "g5"},
                            level_labels={"E": "E", "P": "P"})
    assert list(frame["label"]) == ["E", "g1", "g23", "g4", "P", "g5"]
    assert list(frame["kind"]) == ["level", "down", "down", "down", "level", "total"]
    g23 = frame.set_index("label").loc["g23"]
    assert (g23["start"], g23["end"], g23["merged"]) == (5.5, 5.2, True)
    assert g23["value"] == pytest.approx(-0.3)
    steps = frame[frame["kind"].isin(["up", "down"])]["value"].sum()
    assert steps == pytest.approx(frame.set_index("label").loc["g5", "value"]) == pytest.approx(-1.5)
    assert frame.set_index("label").loc["g5", "text"] == "-1.50"
    promise = pd.DataFrame({"label": ["g4"], "level": [6.0], "text": ["promised 6.00"]})
    spec = waterfall_chart(frame, low=1, high=7, title="t", kind_labels={"level": "L"}, promise=promise).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "text", "point", "text"]
    bars = spec["layer"][0]["encoding"]
    assert bars["y"]["field"] == "start" and bars["y2"]["field"] == "end"
    assert bars["color"]["scale"]["range"][1] != bars["color"]["scale"]["range"][2]  # up and down apart


def test_dumbbell_and_ipa_specs(demo_study):
    analysis = analyze(prepare(demo_study, use_weight=False))
    items = analysis.items.sort_values("gap").assign(item_label=lambda f: f["item"].astype(str))
    spec = dumbbell_chart(items[["item_label", "E", "P", "gap", "n"]], labels={}, low=1, high=7, title="t",
                          series_labels={"E": "E", "P": "P"}).to_dict()
    points = spec["layer"][1]["encoding"]
    assert points["shape"]["scale"]["range"] == ["circle", "square"]
    assert points["y"]["sort"] == {"field": "row_order", "op": "min"}  # the order travels with the data
    names = {q: q for q in ("concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill")}
    ipa = ipa_chart(analysis.importance_performance, labels={**names, "importance": "i", "performance": "p"},
                    title="t").to_dict()
    texts = [layer for layer in ipa["layer"] if layer["mark"]["type"] == "text"]
    assert len(texts) >= 3


def test_gap_model_picture_in_every_language():
    for lang, word in (("en", "Gap 5"), ("ko", "갭 5"), ("zh", "差距5")):
        boxes, links, labels = gap_model_frames(lang)
        assert len(boxes) == 6 and links.groupby("gap").size().min() >= 2
        assert any(word in g for g in labels["gap"])


def _nodes(spec: object) -> list[dict]:
    """Every dict in a spec, the spec itself first."""
    if isinstance(spec, dict):
        return [spec, *(n for v in spec.values() for n in _nodes(v))]
    if isinstance(spec, list):
        return [n for v in spec for n in _nodes(v)]
    return []


def _layers(spec: dict) -> list[dict]:
    return spec.get("spec", spec).get("layer", [])


def test_every_chart_of_the_pages_and_the_story_is_a_valid_spec(demo_study):
    """The app draws with Altair's build-time checks off (ui/downloads.py): every chart it draws is checked
    here against the Vega-Lite schema instead (``to_dict()`` validates)."""
    from altair.utils.schemapi import debug_mode

    from gapcore.analysis import by_segment_value
    from gapcore.present.segment_slides import consistency_slide
    from gapcore.present.slides import driver_charts, waterfall_grid_for
    from gapcore.present.story import build_story
    from gapcore.segments import compare_segments

    prepared = prepare(demo_study)
    story = build_story(prepared, {}, lang="ko", min_cell=5)
    analysis = analyze(prepared)
    with debug_mode(True):
        charts = [slide.chart for slide in story.slides]
        charts.append(waterfall_grid_for({d: c for d, c in analysis.chain_by_dimension.items()}, "ko", demo_study))
        charts += list(driver_charts(demo_study, fit_model(prepared), "ko"))
        charts.append(consistency_slide(demo_study, compare_segments(prepared, "channel"), "ko").chart)
        by_branch = by_segment_value(prepared, "branch", values=["Busan"])
        charts.append(waterfall_grid_for({"company": analysis.chain, "Busan": by_branch["Busan"].chain}, "ko",
                                         demo_study, columns=2))
    for chart in charts:
        spec = chart.to_dict()  # raises on a spec the schema refuses
        named = {n["data"]["name"] for n in _nodes(spec) if isinstance(n.get("data"), dict) and "name" in n["data"]}
        assert named and named <= set(spec["datasets"])  # every layer draws data the spec carries
        assert any("mark" in n for n in _nodes(spec))


def text_channels(source: str) -> list[str]:
    """Every channel a chart module's source gives ``encode`` as text or a dict (``x="m:Q"``, ``color={...}``):
    Altair rebuilds such a channel through ``from_dict``, which hashes every Vega-Lite schema class each time
    (about 1.5 ms); a typed channel (``alt.X2(...)``, ``alt.ColorValue(...)``) skips it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "encode":
            found += [f"{kw.arg}={ast.unparse(kw.value)}" for kw in node.keywords
                      if isinstance(kw.value, (ast.Constant, ast.Dict, ast.JoinedStr)) or (
                          isinstance(kw.value, (ast.List, ast.Tuple)) and any(
                              isinstance(e, (ast.Constant, ast.Dict, ast.JoinedStr)) for e in kw.value.elts))]
            found += [ast.unparse(arg) for arg in node.args if isinstance(arg, ast.Dict)]  # str.encode("utf-8") aside
    return found


def test_no_chart_builds_a_channel_from_text():
    """Every chart module gives ``encode`` typed channels only."""
    sources = [p for p in (ROOT / "gapcore" / "present").glob("*.py")
               if "import altair as alt" in p.read_text(encoding="utf-8")]
    assert sum(p.read_text(encoding="utf-8").count(".encode(") for p in sources) >= 20
    assert {p.name: text_channels(p.read_text(encoding="utf-8")) for p in sources} == {p.name: [] for p in sources}
    assert text_channels('alt.Chart(d).encode(x="m:Q", y=alt.Y("v"), color={"value": "red"}, tooltip=["n"])') == [
        "x='m:Q'", "color={'value': 'red'}", "tooltip=['n']"]


def fit_model(prepared):
    from gapcore.present.story import fit_driver_model

    return fit_driver_model(prepared, {})


def test_waterfall_grid_puts_each_chain_in_a_panel_on_one_scale(demo_study):
    """One faceted chart for the five dimensions: five panels in dimension order, two to a row, the steps
    in chain order, and one vertical domain from the lowest step of any panel to the scale's top."""
    from gapcore.present.slides import waterfall_grid_for

    analysis = analyze(prepare(demo_study))
    chains = dict(analysis.chain_by_dimension)
    spec = waterfall_grid_for(chains, "en", demo_study).to_dict()
    assert spec["columns"] == 2 and spec["facet"]["field"] == "panel"
    assert spec["facet"]["sort"] == list(chains)
    values = next(iter(spec["datasets"].values()))
    assert {row["panel"] for row in values} == set(chains)
    lowest = min(min(row["start"], row["end"]) for row in values if row["kind"] != "level")
    y = _layers(spec)[0]["encoding"]["y"]["scale"]["domain"]
    assert y == [max(1.0, math.floor(lowest - 0.5)), 7.0]
    x_order = _layers(spec)[0]["encoding"]["x"]["sort"]
    first = analysis.chain_by_dimension["tangibles"]
    assert x_order[0] == "expectation" and x_order[-2] == "perception" and x_order[1] == "Gap 1"
    assert len(x_order) == len(first.steps) + 3  # E, each step, P, gap 5


def test_tracking_points_stand_on_their_wave_tick():
    """Each dimension's point of a wave is drawn on that wave's tick (within a pixel), not shifted into the
    space between waves; so each slope runs from one wave's tick to the next."""
    from gapcore.io.load import load_paths
    from gapcore.present.exports import chart_spec
    from gapcore.present.story import build_story
    from tests.conftest import DATA
    from tests.scenegraph import drawn

    study = load_paths([DATA / "demo_study.xlsx"]).study
    story = build_story(prepare(study), lang="ko", fit_model=False)
    slide = next(s for s in story.slides if s.key == "tracking")
    items = drawn(chart_spec(slide.chart, width=900))
    waves = [i for i in items if i.role == "axis-label" and i.text in {"2025-H1", "2025-H2", "2026-H1"}]
    ticks = sorted(i.x for i in items if i.role == "axis-tick" and abs(i.y - waves[0].y) < 10)
    assert len(waves) == len(ticks) == 3
    points = [i for i in items if i.marktype == "symbol" and i.role == "mark"]
    assert len(points) == 15  # five dimensions × three waves
    for point in points:
        assert min(abs(point.x - tick) for tick in ticks) <= 1.0, point


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_every_projected_text_is_readable_from_the_back_of_the_room(lang):
    """Every text Vega draws on a presentation frame (axis and legend labels, titles, value labels, ring
    and spoke labels) is at least 18 px, as the presentation view draws it."""
    from gapcore.io.load import load_paths
    from gapcore.present.projector import PROJECTOR_FONT, for_projector
    from gapcore.present.story import build_story
    from tests.conftest import DATA
    from tests.scenegraph import drawn
    from ui.downloads import vega_lite_spec

    study = load_paths([DATA / "demo_study.xlsx"]).study
    story = build_story(prepare(study), lang=lang)
    assert len(story.slides) == 7
    for slide in story.slides:
        spec = for_projector(vega_lite_spec(slide.chart), fill=False)
        texts = [d for d in drawn(spec) if d.marktype == "text" and d.text.strip()]
        assert texts, slide.key
        small = [(d.role, d.text, d.font_size) for d in texts if d.font_size < PROJECTOR_FONT]
        assert small == [], slide.key
        assert "title" not in spec  # the slide has its own


@pytest.mark.parametrize("importance", [[-4.0, 0.0, 12.0, 30.0, 62.0], [20.0, 20.5, 21.0, 19.0, 19.5]])
def test_importance_performance_points_stay_inside_the_plot(importance):
    """Signed (derived) importance can be negative or zero, and stated importance can be bunched: every
    point is drawn inside the plot area, off the axes and their titles."""
    from gapcore.present.charts import ipa_chart
    from tests.scenegraph import drawn
    from ui.downloads import vega_lite_spec

    dims = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
    ipa = pd.DataFrame({"dimension": dims, "importance": importance, "performance": [4.9, 4.7, 4.8, 5.2, 4.7],
                        "quadrant": ["low_priority"] * 5})
    labels = {d: d for d in dims} | {k: k for k in ("importance", "performance", "concentrate_here",
                                                    "keep_up_the_good_work", "low_priority", "possible_overkill")}
    spec = vega_lite_spec(ipa_chart(ipa, labels=labels, title="IPA").properties(width=600))
    items = drawn(spec)
    points = [d for d in items if d.marktype == "symbol" and d.role == "mark"]
    assert len(points) == 5
    ticks_x = [d.x for d in items if d.role == "axis-tick" and d.y > 300]  # the x axis, under the plot
    ticks_y = [d.y for d in items if d.role == "axis-tick" and d.x < 5]
    for point in points:
        assert min(ticks_x) - 1 <= point.x <= 600 and 0 <= point.y <= 380, point
        assert point.y < max(ticks_y) + 1


def test_every_item_keeps_its_label_and_the_radar_its_scale():
    """The items chart labels all 22 items (it labelled every second one when the page squeezed it), and
    the radar's scale values and dimension names are drawn at 12 px or more."""
    from gapcore.io.load import load_paths
    from gapcore.present.slides import items_slide, radar_slide
    from tests.conftest import DATA
    from tests.scenegraph import drawn
    from ui.downloads import vega_lite_spec

    study = load_paths([DATA / "demo_study.xlsx"]).study
    analysis = analyze(prepare(study))
    spec = vega_lite_spec(items_slide(study, analysis, "en").chart.properties(width=700))
    labels = [d.text for d in drawn(spec) if d.role == "axis-label" and ". " in d.text]
    assert len(labels) == 22 and labels[0].startswith("8. ")
    radar = [d for d in drawn(vega_lite_spec(radar_slide(study, analysis, "en").chart))
             if d.marktype == "text" and d.role == "mark"]
    assert {"2.5", "4", "5.5", "7", "Reliability"} <= {d.text for d in radar}
    assert min(d.font_size for d in radar) >= 12


def test_driver_charts_keep_their_rows_apart_and_name_both_methods():
    """Each driver chart sizes itself by a step per row (a fixed height was squeezed by the page until the
    names overlapped), rows 40 px or more apart, and its legend stacks Shapley and Johnson (side by side
    they were cut at half the page's width)."""
    from gapcore.io.load import load_paths
    from gapcore.present.slides import driver_charts
    from gapcore.present.story import fit_driver_model
    from tests.conftest import DATA
    from tests.scenegraph import drawn
    from ui.downloads import vega_lite_spec

    study = load_paths([DATA / "demo_study.xlsx"]).study
    model = fit_driver_model(prepare(study), {})
    for chart in driver_charts(study, model, "en"):
        spec = vega_lite_spec(chart.properties(width=420))
        assert spec["height"] == {"step": 40} or spec["height"] == {"step": 44}
        items = drawn(spec)
        rows = sorted(d.y for d in items if d.role == "axis-label" and d.text in {"Tangibles", "Reliability",
                                                                                "Responsiveness", "Assurance",
                                                                                "Empathy"})
        assert len(rows) == 5 and min(b - a for a, b in itertools.pairwise(rows)) >= 40
    legend = [d for d in items if d.role == "legend-label"]
    assert [d.text for d in legend] == ["Shapley share, 95% CI", "Johnson's relative weight"]
    assert legend[0].x == legend[1].x and legend[1].y > legend[0].y  # one above the other


def test_one_or_two_dimensions_are_dots_on_the_scale_not_a_radar():
    """A study of two dimensions (items 1-5 of the 22): a radar of two spokes is a line through the centre,
    so its figures are drawn as dots on the 1-7 scale, each where its value lies between the ticks, in the
    app and in the deck; three dimensions keep the radar."""
    from gapcore.io.load import SourceFile, load_study
    from gapcore.present.slides import radar_slide
    from tests import real_exports as rx
    from tests.scenegraph import drawn
    from ui.downloads import vega_lite_spec

    study = load_study([SourceFile(*rx.qualtrics_import_ids())]).study
    analysis = analyze(prepare(study))
    slide = radar_slide(study, analysis, "en")
    items = drawn(vega_lite_spec(slide.chart))
    ticks = {d.text: d.x for d in items if d.role == "axis-label"}
    rows = {d.text: d.y for d in items if d.role == "axis-label" and d.text in ("Tangibles", "Reliability")}
    dots = [d for d in items if d.marktype == "symbol" and d.role == "mark"]
    assert len(dots) == 4 and set(rows) == {"Tangibles", "Reliability"}
    dims = analysis.dimensions.set_index("dimension")
    per_point = (ticks["7.0"] - ticks["1.0"]) / 6
    expected = sorted((round(ticks["1.0"] + (dims.loc[d, s] - 1) * per_point), label)
                      for d, label in (("tangibles", "Tangibles"), ("reliability", "Reliability")) for s in "EP")
    seen = sorted((round(d.x), min(rows, key=lambda r: abs(rows[r] - d.y))) for d in dots)
    assert [label for _, label in seen] == [label for _, label in expected]
    assert all(abs(a - b) <= 1 for (a, _), (b, _) in zip(seen, expected, strict=True))
    [native] = slide.native_charts()
    assert native.kind == "dots" and native.categories == ("Tangibles", "Reliability")

    three = radar_chart(LEVELS, low=1, high=7, labels={}, title="t", series_labels={"E": "Exp", "P": "Perc"})
    assert any("strokeDash" in layer.get("encoding", {}) for layer in three.to_dict()["layer"])


def _untitled_tooltips(spec: object, where: str = "") -> list[str]:
    """Tooltip fields of a spec that carry no title (a self-describing label carries an empty one)."""
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "tooltip" and isinstance(value, list):
                found += [f"{where}:{tip.get('field')}" for tip in value
                          if isinstance(tip, dict) and "title" not in tip]
            else:
                found += _untitled_tooltips(value, where)
    elif isinstance(spec, list):
        for value in spec:
            found += _untitled_tooltips(value, where)
    return found


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_every_tooltip_of_every_slide_and_page_names_its_fields(lang, demo_study):
    """Issue 30: no tooltip shows row_label, mean, ci_low or shapley as its own name."""
    import json

    from gapcore.analysis import prepare
    from gapcore.present.exports import chart_spec
    from gapcore.present.story import build_story
    from tests.test_app import PAGES, app

    story = build_story(prepare(demo_study), {}, lang=lang, segment="branch")
    missing = [m for s in story.slides for m in _untitled_tooltips(chart_spec(s.chart), s.key)]
    for page in PAGES[2:]:
        at = app(page, lang=lang, compare="branch").run()
        missing += [m for c in at.get("vega_lite_chart") for m in _untitled_tooltips(json.loads(c.proto.spec), page)]
    assert missing == []


def _explicit(spec: object, order: list[str], domains: dict[str, list[float]] | None = None) -> object:
    """``spec`` written the way the charts were before their order and extent moved into the data: every
    sort by ``row_order`` as the list of labels, every data-extent scale (``zero``/``nice`` off) as
    ``domains[channel]``."""
    if isinstance(spec, list):
        return [_explicit(part, order, domains) for part in spec]
    if not isinstance(spec, dict):
        return spec
    out = {key: _explicit(value, order, domains) for key, value in spec.items()}
    if out.get("sort") == {"field": "row_order", "op": "min"}:
        out["sort"] = order
    for channel in ("x", "y"):
        scale = out.get(channel, {}).get("scale") if isinstance(out.get(channel), dict) else None
        if domains and scale == {"zero": False, "nice": False, "padding": 0}:
            out[channel] = {**out[channel], "scale": {"domain": domains[channel]}}
    return out


def test_charts_with_their_order_and_extent_in_the_data_draw_what_an_explicit_spec_draws(demo_study):
    """Issue 30: the items, driver and importance-performance charts keep the rows' order (and the plot's
    extent) in their data, so that a filter change leaves their spec alone and the browser swaps the data
    instead of building a new view. Vega draws every mark, label and axis where the spec with the order
    written as a list (and the domain as numbers) draws it, and the items in the frame's order."""
    from gapcore.present.charts import perception_items_chart
    from gapcore.present.slides import driver_charts
    from gapcore.present.story import fit_driver_model
    from tests.scenegraph import drawn
    from ui.downloads import vega_lite_spec

    analysis = analyze(prepare(demo_study))
    items = analysis.items.sort_values("gap").assign(item_label=lambda f: f["item"].astype(str))
    order = list(items["item_label"])
    frame = items[["item_label", "E", "P", "gap", "n"]]
    charts = [dumbbell_chart(frame, labels={}, low=1, high=7, title="t", series_labels={"E": "E", "P": "P"}),
              perception_items_chart(items.assign(ci_low=items["P"] - 0.2, ci_high=items["P"] + 0.2), low=1,
                                     high=7, title="t", axis_title="P", tooltip={"n": "n"})]
    for chart in charts:
        spec = vega_lite_spec(chart.properties(width=500))
        assert drawn(spec) == drawn(_explicit(spec, order))
        labels = [d for d in drawn(spec) if d.role == "axis-label" and d.text in order]
        assert [d.text for d in sorted(labels, key=lambda d: d.y)] == order
    model = fit_driver_model(prepare(demo_study), {})
    for chart in driver_charts(demo_study, model, "en"):
        spec = vega_lite_spec(chart.properties(width=420))
        rows = [r for rows in spec["datasets"].values() for r in rows if "row_order" in r]
        names = list(dict.fromkeys(r["label"] for r in sorted(rows, key=lambda r: r["row_order"])))
        assert len(names) == 5 and drawn(spec) == drawn(_explicit(spec, names))
    names = {q: q for q in ("concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill")}
    ipa = analysis.importance_performance
    spec = vega_lite_spec(ipa_chart(ipa, labels={**names, "importance": "i", "performance": "p"}, title="t")
                          .properties(width=600))
    # the domain the chart wrote before, by its own rule: padded by the spread, the grid at the means
    x_lo, x_hi, x_grid = ipa["importance"].min(), ipa["importance"].max(), ipa["importance"].mean()
    x_pad = max(abs(x_hi - x_lo), abs(x_hi), 1e-9) * 0.15
    y_lo, y_hi, y_grid = ipa["performance"].min(), ipa["performance"].max(), ipa["performance"].mean()
    pad = max(0.2, (y_hi - y_lo) * 0.25)
    domains = {"x": [min(x_lo, x_grid) - x_pad, max(x_hi, x_grid) + 2 * x_pad],
               "y": [min(y_lo, y_grid) - pad, max(y_hi, y_grid) + pad]}
    assert drawn(spec) == drawn(_explicit(spec, [], domains))


def test_a_filter_change_leaves_the_charts_specs_alone_on_dimensions_drivers_and_segments():
    """Issue 30: between two branches, every chart on these pages sends the same spec (its datasets aside),
    so the browser swaps the data of the view it has (Streamlit keys a view by the spec without the
    datasets' names); the items chart and the importance-performance chart used to write the branch's
    order and extent into their spec."""
    import json

    from tests.test_app import app

    def specs(page: str, branch: str) -> list[str]:
        at = app(page).run()
        at.sidebar.multiselect(key="w_f_branch").set_value([branch])
        at.run()
        out = []
        for chart in at.get("vega_lite_chart"):
            spec = chart.proto.spec
            for index, dataset in enumerate(chart.proto.datasets):
                spec = spec.replace(dataset.name, f"data_{index}")
            out.append(spec)
        assert out and all(json.loads(s) for s in out)
        return out

    for page in ("pages/3_Dimensions.py", "pages/5_Drivers.py", "pages/6_Segments.py"):
        seoul, busan = specs(page, "Seoul"), specs(page, "Busan")
        assert len(seoul) == len(busan) >= 2, page
        assert seoul == busan, page
