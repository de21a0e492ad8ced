"""Column detection: which column of which table holds what.

Headers are recognised in the forms analysts use (``E1``, ``E_1``, ``e01``, ``Q1_E``, ``Q1E``,
``exp1``, ``expectation_1``, ``기대1``, ``期望1``, whole question texts ending in a role marker such as
``3-1. … (기대 설문)``), and likewise for the other levels. What is ambiguous is reported with its
candidates and left unmapped: detection never guesses. The words are in ``gapcore.io.headers``; the result is
a list of :class:`~gapcore.io.mapping.ColumnSpec`, which a :class:`~gapcore.io.mapping.ColumnMapping` keeps and
a mapping file restates; what detection leaves open is proposed in ``gapcore.io.proposals``.

In detail: header → role: item levels `E P A I M S D C` in every recognised form (codes, question texts with role
markers, KO/ZH prefixes), named roles (the outcomes, `OUTCOMES`: satisfaction, retention, recommend — listed
nowhere else —; weight, id, wave), `W_*` points, segments. Question texts name roles and levels too ("…
(Expectations) - Row", "Perception - …", a `V1` whose text is "ResponseID"); a one-letter coded block (`p01`…)
whose texts say nothing of its level and has no counterpart is set aside; several questions naming one outcome
resolve to the overall one or are asked. Block codes, a letter and a number per block in order from A
(`block_codes`: A1…, B1…, C1…), are questions, never levels (no adequate A block, no communications table).
`proposed_dimensions`: proposed items take the blocks the file marks — a Google Forms grid's question ("Question
[Row]", its row the item's wording), a block letter, numbering that restarts (Q1_1, Q2_1) — else one dimension to
name. `propose_items`: unmarked rating columns (the largest group of 0–10 whole-number columns sharing a top
answer; value-labelled categories — SPSS age or income bands, gender, whose labels are not the rating battery's,
`categorical_columns` — are never items). Ambiguity is reported with candidates, never guessed. `ColumnMapping`
(file format v2, documented in the README) carries the columns plus every reading setting: encoding, delimiter,
header row, scale, N/A codes, labels, instrument.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

import pandas as pd

from gapcore.instrument import Instrument
from gapcore.io.headers import (
    BARE_ITEM,
    CUSTOMER_LEVELS,
    LEADING_NUMBERS,
    LEVEL_ALIASES,
    OUTCOMES,
    POINTS,
    PROVIDER_LEVEL,
    ROLE_ALIASES,
    block_codes,
    code_level,
    marker_level,
    na_flag_item,
    named_role,
    normalized_header,
    text_level,
)
from gapcore.io.mapping import ColumnSpec
from gapcore.io.scale import BINARY_LABELS, LADDER_WORDS, MISSING_LABELS, is_answer_label, normalize_label
from gapcore.problems import Problem

MAX_SEGMENT_VALUES = 50


def _points_dimension(norm: str, instrument: Instrument) -> str | None:
    match = POINTS.match(norm.replace(" ", "_"))
    if not match:
        return None
    code = match.group(1).strip("_ ").upper()
    for dim in instrument.dimensions:
        if code in (instrument.points_code(dim), dim.upper()):
            return dim
    return None


def _numbers_by_marker(rows: list[tuple[str, str]]) -> dict[str, int] | None:
    """Item numbers for question-text headers: the first number if distinct, else the last."""
    firsts, lasts = [], []
    for _, norm in rows:
        match = LEADING_NUMBERS.match(norm)
        firsts.append(int(match.group(1)) if match else None)
        lasts.append(int(match.group(2) or match.group(1)) if match else None)
    for candidate in (firsts, lasts):
        if None not in candidate and len(set(candidate)) == len(candidate):
            return {col: n for (col, _), n in zip(rows, candidate, strict=True)}
    return None


def detect_columns(
    table: str,
    frame: pd.DataFrame,
    instrument: Instrument,
    *,
    file: str | None = None,
    sheet: str | None = None,
    texts: Mapping[str, str] | None = None,
) -> tuple[list[ColumnSpec], list[Problem]]:
    """Propose a role for every column of one table, with the problems found on the way.

    ``texts`` are the question texts the file gives for its columns (a second header row, SPSS
    variable labels): a coded column (``V1``) whose text names a role ("ResponseID") takes that role,
    and a one-letter code (``p01``) whose question says nothing of perceptions, in a study without the
    matching expectation block, is not taken as an item on its code alone (it is proposed instead)."""
    texts = texts or {}
    problems: list[Problem] = []
    where = {"file": file, "sheet": sheet}
    specs, item_candidates, marker_rows, bare_items = _first_pass(table, frame, instrument, texts)
    for level, rows in marker_rows.items():
        numbers = _numbers_by_marker(rows)
        if numbers is None:
            numbers = {col: n for n, (col, _) in enumerate(rows, start=1)}
            problems.append(Problem("warning", "items_numbered_by_position", **where,
                                    values={"level": level, "count": len(rows)}))
        for col, number in numbers.items():
            item_candidates[(level, number)].append(col)
    if table != "customers" and not item_candidates and bare_items:
        for col, number in bare_items:
            item_candidates[(PROVIDER_LEVEL[table], number)].append(col)
    unconfirm_one_letter_codes(item_candidates, texts, problems, where)
    specs.update(_item_specs(table, item_candidates, instrument, problems, where))
    _settle_repeated_roles(table, frame, specs, texts, problems, where)

    item_like = {c for cols in item_candidates.values() for c in cols}
    result = []
    for column in frame.columns:
        if column in specs:
            result.append(specs[column])
        elif column in item_like:  # ambiguous, outside the instrument, or a partial block
            result.append(ColumnSpec(table, column, "ignore"))
        else:
            result.append(ColumnSpec(table, column, _other_role(frame[column])))
    return result, problems


def _first_pass(table: str, frame: pd.DataFrame, instrument: Instrument, texts: Mapping[str, str]
                ) -> tuple[dict[str, ColumnSpec], dict[tuple[str, int], list[str]], dict[str, list[tuple[str, str]]],
                           list[tuple[str, int]]]:
    """Each column on its own: an item code (``E1``), a role marker in its name or question (to be
    numbered with its block), importance points, a named role, or a bare number (provider tables)."""
    levels = CUSTOMER_LEVELS if table == "customers" else (PROVIDER_LEVEL[table],)
    item_candidates: dict[tuple[str, int], list[str]] = defaultdict(list)
    marker_rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    specs: dict[str, ColumnSpec] = {}
    bare_items: list[tuple[str, int]] = []
    blocks = block_codes(frame.columns)
    for column in frame.columns:
        norm = normalized_header(column)
        if table == "customers" and na_flag_item(column) is not None:
            specs[column] = ColumnSpec(table, column, "ignore")  # an item's not-applicable flag (load applies it)
            continue
        coded = code_level(column, levels) if column not in blocks else None
        if coded:
            item_candidates[coded].append(column)
            continue
        marker = marker_level(norm, levels) or (text_level(texts[column], levels) if texts.get(column) else None)
        if marker:
            marker_rows[marker].append((column, norm))
            continue
        dim = _points_dimension(norm, instrument) if table == "customers" else None
        role = "points" if dim else _role_of(table, column, norm, texts)
        if role:
            specs[column] = ColumnSpec(table, column, role, dimension=instrument.points_code(dim) if dim else None)
            continue
        bare = BARE_ITEM.match(norm.replace(" ", ""))
        if table != "customers" and bare:
            bare_items.append((column, int(bare.group(1))))
    return specs, item_candidates, marker_rows, bare_items


def _role_of(table: str, column: str, norm: str, texts: Mapping[str, str]) -> str | None:
    """A named role from the column's name, or from its question when the name is a bare code (``V1``)."""
    role = named_role(norm) if table == "customers" else None
    if role is None and norm in ROLE_ALIASES["id"]:
        role = "id"
    text = normalized_header(texts.get(column, ""))
    if role is None and text and BARE_CODE.match(norm.replace(" ", "")):
        role = ("id" if text.replace(" ", "") in _ID_TEXTS
                else named_role(text) if table == "customers" and len(text) <= 40 else None)
    return role


