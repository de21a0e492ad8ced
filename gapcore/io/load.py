"""Loading a study from the files an analyst uploads, as their tools exported them.

``load_study`` reads every file (CSV/TSV, XLSX, SPSS, Parquet), recognises which table each sheet or
file is, maps its columns (``gapcore.io.columns``), converts answers to numbers on one detected scale
(``gapcore.io.scale``), reverse-codes, and returns a :class:`~gapcore.io.study.LoadResult`: the study and a
report of every problem found. Parsing does not stop at the first problem; a file that cannot be read
at all becomes one error row and the other files still load.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

import numpy as np
import pandas as pd

from gapcore.errors import GapcoreError
from gapcore.instrument import SERVQUAL_22, Instrument, Item, instrument_from_table, item_number, items_columns
from gapcore.io.answers import Answers
from gapcore.io.columns import (
    CUSTOMER_LEVELS,
    LEVEL_ALIASES,
    PROPOSED_DIMENSION,
    PROVIDER_LEVEL,
    ColumnMapping,
    ColumnSpec,
    apply_mapping,
    block_codes,
    detect_columns,
    header_level,
    instrument_from_specs,
    item_wording,
    na_flag_item,
    propose_items,
    proposed_dimensions,
    proposed_segments,
)
from gapcore.io.profile import column_profile, texts_of
from gapcore.io.readers import DEFAULT_LIMITS, Limits, RawTable, read_file
from gapcore.io.scale import (
    BINARY_LABELS,
    LADDER_WORDS,
    MISSING_LABELS,
    Scale,
    detect_scale,
    guess_ladder,
    label_lookup,
    labels_for,
    normalize_label,
)
from gapcore.io.segment_setup import SegmentSetup, merged
from gapcore.io.study import PROVIDER_TABLES, LoadResult, SourceInfo, Study
from gapcore.problems import Problem, ValidationReport
from gapcore.reliability import item_statistics

#: Sheet and file names recognised for each table (matched after lower-casing, spaces removed).
TABLE_ALIASES: Mapping[str, tuple[str, ...]] = {
    "notes": ("instructions", "readme", "notes", "안내", "설명", "说明", "填写说明"),
    "items": ("items", "item", "instrument", "questions", "문항", "항목", "설문문항", "题项", "题目", "量表"),
    "management": ("management", "managers", "manager", "mgmt", "경영진", "관리자", "경영", "管理层", "经理",
                   "管理"),
    "standards": ("standards", "standard", "서비스기준", "기준", "표준", "标准", "服务标准"),
    "delivery": ("delivery", "employees", "employee", "staff", "frontline", "audit", "mystery", "전달",
                 "직원", "현장", "미스터리", "交付", "员工", "一线", "神秘顾客"),
    "communications": ("communications", "communication", "promises", "promise", "advertising", "ads",
                       "커뮤니케이션", "광고", "약속", "홍보", "沟通", "宣传", "承诺", "广告"),
    "customers": ("customers", "customer", "survey", "respondents", "responses", "고객", "설문", "응답",
                  "客户", "顾客", "问卷", "受访者"),
}
_FIRST_ROWS = 5  # rows listed in a grouped cell problem
_ANSWER_FAULTS = ("non_numeric_answer", "out_of_range_answer", "item_all_missing")


@dataclass(frozen=True)
class SourceFile:
    """An uploaded file: its name and its bytes (never written to disk)."""

    name: str
    data: bytes


def _table_from_name(name: str) -> str | None:
    key = re.sub(r"[\s_\-\.]+", "", unicodedata.normalize("NFKC", name).lower())
    for table, aliases in TABLE_ALIASES.items():
        if any(alias in key for alias in aliases):
            return table
    return None


def _items_like(columns: list[object]) -> bool:
    """The template's items sheet (``code`` and ``dimension``), or a legend or codebook like it: a few columns
    naming a code, a dimension and the wording ("Code", "Category", "Description"; "번호", "영역", "문항")."""
    if {"code", "dimension"} <= {str(c).strip().lower() for c in columns}:
        return True
    return len(columns) <= 8 and {"code", "dimension", "text"} <= set(items_columns(columns))


def _table_from_columns(columns: Iterable[object]) -> str | None:
    cols = list(columns)
    if block_codes(cols):  # A1…, B1…, C1…: questions coded by block, no level's table
        return None
    if _items_like(cols):
        return "items"
    counts = {level: sum(1 for c in cols if header_level(c, (level,))) for level in LEVEL_ALIASES}
    if counts["E"] or counts["P"]:
        return "customers"
    for table, level in PROVIDER_LEVEL.items():
        if counts[level]:
            return table
    return None


def identify_table(raw: RawTable, *, only: bool = False) -> str | None:
    """Which table a sheet or file holds.

    A workbook's sheets are named by the analyst, so the sheet name comes first; a file's name is
    often an export name ("survey_questions_2026.csv"), so a file's columns come first. A lone file
    that says nothing about itself is taken as the customer table, so its problems are reported as such.
    """
    if raw.sheet:
        return _table_from_name(raw.sheet) or _table_from_columns(raw.frame.columns) or (
            "customers" if only else None)
    return _table_from_columns(raw.frame.columns) or ("customers" if only else
                                                      _table_from_name(PurePath(raw.file).stem))


def _where(raw: RawTable) -> dict[str, str | None]:
    return {"file": raw.file, "sheet": raw.sheet}


def _text_values(series: pd.Series) -> pd.Series:
    """Non-empty cells that are not numbers, as stripped strings."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.iloc[0:0]
    as_text = series.dropna().astype(str).str.strip()
    as_text = as_text[as_text != ""]
    numeric = pd.to_numeric(as_text, errors="coerce")
    return as_text[numeric.isna()]


