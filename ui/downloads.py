"""A chart on the page with its PNG and SVG downloads (rendered only when a button is clicked)."""

from __future__ import annotations

import re

import altair as alt
import streamlit as st

from gapcore.i18n import t
from gapcore.present.exports import chart_png, chart_svg


def chart_with_downloads(chart: alt.TopLevelMixin, name: str, lang: str, *, container=None,
                         width: str = "stretch", export_width: int = 900) -> None:
    """Draw ``chart`` and, under it, a small menu with the chart as PNG and SVG files named ``name``."""
    where = container if container is not None else st
    file_stem = re.sub(r"[^\w.-]+", "_", name).strip("_") or "chart"
    where.altair_chart(chart, width=width)
    with where.popover(t("download_chart", lang), icon=":material/download:", key=f"dl_{name}"):
        st.download_button(t("download_png", lang), data=lambda: chart_png(chart, width=export_width),
                           file_name=f"{file_stem}.png", mime="image/png", key=f"dl_png_{name}", on_click="ignore")
        st.download_button(t("download_svg", lang), data=lambda: chart_svg(chart, width=export_width),
                           file_name=f"{file_stem}.svg", mime="image/svg+xml", key=f"dl_svg_{name}", on_click="ignore")
