"""Proposals for a file detection cannot map alone: the rating questions proposed as items (to confirm
with one click), their wording and dimensions from the questions' own blocks, and a few segment columns;
each proposal is said, never applied silently.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

import pandas as pd

from gapcore.instrument import Instrument, Item
from gapcore.io.columns import answer_words, categorical_columns, numeric_answers, rated_in_words
from gapcore.io.headers import CUSTOMER_LEVELS, LEVEL_ALIASES, block_codes, code_level, marker_level, normalized_header
from gapcore.io.mapping import ColumnSpec
from gapcore.problems import Problem

#: Segments proposed at most (a real export has dozens of few-answer columns: a sidebar of 111 filters)
MAX_PROPOSED_SEGMENTS = 8


_SEGMENT_NAME = re.compile(
    r"branch|store|shop|outlet|region|area|city|country|channel|gender|sex|\bage|wave|round|segment|type|group|"
    r"tier|grade|department|team|지점|매장|점포|지역|채널|성별|연령|나이|유형|등급|차수|부서|门店|分店|网点|地区|区域|城市|"
    r"渠道|性别|年龄|类型|等级|批次|部门")


#: Columns survey tools add for their own bookkeeping (Qualtrics, SurveyMonkey, Google Forms), by header or
#: by the question text a coded header (V7) carries: never proposed as segments (they can still be chosen)
_BOOKKEEPING = re.compile(
    r"^(start ?date|end ?date|recorded ?date|date ?modified|status|progress|finished|duration.*|ip ?address|"
    r"response ?id|response ?set|external ?(data ?)?reference|distribution ?channel|user ?language|"
    r"location ?(latitude|longitude)|recipient ?(first ?name|last ?name|email)|collector ?id|respondent ?id|"
    r"timestamp|name|email( ?address)?)$")


def _is_bookkeeping(column: str, text: str) -> bool:
    return any(_BOOKKEEPING.match(normalized_header(value).replace("_", " ").strip())
               for value in (str(column), text) if value)


def proposed_segments(specs: list[ColumnSpec], frame: pd.DataFrame, texts: Mapping[str, str],
                       problems: list[Problem], where: Mapping[str, str | None]) -> list[ColumnSpec]:
    """At most ``MAX_PROPOSED_SEGMENTS`` segments, proposed in order of likelihood: a header that names a
    grouping (branch, 연령, 渠道), then text answers before numbers (a rating block has few distinct
    numbers too), then file order; a survey tool's own bookkeeping (StartDate, Status, Collector ID) is not
    proposed. The rest are left unused and listed, to be chosen on the Data page. Applied to detected
    customer columns once their items are settled (a rating block is not a segment)."""
    segments = [s for s in specs if s.role == "segment"]
    bookkeeping = {s.column for s in segments if _is_bookkeeping(s.column, texts.get(s.column, ""))}
    if len(segments) <= MAX_PROPOSED_SEGMENTS and not bookkeeping:
        return specs

    def rank(spec: ColumnSpec) -> tuple[int, int]:
        named = _SEGMENT_NAME.search(normalized_header(f"{spec.column} {texts.get(spec.column, '')}")) is not None
        numbers = pd.to_numeric(frame[spec.column].dropna().astype(str), errors="coerce").notna().mean() > 0.9
        return (0 if named else 1, 1 if numbers else 0)

    candidates = [s for s in segments if s.column not in bookkeeping]
    kept = {s.column for s in sorted(candidates, key=rank)[:MAX_PROPOSED_SEGMENTS]}  # sorted is stable: file order
    left = [str(s.column) for s in segments if s.column not in kept]
    problems.append(Problem("info", "segments_left_out", **where, values={
        "count": len(left), "kept": ", ".join(str(s.column) for s in segments if s.column in kept),
        "columns": ", ".join(left[:12])
        + (" …" if len(left) > 12 else "")}))
    return [replace(s, role="ignore") if s.role == "segment" and s.column not in kept else s for s in specs]


#: A Google Forms grid answer: "Question [Row]"; a numbered block item: "Q1_2", "1-2.", "문1-2", "問1-2".
_GRID_ROW = re.compile(r"^(?P<block>.*\S)\s*\[(?P<row>[^\]]+)\]\s*$")


_BLOCK_ITEM = re.compile(r"^\s*(?P<block>(?:q|문|問|question)?\s*\d{1,3})\s*[-_.]\s*\d{1,3}(?!\d)", re.IGNORECASE)


def question_wording(text: str) -> str:
    """An item as respondents read it: the matrix row of "Question - Row" exports (Qualtrics,
    SurveyMonkey) and of "Question [Row]" (Google Forms grids), without the role marker ("(기대 설문)",
    "[Expectation]")."""
    wording = str(text).strip()
    grid_row = _GRID_ROW.match(wording)
    row = grid_row.group("row") if grid_row else ""
    if grid_row and not marker_level(normalized_header(row), tuple(LEVEL_ALIASES)):  # Forms: "Q [Row]"
        return grid_row.group("row").strip()
    if " - " in wording and wording.rsplit(" - ", 1)[1].strip():
        wording = wording.rsplit(" - ", 1)[1].strip()
    cleaned = re.sub(r"\s*[\(\[（【<〈][^\)\]）】>〉]*[\)\]）】>〉]\s*$", "", wording)
    wording = cleaned if marker_level(normalized_header(wording), tuple(LEVEL_ALIASES)) and cleaned else wording
    return re.sub(r"^\s*(?:q\s*)?\d{1,3}(?:\s*[-_.]\s*\d{1,3})?\s*[.)]\s+", "", wording, flags=re.IGNORECASE) or wording


#: The one dimension given to items that came with none: the user names the real ones.
PROPOSED_DIMENSION = "service"


def item_wording(number: int, specs: Sequence[ColumnSpec], texts: Mapping[str, str]) -> str:
    """An item's own wording in the file: its perception question's text, else its expectation's (a
    column header that is a whole question counts as its text; a code such as ``E1`` does not)."""
    for level in ("P", "E", "A", "I"):
        for spec in specs:
            if spec.role == level and spec.item == number:
                text = texts.get(spec.column) or ("" if code_level(spec.column, CUSTOMER_LEVELS) else str(spec.column))
                if text:
                    return question_wording(text)
    return ""


def instrument_from_specs(specs: Sequence[ColumnSpec], texts: Mapping[str, str], *, default: Instrument,
                          reverse: Collection[int] = ()) -> Instrument | None:
    """The study's own instrument, when the mapping gives customer item columns a dimension or marks
    items reversed: each item's dimension (the first one given for its number, else ``default``'s, else
    ``PROPOSED_DIMENSION``), its reverse flag, and its wording (the file's, else ``default``'s).
    ``None`` when the mapping only restates ``default``."""
    items = sorted({s.item for s in specs if s.role in CUSTOMER_LEVELS and s.item is not None})
    given: dict[int, str] = {}
    for spec in specs:
        if spec.role in CUSTOMER_LEVELS and spec.item is not None and spec.dimension:
            given.setdefault(spec.item, str(spec.dimension))
    if not items or (not reverse and all(default.has(k) and default.dimension_of(k) == given.get(k, "")
                                         for k in items)) or not (given or reverse):
        return None
    rows = []
    for number in items:
        bank = default.item(number) if default.has(number) else None
        own = item_wording(number, specs, texts)
        wording = (own, own, own) if own else (bank.text_en, bank.text_ko, bank.text_zh) if bank else ("", "", "")
        dimension = given.get(number) or (bank.dimension if bank else PROPOSED_DIMENSION)
        rows.append(Item(number, dimension, *wording, number in reverse))
    return Instrument(tuple(rows))


def propose_items(frame: pd.DataFrame, specs: Sequence[ColumnSpec],
                  value_labels: Mapping[str, Mapping[float, str]] | None = None) -> list[str]:
    """Columns that look like rating questions with no expectation/perception marker (``Q1``…``Qn``,
    plain attribute names, whole questions): the largest group of columns answered as whole numbers
    from 0 to 10 with the same highest answer. Offered to the user as perception items, never taken
    on detection alone. Value-labelled codes (SPSS) whose labels are not the rating battery's — age bands,
    income bands, gender — are categories, never items (``categorical_columns``)."""
    named = {s.column for s in specs if s.role not in ("segment", "ignore")}
    categories = categorical_columns(value_labels or {})
    blocks = block_codes(frame.columns)
    groups: dict[int | str, list[str]] = defaultdict(list)
    for column in frame.columns:
        coded = code_level(column, tuple(LEVEL_ALIASES)) if column not in blocks else None
        if column in named or column in categories or coded:
            continue
        if rated_in_words(frame[column]):
            groups["labels"].append(column)
            continue
        words = answer_words(frame[column])
        if words is not None:  # words of no known ladder: a battery shares its set of words
            groups[words].append(column)
            continue
        values = numeric_answers(frame[column])
        if values is None or values.nunique() < 2:
            continue
        groups[int(values.max())].append(column)
    best = max(groups.values(), key=len, default=[])
    return best if len(best) >= 3 else []


def proposed_dimensions(columns: Sequence[str], texts: Mapping[str, str]) -> dict[str, str]:
    """Each proposed item's dimension as the file marks its blocks: the question of a Google Forms grid
    ("How was our staff? [Speed]"), else the block number of numbered items whose numbering restarts
    ("Q1_1", "Q1_2", "Q2_1"). Every column must show its block, and there must be two blocks or more;
    otherwise every item is in ``PROPOSED_DIMENSION``, for the analyst to split. Block codes (A1…, B1…)
    name their block by their letter."""
    lettered = block_codes(columns)
    if len(lettered) == len(columns) and len(set(lettered.values())) >= 2:
        return lettered
    for pattern in (_GRID_ROW, _BLOCK_ITEM):
        blocks = {}
        for column in columns:
            match = pattern.match(str(column)) or pattern.match(str(texts.get(column, "")))
            if match is None:
                break
            blocks[column] = " ".join(match.group("block").split())
        if len(blocks) == len(columns) and len(set(blocks.values())) >= 2:
            return blocks
    return {column: PROPOSED_DIMENSION for column in columns}