def _to_numbers(series: pd.Series, lookup: Mapping[str, float], raw: RawTable, column: str,
                problems: list[Problem], *, kind: str = "answer") -> np.ndarray:
    """Numbers from numeric cells, text labels and missing markers; every unreadable cell reported."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype(float).to_numpy()
    if pd.api.types.is_numeric_dtype(series.dtype):
        dtype = series.dtype if series.dtype in (np.float32, np.float64) else float
        return series.to_numpy(dtype=dtype, na_value=np.nan)
    text = series.astype("string").str.strip()
    values = pd.to_numeric(text, errors="coerce").astype(float)
    pending = values.isna() & text.notna() & (text != "")
    if pending.any():
        codes, mapped = _map_distinct(text[pending], lambda t: lookup.get(
            normalize_label(t), np.nan if normalize_label(t) in MISSING_LABELS else None))
        found = np.asarray([np.nan if m is None else m for m in mapped], dtype=float)
        values[pending] = found[codes]
        unknown = np.asarray([m is None for m in mapped], dtype=bool)[codes]
        _report_cells(text[pending][unknown], raw, column, f"non_numeric_{kind}", problems)
    return values.to_numpy(dtype=float)


def _report_cells(bad: pd.Series, raw: RawTable, column: str, key: str, problems: list[Problem]) -> None:
    """One problem per column and kind of fault: the first bad cell's value, how many cells, and the
    first rows (a file with a bad column gives one line, not one per cell)."""
    if bad.empty:
        return
    rows = [raw.file_row(int(index)) for index in bad.index[:_FIRST_ROWS]]
    head = bad.head(1000).map(lambda v: f"{v:g}" if isinstance(v, float) else v)
    first = str(head.iloc[0])[:80]
    if len(bad) == 1:
        problems.append(Problem("warning", key, row=rows[0], column=column, values={"value": first},
                                **_where(raw)))
        return
    examples = list(dict.fromkeys(str(v)[:40] for v in head))[:3]
    problems.append(Problem("warning", key, column=column, **_where(raw), values={
        "value": first, "cells": len(bad), "rows": ", ".join(map(str, rows)) + (" …" if len(bad) > len(rows) else ""),
        "examples": ", ".join(f"'{v}'" for v in examples)}))


def _no_valid_answers(problems: list[Problem], raw: RawTable, scale: Scale) -> list[Problem]:
    """A customer table in which no item has a single valid answer: one error that sums up why,
    in place of a warning per column."""
    faults = [p for p in problems if p.key in _ANSWER_FAULTS and p.file == raw.file and p.sheet == raw.sheet]
    def cells(key: str) -> int:
        return sum(int(p.values.get("cells", 1)) for p in faults if p.key == key)
    examples = list(dict.fromkeys(f"'{p.values['value']}'" for p in faults if "value" in p.values))[:4]
    kept = [p for p in problems if p not in faults]
    return [*kept, Problem("error", "no_valid_answers", **_where(raw), values={
        "not_numbers": cells("non_numeric_answer"), "out_of_range": cells("out_of_range_answer"),
        "scale": f"{scale.low:g}–{scale.high:g}", "examples": ", ".join(examples) or "-"})]


def _read_all(files: Sequence[SourceFile], *, encoding: str | None, delimiter: str | None,
              header_row: int | None, limits: Limits,
              problems: list[Problem]) -> list[RawTable]:
    tables: list[RawTable] = []
    for source in files:
        try:
            tables.extend(read_file(source.name, source.data, encoding=encoding, delimiter=delimiter,
                                    header_row=header_row, limits=limits))
        except GapcoreError as exc:
            problems.append(exc.problem)
        except (MemoryError, RecursionError) as exc:
            problems.append(Problem("error", "file_unreadable", file=source.name,
                                    values={"detail": type(exc).__name__}))
    return tables


def _check_raw(raw: RawTable, problems: list[Problem]) -> None:
    where = _where(raw)
    for name in raw.duplicates:
        problems.append(Problem("warning", "duplicate_column", column=name, **where))
    if raw.has_formulas:
        problems.append(Problem("warning", "formulas_present", **where))
    if raw.utf8_rows:
        rows = ", ".join(map(str, raw.utf8_rows[:10])) + (" …" if len(raw.utf8_rows) > 10 else "")
        problems.append(Problem("warning", "mixed_encoding_rows", row=raw.utf8_rows[0], **where, values={
            "count": len(raw.utf8_rows), "rows": rows, "encoding": raw.encoding}))
    if raw.question_texts and raw.header_row > 1:
        problems.append(Problem("info", "two_row_header", row=raw.header_row, **where))
    elif raw.header_row > 1:
        problems.append(Problem("info", "header_below_title", row=raw.header_row, **where))


def _drop_blank_rows(raw: RawTable, problems: list[Problem]) -> RawTable:
    """Skip rows with no cell filled (Excel and CSV exports often end with a few)."""
    frame = raw.frame
    if frame.empty:
        return raw
    blank = frame.isna().all(axis=1).to_numpy()
    if blank.any():
        problems.append(Problem("info", "blank_rows_dropped", **_where(raw), values={"count": int(blank.sum())}))
        return RawTable(raw.file, raw.sheet, frame[~blank], raw.header_row, raw.encoding,
                        raw.delimiter, raw.question_texts, raw.value_labels, raw.duplicates, raw.has_formulas)
    return raw


def _collect_text_labels(raws: Iterable[tuple[RawTable, list[ColumnSpec]]]) -> list[str]:
    seen: set[str] = set()
    for raw, specs in raws:
        for spec in specs:
            if spec.role in LEVEL_ALIASES:
                seen.update(_text_values(raw.frame[spec.column]).head(200).tolist())
    return sorted(seen)


MAX_WEIGHT = 1e6  # a sampling weight above this is a data error (and would overflow weighted sums of squares)
MAX_MAGNITUDE = 1e6  # no outcome or importance point is this large: a data error, refused before any sum of squares


@dataclass(frozen=True)
class _Settings:
    """How to read the files: what the caller gave, else what the mapping carries (``None``: detect)."""

    instrument: Instrument | None
    scale: Scale | None
    na: Sequence[float | str] | None
    labels: pd.DataFrame | None
    encoding: str | None
    delimiter: str | None
    header_row: int | None

    def merged_with(self, mapping: ColumnMapping | None) -> _Settings:
        if mapping is None:
            return self
        labels = self.labels
        if labels is None and mapping.labels is not None:
            labels = mapping.label_table()
        return _Settings(self.instrument or mapping.instrument,
                         self.scale or (Scale(*mapping.scale) if mapping.scale else None),
                         self.na if self.na is not None else mapping.na, labels,
                         self.encoding or mapping.encoding, self.delimiter or mapping.delimiter,
                         self.header_row or mapping.header_row)

    @property
    def reading(self) -> dict[str, object]:
        """The reading options as chosen (not detected), kept in the mapping."""
        return {"encoding": self.encoding, "delimiter": self.delimiter, "header_row": self.header_row}


Mapped = dict[str, tuple[RawTable, list[ColumnSpec]]]


def load_study(
    files: Sequence[SourceFile],
    *,
    instrument: Instrument | None = None,
    mapping: ColumnMapping | None = None,
    scale: Scale | None = None,
    na: Sequence[float | str] | None = None,
    labels: pd.DataFrame | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    accept_proposal: bool = False,
    sheet: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> LoadResult:
    """Read, recognise, map, convert and validate a study. Never raises for bad input.

    Settings given as arguments win over the mapping's; what neither gives is detected. ``na`` are
    "not applicable" codes (numbers and texts) read as missing; ``None`` detects codes that stand
    outside the scale (0 under 1–5 answers, 9 under 1–7, 99), ``()`` reads none. When no item carries
    an expectation/perception marker, the rating columns are proposed as perception items in
    ``LoadResult.mapping`` and nothing is computed until they are confirmed (``accept_proposal``, or
    that mapping passed back). ``sheet``: the sheet that holds the respondents, whatever the sheets are
    named (the Data page's sheet picker, ``--sheet``)."""
    refused = _refused(files, limits)
    if refused is not None:
        return refused
    given = _Settings(instrument, scale, na, labels, encoding, delimiter, header_row).merged_with(mapping)
    problems: list[Problem] = []
    raws = _read_all(files, encoding=given.encoding, delimiter=given.delimiter, header_row=given.header_row,
                     limits=limits, problems=problems)
    by_table = _tables_by_name(raws, problems, sheet)
    instrument = _instrument_of(by_table, given.instrument, problems)
    _asked_as_listed(by_table, given.instrument is None and not _instrument_sheet_read(problems))
    sheets = tuple(dict.fromkeys(raw.sheet for raw in raws if raw.sheet))
    if "customers" not in by_table:
        if not any(p.severity == "error" for p in problems):
            problems.append(Problem("error", "no_customer_table"))
        return LoadResult(None, ValidationReport.of(problems), sheets=sheets)
    mapped, instrument = _map_with_instrument(by_table, instrument, given, mapping, problems)
    file_texts = texts_of((table, raw) for table, (raw, _) in mapped.items())
    settled = _items_settled(mapped, accept_proposal, problems)
    label_table = given.labels if given.labels is not None else labels_for(_collect_text_labels(mapped.values()))
    ladder = _unknown_ladder(mapped, label_table, problems)
    if ladder or not settled:
        return replace(_unfinished(mapped, problems, file_texts, given, given.scale, given.na, label_table),
                       ladder=ladder, sheets=sheets)
    if mapping is None:  # segments are proposed, a few, when detected; a mapping's choices stand
        raw, specs = mapped["customers"]
        mapped["customers"] = (raw, proposed_segments(list(specs), raw.frame, raw.question_texts, problems,
                                                      _where(raw)))
    customers_raw, customer_specs = mapped["customers"]
    if customers_raw.frame.empty:  # no mapping can help: no mapping view either
        problems.append(Problem("error", "no_rows", **_where(customers_raw)))
        return LoadResult(None, ValidationReport.of(problems))
    if given.instrument is None:
        instrument = instrument_from_specs(customer_specs, customers_raw.question_texts, default=instrument) \
            or instrument

    lookup = dict(label_lookup(label_table))
    lookup.update({normalize_label(c): np.nan for c in given.na or () if isinstance(c, str)})
    converted = _convert_answers(mapped, lookup, problems)
    _apply_na_flags(converted, customers_raw, problems)
    na = _not_applicable(converted, given, customers_raw, problems)
    scale = given.scale or detect_scale(*_answer_range(converted))
    if scale is None:  # pragma: no cover - detect_scale always finds 0-10 for values in [0, 10]
        problems.append(Problem("error", "scale_unknown"))
        return LoadResult(None, ValidationReport.of(problems))
    if _check_answers(mapped, converted, scale, instrument, problems) == 0:
        problems[:] = _no_valid_answers(problems, customers_raw, scale)
        return _unfinished(mapped, problems, file_texts, given, scale, na)

    customers, retention_kind = _customer_frame(customers_raw, customer_specs, converted["customers"], lookup,
                                                problems)
    providers = {table: _provider_frame(raw, specs, converted[table])
                 for table, (raw, specs) in mapped.items() if table != "customers"}
    segments = _segment_setups(mapping, customers, customer_specs)
    customers = merged(customers, segments)  # the analyst's groups, everywhere (provider links included)
    providers = {table: merged(frame, segments) for table, frame in providers.items()}
    _check_study(customers, providers, instrument, customers_raw, problems)
    _flag_negative_items(customers, instrument, customers_raw, {s.name: str(s.column) for s in customer_specs},
                         problems)
    if given.instrument is None and instrument.name in (SERVQUAL_22.name, OWN_INSTRUMENT):
        _say_servqual_assumed(instrument, customers, customers_raw, problems)
        instrument = _with_file_texts(instrument, customer_specs, customers_raw.question_texts)
    if given.instrument is None:
        instrument = _worded(instrument, sheet_wording(by_table))
    study_mapping = _study_mapping(mapped, instrument, file_texts, given, scale, na, segments)
    # The study reads the items it asks; its mapping keeps the whole instrument, for a wave that asks them all.
    asked = _items_asked(customers, "E") | _items_asked(customers, "P")
    study = Study(customers, instrument.asked(asked), scale, study_mapping, providers, _sources(mapped),
                  _question_texts(mapped), retention_kind, label_table)
    profile = column_profile((table, raw, specs) for table, (raw, specs) in mapped.items())
    return LoadResult(study, ValidationReport.of(problems), study_mapping, profile, sheets=sheets)


def _refused(files: Sequence[SourceFile], limits: Limits) -> LoadResult | None:
    """No files, or more files or bytes than allowed: refused before any is parsed."""
    if not files:
        return LoadResult(None, ValidationReport.of([Problem("error", "no_files")]))
    total = sum(len(f.data) for f in files)
    if len(files) > limits.max_files or total > limits.max_total_bytes:
        return LoadResult(None, ValidationReport.of([Problem("error", "too_many_files", values={
            "count": len(files), "max_files": limits.max_files, "size_mb": round(total / 1024**2),
            "limit_mb": round(limits.max_total_bytes / 1024**2)})]))
    return None


def respondent_rows(raw: RawTable) -> int:
    """Rows that look like a respondent's answers: three or more cells that are numbers. A questionnaire,
    a legend or a notes sheet has few or none; a data sheet has one per respondent."""
    if raw.frame.empty:
        return 0
    numbers = pd.DataFrame({j: pd.to_numeric(raw.frame.iloc[:, j].astype("string").str.strip(), errors="coerce")
                            for j in range(raw.frame.shape[1])})
    return int((numbers.notna().sum(axis=1) >= 3).sum())


def _customers_by_rows(unknown: Sequence[RawTable], problems: list[Problem]) -> RawTable | None:
    """When no sheet or file names itself the customer table: the one with the most respondent-like rows,
    said with its count (the others stay skipped, each said); ``None`` when none has any."""
    counts = [respondent_rows(raw) for raw in unknown]
    if not counts or max(counts) == 0:
        return None
    chosen = unknown[counts.index(max(counts))]
    problems.append(Problem("warning", "customers_by_rows", **_where(chosen),
                            values={"rows": max(counts), "sheets": len(unknown)}))
    return chosen


def _tables_by_name(raws: Sequence[RawTable], problems: list[Problem],
                    sheet: str | None = None) -> dict[str, list[RawTable]]:
    """Which table each sheet or file is; a second table of one kind is named with the one used. With no
    customer table named, the sheet or file with the most respondent-like rows is taken as it; ``sheet``,
    when given, is the customer table whatever the others are named."""
    by_table: dict[str, list[RawTable]] = {}
    unknown: list[RawTable] = []
    named = next((raw for raw in raws if sheet is not None and raw.sheet == sheet), None)
    if sheet is not None and named is None:
        problems.append(Problem("error", "sheet_not_found", values={
            "sheet": sheet, "sheets": ", ".join(str(raw.sheet) for raw in raws if raw.sheet)}))
    for raw in raws:
        table = "customers" if raw is named else identify_table(raw, only=len(raws) == 1)
        if table == "customers" and named is not None and raw is not named:
            table = None  # the analyst said where the respondents are
        if table is None:
            unknown.append(raw)
        elif table != "notes":
            by_table.setdefault(table, []).append(raw)
    chosen = _customers_by_rows(unknown, problems) if "customers" not in by_table else None
    if chosen is not None:
        by_table["customers"] = [chosen]
    problems.extend(Problem("warning", "unknown_table", **_where(raw)) for raw in unknown if raw is not chosen)
    for table, found in by_table.items():
        for extra in found[1:]:
            problems.append(Problem("warning", "table_twice", file=extra.file, sheet=extra.sheet, values={
                "table": table, "used": found[0].file + (f" / {found[0].sheet}" if found[0].sheet else "")}))
    return by_table


def _instrument_of(by_table: Mapping[str, list[RawTable]], given: Instrument | None,
                   problems: list[Problem]) -> Instrument:
    """The instrument given, else the study's items table, else SERVQUAL's 22 items. An items sheet that
    does not fit (a questionnaire named "Questions", a legend without dimensions) is said, naming its sheet,
    and lends its wording where it has one per item number; it never stops the study."""
    if given is None and "items" in by_table:
        items_raw = by_table["items"][0]
        try:
            given = instrument_from_table(items_raw.frame, file=items_raw.file, sheet=items_raw.sheet)
            problems.append(Problem("info", "custom_instrument", **_where(items_raw),
                                    values={"items": len(given.items), "dimensions": len(given.dimensions)}))
        except GapcoreError as exc:
            problems.append(replace(exc.problem, severity="warning"))
            problems.append(Problem("info", "items_sheet_unused", **_where(items_raw)))
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


def sheet_wording(by_table: Mapping[str, list[RawTable]]) -> dict[int, str]:
    """Item number → wording from the sheet that lists the questions: the wording the items then carry."""
    wording: dict[int, str] = {}
    for code, text in sheet_questions(by_table).items():
        number = item_number(code)
        if number is not None:
            wording.setdefault(number, text)
    return wording


def _instrument_sheet_read(problems: Sequence[Problem]) -> bool:
    """An items sheet was read as the study's instrument (whether or not it restates SERVQUAL's)."""
    return any(p.key == "custom_instrument" for p in problems)


def _asked_as_listed(by_table: dict[str, list[RawTable]], questionnaire: bool) -> None:
    """Customer columns named by the code a questionnaire sheet lists take its question as their text (a
    header of its own comes first), so the mapping grid, the proposal and the items show what each asks.
    ``questionnaire``: no instrument was given or read from the sheet (an instrument words its items)."""
    questions = sheet_questions(by_table) if questionnaire else {}
    if questions and "customers" in by_table:
        by_table["customers"] = [
            replace(raw, question_texts={**{str(c): questions[str(c).strip()] for c in raw.frame.columns
                                            if str(c).strip() in questions},
                                         **{c: text for c, text in raw.question_texts.items() if text}})
            for raw in by_table["customers"]]


def _worded(instrument: Instrument, wording: Mapping[int, str]) -> Instrument:
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


def _map_with_instrument(by_table: Mapping[str, list[RawTable]], instrument: Instrument, given: _Settings,
                         mapping: ColumnMapping | None, problems: list[Problem]) -> tuple[Mapped, Instrument]:
    """The tables mapped with the instrument in force. SERVQUAL's 22 items are the default only for codes
    that fit them: numbered items past 22 give the study its own instrument (the numbers as the file has
    them, in one dimension for the analyst to name), said — never items dropped with a note."""
    scratch: list[Problem] = []
    mapped = _map_tables(by_table, instrument, mapping, scratch)
    beyond = {int(p.values["item"]) for p in scratch if p.key == "item_not_in_instrument"}
    if beyond and given.instrument is None and instrument is SERVQUAL_22:
        found = {s.item for s in mapped["customers"][1] if s.role in CUSTOMER_LEVELS and s.item is not None}
        numbers = sorted(beyond | found)
        instrument = Instrument(tuple(Item(n, PROPOSED_DIMENSION) for n in numbers), name=OWN_INSTRUMENT)
        scratch = [Problem("warning", "own_instrument_numbers", **_where(by_table["customers"][0]),
                           values={"count": len(numbers), "last": numbers[-1]})]
        mapped = _map_tables(by_table, instrument, mapping, scratch)
    problems.extend(scratch)
    return mapped, instrument


def _say_servqual_assumed(instrument: Instrument, customers: pd.DataFrame, raw: RawTable,
                          problems: list[Problem]) -> None:
    """Items numbered within SERVQUAL's 22 with no instrument of the study's own are read as SERVQUAL's
    statements and dimensions: an assumption, said where the analyst reads first, with the way out."""
    if instrument.name != SERVQUAL_22.name or _instrument_sheet_read(problems):
        return  # an items sheet that restates SERVQUAL's is the study's word, not our assumption
    asked = sorted(_items_asked(customers, "E") | _items_asked(customers, "P"))
    dimensions = {instrument.dimension_of(k) for k in asked}
    problems.append(Problem("warning", "servqual_assumed", **_where(raw), values={
        "items": _number_ranges(asked), "dimensions": len(dimensions)}))


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


def _map_tables(by_table: Mapping[str, list[RawTable]], instrument: Instrument, mapping: ColumnMapping | None,
                problems: list[Problem]) -> Mapped:
    """Each known table's columns: detected, then as the mapping says."""
    mapped: Mapped = {}
    for table in ("customers", *PROVIDER_TABLES):
        if table not in by_table:
            continue
        raw = _drop_blank_rows(by_table[table][0], problems)
        _check_raw(raw, problems)
        specs, found = detect_columns(table, raw.frame, instrument, file=raw.file, sheet=raw.sheet,
                                      texts=raw.question_texts)
        problems.extend(found)
        if mapping is not None:
            specs = apply_mapping(table, mapping, specs)
            unknown = {s.column for s in mapping.for_table(table)} - set(raw.frame.columns)
            problems.extend(Problem("warning", "mapping_column_absent", column=column, **_where(raw))
                            for column in sorted(unknown))
        mapped[table] = (raw, specs)
    return mapped


def _items_settled(mapped: Mapped, accept_proposal: bool, problems: list[Problem]) -> bool:
    """Whether the customer items are known. Without an expectation or perception column the rating
    columns are proposed as perception items (in ``mapped``), and the load goes on only when accepted."""
    customers_raw, customer_specs = mapped["customers"]
    if any(s.role in ("E", "P") for s in customer_specs):
        return True
    candidates = propose_items(customers_raw.frame, customer_specs, customers_raw.value_labels)
    if not candidates:
        problems.append(Problem("error", "no_item_columns", **_where(customers_raw), values={
            "columns": ", ".join(map(str, list(customers_raw.frame.columns)[:12]))}))
        return False
    numbers = {column: k for k, column in enumerate(candidates, start=1)}
    dimensions = proposed_dimensions(candidates, customers_raw.question_texts)
    mapped["customers"] = (customers_raw, [ColumnSpec("customers", s.column, "P", numbers[s.column],
                                                      dimensions[s.column]) if s.column in numbers else s
                                           for s in customer_specs])
    values = {"count": len(candidates), "columns": _shorten(candidates)}
    if not accept_proposal:
        problems.append(Problem("error", "items_proposed", **_where(customers_raw), values=values))
        return False
    problems.append(Problem("info", "items_confirmed", **_where(customers_raw), values=values))
    return True


def _unknown_ladder(mapped: Mapped, label_table: pd.DataFrame, problems: list[Problem]) -> tuple[str, ...]:
    """The customers' item answers written in words no label table knows (a language with no built-in
    ladder): their order guessed from the respondents, to be confirmed before anything is computed."""
    raw, specs = mapped["customers"]
    known = set(label_lookup(label_table)) | MISSING_LABELS
    worded = [s.column for s in specs if s.role in LEVEL_ALIASES and _answered_in_unknown_words(raw.frame[s.column],
                                                                                                 known)]
    if not worded:
        return ()
    ladder = guess_ladder(raw.frame[worded].head(20_000))
    problems.append(Problem("error", "answer_ladder_guessed", **_where(raw), values={
        "ladder": " < ".join(ladder), "count": len(worded), "columns": _shorten(worded)}))
    return ladder


def _answered_in_unknown_words(column: pd.Series, known: set[str]) -> bool:
    """Mostly answered in words, a ladder's number of them (``LADDER_WORDS``), half of them or more unknown
    to the label table: a language with no built-in ladder — not a few typed-in words among numbers, nor one
    stray word beside a known ladder, which are reported as such (and added in the label table)."""
    if pd.api.types.is_numeric_dtype(column.dtype):  # numbers (the common case, at any size): no words
        return False
    present = column.dropna().head(20_000).astype(str).str.strip()
    present = present[present != ""]
    words = _text_values(present)
    distinct = {normalize_label(w) for w in pd.unique(words)} - MISSING_LABELS
    return (len(words) > 0.5 * max(len(present), 1) and len(distinct) in LADDER_WORDS
            and 2 * len(distinct - known) >= len(distinct))


def _unfinished(mapped: Mapped, problems: list[Problem], file_texts: Mapping[str, str], given: _Settings,
                scale: Scale | None, na: Sequence[float | str] | None,
                labels: pd.DataFrame | None = None) -> LoadResult:
    """The result of a load that needs the user: the mapping so far (with the answer-label table it would
    read with, to edit before anything loads), and every column to map."""
    specs = tuple(s for _, table_specs in mapped.values() for s in table_specs)
    if labels is None:
        labels = given.labels if given.labels is not None else labels_for(_collect_text_labels(mapped.values()))
    proposal = ColumnMapping(specs, texts=file_texts, scale=scale.as_tuple() if scale else None,
                             na=None if na is None else tuple(na), instrument=given.instrument,
                             labels=tuple(zip(labels["label"].astype(str), labels["value"].astype(float),
                                              strict=True)), **given.reading)
    profile = column_profile((table, raw, table_specs) for table, (raw, table_specs) in mapped.items())
    return LoadResult(None, ValidationReport.of(problems), proposal, profile)


Converted = dict[str, dict[str, Answers]]


def _convert_answers(mapped: Mapped, lookup: Mapping[str, float], problems: list[Problem]) -> Converted:
    """Every answer column as numbers (answer labels and SPSS codes read through ``lookup``)."""
    converted: Converted = {}
    for table, (raw, specs) in mapped.items():
        converted[table] = {}
        for spec in specs:
            if spec.role not in LEVEL_ALIASES:
                continue
            series = raw.frame[spec.column]
            codes = _sav_codes(raw, spec.column, series)
            values = codes if codes is not None else _to_numbers(series, lookup, raw, spec.column, problems)
            with np.errstate(over="ignore"):  # 1e300 becomes inf, then out of range like any such answer
                converted[table][spec.name] = Answers.of(values.astype(np.float32, copy=False))
    return converted


def _not_applicable(converted: Converted, given: _Settings, customers_raw: RawTable,
                    problems: list[Problem]) -> tuple[float | str, ...]:
    """Apply the "not applicable" codes given, or detect them when neither codes nor scale were given."""
    na = given.na
    na_counts = _apply_na(converted, {float(c) for c in na or () if not isinstance(c, str)}, tuple(converted))
    if na_counts:
        problems.append(Problem("info", "na_codes_applied", **_where(customers_raw), values={
            "codes": _codes_text(na or ()), "count": sum(na_counts.values()), "columns": len(na_counts)}))
    if na is None and given.scale is None:
        detected = detect_na_codes(converted)
        if detected:
            na = detected
            counted = _apply_na(converted, set(detected), ("customers",))
            problems.append(Problem("warning", "na_detected", **_where(customers_raw), values={
                "codes": _codes_text(detected), "count": sum(counted.values())}))
    return tuple(na or ())


def _answer_range(converted: Mapping[str, Mapping[str, Answers]]) -> tuple[float | None, float | None]:
    """Lowest and highest answer between 0 and 10 (plausible scale points), for scale detection."""
    low, high = np.inf, -np.inf
    for cols in converted.values():
        for answers in cols.values():
            values, _ = answers.distinct
            plausible = values[(values >= 0) & (values <= 10)]
            if plausible.size:
                low, high = min(low, float(plausible[0])), max(high, float(plausible[-1]))
    return (low if np.isfinite(low) else None), (high if np.isfinite(high) else None)


def _check_answers(mapped: Mapped, converted: Converted, scale: Scale, instrument: Instrument,
                   problems: list[Problem]) -> int:
    """Answers outside the scale become missing (and are reported), reverse-worded items are reversed;
    returns the number of valid customer answers."""
    valid_answers = 0
    for table, (raw, specs) in mapped.items():
        for spec in specs:
            if spec.role not in LEVEL_ALIASES:
                continue
            answers = converted[table][spec.name]
            out = answers.outside(scale.low, scale.high)
            if out.any():
                index = raw.frame.index[out]
                _report_cells(pd.Series(answers.values[out].astype(float), index=index), raw, spec.column,
                              "out_of_range_answer", problems)
                answers = answers.without(out)
            answered = int(answers.answered().sum())
            if table == "customers":
                valid_answers += answered
            if answered == 0:
                problems.append(Problem("warning", "item_all_missing", column=spec.column, **_where(raw)))
            if instrument.has(spec.item or -1) and instrument.item(spec.item).reverse:
                answers = answers.reversed(scale.low, scale.high)
            converted[table][spec.name] = answers
    return valid_answers


def _study_mapping(mapped: Mapped, instrument: Instrument, file_texts: Mapping[str, str], given: _Settings,
                   scale: Scale, na: tuple[float | str, ...], segments: Mapping[str, SegmentSetup]) -> ColumnMapping:
    """The mapping as the study was read: every column, every setting (what the user can save)."""
    default_shape = [(it.number, it.dimension, it.reverse) for it in SERVQUAL_22.items]
    custom = None if [(it.number, it.dimension, it.reverse) for it in instrument.items] == default_shape \
        else instrument
    labels = given.labels
    return ColumnMapping(
        tuple(_with_dimension(s, instrument) for _, specs in mapped.values() for s in specs), texts=file_texts,
        scale=scale.as_tuple(), na=na, instrument=custom,
        labels=None if labels is None else tuple(zip(labels["label"].astype(str), labels["value"].astype(float),
                                                     strict=True)),
        segments=segments, **given.reading)


def _segment_setups(mapping: ColumnMapping | None, customers: pd.DataFrame,
                    specs: Sequence[ColumnSpec]) -> dict[str, SegmentSetup]:
    """The mapping's segment set-ups that name a segment column of this study (others are dropped)."""
    if mapping is None:
        return {}
    segments = {s.name for s in specs if s.role in ("segment", "wave")}
    return {c: s for c, s in mapping.segments.items() if c in segments and c in customers.columns}


def _sources(mapped: Mapped) -> tuple[SourceInfo, ...]:
    return tuple(SourceInfo(table, raw.file, raw.sheet, raw.encoding, raw.delimiter, raw.header_row, len(raw.frame),
                            raw.frame.shape[1]) for table, (raw, _) in mapped.items())


def _question_texts(mapped: Mapped) -> dict[str, str]:
    """Each variable's question as the file words it (else its column name, for items)."""
    texts: dict[str, str] = {}
    for raw, specs in mapped.values():
        for spec in specs:
            text = raw.question_texts.get(spec.column)
            if text:
                texts[spec.name] = text
            elif spec.role in LEVEL_ALIASES and str(spec.column) != spec.name:
                texts.setdefault(spec.name, str(spec.column))
    return texts


_NA_HIGH_CODES = (97.0, 98.0, 99.0, 999.0, 9999.0)


def _shorten(columns: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(str(c) for c in columns[:limit])
    return shown + (f" (+{len(columns) - limit})" if len(columns) > limit else "")


def _number_ranges(numbers: Sequence[int]) -> str:
    """Item numbers as runs: 1, 3–5, 9."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def _codes_text(codes: Iterable[float | str]) -> str:
    return ", ".join(str(int(c)) if isinstance(c, float) and c.is_integer() else str(c) for c in codes)


def detect_na_codes(converted: Mapping[str, Mapping[str, Answers]]) -> tuple[float, ...]:
    """"Not applicable" codes among the customers' item answers: 97–99/999 always; 9 when no other answer
    is above 7 and 8 is never used; 0 when no other answer is above 7 (no 0–5 or 0–7 scale exists, and a
    0–10 scale would reach 8–10). The scale then follows the answers that remain."""
    counts: dict[float, int] = {}
    for answers in converted.get("customers", {}).values():
        uniques, n = answers.distinct
        for value, count in zip(uniques.tolist(), n.tolist(), strict=True):
            counts[value] = counts.get(value, 0) + count
    if not counts:
        return ()
    codes = [c for c in _NA_HIGH_CODES if c in counts]
    rest = [v for v in counts if v not in codes]
    if 9.0 in rest and 8.0 not in rest and max((v for v in rest if v != 9.0), default=10) <= 7:
        codes.append(9.0)
        rest.remove(9.0)
    if 0.0 in rest and 1.0 in rest and max(rest) <= 7:
        codes.append(0.0)
    return tuple(sorted(codes))


def _apply_na_flags(converted: Converted, raw: RawTable, problems: list[Problem]) -> None:
    """Columns that flag an item "not applicable" (``NA7`` = 1): that respondent's answers to the item, at
    every level, are missing — never averaged in whatever was typed beside them. Said, with the count."""
    flagged = 0
    for column in raw.frame.columns:
        item = na_flag_item(column)
        if item is None:
            continue
        flags = pd.to_numeric(raw.frame[column], errors="coerce")
        if not flags.dropna().isin([0, 1]).all():
            continue
        hit = (flags == 1).to_numpy()
        customers = converted.get("customers", {})
        for name in (f"{level}{item}" for level in CUSTOMER_LEVELS):
            if name in customers and hit.any():
                flagged += int((hit & customers[name].answered()).sum())
                customers[name] = customers[name].without(hit)
    if flagged:
        problems.append(Problem("info", "na_flags_applied", **_where(raw), values={"count": flagged}))


def _apply_na(converted: Converted, codes: set[float], tables: Sequence[str]) -> dict[str, int]:
    """Answers equal to a "not applicable" code become missing; how many, per item column."""
    counted: dict[str, int] = {}
    if not codes:
        return counted
    for table in tables:
        for name, answers in list(converted.get(table, {}).items()):
            hit = answers.equal_to(codes)
            if hit.any():
                counted[f"{table}.{name}"] = int(hit.sum())
                converted[table][name] = answers.without(hit)
    return counted


def _with_dimension(spec: ColumnSpec, instrument: Instrument) -> ColumnSpec:
    """An item column's spec names its dimension, so the mapping file says the whole instrument."""
    if spec.role in LEVEL_ALIASES and spec.item is not None and instrument.has(spec.item):
        return replace(spec, dimension=instrument.dimension_of(spec.item))
    return spec


def _with_file_texts(instrument: Instrument, specs: Sequence[ColumnSpec], texts: Mapping[str, str]) -> Instrument:
    """The default instrument with each item worded as the file words it, when the file has its own
    questions for most items: the SERVQUAL bank wording is for a study that asks the bank's items."""
    present = {s.item for s in specs if s.role in CUSTOMER_LEVELS and s.item is not None}
    own = {k: item_wording(k, specs, texts) if k in present else "" for k in instrument.numbers}
    if sum(bool(v) for v in own.values()) < max(1, len(present) // 2):
        return instrument
    return Instrument(tuple(replace(it, text_en=own[it.number] or it.text_en, text_ko=own[it.number] or it.text_ko,
                                    text_zh=own[it.number] or it.text_zh) for it in instrument.items),
                      name=f"{instrument.name}_worded")


def _sav_codes(raw: RawTable, column: str, series: pd.Series) -> np.ndarray | None:
    """SPSS answers: numeric codes, with codes labelled 'don't know'/'n/a' set missing."""
    labels = raw.value_labels.get(column)
    if not labels or not pd.api.types.is_numeric_dtype(series.dtype):
        return None
    values = series.to_numpy(dtype=float, na_value=np.nan).copy()
    for code, label in labels.items():
        if normalize_label(label) in MISSING_LABELS:
            values[values == code] = np.nan
    return values


def _customer_frame(raw: RawTable, specs: list[ColumnSpec], items: Mapping[str, Answers],
                    lookup: Mapping[str, float], problems: list[Problem]) -> tuple[pd.DataFrame, str | None]:
    """The customers table: converted answers, outcomes, weight, points, id, waves and segments."""
    frame = raw.frame
    columns: dict[str, object] = {}
    retention_kind = None
    for spec in specs:
        source = frame[spec.column]
        if spec.role in LEVEL_ALIASES:
            columns[spec.name] = items[spec.name].stored()
        elif spec.role in ("satisfaction", "recommend"):
            columns[spec.role] = _outcome_values(raw, spec, lookup, problems)
        elif spec.role == "retention":
            columns["retention"], retention_kind = _retention(raw, spec.column, source, lookup, problems)
        elif spec.role == "weight":
            columns["weight"] = _weight_values(raw, spec.column, problems)
        elif spec.role == "points":
            columns[spec.name] = _within_magnitude(_to_numbers(source, {}, raw, spec.column, problems, kind="points"),
                                                   raw, spec.column, problems)
        elif spec.role == "id":
            ids = source.astype("string")
            # whole numbers repeat exactly where their texts do, and are compared 20× faster
            keys = source if pd.api.types.is_integer_dtype(source.dtype) else ids
            dup = keys.duplicated(keep="first") & ids.notna()
            if dup.any():
                _report_cells(ids[dup], raw, spec.column, "duplicate_id", problems)
            columns["id"] = ids.to_numpy()
        elif spec.role in ("wave", "segment"):
            columns[spec.name] = _segment_values(raw, spec.column, source)
    customers = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)), copy=False)
    _check_points(customers, raw, problems)
    asked = [s.name for s in specs if s.role in CUSTOMER_LEVELS and s.name in customers.columns]
    return _without_unanswered(customers, asked, raw, problems), retention_kind


