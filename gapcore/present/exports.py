"""Exports: chart pictures (PNG/SVG through vl-convert), the Excel workbook and CSV files of the result
tables (formula-safe), the PowerPoint deck and the self-contained HTML report of a ``Story``.

Everything is built in memory and returned as bytes (or text); nothing is written to disk here.

In detail: PNG/SVG through vl-convert (Noto CJK registered, a fixed width for "container" charts); XLSX by
XlsxWriter and CSV with a UTF-8 BOM, formula-like text quoted; the deck by python-pptx (``<a:ea>`` East Asian
font on every run, each slide's ``NativeChart``s as editable PowerPoint charts, speaker notes from
``Slide.notes``, an outcomes slide after the charts); HTML with PNG data URIs. ``download_stem`` is the one rule
naming every downloaded file. The blank study templates are in ``gapcore.present.templates``.
"""

from __future__ import annotations

import base64
import html
import io
import re
import struct
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from gapcore.i18n import t
from gapcore.plaintext import visible, visible_in
from gapcore.present.charts import FONT
from gapcore.present.slides import NativeChart
from gapcore.present.story import Story

# A text cell starting with one of these can be taken for a formula by a spreadsheet (OWASP: CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CJK_FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto-cjk",
                 "/System/Library/Fonts", "C:/Windows/Fonts")
# Fonts named in the deck: the Latin face and the East Asian face (<a:ea>) with its charset, so that
# PowerPoint, LibreOffice and Google Slides pick a font with Hangul or Hanzi glyphs (or a substitute with them).
DECK_FONTS = {"en": ("Calibri", "Malgun Gothic", "-127", "ko-KR"),
              "ko": ("Malgun Gothic", "Malgun Gothic", "-127", "ko-KR"),
              "zh": ("Microsoft YaHei", "Microsoft YaHei", "-122", "zh-CN")}


# ---------------------------------------------------------------------------------------------------
# chart pictures

@cache
def _register_cjk_fonts() -> None:
    """Make the Noto CJK fonts known to vl-convert (once per process), so Korean and Chinese never
    render as empty boxes when the system's font list is not searched."""
    import vl_convert as vlc

    for folder in CJK_FONT_DIRS:
        if Path(folder).is_dir():
            vlc.register_font_directory(folder)


def chart_spec(chart: alt.TopLevelMixin, *, width: int = 900, title: bool = True) -> dict:
    """The Vega-Lite spec of ``chart`` ready for rendering outside a page: a fixed width where the page
    chart stretches to its container, a white background, and the CJK-capable font everywhere.
    ``title=False`` drops the chart's own title (a slide or a report section already carries it).
    Bidi and zero-width characters in any label or value are written visibly (``visible_in``)."""
    spec = visible_in(chart.to_dict())
    if not title:
        spec.pop("title", None)

    def fix(node: object) -> None:
        if isinstance(node, dict):
            if node.get("width") == "container":
                node["width"] = width
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(spec)
    config = spec.setdefault("config", {})
    config["font"] = FONT
    config.setdefault("background", "white")
    config.setdefault("view", {}).setdefault("stroke", None)  # no frame around the plot, as on the page
    return spec


def chart_png(chart: alt.TopLevelMixin, *, width: int = 900, scale: float = 2.0, title: bool = True) -> bytes:
    import vl_convert as vlc

    _register_cjk_fonts()
    return vlc.vegalite_to_png(chart_spec(chart, width=width, title=title), scale=scale)


