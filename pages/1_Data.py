"""Data: upload survey files, see what was detected, correct the mapping, read the checks."""

from __future__ import annotations

import streamlit as st

from gapcore.i18n import t
from gapcore.io.questionnaire import own_instrument_mapping
from gapcore.io.readers import FILE_TYPES
from gapcore.messages import grouped
from gapcore.present.exports import EXPORT_FORMATS, download_stem, write_csv
from gapcore.present.tables import counts_table, detected_facts, problems_table, sources_table
from gapcore.problems import ValidationReport
from ui import state
from ui.answer_labels import label_editor, label_table, ladder_panel
from ui.connected_panel import connected_note, connected_panel
from ui.keys import LAST_REPORT, LAST_UPLOAD, READ_OPTIONS
from ui.mapping_panel import mapping_editor, mapping_workflow
from ui.page import run
from ui.plain import as_text
from ui.reading import files_changed, load, read_options, sheet_picker
from ui.segment_editor import segment_editor
from ui.uploader import speak_uploaders


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
    mapping = pending.result.mapping
    labels = mapping.label_table() if mapping is not None else None  # as read: built in, or edited here
    if not pending.result.ladder and "items_proposed" in pending.result.report.message_keys() and \
            st.button(t("confirm_proposal", lang), type="primary", key="w_confirm"):
        load(pending.files, lang, accept_proposal=True, labels=labels, **options)
    if labels is not None:
        label_table(lang, labels, pending.files)
    mapping_workflow(lang, pending.files, pending.key, pending.result, options)


def data_page(lang: str) -> None:
    st.title(t("data_title", lang))
    st.write(t("data_intro", lang))
    speak_uploaders(("w_upload", "w_mapping_up"), lang)
    uploads = st.file_uploader(t("upload", lang), accept_multiple_files=True, key="w_upload", type=list(FILE_TYPES),
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
    connected_panel(lang)
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
    loaded_panel(lang, last, options)


def loaded_panel(lang: str, last, options: dict) -> None:
    """The study in use: what was read and detected, its checks, its editors, its rows."""
    upload = state.active()
    study = state.current_study()
    report = upload.result.report if upload else state.demo_result().report
    if last is not None and last[0]:
        st.success(t("load_ok", lang, n=study.n))
    connected = upload is not None and upload.connected is not None
    if upload is not None and not connected:
        servqual_assumed(upload, study, report, lang, options)
    st.header(t("detected", lang))
    st.subheader(t("sources", lang))
    st.dataframe(sources_table(study, lang), hide_index=True, width="stretch")
    st.markdown("\n".join(f"- {as_text(fact)}" for fact in detected_facts(study, lang)))
    st.subheader(t("validation", lang))
    if len(report):
        st.dataframe(problems_table(report, lang), hide_index=True, width="stretch")
    else:
        st.success(t("validation_clean", lang))

    if connected:  # its rows stay where they live: no editors that re-read files, no preview of rows
        connected_note(lang)
        return
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


run(data_page, title="ServiceGap · Data", maps_uploads=True)