def _without_unanswered(customers: pd.DataFrame, items: list[str], raw: RawTable,
                        problems: list[Problem]) -> pd.DataFrame:
    """Rows that answer no item at all (formula leftovers dragged down a sheet, an ID column filled past the
    last respondent) are no respondents: left out, counted and located, never averaged in as n."""
    if not items:
        return customers
    answered = np.zeros(len(customers), dtype=bool)
    for item in items:  # a column at a time: no respondents × items frame of flags
        answered |= customers[item].notna().to_numpy()
    if answered.all() or not answered.any():
        return customers
    empty = np.flatnonzero(~answered)
    problems.append(Problem("info", "rows_without_answers", **_where(raw), values={
        "count": len(empty), "rows": ", ".join(str(raw.file_row(int(i))) for i in empty[:_FIRST_ROWS])
        + (" …" if len(empty) > _FIRST_ROWS else "")}))
    return customers.loc[answered].reset_index(drop=True)


def _outcome_values(raw: RawTable, spec: ColumnSpec, lookup: Mapping[str, float], problems: list[Problem]
                    ) -> np.ndarray:
    """Satisfaction (a number, an answer label, or two words) or a 0–10 recommendation."""
    source = raw.frame[spec.column]
    values = _sav_codes(raw, spec.column, source)
    if values is None and spec.role == "satisfaction":
        values = _two_valued_satisfaction(source)
    if values is None:
        values = _to_numbers(source, lookup, raw, spec.column, problems, kind="outcome")
    values = _within_magnitude(values, raw, spec.column, problems)
    if spec.role == "recommend":
        out = ~np.isnan(values) & ((values < 0) | (values > 10))
        if out.any():
            _report_cells(pd.Series(values[out], index=raw.frame.index[out]), raw, spec.column,
                          "out_of_range_recommend", problems)
            values = np.where(out, np.nan, values)
    return values


