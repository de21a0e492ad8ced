"""Data: upload survey files, see what was detected, correct the mapping, read the checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from gapcore.i18n import LANGUAGES, dimension_label, t
from gapcore.io.columns import OUTCOMES, ColumnMapping, na_setting
from gapcore.io.load import SourceFile, own_instrument_mapping
from gapcore.io.mapping_edit import (
    dimensions_of,
    from_grid,
    grid,
    merges_from_table,
    outcome_candidates,
    rename_dimension,
    segment_candidates,
    segment_value_table,
    set_outcome,
    value_names_from_table,
    with_segment_columns,
    with_segment_setup,
)
from gapcore.io.readers import FILE_TYPES, OFFERED_ENCODINGS
from gapcore.io.scale import SUPPORTED_SCALES, ladder_labels
from gapcore.io.segment_setup import SegmentSetup
from gapcore.io.study import LoadResult
from gapcore.messages import grouped
from gapcore.plaintext import visible
from gapcore.present.exports import EXPORT_FORMATS, download_stem, write_csv
from gapcore.present.tables import counts_table, ladder_table, problems_table, sources_table
from gapcore.problems import ValidationReport
from ui import state, view
from ui.column_editor import mapping_grid
from ui.keys import LADDER_TURNED, LAST_REPORT, LAST_UPLOAD, MAPPING_FILE_USED, READ_OPTIONS
from ui.keys import WORKING_MAPPING as WORKING
from ui.page import run
from ui.plain import as_text
from ui.uploader import speak_uploaders

if TYPE_CHECKING:  # the tables' type, named in signatures; the page builds none
    from pandas import DataFrame

ENCODINGS = ("auto", *OFFERED_ENCODINGS)
DELIMITERS = {"auto": None, "comma": ",", "semicolon": ";", "tab": "\t", "bar": "|"}


def read_options(lang: str) -> dict[str, object]:
    with st.expander(t("read_options", lang), key="w_read_panel"):
        left, mid, right, far = st.columns(4)
        encoding = left.selectbox(t("encoding", lang), ENCODINGS, key="w_encoding", **view.own_words({}),
                                  format_func=lambda e: t("auto", lang) if e == "auto" else e)
        delimiter = mid.selectbox(t("delimiter", lang), list(DELIMITERS), key="w_delimiter", **view.own_words({}),
                                  format_func=lambda d: t("auto", lang) if d == "auto" else t(f"delimiter_{d}", lang))
        header = right.number_input(t("header_row", lang), min_value=0, max_value=1000, value=0, key="w_header")
        scales = ["auto", *(f"{s.low}-{s.high}" for s in SUPPORTED_SCALES)]
        scale = far.selectbox(t("scale", lang), scales, key="w_scale", **view.own_words({}),
                              format_func=lambda s: t("auto", lang) if s == "auto" else s.replace("-", "–"))
        na_text = st.text_input(t("na_codes", lang), key="w_na", help=t("na_codes_help", lang))
    chosen = next((s for s in SUPPORTED_SCALES if f"{s.low}-{s.high}" == scale), None)
    na = na_setting(na_text)
    return {"encoding": None if encoding == "auto" else encoding, "delimiter": DELIMITERS[delimiter],
            "header_row": int(header) or None, "scale": chosen, "na": na}


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


def pending_labels(pending) -> DataFrame | None:
    """The answer-label table a waiting upload was read with (the built-in one, or the one edited here)."""
    mapping = pending.result.mapping
    return mapping.label_table() if mapping is not None else None


def sheet_picker(lang: str) -> str | None:
    """For a workbook of several sheets: which one holds the respondents ("as detected": a sheet named
    customers, else the one with the most answer-like rows, which the checks name)."""
    current = state.pending() or state.active()
    sheets = current.result.sheets if current is not None else ()
    if len(sheets) < 2:
        return None
    return st.selectbox(t("sheet_pick", lang), [None, *sheets], key="w_sheet",
                        format_func=lambda sheet: t("sheet_auto", lang) if sheet is None else visible(sheet))


def ladder_panel(pending, lang: str, options: dict) -> None:
    """Answer words of no known ladder: the order guessed from the respondents, to turn round or renumber,
    then read with (the proposed items confirmed with it: both are on the screen)."""
    st.subheader(t("ladder_title", lang))
    st.caption(t("ladder_help", lang))
    turned = st.session_state.get(LADDER_TURNED) == (pending.key, True)
    words = list(reversed(pending.result.ladder)) if turned else list(pending.result.ladder)
    table = ladder_table(words, lang)
    edited = st.data_editor(table, hide_index=True, disabled=[t("col_label", lang)],
                            key=f"w_ladder_{pending.key}_{turned}")
    left, right = st.columns([1, 2])
    if left.button(t("ladder_turn", lang), key="w_ladder_turn"):
        st.session_state[LADDER_TURNED] = (pending.key, not turned)
        st.rerun()
    if right.button(t("ladder_use", lang), type="primary", key="w_ladder_use"):
        labels = ladder_labels(words, words, edited[t("col_value", lang)].tolist())
        load(pending.files, lang, explain=True, labels=labels, accept_proposal=True, **options)


def servqual_assumed(upload, study, report: ValidationReport, lang: str, options: dict) -> None:
    """Above the fold: items read as SERVQUAL's by assumption, said, with one click to the study's own."""
    for _severity, places, text in grouped((p for p in report if p.key == "servqual_assumed"), lang):
        st.warning(as_text(f"{places}: {text}" if places else text))
        if st.button(t("use_own_instrument", lang), key="w_own_instrument"):
            load(upload.files, lang, mapping=own_instrument_mapping(study), **options)


def pending_panel(pending, lang: str, options: dict) -> None:
    """An upload waiting for its mapping: what is missing or doubtful, in full, and the mapping grid."""
    st.header(as_text(t("mapping_needed", lang, name=pending.name)))
    st.caption(t("mapping_needed_help", lang))
    for severity, places, text in grouped(pending.result.report, lang):
        if severity != "info":
            st.warning(as_text(f"{places}: {text}" if places else text))
    if pending.result.ladder:
        ladder_panel(pending, lang, options)
    labels = pending_labels(pending)
    if not pending.result.ladder and "items_proposed" in pending.result.report.message_keys() and \
            st.button(t("confirm_proposal", lang), type="primary", key="w_confirm"):
        load(pending.files, lang, accept_proposal=True, labels=labels, **options)  # the label table as edited
    if labels is not None:
        label_table(lang, labels, pending.files)
    mapping_workflow(lang, pending.files, pending.key, pending.result, options)


def files_changed() -> None:
    """The analyst took the files out of the uploader: the mapping they were waiting for goes with them
    (the study loaded before stays). A return to this page leaves the uploader empty too, but calls no one."""
    if not st.session_state.get("w_upload"):
        state.drop_pending()
        st.session_state.pop(LAST_REPORT, None)
        st.session_state.pop(LAST_UPLOAD, None)


def data_page(lang: str) -> None:
    st.title(t("data_title", lang))
    st.write(t("data_intro", lang))
    speak_uploaders(("w_upload", "w_mapping_up"), lang)
    uploads = st.file_uploader(t("upload", lang), accept_multiple_files=True, key="w_upload",
                               type=list(FILE_TYPES),
                               on_change=files_changed)
    files, content = state.uploaded_files(uploads or [])  # content-keyed: a corrected file is read again
    last_read = st.session_state.get(LAST_UPLOAD)
    new_files = last_read is None or last_read[0] != content
    if new_files:  # a sheet picked in another upload means nothing here
        st.session_state.pop("w_sheet", None)
    options = {**read_options(lang), "sheet": None if new_files else sheet_picker(lang)}
    st.session_state[READ_OPTIONS] = options
    signature = (content, options["sheet"])  # another sheet picked: read again
    buttons = st.columns([1, 1, 3])
    if files and (signature != st.session_state.get(LAST_UPLOAD) or buttons[0].button(t("load_files", lang))):
        st.session_state[LAST_UPLOAD] = signature
        load(files, lang, **options)
    if state.active() is not None and buttons[1].button(t("use_demo", lang)):
        state.use_demo()
        st.session_state.pop(LAST_REPORT, None)
        st.rerun()
    if state.offered_previous_mapping() and state.active() is not None:
        st.info(t("mapping_offered", lang))
        if st.button(t("read_as_detected", lang), key="w_as_detected"):
            load(state.active().files, lang, offer_previous=False, **options)

    last = st.session_state.get(LAST_REPORT)
    pending = state.pending()
    if last is not None and not last[0] and (pending is None or pending.result.report is not last[1]):
        st.error(t("load_failed", lang))
        st.dataframe(problems_table(last[1], lang), hide_index=True, width="stretch")
    if pending is not None:
        pending_panel(pending, lang, options)
        return

    upload = state.active()
    study = state.current_study()
    report = upload.result.report if upload else state.demo_result().report
    if last is not None and last[0]:
        st.success(t("load_ok", lang, n=study.n))
    if upload is not None:
        servqual_assumed(upload, study, report, lang, options)

    st.header(t("detected", lang))
    st.subheader(t("sources", lang))
    st.dataframe(sources_table(study, lang), hide_index=True, width="stretch")
    roles = {s.role for s in study.mapping.for_table("customers")}
    facts = [t("scale_found", lang, low=study.scale.low, high=study.scale.high),
             t("outcomes_found", lang, names=", ".join(t(f"role_{o}", lang) for o in study.outcomes)
               or t("none", lang)),
             t("segments_found", lang, names=", ".join(study.segments) or t("none", lang)),
             t("weight_found", lang, state=t("yes" if "weight" in roles else "no", lang))]
    st.markdown("\n".join(f"- {as_text(fact)}" for fact in facts))

    st.subheader(t("validation", lang))
    if len(report):
        st.dataframe(problems_table(report, lang), hide_index=True, width="stretch")
    else:
        st.success(t("validation_clean", lang))

    mapping_editor(lang, upload, study)
    label_editor(lang, upload, study)
    segment_editor(lang, upload, study)

    st.subheader(t("counts", lang))
    st.dataframe(counts_table(study, lang), hide_index=True)
    st.subheader(t("preview", lang))
    st.dataframe(study.customers.head(50), width="stretch")
    left, right = st.columns(2)
    left.download_button(t("template", lang), state.TEMPLATE_PATH.read_bytes(),
                         file_name=download_stem("template") + ".xlsx", mime=EXPORT_FORMATS["xlsx"], key="w_template")
    if upload is not None:
        right.download_button(t("download_rows", lang), data=lambda: write_csv(study.customers),  # formula-safe
                              file_name=download_stem("customers_clean") + ".csv", mime="text/csv", key="w_rows",
                              on_click="ignore")


def mapping_editor(lang: str, upload: state.ActiveStudy | None, study) -> None:
    if upload is None:
        st.subheader(t("mapping", lang))
        st.caption(t("mapping_demo_note", lang))
        frame = study.mapping.to_frame()[["table", "column", "role", "item", "dimension"]]
        st.dataframe(frame, hide_index=True, width="stretch", height=260)
        return
    mapping_workflow(lang, upload.files, upload.key, upload.result, read_options_state())


def read_options_state() -> dict[str, object]:
    """The reading options as last set on this page (the widgets keep them across reruns)."""
    return st.session_state.get(READ_OPTIONS, {})


def _working(key: str, result: LoadResult) -> tuple[ColumnMapping, int]:
    saved = st.session_state.get(WORKING)
    if saved is None or saved[0] != key:
        saved = (key, result.mapping, 0)
        st.session_state[WORKING] = saved
    return saved[1], saved[2]


def _keep(key: str, mapping: ColumnMapping) -> None:
    version = st.session_state[WORKING][2] + 1 if WORKING in st.session_state else 0
    st.session_state[WORKING] = (key, mapping, version)
    st.rerun()


def mapping_workflow(lang: str, files: tuple[SourceFile, ...], key: str, result: LoadResult,
                     options: dict[str, object]) -> None:
    """Every column of the upload, with what it holds, and its role, item number and dimension to set:
    outcomes picked from a searchable list, blocks numbered in one step, the whole mapping downloadable."""
    st.subheader(t("mapping", lang))
    if result.columns is None or result.mapping is None:
        return
    working, version = _working(key, result)
    profile = result.columns
    texts = {row.column: row.text for row in profile.itertuples()}

    def label(column: str | None) -> str:
        if column is None:
            return t("outcome_none", lang)
        text = texts.get(column) or ""
        return f"{column} — {text}" if text and text != column else str(column)

    candidates = outcome_candidates(profile)
    picks = st.columns(len(OUTCOMES))
    for box, role in zip(picks, OUTCOMES, strict=True):
        current = next((s.column for s in working.specs if s.role == role), None)
        options_list = [None, *candidates, *([current] if current is not None and current not in candidates else [])]
        chosen = box.selectbox(t("outcome_pick", lang, role=t(f"role_{role}", lang)), options_list,
                               index=options_list.index(current) if current in options_list else 0,
                               format_func=label, key=f"w_outcome_{role}_{version}", **view.own_words({}))
        if chosen != current:
            _keep(key, set_outcome(working, role, chosen))

    dimensions = dimensions_of(working)
    if dimensions:
        left, right, go = st.columns([2, 2, 1], vertical_alignment="bottom")
        old = left.selectbox(t("dimension_rename", lang), dimensions, key=f"w_dim_old_{version}", **view.own_words({}),
                             format_func=lambda d: dimension_label(d, lang))
        new = right.text_input(t("dimension_new_name", lang), key=f"w_dim_new_{version}")
        if go.button(t("dimension_rename_apply", lang), key=f"w_dim_apply_{version}", disabled=not new.strip()):
            _keep(key, rename_dimension(working, old, new))

    changed = mapping_grid(lang, working, profile, version, label)
    if changed is not None:
        _keep(key, changed)
    left, mid, right = st.columns(3)
    if left.button(t("apply_mapping", lang), key="w_apply", type="primary"):  # rows are fixed: tables by position
        load(files, lang, explain=True, mapping=from_grid(grid(working, profile), working),
             **options)
    mid.download_button(t("download_mapping", lang), working.dumps("json").encode("utf-8"),
                        file_name=download_stem("mapping") + ".json", mime="application/json", key="w_mapping_dl")
    mapping_file = right.file_uploader(t("upload_mapping", lang), type=["json", "yaml", "yml"], key="w_mapping_up")
    if mapping_file is not None and st.session_state.get(MAPPING_FILE_USED) != mapping_file.file_id:
        st.session_state[MAPPING_FILE_USED] = mapping_file.file_id
        mapping = ColumnMapping.loads(mapping_file.getvalue(), file=mapping_file.name)
        load(files, lang, explain=True, mapping=mapping, **options)


def label_editor(lang: str, upload: state.ActiveStudy | None, study) -> None:
    """The answer-label table (text answer → number); editing it reads the files again."""
    if upload is None or study.answer_labels is None:
        return
    label_table(lang, study.answer_labels, upload.files, mapping=study.mapping)


def label_table(lang: str, labels: DataFrame, files: tuple[SourceFile, ...], **reading: object) -> None:
    """The answer-label table to edit, for a study loaded or an upload still waiting for its mapping (a
    word the built-in table lacks is added here before anything is computed); applying reads the files
    again with it."""
    with st.expander(t("answer_labels", lang)):
        st.caption(t("answer_labels_help", lang))
        edited = st.data_editor(labels, num_rows="dynamic", hide_index=True, key="w_labels",
                                width="stretch", placeholder="", column_config={
                                    "label": st.column_config.TextColumn(t("col_label", lang), required=True),
                                    "value": st.column_config.NumberColumn(t("col_value", lang), required=True)})
        if st.button(t("apply_labels", lang), key="w_apply_labels"):
            table = edited.dropna().reset_index(drop=True)
            load(files, lang, explain=True, labels=table, **{**read_options_state(), **reading})


def segment_editor(lang: str, upload: state.ActiveStudy | None, study) -> None:
    """Which columns are segments, their names in each language and values merged into groups; applying
    reads the files again with the mapping (which keeps all of it)."""
    if upload is None or upload.result.columns is None:
        return
    st.subheader(t("segments_title", lang))
    st.caption(t("segments_help", lang))
    mapping = study.mapping
    candidates = segment_candidates(upload.result.columns)
    current = [s.column for s in mapping.for_table("customers") if s.role == "segment"]
    chosen = st.multiselect(t("segment_columns", lang), candidates, default=[c for c in current if c in candidates],
                            key="w_seg_columns", **view.own_words({}, many=True))
    if st.button(t("apply_segments", lang), key="w_seg_apply", disabled=sorted(chosen) == sorted(current)):
        load(upload.files, lang, mapping=with_segment_columns(mapping, chosen), **read_options_state())
    if not study.segments:
        return
    column = st.selectbox(t("segment_setup", lang), list(study.segments), key="w_seg_setup",
                          format_func=lambda c: study.segment_label(c, lang), **view.own_words({}))
    setup = mapping.segments.get(column, SegmentSetup())
    boxes = st.columns(len(LANGUAGES))
    names = {code: boxes[i].text_input(t("segment_name_in", lang, language=LANGUAGES[code]),
                                       value=setup.names.get(code, ""), placeholder=column,
                                       key=f"w_seg_name_{code}_{column}")
             for i, code in enumerate(LANGUAGES)}
    edited = st.data_editor(segment_value_table(study, column), hide_index=True, key=f"w_seg_values_{column}",
                            disabled=["value", "n"], placeholder="", column_config={
                                "value": st.column_config.TextColumn(t("col_value_raw", lang)),
                                "group": st.column_config.TextColumn(t("col_group", lang)),
                                "n": st.column_config.NumberColumn(t("col_group_n", lang)),
                                **{f"name_{code}": st.column_config.TextColumn(
                                    t("segment_name_in", lang, language=LANGUAGES[code])) for code in LANGUAGES}})
    st.caption(t("segment_merge_help", lang))
    if st.button(t("apply_segment_setup", lang), key="w_seg_setup_apply"):
        new = SegmentSetup({code: name.strip() for code, name in names.items() if name.strip()},
                           merges_from_table(edited), value_names_from_table(edited))
        load(upload.files, lang, mapping=with_segment_setup(mapping, column, new), **read_options_state())


run(data_page, title="ServiceGap · Data", maps_uploads=True)
