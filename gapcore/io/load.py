"""Loading a study from the files an analyst uploads, as their tools exported them.

``load_study`` reads every file (CSV/TSV, XLSX, SPSS, Parquet), recognises which table each sheet or
file is, maps its columns (``gapcore.io.columns``), converts answers to numbers on one detected scale
(``gapcore.io.scale``), reverse-codes, and returns a :class:`~gapcore.io.study.LoadResult`: the study and a
report of every problem found. Parsing does not stop at the first problem; a file that cannot be read
at all becomes one error row and the other files still load.

This module is the order of the steps; each step's rules have their own module: which table a sheet is
(``identify``), cells to numbers (``conversion``), "not applicable" codes (``na_codes``), outcomes, weights
and segments (``outcomes``), the study's own questionnaire (``questionnaire``) and the checks (``checks``).

In detail: the mapping's settings apply unless arguments override them; proposed items stop the load until
they are confirmed (``accept_proposal``); the instrument is narrowed to the items the customers were asked
(``Instrument.asked``: no row for an item or a dimension not in the data, ``item_absent`` says which) while the
mapping keeps the whole instrument for a wave that asks it all. Every result that parsed carries ``mapping`` (as
read or proposed, with the answer-label table it reads with, so the Data page can edit it before anything
loads) and ``columns`` (the profile), so the app can always offer the mapping grid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from gapcore.errors import GapcoreError
from gapcore.instrument import SERVQUAL_22, Instrument, Item
from gapcore.io.answers import Answers, Converted
from gapcore.io.checks import (
    answer_range,
    check_answers,
    check_raw,
    check_study,
    drop_blank_rows,
    flag_negative_items,
    items_asked,
    no_valid_answers,
    without_unanswered,
)
from gapcore.io.columns import detect_columns
from gapcore.io.conversion import report_cells, sav_codes, text_values, to_numbers
from gapcore.io.headers import CUSTOMER_LEVELS, LEVEL_ALIASES
from gapcore.io.identify import Mapped, tables_by_name
from gapcore.io.mapping import ColumnMapping, ColumnSpec, apply_mapping
from gapcore.io.na_codes import apply_na, apply_na_flags, codes_text, detect_na_codes, shorten
from gapcore.io.outcomes import (
    check_points,
    outcome_values,
    retention_values,
    segment_categories,
    weight_values,
    within_magnitude,
)
from gapcore.io.profile import column_profile, texts_of
from gapcore.io.proposals import (
    PROPOSED_DIMENSION,
    instrument_from_specs,
    propose_items,
    proposed_dimensions,
    proposed_segments,
)
from gapcore.io.questionnaire import (
    OWN_INSTRUMENT,
    asked_as_listed,
    instrument_of,
    instrument_sheet_read,
    say_servqual_assumed,
    sheet_questions,
    sheet_wording,
    with_dimension,
    with_file_texts,
    with_wording,
)
from gapcore.io.readers import read_file
from gapcore.io.readers.raw import DEFAULT_LIMITS, Limits, RawTable
from gapcore.io.scale import (
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


@dataclass(frozen=True)
class SourceFile:
    """An uploaded file: its name and its bytes (never written to disk)."""

    name: str
    data: bytes


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


def _collect_text_labels(raws: Iterable[tuple[RawTable, list[ColumnSpec]]]) -> list[str]:
    seen: set[str] = set()
    for raw, specs in raws:
        for spec in specs:
            if spec.role in LEVEL_ALIASES:
                seen.update(text_values(raw.frame[spec.column]).head(200).tolist())
    return sorted(seen)


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
    by_table = tables_by_name(raws, problems, sheet)
    instrument = instrument_of(by_table, given.instrument, problems)
    questions = sheet_questions(by_table)  # the questionnaire sheet's, read once
    asked_as_listed(by_table, questions, questionnaire=given.instrument is None and not instrument_sheet_read(problems))
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
                                                      raw.place))
    customers_raw, customer_specs = mapped["customers"]
    if customers_raw.frame.empty:  # no mapping can help: no mapping view either
        problems.append(Problem("error", "no_rows", **customers_raw.place))
        return LoadResult(None, ValidationReport.of(problems))
    if given.instrument is None:
        instrument = instrument_from_specs(customer_specs, customers_raw.question_texts, default=instrument) \
            or instrument

    lookup = dict(label_lookup(label_table))
    lookup.update({normalize_label(c): np.nan for c in given.na or () if isinstance(c, str)})
    converted = _convert_answers(mapped, lookup, problems)
    apply_na_flags(converted, customers_raw, problems)
    na = _not_applicable(converted, given, customers_raw, problems)
    scale = given.scale or detect_scale(*answer_range(converted))
    if scale is None:  # pragma: no cover - detect_scale always finds 0-10 for values in [0, 10]
        problems.append(Problem("error", "scale_unknown"))
        return LoadResult(None, ValidationReport.of(problems))
    if check_answers(mapped, converted, scale, instrument, problems) == 0:
        problems[:] = no_valid_answers(problems, customers_raw, scale)
        return _unfinished(mapped, problems, file_texts, given, scale, na)

    customers, retention_kind = _customer_frame(customers_raw, customer_specs, converted["customers"], lookup,
                                                problems)
    providers = {table: _provider_frame(raw, specs, converted[table])
                 for table, (raw, specs) in mapped.items() if table != "customers"}
    segments = _segment_setups(mapping, customers, customer_specs)
    customers = merged(customers, segments)  # the analyst's groups, everywhere (provider links included)
    providers = {table: merged(frame, segments) for table, frame in providers.items()}
    check_study(customers, providers, instrument, customers_raw, problems)
    flag_negative_items(customers, instrument, customers_raw, {s.name: str(s.column) for s in customer_specs},
                        problems)
    if given.instrument is None and instrument.name in (SERVQUAL_22.name, OWN_INSTRUMENT):
        say_servqual_assumed(instrument, customers, customers_raw, problems)
        instrument = with_file_texts(instrument, customer_specs, customers_raw.question_texts)
    if given.instrument is None:
        instrument = with_wording(instrument, sheet_wording(questions))
    study_mapping = _study_mapping(mapped, instrument, file_texts, given, scale, na, segments)
    # The study reads the items it asks; its mapping keeps the whole instrument, for a wave that asks them all.
    asked = items_asked(customers, "E") | items_asked(customers, "P")
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
        scratch = [Problem("warning", "own_instrument_numbers", **by_table["customers"][0].place,
                           values={"count": len(numbers), "last": numbers[-1]})]
        mapped = _map_tables(by_table, instrument, mapping, scratch)
    problems.extend(scratch)
    return mapped, instrument


def _map_tables(by_table: Mapping[str, list[RawTable]], instrument: Instrument, mapping: ColumnMapping | None,
                problems: list[Problem]) -> Mapped:
    """Each known table's columns: detected, then as the mapping says."""
    mapped: Mapped = {}
    for table in ("customers", *PROVIDER_TABLES):
        if table not in by_table:
            continue
        raw = drop_blank_rows(by_table[table][0], problems)
        check_raw(raw, problems)
        specs, found = detect_columns(table, raw.frame, instrument, file=raw.file, sheet=raw.sheet,
                                      texts=raw.question_texts)
        problems.extend(found)
        if mapping is not None:
            specs = apply_mapping(table, mapping, specs)
            unknown = {s.column for s in mapping.for_table(table)} - set(raw.frame.columns)
            problems.extend(Problem("warning", "mapping_column_absent", column=column, **raw.place)
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
        problems.append(Problem("error", "no_item_columns", **customers_raw.place, values={
            "columns": ", ".join(map(str, list(customers_raw.frame.columns)[:12]))}))
        return False
    numbers = {column: k for k, column in enumerate(candidates, start=1)}
    dimensions = proposed_dimensions(candidates, customers_raw.question_texts)
    mapped["customers"] = (customers_raw, [ColumnSpec("customers", s.column, "P", numbers[s.column],
                                                      dimensions[s.column]) if s.column in numbers else s
                                           for s in customer_specs])
    values = {"count": len(candidates), "columns": shorten(candidates)}
    if not accept_proposal:
        problems.append(Problem("error", "items_proposed", **customers_raw.place, values=values))
        return False
    problems.append(Problem("info", "items_confirmed", **customers_raw.place, values=values))
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
    problems.append(Problem("error", "answer_ladder_guessed", **raw.place, values={
        "ladder": " < ".join(ladder), "count": len(worded), "columns": shorten(worded)}))
    return ladder


def _answered_in_unknown_words(column: pd.Series, known: set[str]) -> bool:
    """Mostly answered in words, a ladder's number of them (``LADDER_WORDS``), half of them or more unknown
    to the label table: a language with no built-in ladder — not a few typed-in words among numbers, nor one
    stray word beside a known ladder, which are reported as such (and added in the label table)."""
    if pd.api.types.is_numeric_dtype(column.dtype):  # numbers (the common case, at any size): no words
        return False
    present = column.dropna().head(20_000).astype(str).str.strip()
    present = present[present != ""]
    words = text_values(present)
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


def _convert_answers(mapped: Mapped, lookup: Mapping[str, float], problems: list[Problem]) -> Converted:
    """Every answer column as numbers (answer labels and SPSS codes read through ``lookup``)."""
    converted: Converted = {}
    for table, (raw, specs) in mapped.items():
        converted[table] = {}
        for spec in specs:
            if spec.role not in LEVEL_ALIASES:
                continue
            series = raw.frame[spec.column]
            codes = sav_codes(raw, spec.column, series)
            values = codes if codes is not None else to_numbers(series, lookup, raw, spec.column, problems)
            with np.errstate(over="ignore"):  # 1e300 becomes inf, then out of range like any such answer
                converted[table][spec.name] = Answers.of(values.astype(np.float32, copy=False))
    return converted


def _not_applicable(converted: Converted, given: _Settings, customers_raw: RawTable,
                    problems: list[Problem]) -> tuple[float | str, ...]:
    """Apply the "not applicable" codes given, or detect them when neither codes nor scale were given."""
    na = given.na
    na_counts = apply_na(converted, {float(c) for c in na or () if not isinstance(c, str)}, tuple(converted))
    if na_counts:
        problems.append(Problem("info", "na_codes_applied", **customers_raw.place, values={
            "codes": codes_text(na or ()), "count": sum(na_counts.values()), "columns": len(na_counts)}))
    if na is None and given.scale is None:
        detected = detect_na_codes(converted)
        if detected:
            na = detected
            counted = apply_na(converted, set(detected), ("customers",))
            problems.append(Problem("warning", "na_detected", **customers_raw.place, values={
                "codes": codes_text(detected), "count": sum(counted.values())}))
    return tuple(na or ())


def _study_mapping(mapped: Mapped, instrument: Instrument, file_texts: Mapping[str, str], given: _Settings,
                   scale: Scale, na: tuple[float | str, ...], segments: Mapping[str, SegmentSetup]) -> ColumnMapping:
    """The mapping as the study was read: every column, every setting (what the user can save)."""
    default_shape = [(it.number, it.dimension, it.reverse) for it in SERVQUAL_22.items]
    custom = None if [(it.number, it.dimension, it.reverse) for it in instrument.items] == default_shape \
        else instrument
    labels = given.labels
    return ColumnMapping(
        tuple(with_dimension(s, instrument) for _, specs in mapped.values() for s in specs), texts=file_texts,
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
            columns[spec.role] = outcome_values(raw, spec, lookup, problems)
        elif spec.role == "retention":
            columns["retention"], retention_kind = retention_values(raw, spec.column, source, lookup, problems)
        elif spec.role == "weight":
            columns["weight"] = weight_values(raw, spec.column, problems)
        elif spec.role == "points":
            columns[spec.name] = within_magnitude(to_numbers(source, {}, raw, spec.column, problems, kind="points"),
                                                  raw, spec.column, problems)
        elif spec.role == "id":
            ids = source.astype("string")
            # whole numbers repeat exactly where their texts do, and are compared 20× faster
            keys = source if pd.api.types.is_integer_dtype(source.dtype) else ids
            dup = keys.duplicated(keep="first") & ids.notna()
            if dup.any():
                report_cells(ids[dup], raw, spec.column, "duplicate_id", problems)
            columns["id"] = ids.to_numpy()
        elif spec.role in ("wave", "segment"):
            columns[spec.name] = segment_categories(raw, spec.column, source)
    customers = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)), copy=False)
    check_points(customers, raw, problems)
    asked = [s.name for s in specs if s.role in CUSTOMER_LEVELS and s.name in customers.columns]
    return without_unanswered(customers, asked, raw, problems), retention_kind


def _provider_frame(raw: RawTable, specs: list[ColumnSpec], items: Mapping[str, Answers]) -> pd.DataFrame:
    columns: dict[str, object] = {}
    for spec in specs:
        if spec.role in LEVEL_ALIASES:
            columns[spec.name] = items[spec.name].as_float()
        elif spec.role in ("segment", "wave"):
            columns[spec.name] = segment_categories(raw, spec.column, raw.frame[spec.column])
    return pd.DataFrame(columns, index=pd.RangeIndex(len(raw.frame)), copy=False)


def load_paths(paths: Iterable[str | Path], **options: object) -> LoadResult:
    """Convenience for scripts and the CLI: read files from disk and load them."""
    files = [SourceFile(Path(p).name, Path(p).read_bytes()) for p in paths]
    return load_study(files, **options)  # type: ignore[arg-type]