def _within_magnitude(values: np.ndarray, raw: RawTable, column: str, problems: list[Problem]) -> np.ndarray:
    """Numbers no outcome or point can be (beyond ±``MAX_MAGNITUDE``, or infinite): reported and dropped,
    so no sum of squares overflows (a fuzzed 1e154 did)."""
    values = np.asarray(values, dtype=float)
    bad = ~np.isnan(values) & ~(np.abs(values) <= MAX_MAGNITUDE)
    if bad.any():
        _report_cells(pd.Series(values[bad], index=raw.frame.index[bad]), raw, column, "value_too_large", problems)
        values = np.where(bad, np.nan, values)
    return values


def _weight_values(raw: RawTable, column: str, problems: list[Problem]) -> np.ndarray:
    """Sampling weights; a weight that is missing, not positive or absurdly large is reported and dropped."""
    source = raw.frame[column]
    values = _to_numbers(source, {}, raw, column, problems, kind="weight")
    bad = ~np.isfinite(values) | (values <= 0) | (values > MAX_WEIGHT)
    if bad.any():
        _report_cells(pd.Series(source.to_numpy()[bad], index=raw.frame.index[bad], dtype=object).fillna(""), raw,
                      column, "invalid_weight", problems)
        values = np.where(bad, np.nan, values)
    return values