def _item_specs(table: str, item_candidates: Mapping[tuple[str, int], list[str]], instrument: Instrument,
                problems: list[Problem], where: Mapping[str, str | None]) -> dict[str, ColumnSpec]:
    """Item columns of the instrument, one per level and number; optional blocks (adequate, importance)
    count only when they cover at least half the instrument; two candidates for one item are asked."""
    by_level: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    for (level, number), cols in item_candidates.items():
        by_level[level].append((number, cols))
    half = max(1, (len(instrument.items) + 1) // 2)
    specs: dict[str, ColumnSpec] = {}
    for level, entries in by_level.items():
        in_instrument = [(n, cols) for n, cols in entries if instrument.has(n)]
        if level in ("A", "I") and len(in_instrument) < half:
            problems.append(Problem("info", "partial_item_block", **where, values={
                "level": level, "found": len(in_instrument), "expected": len(instrument.items),
                "columns": ", ".join(c for _, cols in entries for c in cols)}))
            continue
        for number, cols in sorted(entries):
            if not instrument.has(number):
                problems.extend(Problem("info", "item_not_in_instrument", column=col, **where, values={"item": number})
                                for col in cols)
            elif len(cols) > 1:
                problems.append(Problem("warning", "ambiguous_item_column", **where, values={
                    "level": level, "item": number, "candidates": ", ".join(map(str, cols))}))
            else:
                specs[cols[0]] = ColumnSpec(table, cols[0], level, number)
    return specs


def _settle_repeated_roles(table: str, frame: pd.DataFrame, specs: dict[str, ColumnSpec], texts: Mapping[str, str],
                           problems: list[Problem], where: Mapping[str, str | None]) -> None:
    """A role named by several columns: the overall outcome question is told from per-attribute ones that
    mention the same word; otherwise the columns are left unmapped and the user is asked."""
    used_roles: dict[str, list[str]] = defaultdict(list)
    for spec in specs.values():
        if spec.role in ROLE_ALIASES:
            used_roles[spec.role].append(spec.column)
    for role, cols in used_roles.items():
        if len(cols) < 2:
            continue
        overall = overall_question(cols, texts)
        if overall and role in OUTCOMES:
            for col in cols:
                if col != overall[0]:
                    specs[col] = ColumnSpec(table, col, _other_role(frame[col]))
            problems.append(Problem("info", "outcome_chosen", **where, values={
                "role": role, "column": overall[0], "others": ", ".join(c for c in cols if c != overall[0])}))
        else:
            problems.append(Problem("warning", "ambiguous_role_column", **where,
                                    values={"role": role, "candidates": ", ".join(cols)}))
            for col in cols:
                specs.pop(col)


def _other_role(values: pd.Series) -> str:
    """A column with no named role is a segment when it has a few distinct values, else ignored."""
    distinct = values.dropna().nunique()
    return "segment" if 1 <= distinct <= MAX_SEGMENT_VALUES else "ignore"


BARE_CODE = re.compile(r"^[a-z]{0,3}[_\-\.]?\d{1,3}([_\-\.]\d{1,3})?$")
_ID_TEXTS = frozenset({"responseid", "respondentid", "respondent", "id", "responseno", "응답자id", "응답자번호"})
ONE_LETTER_CODE = re.compile(r"^[a-z][_\-\.]?0*\d{1,3}$")


def categorical_columns(value_labels: Mapping[str, Mapping[float, str]]) -> set[str]:
    """The value-labelled columns that hold categories rather than ratings. A rating battery labels its
    columns alike (three or more share one set of labels, in any language); a labelled column outside it
    is a category (age band, income band, gender, region). With no battery, a column is a category unless
    every label reads as a rating answer ("Agree", "매우 그렇다", "Concordo")."""
    signatures = {column: frozenset(normalize_label(v) for v in labels.values())
                  for column, labels in value_labels.items() if labels}
    shared = Counter(signatures.values())
    battery = max((sig for sig, count in shared.items() if count >= 3), key=shared.get, default=None)
    if battery is not None:
        return {column for column, sig in signatures.items() if sig != battery}
    return {column for column, sig in signatures.items() if not all(is_answer_label(label) for label in sig)}


def answer_words(series: pd.Series) -> frozenset[str] | None:
    """The set of words a column is answered in, when it is a rating ladder's size (``LADDER_WORDS``) and
    none is a number: answers in a language no built-in ladder knows ("Täysin samaa mieltä")."""
    if pd.api.types.is_numeric_dtype(series.dtype):
        return None
    words = {normalize_label(v) for v in pd.unique(series.dropna().head(20_000)) if str(v).strip()}
    words -= MISSING_LABELS
    if len(words) not in LADDER_WORDS or any(pd.notna(pd.to_numeric(w, errors="coerce")) for w in words):
        return None
    return frozenset(words)


def rated_in_words(series: pd.Series) -> bool:
    """A column answered in rating words ("Satisfied", "Good", "매우 그렇다"), not yes/no."""
    if pd.api.types.is_numeric_dtype(series.dtype):
        return False
    words = {str(v).strip() for v in pd.unique(series.dropna().head(20_000)) if str(v).strip()}
    return len(words) >= 3 and all(is_answer_label(w) for w in words) and not all(
        normalize_label(w) in BINARY_LABELS for w in words)


def numeric_answers(series: pd.Series) -> pd.Series | None:
    """The answers of a column when (nearly) all are whole numbers between 0 and 10, else ``None``."""
    present = series.dropna()
    if present.empty:
        return None
    if pd.api.types.is_numeric_dtype(present.dtype) and not pd.api.types.is_bool_dtype(present.dtype):
        numbers = present.astype(float)
    else:
        text = present.astype(str).str.strip()
        text = text[(text != "") & ~text.map(is_answer_label).astype(bool) | text.str.fullmatch(r"\d+(\.0)?")]
        numbers = pd.to_numeric(text, errors="coerce")
        if numbers.isna().mean() > 0.05:
            return None
        numbers = numbers.dropna()
    if numbers.empty:
        return None
    numbers = numbers[numbers < 90]  # 99/999 are "not applicable" codes, read as such later
    if numbers.empty or numbers.min() < 0 or numbers.max() > 10 or not (numbers == numbers.round()).all():
        return None
    return numbers


_OVERALL = re.compile(r"overall|in general|all in all|total|전반|전체|종합|총체|总体|整体|總體|综合|總的"
                      r"|geral|global|en general|insgesamt|gesamt|tổng thể|nói chung|全体|総合|keseluruhan")


_NUMBERED = re.compile(r"^\s*(q\s*)?\d{1,3}\s*[-_.)]")


def overall_question(columns: Sequence[str], texts: Mapping[str, str]) -> list[str]:
    """The one overall question among several naming the same outcome: the one that says so
    ("overall", "전반적", "总体"), else the one standing outside the numbered item blocks; ``[]`` when
    that does not single one out (then the user picks)."""
    said = [c for c in columns if _OVERALL.search(normalized_header(f"{c} {texts.get(c, '')}"))]
    if len(said) == 1:
        return said
    apart = [c for c in columns if not (_NUMBERED.match(normalized_header(c))
                                        or BARE_CODE.match(normalized_header(c).replace(" ", "")))]
    return apart if len(apart) == 1 else []


def unconfirm_one_letter_codes(candidates: dict[tuple[str, int], list[str]], texts: Mapping[str, str],
                               problems: list[Problem], where: Mapping[str, str | None]) -> None:
    """Drop a block recognised only by one-letter codes (``p01``…) when the file's own question texts
    say nothing of that level and its counterpart block is absent: ``p`` may as well mean "PII". The
    columns go back to the pool that is proposed to the user, texts shown."""
    levels = {level for level, _ in candidates}
    for level in ("E", "P"):
        counterpart = "P" if level == "E" else "E"
        if level not in levels or counterpart in levels:
            continue
        cols = [c for (lev, _), cs in candidates.items() if lev == level for c in cs]
        weak = [c for c in cols if ONE_LETTER_CODE.match(normalized_header(c).replace(" ", "")) and texts.get(c)
                and not _mentions_level(texts[c], level)]
        if weak and len(weak) == len(cols):
            for key in [k for k in candidates if k[0] == level]:
                del candidates[key]
            problems.append(Problem("warning", "items_unconfirmed", **where, values={
                "level": level, "columns": ", ".join(weak[:12]) + (" …" if len(weak) > 12 else "")}))


def _mentions_level(text: str, level: str) -> bool:
    norm = normalized_header(text)
    return marker_level(norm, (level,)) is not None or any(
        len(alias) > 3 and alias in norm for alias in LEVEL_ALIASES[level])
