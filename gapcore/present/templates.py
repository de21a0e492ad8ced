"""Blank workbooks shaped for a study, for what its gap model still lacks: a provider table (management,
standards, delivery staff, communications) with the study's item numbers and a column to link rows to a
segment, and, for a perception-only study, a customer survey with an expectation beside each perception.
Instruction sheets are ones the loader ignores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from gapcore.i18n import dimension_label, t
from gapcore.io.headers import PROVIDER_LEVEL
from gapcore.io.study import Study
from gapcore.plaintext import visible
from gapcore.present.exports import write_xlsx
from gapcore.present.story import default_segment

#: The column naming who (or what) answered each row of a provider table, as in ``data/template.xlsx``.
RESPONDENT_COLUMN = {"management": "manager", "delivery": "audit", "communications": "material"}


def _template(study: Study, lang: str, table: str, columns: Sequence[str], lines: Sequence[str],
              code: Callable[[int], str]) -> bytes:
    """A template workbook: the empty ``table`` sheet to fill in, then the instruction and item sheets the
    loader ignores (their names say so), each item coded by ``code`` (its number → what the columns call it)
    with its dimension and wording in ``lang``. Column names are written as they are (text, never a formula),
    so that the filled-in sheet links to the study by them."""
    instrument = study.instrument
    items = pd.DataFrame({
        t("template_col_item", lang): [code(item.number) for item in instrument.items],
        t("template_col_dimension", lang): [dimension_label(item.dimension, lang) for item in instrument.items],
        t("template_col_text", lang): [item.text(lang) for item in instrument.items]})
    notes = t("template_sheet_notes", lang)
    return write_xlsx({table: pd.DataFrame(columns=list(columns)),
                       notes: pd.DataFrame({notes: list(lines)}), t("template_sheet_items", lang): items})


def provider_template(study: Study, table: str, lang: str) -> bytes:
    """An empty provider table shaped for this study: a ``table`` sheet with the study's own item numbers
    (``M1`` … for management) and its first segment column to link rows to customers, and two
    instruction sheets (ignored when read back: their names say so) with who fills it in and the items'
    wording in ``lang``."""
    level = PROVIDER_LEVEL[table]
    link = default_segment(study)
    columns = [*([link] if link else []), *([RESPONDENT_COLUMN[table]] if table in RESPONDENT_COLUMN else []),
               *(f"{level}{number}" for number in study.instrument.numbers)]
    lines = [t(f"provider_who_{table}", lang),
             t("template_line_fill", lang, table=table, low=study.scale.low, high=study.scale.high),
             t("template_line_items", lang, level=level),
             *([t("template_line_link", lang, column=visible(link))] if link else []),
             t("template_line_upload", lang)]
    return _template(study, lang, table, columns, lines, lambda number: f"{level}{number}")


def expectation_template(study: Study, lang: str) -> bytes:
    """A customer survey shaped for this perception-only study with expectations added: a ``customers`` sheet
    with its segment columns, then ``E<k>`` and ``P<k>`` for each of its own items and its outcomes (the
    gap model needs E beside P, GAP_MODEL.md)."""
    numbers = study.instrument.numbers
    columns = [*study.segments, *(f"E{k}" for k in numbers), *(f"P{k}" for k in numbers), *study.outcomes]
    lines = [t("template_line_customers", lang, low=study.scale.low, high=study.scale.high),
             t("template_line_upload", lang)]
    return _template(study, lang, "customers", columns, lines, lambda number: f"E{number} / P{number}")