def _check_points(customers: pd.DataFrame, raw: RawTable, problems: list[Problem]) -> None:
    """Importance points (``W_*``) should add up to 100 for each respondent."""
    points = [c for c in customers.columns if c.startswith("W_") and pd.api.types.is_numeric_dtype(customers[c])]
    if points:
        total = customers[points].sum(axis=1, min_count=1)
        off = total.notna() & ((total - 100).abs() > 1)
        if off.any():
            _report_cells(total[off].round(2), raw, ", ".join(points), "points_not_100", problems)


_SATISFIED = {normalize_label(t): v for t, v in (
    ("satisfied", 1.0), ("neutral or dissatisfied", 0.0), ("dissatisfied", 0.0), ("not satisfied", 0.0),
    ("unsatisfied", 0.0), ("만족", 1.0), ("불만족", 0.0), ("满意", 1.0), ("不满意", 0.0))}


def _two_valued_satisfaction(source: pd.Series) -> np.ndarray | None:
    """A satisfaction question answered in two words ("satisfied" / "neutral or dissatisfied"): 1 / 0."""
    if pd.api.types.is_numeric_dtype(source.dtype):
        return None
    codes, mapped = _map_distinct(source.astype("string").str.strip(), lambda v: _SATISFIED.get(normalize_label(v)))
    if not 1 <= len(mapped) <= 2 or any(m is None for m in mapped):
        return None
    binary = np.asarray(mapped, dtype=float)
    return np.where(codes >= 0, binary[np.maximum(codes, 0)], np.nan)


