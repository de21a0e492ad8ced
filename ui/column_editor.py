"""The mapping grid and its editor: every column of the upload in a table whose rows are ticked with one
click each (Shift-click for a range), and above it one panel that sets the ticked columns' role, item
numbers, dimension and reverse flag at once. Streamlit's editable grid opens a cell only on a second
click; a tick is one, and the panel's choices open on one more.

In detail: the grid is read-only because Streamlit's editable grid opens a cell only on a second click; the
panel above it sets the ticked columns' role, numbering, dimension and reverse flag at once
(`mapping_edit.set_rows`); a refusal (a number taken twice) is said under its button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from gapcore.errors import GapcoreError
from gapcore.i18n import t
from gapcore.io.headers import ROLES
from gapcore.io.mapping import ColumnMapping
from gapcore.io.mapping_edit import GRID_COLUMNS, common_setting, from_grid, grid, set_rows
from gapcore.messages import render
from ui import view

DEFAULT_ROLE = "P"  # what a block of ticked questions most often is


@dataclass(frozen=True)
class EditorKeys:
    """The widget keys of one version of the working mapping (a new version starts a fresh grid)."""

    grid: str
    columns: str
    role: str
    start: str
    dimension: str
    reverse: str
    apply: str

    @classmethod
    def of(cls, version: int) -> EditorKeys:
        fields = ("columns", "role", "start", "dimension", "reverse", "apply")
        return cls(f"w_mapping_{version}", *(f"w_bulk_{field}_{version}" for field in fields))


def _ticked(keys: EditorKeys, rows: pd.DataFrame) -> None:
    """The rows just ticked become the panel's columns, and the panel starts from what they share."""
    picked = st.session_state[keys.grid]["selection"]["rows"]
    columns = [str(rows.iloc[k]["column"]) for k in sorted(picked)]
    shared = common_setting(rows, columns)
    st.session_state[keys.columns] = columns
    st.session_state[keys.role] = shared["role"] or DEFAULT_ROLE
    st.session_state[keys.start] = shared["start"]  # None: the rows keep the numbers they have
    st.session_state[keys.dimension] = shared["dimension"] or ""
    st.session_state[keys.reverse] = bool(shared["reverse"])


def mapping_grid(lang: str, working: ColumnMapping, profile: pd.DataFrame, version: int,
                 label: Callable[[str | None], str]) -> ColumnMapping | None:
    """Draw the panel and the grid; the mapping the panel set, when its button was pressed and the result
    reads (a refusal, such as an item number taken twice, is said under the button)."""
    keys = EditorKeys.of(version)
    rows = grid(working, profile)
    changed = None
    with st.container(border=True, key="w_bulk_panel"):
        st.markdown(f"**{t('bulk_title', lang)}**")
        st.caption(t("bulk_help", lang))
        columns = st.multiselect(t("bulk_columns", lang), profile["column"].tolist(), format_func=label,
                                 key=keys.columns, **view.own_words({}, many=True))
        role_box, start_box, dimension_box, reverse_box = st.columns([3, 2, 3, 2], vertical_alignment="bottom")
        role = role_box.selectbox(t("bulk_role", lang), list(ROLES), index=list(ROLES).index(DEFAULT_ROLE),
                                  key=keys.role, **view.own_words({}), format_func=lambda r: t(f"role_{r}", lang))
        start = start_box.number_input(t("bulk_start", lang), min_value=1, max_value=999, value=1, key=keys.start,
                                       placeholder=t("bulk_start_keep", lang))
        dimension = dimension_box.text_input(t("bulk_dimension", lang), key=keys.dimension)
        reverse = reverse_box.checkbox(t("bulk_reverse", lang), key=keys.reverse, help=t("bulk_reverse_help", lang))
        if st.button(t("bulk_apply", lang), key=keys.apply, disabled=not columns):
            try:
                edited = set_rows(rows, columns, role, start=None if start is None else int(start),
                                  dimension=dimension.strip() or None, reverse=reverse)
                changed = from_grid(edited, working)
            except GapcoreError as refused:
                what, todo = render(refused.problem, lang)
                st.error(f"{what} {todo}")
    st.caption(t("mapping_help", lang))
    shown = rows.assign(kind=rows["kind"].map(lambda kind: t(f"kind_{kind}", lang)),
                        table=rows["table"].map(lambda table: t(f"table_{table}", lang)),  # the reader's words
                        role=rows["role"].map(lambda role: t(f"role_{role}", lang)),
                        dimension=rows["dimension"].fillna(""))
    st.dataframe(  # an empty item number is an empty cell, not "None"
        shown[list(GRID_COLUMNS)], hide_index=True, width="stretch", height=420, key=keys.grid, placeholder="",
        on_select=partial(_ticked, keys, rows), selection_mode="multi-row",
        column_config={  # the column and its question pinned: they stay in view while scrolling to the roles
            "table": st.column_config.TextColumn(t("col_table", lang), width="small"),
            "column": st.column_config.TextColumn(t("col_column", lang), pinned=True, width="small"),
            "text": st.column_config.TextColumn(t("map_col_text", lang), pinned=True, width="medium"),
            "samples": st.column_config.TextColumn(t("map_col_samples", lang)),
            "kind": st.column_config.TextColumn(t("map_col_kind", lang), width="small"),
            "range": st.column_config.TextColumn(t("map_col_range", lang), width="small"),
            "role": st.column_config.TextColumn(t("col_role", lang)),
            "item": st.column_config.NumberColumn(t("col_item", lang), format="%d"),
            "dimension": st.column_config.TextColumn(t("col_dimension", lang)),
            "reverse": st.column_config.CheckboxColumn(t("col_reverse", lang), width="small"),
        })
    return changed
