"""The study's own instrument: the questionnaire or items sheet a workbook carries (its questions
given to the columns they name, its items' wording), the file's question texts, and the SERVQUAL
assumption said when nothing tells which items are which.

In detail: an items sheet that does not fit is a warning naming its sheet, never fatal, and lends its questions to
the columns it names (`sheet_questions`: the grid and the proposal show them) and its wording by item number
(`sheet_wording`). SERVQUAL's 22 items are used only for codes that fit them: items numbered past 22 make the
study's own instrument (`OWN_INSTRUMENT`), and SERVQUAL assumed for codes within 22 is said (`servqual_assumed`),
with `own_instrument_mapping` the one click to the study's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from gapcore.errors import GapcoreError
from gapcore.instrument import SERVQUAL_22, Instrument, Item, instrument_from_table, item_number, items_columns
from gapcore.io.checks import items_asked, number_ranges
from gapcore.io.headers import CUSTOMER_LEVELS, LEVEL_ALIASES
from gapcore.io.mapping import ColumnMapping, ColumnSpec
from gapcore.io.proposals import PROPOSED_DIMENSION, item_wording
from gapcore.io.readers.raw import RawTable
from gapcore.io.study import Study
from gapcore.problems import Problem


def instrument_of(by_table: Mapping[str, list[RawTable]], given: Instrument | None,
                  problems: list[Problem]) -> Instrument:
    """The instrument given, else the study's items table, else SERVQUAL's 22 items. An items sheet that
    does not fit (a questionnaire named "Questions", a legend without dimensions) is said, naming its sheet,
    and lends its wording where it has one per item number; it never stops the study."""
    if given is None and "items" in by_table:
        items_raw = by_table["items"][0]
        try:
            given = instrument_from_table(items_raw.frame, file=items_raw.file, sheet=items_raw.sheet)
            problems.append(Problem("info", "custom_instrument", **items_raw.place,
                                    values={"items": len(given.items), "dimensions": len(given.dimensions)}))
        except GapcoreError as exc:
            problems.append(replace(exc.problem, severity="warning"))
            problems.append(Problem("info", "items_sheet_unused", **items_raw.place))
    return given or SERVQUAL_22


def sheet_questions(by_table: Mapping[str, list[RawTable]]) -> dict[str, str]:
    """Question code → question, from an items, questionnaire or legend sheet that could not be an
    instrument but lists its questions ("No.", "Question"; "번호", "문항"; "Code", "Description")."""
    if "items" not in by_table:
        return {}
    frame = by_table["items"][0].frame
    columns = items_columns(frame.columns)
    if "code" not in columns or "text" not in columns:
        return {}
    questions: dict[str, str] = {}
    for code, text in zip(frame[columns["code"]], frame[columns["text"]], strict=True):
        if not pd.isna(code) and not pd.isna(text) and str(text).strip():
            questions.setdefault(str(code).strip(), str(text).strip())
    return questions


def sheet_wording(questions: Mapping[str, str]) -> dict[int, str]:
    """Item number → wording from the sheet's questions (``sheet_questions``): the wording the items carry."""
    wording: dict[int, str] = {}
    for code, text in questions.items():
        number = item_number(code)
        if number is not None:
            wording.setdefault(number, text)
    return wording


def instrument_sheet_read(problems: Sequence[Problem]) -> bool:
    """An items sheet was read as the study's instrument (whether or not it restates SERVQUAL's)."""
    return any(p.key == "custom_instrument" for p in problems)


def asked_as_listed(by_table: dict[str, list[RawTable]], questions: Mapping[str, str], *, questionnaire: bool
                    ) -> None:
    """Customer columns named by the code a questionnaire sheet lists (``questions``) take its question as their
    text (a header of its own comes first), so the mapping grid, the proposal and the items show what each
    asks. ``questionnaire``: no instrument was given or read from the sheet (an instrument words its items)."""
    if questionnaire and questions and "customers" in by_table:
        by_table["customers"] = [
            replace(raw, question_texts={**{str(c): questions[str(c).strip()] for c in raw.frame.columns
                                            if str(c).strip() in questions},
                                         **{c: text for c, text in raw.question_texts.items() if text}})
            for raw in by_table["customers"]]


