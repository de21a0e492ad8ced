"""A chart on the page with its PNG and SVG downloads (rendered only when a button is clicked).

In detail: the pictures are rendered by vl-convert. Charts reach the page
as Vega-Lite specs (`vega_lite_spec`: `to_dict(validate=False)`, datasets handed over by `draw_spec` as the Arrow
streams Streamlit would make of them, built by pyarrow straight from the records (`dataset_arrow`; a column pyarrow
cannot type goes as a frame); a kept chart keeps its spec with those streams, `drawable`, so a return converts
nothing) with Altair's build-time validation off in the app; `tests/test_charts.py` validates
every page and slide chart against the schema instead. Altair's data transformer in the app is `chart_values`: a
chart's few-row frame becomes JSON records column by column (Altair's own handles dates, arrays, nullable numbers
and large frames); `tests/test_chart_data.py` checks that every chart's spec is the one Altair's own transformer
gives. The gap model diagram is drawn once per language (`st.cache_resource`: it holds nobody's data).
"""

from __future__ import annotations

import hashlib
import io
import math
import pickle
from functools import partial

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st
from altair.utils.schemapi import disable_debug_mode
from altair.vegalite.data import default_data_transformer

from gapcore.i18n import t
from gapcore.io.study import Study
from gapcore.plaintext import visible_in
from gapcore.present.charts import gap_model_picture
from gapcore.present.exports import chart_png, chart_svg, download_stem
from gapcore.present.slides import Slide
from ui import keys, state

# Altair validates every chart part against the Vega-Lite schema as it is built ("debug mode"), a third of
# the time of drawing a chart on each rerun. The app draws only charts whose builders the tests validate
# (``tests/test_charts.py`` turns every slide and page chart into a validated spec), so it is off here.
disable_debug_mode()


def _plain_value(value: object) -> object:
    """A cell as JSON takes it: missing (None, NaN, NA, NaT) becomes None."""
    return None if value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and not math.isfinite(value)) else value


def chart_values(data: object, max_rows: int = 5000) -> dict:
    """Altair's data transformer in the app. A chart's few-row frame becomes records column by column —
    the records Altair's own ``to_values`` makes (a test compares every chart's spec), without its
    per-column pandas passes, which were a third of building a radar. Other data (large frames, dates,
    arrays in cells) goes through Altair's own transformer."""
    if not isinstance(data, pd.DataFrame) or len(data) > 1000 or not all(isinstance(c, str) for c in data.columns):
        return default_data_transformer(data, max_rows=max_rows)
    columns = []
    for name in data.columns:
        column = data[name]
        kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else None
        if kind in ("i", "u", "b"):
            columns.append(column.to_numpy().tolist())
        elif kind == "f":
            columns.append([_plain_value(v) for v in column.to_numpy().tolist()])
        elif kind == "O" or str(column.dtype) in ("category", "str", "string"):
            values = column.astype(object).tolist()
            if any(isinstance(v, (np.ndarray, np.generic, pd.Timestamp)) for v in values):
                return default_data_transformer(data, max_rows=max_rows)
            columns.append([_plain_value(v) for v in values])
        else:  # dates, durations, nullable numbers: Altair knows their JSON forms
            return default_data_transformer(data, max_rows=max_rows)
    names = list(data.columns)
    return {"values": [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)] if names else
            [{} for _ in range(len(data))]}


alt.data_transformers.register("servicegap", chart_values)
alt.data_transformers.enable("servicegap")
ALTAIR_DEFAULT_VIEW = {"continuousWidth": 300, "continuousHeight": 300}  # Altair's theme; Streamlit drops it