def _map_distinct(source: pd.Series, convert) -> tuple[np.ndarray, list[object]]:
    """Apply ``convert`` once per distinct value: (codes, converted distinct values); -1 is missing."""
    codes, uniques = pd.factorize(source, use_na_sentinel=True)
    return codes, [convert(v) for v in uniques]


def _segment_name(value: object, labels: Mapping[float, str] | None) -> str:
    if labels and isinstance(value, (int, float, np.number)) and float(value) in labels:
        return labels[float(value)]
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value).strip())


def _segment_values(raw: RawTable, column: str, source: pd.Series) -> pd.Categorical:
    """Segment values as text categories (SPSS value labels applied), converted once per distinct value."""
    labels = raw.value_labels.get(column)
    codes, names = _map_distinct(source, lambda v: _segment_name(v, labels))
    categories = pd.Index(names, dtype=object).unique()
    remap = categories.get_indexer(names) if names else np.array([], dtype=int)
    new_codes = np.where(codes >= 0, remap[codes] if len(remap) else -1, -1)
    return pd.Categorical.from_codes(new_codes, categories=categories)


def _retention(raw: RawTable, column: str, source: pd.Series, lookup: Mapping[str, float],
               problems: list[Problem]) -> tuple[np.ndarray, str]:
    """Observed retention (kept 1 / lost 0) or a stated intention on a scale; the kind says which."""
    labels = raw.value_labels.get(column) or {}

    def as_binary(value: object) -> float:
        if isinstance(value, (int, float, np.number)) and float(value) in labels:
            value = labels[float(value)]
        return BINARY_LABELS.get(normalize_label(value), np.nan)

    codes, mapped = _map_distinct(source, as_binary)
    if all(not np.isnan(v) for v in mapped):
        binary = np.asarray(mapped, dtype=float)
        return np.where(codes >= 0, binary[codes] if len(binary) else np.nan, np.nan), "binary"
    numeric = pd.to_numeric(source, errors="coerce")
    if numeric.notna().sum() > 0.5 * source.notna().sum() and numeric.nunique() > 2:
        return _to_numbers(source, lookup, raw, column, problems, kind="outcome"), "scale"
    binary = np.asarray(mapped, dtype=float)
    values = np.where(codes >= 0, binary[codes], np.nan)
    text = source.astype("string").str.strip()
    bad = pd.Series((codes >= 0) & np.isnan(values), index=source.index) & (text != "")
    _report_cells(text[bad], raw, column, "non_binary_retention", problems)
    return values, "binary"


