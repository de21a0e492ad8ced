"""A study's reading (its ``ColumnMapping``, scale, "not applicable" codes, reverse items, segment groups)
turned into one SQL query that gives the canonical customers table inside the engine, and the counts of what
the reading drops, computed there too.

The mapping is the one an upload of the source's first rows is read with (``gapcore.io.sources.Source.sample``
through ``load_study``, or the v2 mapping file the Data page downloads), so the full table is read exactly as
the sample was: renames (``E3``, ``P3``, outcomes, ``weight``, ``W_<code>``, segments under their names),
"not applicable" codes made missing, answers outside the scale made missing and counted, reverse-worded items
reversed (low + high − x), numbers beyond ±1e6 in outcomes and points dropped, recommendation outside 0–10
dropped, weights that are missing, not positive or above the limit left out (counted), segment values as
text (whole numbers without ".0") merged into the analyst's groups, and rows that answer no item left out
(counted), as ``load`` does.

Columns the engine stores as text (answer words, "kept"/"lost", two-word satisfaction, numbers written as
text) are read value by value as ``load`` reads them: the engine lists the column's distinct values, each is
converted here by the loader's own rules (``conversion``, ``outcomes``), and the result is a ``CASE`` over the
raw values; a value no rule reads is missing and counted. What this reading does not do in the engine is
refused before anything is computed, with the column named: a text column with more than
``MAX_DISTINCT_TEXTS`` distinct values, and "not applicable" flag columns (``NA7``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from gapcore.errors import GapcoreError
from gapcore.instrument import Instrument
from gapcore.io.conversion import label_value
from gapcore.io.headers import CUSTOMER_LEVELS, LEVEL_ALIASES, na_flag_item
from gapcore.io.mapping import ColumnMapping
from gapcore.io.outcomes import MAX_MAGNITUDE, MAX_WEIGHT, satisfaction_words
from gapcore.io.scale import BINARY_LABELS, Scale, label_lookup, normalize_label
from gapcore.io.sources import Source
from gapcore.sql_scores import quoted


@dataclass(frozen=True)
class EngineReading:
    """The canonical customers relation (a parenthesised query, DuckDB's dialect), its columns, and the
    statement that counts what the reading dropped (one row: respondents, then one count per check)."""

    relation: str
    columns: tuple[str, ...]
    segments: tuple[str, ...]
    checks: str
    check_names: tuple[tuple[str, str], ...]  # (problem key, source column) per count after the first


MAX_DISTINCT_TEXTS = 2_000


def _number(column: str) -> str:
    return f"CAST({quoted(column)} AS DOUBLE)"


def _as_number(text: str, lookup: Mapping[str, float]) -> float | None:
    """One text cell as ``conversion.to_numbers`` reads it: a number, an answer word, a missing marker (NaN),
    or ``None`` when nothing reads it."""
    stripped = text.strip()
    if stripped == "":
        return float("nan")
    try:
        return float(stripped)
    except ValueError:
        return label_value(stripped, lookup)


def _text_values(source: Source, column: str, role: str, lookup: Mapping[str, float],
                 retention_kind: str | None) -> tuple[str, str]:
    """(value, unreadable condition) of a text column: its distinct values listed by the engine once, each
    converted by the loader's rule for the column's role (``_converter``)."""
    found = [str(v) for v in source.run(
        f"SELECT DISTINCT CAST({quoted(column)} AS VARCHAR) AS v FROM {source.relation} "
        f"WHERE {quoted(column)} IS NOT NULL LIMIT {MAX_DISTINCT_TEXTS + 1}")["v"].tolist()]
    if len(found) > MAX_DISTINCT_TEXTS:
        raise GapcoreError("source_text_column", file=source.text, column=column, count=MAX_DISTINCT_TEXTS)
    convert = _converter(role, lookup, retention_kind, found)
    converted = {v: convert(v) for v in found}
    raw = f"CAST({quoted(column)} AS VARCHAR)"
    known = [f"WHEN '{_escape(v)}' THEN {x!r}" for v, x in converted.items() if x is not None and x == x]
    unread = [f"'{_escape(v)}'" for v, x in converted.items() if x is None]
    value = f"(CASE {raw} {' '.join(known)} END)" if known else "CAST(NULL AS DOUBLE)"
    return value, (f"{raw} IN ({', '.join(unread)})" if unread else "FALSE")


def _segment_text(source: Source, column: str) -> str:
    """Segment values as ``outcomes.segment_categories`` writes them: whole numbers without a decimal part."""
    if source.numeric(column):
        x = _number(column)
        return (f"(CASE WHEN {x} = FLOOR({x}) AND ABS({x}) < 1e15 THEN CAST(CAST({x} AS BIGINT) AS VARCHAR) "
                f"ELSE CAST({quoted(column)} AS VARCHAR) END)")
    return f"NULLIF(TRIM(CAST({quoted(column)} AS VARCHAR)), '')"


def _merged(expression: str, merge: Mapping[str, str]) -> str:
    if not merge:
        return expression
    cases = " ".join(f"WHEN {expression} = '{_escape(value)}' THEN '{_escape(group)}'"
                     for value, group in merge.items())
    return f"(CASE {cases} ELSE {expression} END)"


def _escape(text: str) -> str:
    return str(text).replace("'", "''")


def _answer(x: str, column: str, scale: Scale, codes: Sequence[float], reverse: bool,
            checks: list[tuple[str, str, str]]) -> str:
    """An item answer: "not applicable" codes and answers off the scale missing (counted), reversed if worded so."""
    listed = ", ".join(f"{c:g}" for c in codes)
    answered = f"{x} IS NOT NULL" + (f" AND {x} NOT IN ({listed})" if codes else "")
    inside = f"{x} >= {scale.low} AND {x} <= {scale.high}"
    checks.append(("out_of_range_answer", column, f"{answered} AND NOT ({inside})"))
    if codes:
        checks.append(("na_code", column, f"{x} IN ({listed})"))
    return f"(CASE WHEN {answered} AND {inside} THEN {f'{scale.low + scale.high} - {x}' if reverse else x} END)"


def _magnitude(x: str, column: str, checks: list[tuple[str, str, str]], _binary: bool = False) -> str:
    checks.append(("value_too_large", column, f"ABS({x}) > {MAX_MAGNITUDE:.0f}"))
    return f"(CASE WHEN ABS({x}) <= {MAX_MAGNITUDE:.0f} THEN {x} END)"


def _recommend(x: str, column: str, checks: list[tuple[str, str, str]], _binary: bool = False) -> str:
    checks.append(("value_too_large", column, f"ABS({x}) > {MAX_MAGNITUDE:.0f}"))
    checks.append(("out_of_range_recommend", column, f"({x} < 0 OR {x} > 10) AND ABS({x}) <= {MAX_MAGNITUDE:.0f}"))
    return f"(CASE WHEN {x} >= 0 AND {x} <= 10 THEN {x} END)"


def _retention(x: str, column: str, checks: list[tuple[str, str, str]], binary: bool = False) -> str:
    """Kept 1 / lost 0 from numbers (words come through ``_text_values``), or a stated intention as it is."""
    if not binary:
        return x
    checks.append(("non_binary_retention", column, f"{x} IS NOT NULL AND {x} NOT IN (0, 1)"))
    return f"(CASE WHEN {x} = 1 THEN 1.0 WHEN {x} = 0 THEN 0.0 END)"


def _weight(x: str, column: str, checks: list[tuple[str, str, str]], _binary: bool = False) -> str:
    checks.append(("invalid_weight", column, f"{x} IS NULL OR NOT ({x} > 0 AND {x} <= {MAX_WEIGHT:.0f})"))
    return f"(CASE WHEN {x} > 0 AND {x} <= {MAX_WEIGHT:.0f} THEN {x} END)"


_OUTCOMES = {"satisfaction": _magnitude, "points": _magnitude, "recommend": _recommend, "retention": _retention,
             "weight": _weight}


def engine_reading(source: Source, mapping: ColumnMapping, instrument: Instrument, scale: Scale,
                   na: Sequence[float | str], retention_kind: str | None,
                   labels: pd.DataFrame | None = None) -> EngineReading:
    """The canonical relation of ``source`` read with ``mapping`` (see the module's docstring)."""
    specs = [s for s in mapping.for_table("customers") if s.column in source.types and s.role != "ignore"]
    for column in source.columns:
        if na_flag_item(column) is not None:
            raise GapcoreError("source_na_flags", file=source.text, column=column)
    codes = sorted({float(c) for c in na if not isinstance(c, str)})
    lookup = dict(label_lookup(labels)) if labels is not None else {}
    lookup.update({normalize_label(c): float("nan") for c in na if isinstance(c, str)})
    selected: list[str] = []
    names: list[str] = []
    checks: list[tuple[str, str, str]] = []  # (key, column, condition counted)
    for spec in specs:
        column, name = str(spec.column), spec.name
        x = _number(column)
        if spec.role in (*LEVEL_ALIASES, "satisfaction", "recommend", "retention", "weight", "points") \
                and not source.numeric(column):
            x, unread = _text_values(source, column, spec.role, lookup, retention_kind)
            checks.append(("non_numeric_answer" if spec.role in LEVEL_ALIASES else "non_numeric_outcome",
                           column, unread))
        if spec.role in CUSTOMER_LEVELS:
            reverse = instrument.has(spec.item or -1) and instrument.item(spec.item).reverse
            value = _answer(x, column, scale, codes, reverse, checks)
        elif spec.role in ("segment", "wave"):
            setup = mapping.segments.get(name)
            value = _merged(_segment_text(source, column), setup.merge if setup else {})
        elif spec.role in _OUTCOMES:
            value = _OUTCOMES[spec.role](x, column, checks, retention_kind == "binary" and source.numeric(column))
        else:
            continue  # id: no figure reads it
        selected.append(f"{value} AS {quoted(name)}")
        names.append(name)
    items = [s.name for s in specs if s.role in CUSTOMER_LEVELS]
    segments = [s.name for s in specs if s.role in ("segment", "wave")]
    answered_any = " OR ".join(f"{quoted(i)} IS NOT NULL" for i in items) or "TRUE"
    inner = f"SELECT {', '.join(selected)} FROM {source.relation}"
    relation = f"(SELECT * FROM ({inner}) AS sg_read WHERE {answered_any})"
    flags = [f"(CASE WHEN {condition} THEN 1 ELSE 0 END) AS k{i}" for i, (_, _, condition) in enumerate(checks)]
    counts = ["COUNT(*)", *(f"SUM(k{i})" for i in range(len(checks))),
              f"SUM(CASE WHEN {answered_any} THEN 0 ELSE 1 END)"]
    statement = (f"SELECT {', '.join(f'{c} AS c{i}' for i, c in enumerate(counts))} "
                 f"FROM (SELECT {', '.join([*selected, *flags])} FROM {source.relation}) AS sg_checked")
    return EngineReading(relation, tuple(names), tuple(segments), statement,
                         (*((key, column) for key, column, _ in checks), ("rows_without_answers", "")))


def _converter(role: str, lookup: Mapping[str, float], retention_kind: str | None, found: Sequence[str]):
    """How ``load`` reads one text value of a column with this role, given the column's distinct texts."""
    if role == "retention" and retention_kind == "binary":
        return lambda v: BINARY_LABELS.get(normalize_label(v), None if v.strip() else float("nan"))
    if role == "satisfaction":
        stripped = list(dict.fromkeys(v.strip() for v in found))
        words = satisfaction_words(stripped)
        if words is not None:  # two words: 1 / 0
            table = dict(zip(stripped, words, strict=True))
            return lambda v: table.get(v.strip())
    if role == "weight":
        return lambda v: _as_number(v, {})
    return lambda v: _as_number(v, lookup)