def with_wording(instrument: Instrument, wording: Mapping[int, str]) -> Instrument:
    """Items without wording of their own (from the file's questions) worded as the study's sheet words them."""
    if not wording:
        return instrument
    def unworded(item: Item) -> bool:  # no wording, a bare code ("Q4"), or SERVQUAL's bank wording
        bank = SERVQUAL_22.item(item.number).text_en if SERVQUAL_22.has(item.number) else None
        return not item.text_en or _BARE_WORDING.match(item.text_en) is not None or item.text_en == bank

    items = tuple(replace(it, text_en=wording[it.number], text_ko=wording[it.number], text_zh=wording[it.number])
                  if it.number in wording and unworded(it) else it for it in instrument.items)
    return Instrument(items, name=instrument.name)


_BARE_WORDING = re.compile(r"^\s*[^\W\d_]{0,3}\s*[-_.]?\s*\d{1,3}\s*$")


#: The name of the instrument a study gets when its numbered items do not fit SERVQUAL's 22.
OWN_INSTRUMENT = "own"


def say_servqual_assumed(instrument: Instrument, customers: pd.DataFrame, raw: RawTable,
                         problems: list[Problem]) -> None:
    """Items numbered within SERVQUAL's 22 with no instrument of the study's own are read as SERVQUAL's
    statements and dimensions: an assumption, said where the analyst reads first, with the way out."""
    if instrument.name != SERVQUAL_22.name or instrument_sheet_read(problems):
        return  # an items sheet that restates SERVQUAL's is the study's word, not our assumption
    asked = sorted(items_asked(customers, "E") | items_asked(customers, "P"))
    dimensions = {instrument.dimension_of(k) for k in asked}
    problems.append(Problem("warning", "servqual_assumed", **raw.place, values={
        "items": number_ranges(asked), "dimensions": len(dimensions)}))


def own_instrument_mapping(study: Study) -> ColumnMapping:
    """The study's mapping with its own instrument in place of SERVQUAL's: the items it asked, numbered as
    the file numbers them, in one dimension (``PROPOSED_DIMENSION``) until the analyst names the real ones,
    each worded as the file words it. What the Data page's "use the study's own instrument" reads with."""
    mapping = study.mapping
    texts = {column: text for (table, column), text in mapping.texts.items() if table == "customers"}
    specs = tuple(replace(s, dimension=PROPOSED_DIMENSION) if s.role in CUSTOMER_LEVELS and s.item is not None else s
                  for s in mapping.specs)
    items = tuple(Item(n, PROPOSED_DIMENSION, *(item_wording(n, specs, texts),) * 3) for n in study.instrument.numbers)
    return replace(mapping, specs=specs, instrument=Instrument(items, name=OWN_INSTRUMENT))


def with_dimension(spec: ColumnSpec, instrument: Instrument) -> ColumnSpec:
    """An item column's spec names its dimension, so the mapping file says the whole instrument."""
    if spec.role in LEVEL_ALIASES and spec.item is not None and instrument.has(spec.item):
        return replace(spec, dimension=instrument.dimension_of(spec.item))
    return spec


def with_file_texts(instrument: Instrument, specs: Sequence[ColumnSpec], texts: Mapping[str, str]) -> Instrument:
    """The default instrument with each item worded as the file words it, when the file has its own
    questions for most items: the SERVQUAL bank wording is for a study that asks the bank's items."""
    present = {s.item for s in specs if s.role in CUSTOMER_LEVELS and s.item is not None}
    own = {k: item_wording(k, specs, texts) if k in present else "" for k in instrument.numbers}
    if sum(bool(v) for v in own.values()) < max(1, len(present) // 2):
        return instrument
    return Instrument(tuple(replace(it, text_en=own[it.number] or it.text_en, text_ko=own[it.number] or it.text_ko,
                                    text_zh=own[it.number] or it.text_zh) for it in instrument.items),
                      name=f"{instrument.name}worded")