def _provider_frame(raw: RawTable, specs: list[ColumnSpec], items: Mapping[str, Answers]) -> pd.DataFrame:
    columns: dict[str, object] = {}
    for spec in specs:
        if spec.role in LEVEL_ALIASES:
            columns[spec.name] = items[spec.name].as_float()
        elif spec.role in ("segment", "wave"):
            columns[spec.name] = _segment_values(raw, spec.column, raw.frame[spec.column])
    return pd.DataFrame(columns, index=pd.RangeIndex(len(raw.frame)), copy=False)


def _items_asked(customers: pd.DataFrame, level: str) -> set[int]:
    """The numbers of the items the customers table has a ``level`` column for (``E3``, ``P12``)."""
    return {int(c[1:]) for c in customers.columns if re.fullmatch(rf"{level}\d+", c)}


def _check_study(customers: pd.DataFrame, providers: Mapping[str, pd.DataFrame], instrument: Instrument,
                 raw: RawTable, problems: list[Problem]) -> None:
    where = _where(raw)
    e_items, p_items = _items_asked(customers, "E"), _items_asked(customers, "P")
    if p_items and not e_items:
        problems.append(Problem("info", "perception_only", **where))
    unpaired = sorted(e_items ^ p_items) if e_items and p_items else []
    if unpaired:
        problems.append(Problem("warning", "item_unpaired", **where,
                                values={"items": ", ".join(map(str, unpaired))}))
    absent = [k for k in instrument.numbers if k not in e_items | p_items]
    if absent:
        problems.append(Problem("warning", "item_absent", **where, values={
            "items": _number_ranges(absent), "count": len(instrument.numbers) - len(absent)}))
    if len(customers) < 2:
        problems.append(Problem("warning", "too_few_respondents", **where, values={"n": len(customers)}))
    for table, frame in providers.items():
        if frame.empty or not any(re.fullmatch(r"[MSDC]\d+", str(c)) for c in frame.columns):
            problems.append(Problem("warning", "provider_without_items", values={"table": table}))