def vega_lite_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart as a Vega-Lite spec for the page, without Altair's schema validation on every rerun
    (``st.altair_chart`` validates; the chart builders are validated once by ``tests/test_charts.py``).
    Bidi and zero-width characters in any label or value are written visibly (``visible_in``)."""
    spec = visible_in(chart.to_dict(validate=False))
    view = spec.get("config", {}).get("view")
    if view is not None:
        for key, value in ALTAIR_DEFAULT_VIEW.items():
            if view.get(key) == value:
                del view[key]
        if not view:
            del spec["config"]["view"]
    return spec


@st.cache_resource(max_entries=8, show_spinner=False)
def _gap_model_picture(lang: str) -> tuple[alt.LayerChart, dict]:
    chart = gap_model_picture(lang)
    return chart, drawable(vega_lite_spec(chart))


def gap_model_picture_with_downloads(lang: str) -> None:
    """The gap model diagram: the same for every study and session, so drawn once per language (it holds
    no data of anyone's)."""
    chart, spec = _gap_model_picture(lang)
    chart_with_downloads(chart, "gap_model", lang, spec=spec)


def dataset_arrow(rows: list[dict]) -> bytes | pd.DataFrame:
    """A named dataset of a spec as the Arrow stream Streamlit sends for it. Given records, Streamlit would
    make one column of dicts; given a frame, it converts through pandas (0.4 ms a dataset); pyarrow reads
    the records itself in a tenth of that. Records pyarrow cannot type (text and numbers in one column) go
    as a frame, Streamlit's own way."""
    try:
        table = pa.Table.from_pylist(rows)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return pd.DataFrame.from_records(rows)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def drawable(spec: dict) -> dict:
    """The spec with its named datasets as the Arrow streams Streamlit sends (``dataset_arrow``): what a page
    keeps, so that drawing it again converts nothing. Neither Streamlit nor ``draw_spec`` changes a spec given
    to them (Streamlit copies it before it takes the datasets out), so a kept one can be drawn many times."""
    return {**spec, "datasets": {name: rows if isinstance(rows, bytes | pd.DataFrame) else dataset_arrow(rows)
                                 for name, rows in spec.get("datasets", {}).items()}}


def draw_spec(spec: dict, *, container=None, width: str = "stretch", height: str | int = "content") -> None:
    """Draw a Vega-Lite spec, its named datasets sent as Arrow tables (``drawable``)."""
    (container if container is not None else st).vega_lite_chart(drawable(spec), width=width, height=height)


def chart_with_downloads(chart: alt.TopLevelMixin, name: str, lang: str, *, container=None,
                         width: str = "stretch", export_width: int = 900, spec: dict | None = None) -> None:
    """Draw ``chart`` and, under it, a small menu with the chart as PNG and SVG files named ``name``."""
    where = container if container is not None else st
    file_stem = download_stem(name)
    draw_spec(spec if spec is not None else vega_lite_spec(chart), container=where, width=width)
    with where.popover(t("download_chart", lang), icon=":material/download:", key=f"dl_{name}"):
        st.download_button(t("download_png", lang), data=lambda: chart_png(chart, width=export_width),
                           file_name=f"{file_stem}.png", mime="image/png", key=f"dl_png_{name}", on_click="ignore")
        st.download_button(t("download_svg", lang), data=lambda: chart_svg(chart, width=export_width),
                           file_name=f"{file_stem}.svg", mime="image/svg+xml", key=f"dl_svg_{name}", on_click="ignore")


CHARTS_KEPT = 48  # charts kept per session: the charts of a few pages (up to 9 on Dimensions) per recent setting


class _DrawingPickler(pickle.Pickler):
    """Pickles what a chart is drawn from, the study standing for its content key: a chart's key never
    holds the respondents, and costs what its few-row frames and texts cost."""

    def __init__(self, file: io.BytesIO, study_key: str) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.study_key = study_key

    def persistent_id(self, obj: object) -> tuple[str, str] | None:
        return ("study", self.study_key) if isinstance(obj, Study) else None


def drawing_key(draw: object, study_key: str) -> str | None:
    """A digest of everything a slide's chart is drawn from — the builder, its frames, labels, titles and
    sizes —, or ``None`` when it cannot be told (a drawing that is not a ``partial`` of picklable values)."""
    if not isinstance(draw, partial):
        return None
    buffer = io.BytesIO()
    try:
        _DrawingPickler(buffer, study_key).dump(
            (draw.func.__module__, draw.func.__qualname__, draw.args, draw.keywords))
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def slide_with_downloads(slide: Slide, name: str, lang: str, **options: object) -> None:
    """A slide's chart with its downloads (``chart_with_downloads``), kept as ``drawn_with_downloads`` keeps
    a chart: a return to a recent filter, or a rerun that leaves the figures as they were, draws it again
    without building it."""
    _kept_with_downloads(drawing_key(slide.draw, state.study_key()), lambda: slide.chart, name, lang, **options)


def drawn_with_downloads(draw: partial, name: str, lang: str, **options: object) -> None:
    """The chart ``draw`` builds (a ``partial`` of a chart builder) with its downloads; the chart and its spec
    are kept for the session by what they are drawn from (``drawing_key``)."""
    _kept_with_downloads(drawing_key(draw, state.study_key()), draw, name, lang, **options)


def _kept_with_downloads(key: str | None, build, name: str, lang: str, **options: object) -> None:
    if key is None:
        chart_with_downloads(build(), name, lang, **options)
        return

    def built() -> tuple[alt.TopLevelMixin, dict]:
        chart = build()
        return chart, drawable(vega_lite_spec(chart))

    chart, spec = state.cached(keys.CHART_CACHE, (key,), built, keep=CHARTS_KEPT)
    chart_with_downloads(chart, name, lang, spec=spec, **options)