def chart_svg(chart: alt.TopLevelMixin, *, width: int = 900) -> str:
    import vl_convert as vlc

    _register_cjk_fonts()
    return vlc.vegalite_to_svg(chart_spec(chart, width=width))


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG header."""
    return struct.unpack(">II", png[16:24])


def download_stem(*parts: str, limit: int = 80) -> str:
    """A downloaded file's name without its extension: "servicegap" and ``parts`` joined by "_", every run of
    characters other than letters (Korean and Chinese included), digits, "." and "-" made one "_" (with the "_"
    beside them) — so no path separator, no character Windows refuses (``: * ? " < > |``) and no control
    reaches a file system —, at most ``limit`` characters, never starting with a dot."""
    joined = "_".join(("servicegap", *parts))
    return re.sub(r"(?:[^\w.-]|_)+", "_", joined)[:limit].strip("_.")


def filtered_stem(filters: Mapping[str, Sequence[str]]) -> str:
    """The stem of a report on a selection: ``download_stem`` naming every filtered value, in filter order."""
    return download_stem(*(value for values in filters.values() for value in values))


# ---------------------------------------------------------------------------------------------------
# tables: Excel and CSV, formula-safe

def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def inert(value: object) -> object:
    """A text value that no spreadsheet will run: a leading ``'`` before any formula-like start."""
    return "'" + value if is_formula_like(value) else value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every formula-like text (cells and column names) made inert."""
    out = frame.copy()
    out.columns = [inert(visible(str(c))) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: inert(visible(v)) if isinstance(v, str) else inert(v))
    return out


def write_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (Excel then opens Korean and Chinese text correctly), formula-safe."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_names(names: Sequence[str]) -> list[str]:
    """Valid, unique Excel sheet names (≤ 31 characters, none of ``[]:*?/\\``, not starting with ``'``)."""
    out: list[str] = []
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", name).strip("'")[:31] or "sheet"
        candidate, k = base, 2
        while candidate.lower() in {o.lower() for o in out}:
            suffix = f" ({k})"
            candidate, k = base[:31 - len(suffix)] + suffix, k + 1
        out.append(candidate)
    return out


def write_xlsx(tables: Mapping[str, pd.DataFrame], *, titles: Mapping[str, str] | None = None,
               about: Sequence[tuple[str, str]] = ()) -> bytes:
    """One named sheet per table (after an ``about`` sheet when given). Text is always written as text
    (never as a formula, URL or number), and formula-like text also carries Excel's quote prefix."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False,
                                        "nan_inf_to_errors": False})
    header = book.add_format({"bold": True, "bg_color": "#DCEBF7", "border": 1, "text_wrap": True,
                              "valign": "top"})
    quoted = book.add_format({"quote_prefix": True})
    number = book.add_format({"num_format": "0.000"})
    titles = titles or {}
    names = sheet_names([titles.get(k, k) for k in (["about"] if about else []) + list(tables)])
    if about:
        sheet = book.add_worksheet(names.pop(0))
        for r, (label, value) in enumerate(about):
            _write_text(sheet, r, 0, label, quoted, header)
            _write_text(sheet, r, 1, value, quoted)
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 90)
    for name, frame in zip(names, tables.values(), strict=True):
        sheet = book.add_worksheet(name)
        for c, column in enumerate(frame.columns):
            _write_text(sheet, 0, c, str(column), quoted, header)
            values = frame[column].tolist()
            numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
            for r, value in enumerate(values, start=1):
                if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
                    continue
                if isinstance(value, (bool, np.bool_)):
                    sheet.write_boolean(r, c, bool(value))
                elif numeric and isinstance(value, (int, float, np.integer, np.floating)):
                    if np.isfinite(value):
                        sheet.write_number(r, c, float(value), number if isinstance(value, (float, np.floating))
                                           else None)
                else:
                    _write_text(sheet, r, c, str(value), quoted)
            width = max([len(str(column))] + [len(str(v)) for v in values[:200]]) if values else len(str(column))
            sheet.set_column(c, c, min(60, max(8, width + 2)))
        sheet.freeze_panes(1, 0)
        if len(frame.columns):
            sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    book.close()
    return buffer.getvalue()


def _write_text(sheet, row: int, col: int, text: str, quoted, fmt=None) -> None:
    """Text as text: bidi controls and zero-width characters written visibly, formula-like text quoted."""
    text = visible(text)
    sheet.write_string(row, col, text, quoted if is_formula_like(text) else fmt)


# ---------------------------------------------------------------------------------------------------
# PowerPoint

def _set_run_font(run, lang: str, size: float | None = None, bold: bool | None = None,
                  color: str | None = None) -> None:
    """Latin and East Asian typefaces on one run (python-pptx sets only ``<a:latin>``)."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    latin_face, ea_face, charset, lang_tag = DECK_FONTS.get(lang, DECK_FONTS["en"])
    font = run.font
    font.name = latin_face
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = RGBColor.from_string(color)
    r_pr = run._r.get_or_add_rPr()
    r_pr.set("lang", "en-US" if lang == "en" else lang_tag)
    r_pr.set("altLang", lang_tag if lang == "en" else "en-US")
    latin = r_pr.find(qn("a:latin"))
    for tag in ("a:ea", "a:cs"):
        old = r_pr.find(qn(tag))
        if old is not None:
            r_pr.remove(old)
    ea = latin.makeelement(qn("a:ea"), {"typeface": ea_face, "charset": charset})
    latin.addnext(ea)


def _fill_text(frame, paragraphs: Sequence[tuple[str, float, bool]], lang: str, color: str = "222222") -> None:
    """Replace the text of a text frame with ``(text, size, bold)`` paragraphs, fonts set on every run."""
    frame.clear()
    frame.word_wrap = True
    for index, (text, size, bold) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = visible(text)
        _set_run_font(run, lang, size, bold, color)


def _add_native_chart(slide, native: NativeChart, lang: str, left: int, top: int, width: int, height: int) -> None:
    """One of PowerPoint's own charts for ``native``, its text in the deck's fonts at a size a room reads."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Pt

    kinds = {"radar": XL_CHART_TYPE.RADAR_MARKERS, "bar": XL_CHART_TYPE.BAR_CLUSTERED,
             "waterfall": XL_CHART_TYPE.COLUMN_STACKED, "line": XL_CHART_TYPE.LINE_MARKERS,
             "dots": XL_CHART_TYPE.LINE_MARKERS}
    data = CategoryChartData(number_format=native.number_format)
    data.categories = [visible(c) for c in native.categories]
    for name, values in native.series:
        data.add_series(visible(name) or " ", values)
    chart = slide.shapes.add_chart(kinds[native.kind], left, top, width, height, data).chart
    latin_face, ea_face, _, _ = DECK_FONTS.get(lang, DECK_FONTS["en"])
    chart.font.size = Pt(14)
    chart.font.name = latin_face
    _east_asian_face(chart.font._rPr, ea_face)  # python-pptx's Font has no East Asian typeface: its run properties
    chart.has_title = True
    chart.chart_title.text_frame.text = visible(native.title)
    for run in chart.chart_title.text_frame.paragraphs[0].runs:
        _set_run_font(run, lang, 15, True)
    chart.has_legend = len(native.series) > 1
    if chart.has_legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    _colour_series(chart.plots[0], native)
    _label_axes(chart, native, lang)


def _colour_series(plot, native: NativeChart) -> None:
    """Series in the app's colours: bars filled, lines and markers drawn (markers alone for ``dots``)."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    for series, color in zip(plot.series, native.colors, strict=False):
        if not color:  # a waterfall's base: there, but not seen
            series.format.fill.background()
            continue
        rgb = RGBColor.from_string(color.lstrip("#").upper())
        if native.kind in ("bar", "waterfall"):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = rgb
            continue
        series.format.line.color.rgb = rgb
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = rgb
        if native.kind == "dots":
            series.format.line.fill.background()
        else:
            series.format.line.width = Pt(2.25)
    if native.kind in ("bar", "waterfall"):
        plot.gap_width = 60
        plot.overlap = 100 if native.kind == "waterfall" else 0


def _label_axes(chart, native: NativeChart, lang: str) -> None:
    if native.kind == "bar":  # top to bottom, as on the screen
        chart.category_axis.reverse_order = True
    value_axis = chart.value_axis
    if native.value_range is not None:
        value_axis.minimum_scale, value_axis.maximum_scale = native.value_range
    if native.value_title and native.kind != "radar":
        value_axis.has_title = True
        value_axis.axis_title.text_frame.text = visible(native.value_title)
        for run in value_axis.axis_title.text_frame.paragraphs[0].runs:
            _set_run_font(run, lang, 13, False)


def _east_asian_face(r_pr, ea_face: str) -> None:
    """Add ``<a:ea>`` after ``<a:latin>`` (chart text: python-pptx sets only the Latin typeface)."""
    from pptx.oxml.ns import qn

    latin = r_pr.find(qn("a:latin"))
    if latin is not None and r_pr.find(qn("a:ea")) is None:
        latin.addnext(latin.makeelement(qn("a:ea"), {"typeface": ea_face}))


def write_pptx(story: Story, *, pictures: Mapping[str, bytes] | None = None) -> bytes:
    """The deck: title slide, one slide per chart with its reading, the outcomes, the actions, the method.

    ``pictures`` (slide key → PNG) may be passed when they are already rendered."""
    from pptx import Presentation
    from pptx.util import Emu, Inches

    lang = story.lang
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title_layout, title_only = deck.slide_layouts[0], deck.slide_layouts[5]

    slide = deck.slides.add_slide(title_layout)
    _fill_text(slide.shapes.title.text_frame, [(story.title, 40, True)], lang)
    _fill_text(slide.placeholders[1].text_frame, [(line, 18, False) for line in story.subtitle.split("\n")], lang,
               "444444")
    for shape, top, height in ((slide.shapes.title, 1.8, 1.6), (slide.placeholders[1], 3.7, 2.0)):
        shape.left, shape.width, shape.top, shape.height = Inches(0.8), Inches(11.7), Inches(top), Inches(height)

    def titled(text: str):
        s = deck.slides.add_slide(title_only)
        title = s.shapes.title
        title.left, title.top, title.width, title.height = Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.9)
        _fill_text(title.text_frame, [(text, 26, True)], lang)
        return s

    pictures = dict(pictures or {})
    area_w, area_h, top = Inches(12.3), Inches(5.0), Inches(1.2)
    for item in story.slides:
        s = titled(item.title)
        if item.native:  # PowerPoint's own charts, side by side: editable, their data inside
            width = Emu(int(area_w / len(item.native)))
            for index, native in enumerate(item.native):
                _add_native_chart(s, native, lang, Emu(int(Inches(0.5) + index * width)), top, width, area_h)
            bottom = top + area_h
        else:
            png = pictures.get(item.key) or chart_png(item.chart, width=item.width, title=False)
            w_px, h_px = png_size(png)
            ratio = min(area_w / w_px, area_h / h_px)
            width, height = Emu(int(w_px * ratio)), Emu(int(h_px * ratio))
            s.shapes.add_picture(io.BytesIO(png), Emu(int((deck.slide_width - width) / 2)), top, width, height)
            bottom = top + height
        # the reading right under the chart (a wide, short picture leaves no gap above it)
        box = s.shapes.add_textbox(Inches(0.7), min(Emu(int(bottom + Inches(0.15))), Inches(6.35)), Inches(11.9),
                                   Inches(0.9))
        _fill_text(box.text_frame, [(item.reading, 16, False)], lang)
        _fill_text(s.notes_slide.notes_text_frame, [(item.notes, 12, False)], lang)

    outcomes = story.outcomes_table
    if outcomes is not None and not outcomes.empty:  # the outcomes' means beside the dimensions, as on screen
        s = titled(t("outcomes_title", lang))
        box = s.shapes.add_textbox(Inches(0.7), Inches(1.4), Inches(11.9), Inches(4.5))
        header = list(outcomes.columns)
        lines = [(f"{row[0]}: {row[1]}   ({header[2]} {row[2]}, n = {row[3]})", 20, False)
                 for row in outcomes.itertuples(index=False)]
        _fill_text(box.text_frame, lines, lang)
        _fill_text(s.notes_slide.notes_text_frame, [(t("notes_ask_outcomes", lang), 12, False)], lang)

    if story.actions:
        # up to four shortfalls per slide, in two columns, spread evenly over the slides they need
        slides = -(-len(story.actions) // 4)
        per_slide = -(-len(story.actions) // slides)
        for start in range(0, len(story.actions), per_slide):
            s = titled(t("actions_title", lang))
            blocks = story.actions[start:start + per_slide]
            for index, block in enumerate(blocks):
                left = Inches(0.6 if index % 2 == 0 else 6.8)
                box = s.shapes.add_textbox(left, Inches(1.3 + 2.95 * (index // 2)), Inches(5.9), Inches(2.85))
                _fill_text(box.text_frame, [(block.heading, 16, True),
                                            *(("• " + line, 13, False) for line in block.actions)], lang)
            _fill_text(s.notes_slide.notes_text_frame, [(t("notes_ask_actions", lang), 12, False)], lang)

    s = titled(t("report_method_title", lang))
    box = s.shapes.add_textbox(Inches(0.7), Inches(1.3), Inches(11.9), Inches(5.8))
    _fill_text(box.text_frame, [(line, 14, False) for line in story.method], lang)

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------
# HTML

_HTML_STYLE = """
body { font-family: "Noto Sans CJK KR", "Noto Sans CJK SC", "Malgun Gothic", "Microsoft YaHei",
       "Apple SD Gothic Neo", "PingFang SC", Arial, sans-serif; max-width: 1200px; margin: 2em auto;
       color: #222; line-height: 1.5; padding: 0 1em; }
h1 { margin-bottom: 0.2em; } .subtitle { color: #555; white-space: pre-line; }
section { margin: 2.5em 0; } img { max-width: 100%; height: auto; border: 1px solid #eee; }
.reading { font-size: 1.1em; } table { border-collapse: collapse; font-size: 0.9em; }
td, th { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; } th { background: #f2f6fa; }
td:first-child, th:first-child { text-align: left; }
"""


def write_html(story: Story, *, pictures: Mapping[str, bytes] | None = None) -> str:
    """A single HTML file with every chart embedded as a PNG (data URI), for e-mail."""
    def esc(text: str) -> str:
        return html.escape(visible(text))

    pictures = dict(pictures or {})
    parts = [f'<!DOCTYPE html>\n<html lang="{esc(story.lang)}"><head><meta charset="utf-8">',
             f"<title>{esc(story.title)}</title><style>{_HTML_STYLE}</style></head><body>",
             f"<h1>{esc(story.title)}</h1><p class=\"subtitle\">{esc(story.subtitle)}</p>"]
    for item in story.slides:
        png = pictures.get(item.key) or chart_png(item.chart, width=item.width, title=False)
        data = base64.b64encode(png).decode("ascii")
        width, height = (v // 2 for v in png_size(png))  # rendered at twice the size: sharp, at its own type size
        parts.append(f'<section id="{esc(item.key)}"><h2>{esc(item.title)}</h2>'
                     f'<img alt="{esc(item.title)}" width="{width}" height="{height}" '
                     f'src="data:image/png;base64,{data}">'
                     f'<p class="reading">{esc(item.reading)}</p></section>')
    if story.actions:
        parts.append(f"<section><h2>{esc(t('actions_title', story.lang))}</h2>")
        for block in story.actions:
            items = "".join(f"<li>{esc(line)}</li>" for line in block.actions)
            parts.append(f"<h3>{esc(block.heading)}</h3><ul>{items}</ul>")
        parts.append("</section>")
    if story.dimensions_table is not None and not story.dimensions_table.empty:
        table = story.dimensions_table.map(visible).to_html(index=False, border=0, escape=True)
        parts.append(f"<section><h2>{esc(t('table_dimensions', story.lang))}</h2>{table}</section>")
    if story.outcomes_table is not None and not story.outcomes_table.empty:
        table = story.outcomes_table.map(visible).to_html(index=False, border=0, escape=True)
        parts.append(f"<section><h2>{esc(t('outcomes_title', story.lang))}</h2>{table}</section>")
    lines = "".join(f"<li>{esc(line)}</li>" for line in story.method)
    parts.append(f"<section><h2>{esc(t('method_title', story.lang))}</h2><ul>{lines}</ul></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render_pictures(story: Story) -> dict[str, bytes]:
    """PNG of every slide, rendered once for the deck and the HTML report."""
    return {item.key: chart_png(item.chart, width=item.width, title=False) for item in story.slides}


# ---------------------------------------------------------------------------------------------------
# a whole story in one format

EXPORT_FORMATS = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "html": "text/html"}


def story_workbook(story: Story) -> bytes:
    """Every result table of the story on its own named sheet, after an about sheet (selection, method)."""
    lang = story.lang
    titles = {name: t(f"sheet_{name}", lang) for name in [*story.tables, "about"]}
    about = [(t("about_title", lang), story.title),
             (t("about_selection", lang), story.subtitle.replace("\n", " · ")),
             *((t("about_method", lang), line) for line in story.method)]
    return write_xlsx(story.tables, titles=titles, about=about)


def export_story(story: Story, fmt: str) -> bytes:
    """The story as a ``pptx``, ``xlsx`` or ``html`` file."""
    if fmt == "xlsx":
        return story_workbook(story)
    pictures = render_pictures(story)
    if fmt == "pptx":
        return write_pptx(story, pictures=pictures)
    if fmt == "html":
        return write_html(story, pictures=pictures).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}")