_CHECK_ROWS = 20_000  # the item-rest check reads the first rows: a data check, not a figure


def _flag_negative_items(customers: pd.DataFrame, instrument: Instrument, raw: RawTable, sources: Mapping[str, str],
                         problems: list[Problem]) -> None:
    """Items that correlate negatively with the rest of their dimension: a reverse-worded item not
    flagged as reversed, or a block that belongs elsewhere (a "p01…" block that is not perceptions)."""
    head = customers.head(_CHECK_ROWS)
    for level in ("P", "E"):
        for dimension in instrument.dimensions:
            columns = [f"{level}{k}" for k in instrument.items_of(dimension) if f"{level}{k}" in head.columns]
            if len(columns) < 3:
                continue
            complete = head[columns].astype("float64").dropna()
            if len(complete) < 10:
                continue
            rest_r, _ = item_statistics(np.cov(complete.to_numpy(), rowvar=False))
            negative = [c for c, r in zip(columns, rest_r, strict=True) if np.isfinite(r) and r < 0]
            if negative:
                problems.append(Problem("warning", "item_negative_correlation", **_where(raw), values={
                    "dimension": dimension, "items": ", ".join(sources.get(c, c) for c in negative)}))


def load_paths(paths: Iterable[str | Path], **options: object) -> LoadResult:
    """Convenience for scripts and the CLI: read files from disk and load them."""
    files = [SourceFile(Path(p).name, Path(p).read_bytes()) for p in paths]
    return load_study(files, **options)  # type: ignore[arg-type]
