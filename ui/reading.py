"""Reading the uploaded files: the Data page's reading options, the read itself with its status line, and
the options as last set (every editor that reads the files again reads them with these)."""

from __future__ import annotations

import streamlit as st

from gapcore.i18n import t
from gapcore.io.load import SourceFile
from gapcore.io.mapping import na_setting
from gapcore.io.readers.delimited import OFFERED_DELIMITERS
from gapcore.io.readers.encoding import OFFERED_ENCODINGS
from gapcore.io.scale import SUPPORTED_SCALES
from gapcore.messages import grouped
from gapcore.plaintext import visible
from ui import state, view
from ui.keys import LAST_REPORT, LAST_UPLOAD, READ_OPTIONS
from ui.plain import as_text

AUTO = "auto"


def read_options(lang: str) -> dict[str, object]:
    """The reading options panel: encoding, delimiter, header row, scale and "not applicable" codes, each
    "auto" (detected) unless the analyst sets it."""
    with st.expander(t("read_options", lang), key="w_read_panel"):
        left, mid, right, far = st.columns(4)
        encoding = left.selectbox(t("encoding", lang), (AUTO, *OFFERED_ENCODINGS), key="w_encoding",
                                  **view.own_words({}), format_func=lambda e: t("auto", lang) if e == AUTO else e)
        delimiter = mid.selectbox(t("delimiter", lang), [AUTO, *OFFERED_DELIMITERS], key="w_delimiter",
                                  **view.own_words({}),
                                  format_func=lambda d: t("auto", lang) if d == AUTO else t(f"delimiter_{d}", lang))
        header = right.number_input(t("header_row", lang), min_value=0, max_value=1000, value=0, key="w_header")
        scales = {f"{s.low}-{s.high}": s for s in SUPPORTED_SCALES}
        scale = far.selectbox(t("scale", lang), [AUTO, *scales], key="w_scale", **view.own_words({}),
                              format_func=lambda s: t("auto", lang) if s == AUTO else s.replace("-", "–"))
        na_text = st.text_input(t("na_codes", lang), key="w_na", help=t("na_codes_help", lang))
    return {"encoding": None if encoding == AUTO else encoding, "delimiter": OFFERED_DELIMITERS.get(delimiter),
            "header_row": int(header) or None, "scale": scales.get(scale), "na": na_setting(na_text)}


def read_options_state() -> dict[str, object]:
    """The reading options as last set on the Data page (the widgets keep them across reruns)."""
    return st.session_state.get(READ_OPTIONS, {})


def load(files: tuple[SourceFile, ...], lang: str, *, explain: bool = False, **options: object) -> None:
    """Read the files with the options of the page (kept across every re-read), then show the result;
    ``explain``: a read the analyst asked for beside a control (apply the mapping, a mapping file) says why it
    stopped right there, with what to do."""
    size = sum(len(f.data) for f in files)
    label = f"{size / 1024**2:.1f} MB" if size >= 1024**2 else f"{size / 1024:.0f} KB"
    with st.status(t("loading", lang, count=len(files), size=label), expanded=False) as status:
        result = state.load_upload(files, **options)
        readable = result.study is not None or result.columns is not None
        status.update(state="complete" if readable else "error",
                      label=t("loaded" if readable else "load_stopped", lang, count=len(files), size=label))
    st.session_state[LAST_REPORT] = (result.study is not None, result.report)
    if result.study is not None:
        st.rerun()  # the sidebar (drawn before this page) must show the new study and its segments
    for _severity, places, text in grouped(result.report.errors if explain else (), lang):
        st.error(as_text(f"{places}: {text}" if places else text))


def sheet_picker(lang: str) -> str | None:
    """For a workbook of several sheets: which one holds the respondents ("as detected": a sheet named
    customers, else the one with the most answer-like rows, which the checks name)."""
    current = state.pending() or state.active()
    sheets = current.result.sheets if current is not None else ()
    if len(sheets) < 2:
        return None
    return st.selectbox(t("sheet_pick", lang), [None, *sheets], key="w_sheet",
                        format_func=lambda sheet: t("sheet_auto", lang) if sheet is None else visible(sheet))


def files_changed() -> None:
    """The analyst took the files out of the uploader: the mapping they were waiting for goes with them
    (the study loaded before stays). A return to this page leaves the uploader empty too, but calls no one."""
    if not st.session_state.get("w_upload"):
        state.drop_pending()
        st.session_state.pop(LAST_REPORT, None)
        st.session_state.pop(LAST_UPLOAD, None)
