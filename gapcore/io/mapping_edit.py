"""Editing a mapping the way analysts think about their columns: a grid of roles, "these columns are
perception items, numbered in this order", "this is the overall satisfaction question". Pure
functions from a :class:`~gapcore.io.mapping.ColumnMapping` to a new one; the Data page only calls them.

In detail: pure edits of a `ColumnMapping` as the Data page offers them: the grid (from/to; a dimension set on one
level of an item is set on every level it has, `_on_every_level`; a code's question from the study's own instrument
when the file's header has none), "these ticked columns get this role, numbered in this order or keeping their
numbers, this dimension, this reverse flag" (`set_rows`, read back through `from_grid`, so the set is checked as a
grid edit is; `common_setting` is what ticked rows share, to start the editor from), the overall outcome question,
"does a saved mapping fit this upload" (the next wave), which columns are segments (`segment_candidates`,
`with_segment_columns`), a segment's names and merged values (`segment_value_table`, `merges_from_table`,
`with_segment_setup`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from gapcore.errors import GapcoreError
from gapcore.instrument import SERVQUAL_22, Instrument
from gapcore.io.columns import MAX_SEGMENT_VALUES
from gapcore.io.headers import CUSTOMER_LEVELS, LEVEL_ALIASES, ROLES
from gapcore.io.mapping import ColumnMapping, ColumnSpec
from gapcore.io.proposals import instrument_from_specs
from gapcore.io.segment_setup import LANGS, SegmentSetup
from gapcore.io.study import Study

GRID_COLUMNS = ("table", "column", "text", "samples", "kind", "range", "role", "item", "dimension", "reverse")


def grid(mapping: ColumnMapping, profile: pd.DataFrame) -> pd.DataFrame:
    """One editable row per column: what it holds (text, samples, kind, range) beside its role."""
    specs = {(s.table, s.column): s for s in mapping.specs}
    rows = []
    for _, p in profile.iterrows():
        spec = specs.get((p["table"], p["column"]))
        span = "" if pd.isna(p["low"]) else f"{p['low']:g}–{p['high']:g}"
        reverse = bool(spec and spec.item and mapping.instrument and mapping.instrument.has(spec.item)
                       and mapping.instrument.item(spec.item).reverse)
        rows.append({"table": p["table"], "column": p["column"], "text": _question(p["text"], spec, mapping),
                     "samples": p["samples"],
                     "kind": p["kind"], "range": span, "role": spec.role if spec else "ignore",
                     "item": spec.item if spec else None, "dimension": spec.dimension if spec else None,
                     "reverse": reverse})
    return pd.DataFrame(rows, columns=list(GRID_COLUMNS)).astype({"item": "Int64", "reverse": bool})


def _question(text: object, spec: ColumnSpec | None, mapping: ColumnMapping) -> object:
    """A column's question: the file's header text, else the wording the study's own instrument gives its
    item (a questionnaire or legend sheet), so the analyst sees what each code asks."""
    own = mapping.instrument
    if (isinstance(text, str) and text) or own is None or spec is None or not _customer_item(spec) \
            or not own.has(spec.item):
        return text
    return own.item(spec.item).text_en or text


def from_grid(edited: pd.DataFrame, settings: ColumnMapping) -> ColumnMapping:
    """The mapping an edited grid says, with the reading settings of ``settings``. An item row needs an
    item number; a number used twice for one level is refused with the column named."""
    specs: list[ColumnSpec] = []
    seen: dict[tuple[str, str, int], str] = {}
    for row in edited.itertuples(index=False):
        role = str(row.role)
        if role not in ROLES:
            raise GapcoreError("mapping_invalid", column=row.column, detail=f"role '{role}'")
        item = None if pd.isna(row.item) else int(row.item)
        dimension = None if pd.isna(row.dimension) or not str(row.dimension).strip() else str(row.dimension).strip()
        if role in LEVEL_ALIASES:
            if item is None or item < 1:
                raise GapcoreError("mapping_item_missing", column=row.column)
            key = (str(row.table), role, item)
            if key in seen:
                raise GapcoreError("mapping_item_twice", column=row.column, other=seen[key], item=item, level=role)
            seen[key] = str(row.column)
        specs.append(ColumnSpec(str(row.table), str(row.column), role, item if role in LEVEL_ALIASES else None,
                                dimension))
    before = {(s.table, s.column): s.dimension for s in settings.specs}
    edited_dimensions = {s.item: s.dimension for s in specs if _customer_item(s) and s.dimension
                         and s.dimension != before.get((s.table, s.column))}
    specs = _on_every_level(specs, edited_dimensions)
    return replace(settings, specs=tuple(specs), instrument=instrument_from_grid(edited, specs))


def _customer_item(spec: ColumnSpec) -> bool:
    return spec.table == "customers" and spec.role in CUSTOMER_LEVELS and spec.item is not None


def _on_every_level(specs: Sequence[ColumnSpec], dimensions: Mapping[int, str]) -> list[ColumnSpec]:
    """An item's dimension set on one of its levels (its perception, say) set on every level it has
    (expectation, adequate, importance): one item, one dimension — an importance row left as it was never
    undoes what was just set on the perception block."""
    return [replace(s, dimension=dimensions[s.item]) if _customer_item(s) and s.item in dimensions else s
            for s in specs]


def instrument_from_grid(edited: pd.DataFrame, specs: Sequence[ColumnSpec]) -> Instrument | None:
    """The instrument the grid says (dimensions typed, reverse flags ticked), by the one rule of
    :func:`~gapcore.io.proposals.instrument_from_specs`; ``None`` when it only restates SERVQUAL."""
    texts = {str(row.column): str(row.text) for row in edited.itertuples(index=False)
             if isinstance(row.text, str) and row.text and row.table == "customers"}
    flagged = edited[edited["reverse"].fillna(False).astype(bool) & edited["item"].notna()] \
        if "reverse" in edited else edited.iloc[0:0]
    customers = [s for s in specs if s.table == "customers"]
    return instrument_from_specs(customers, texts, default=SERVQUAL_22,
                                 reverse={int(k) for k in flagged["item"]})


def set_rows(rows: pd.DataFrame, columns: Sequence[str], role: str, *, start: int | None = 1,
             dimension: str | None = None, reverse: bool | None = None) -> pd.DataFrame:
    """The grid with ``columns`` given one role, numbered ``start``, ``start + 1``… in the order given
    (select the expectation block and then the perception block in the same order, and they pair by
    order) or, with ``start=None``, keeping the numbers they have; and the dimension and reverse flag when
    given. :func:`from_grid` reads it back, so a block set here is checked, and carries its dimension to
    every level of its items, as an edited grid is."""
    rows = rows.copy()
    for offset, column in enumerate(columns):
        at = rows["column"] == column
        rows.loc[at, "role"] = role
        if role not in LEVEL_ALIASES:
            rows.loc[at, "item"] = pd.NA
        elif start is not None:
            rows.loc[at, "item"] = start + offset
        if dimension:
            rows.loc[at, "dimension"] = dimension
        if reverse is not None:
            rows.loc[at, "reverse"] = reverse
    return rows


def common_setting(rows: pd.DataFrame, columns: Sequence[str]) -> dict[str, object]:
    """What the rows of ``columns`` share, to start their editor from: the role, the dimension and the
    reverse flag (``None`` where they differ or nothing is chosen), and the first item number when the
    rows are numbered one after another from it — 1 when none is numbered, ``None`` (keep the numbers
    they have) when their numbers do not follow each other, so ticking Q4 and Q8 renumbers neither."""
    chosen = rows[rows["column"].isin(columns)]
    if chosen.empty:
        return {"role": None, "start": None, "dimension": None, "reverse": None}

    def shared(field: str) -> object:
        values = chosen[field].dropna().unique() if field != "dimension" else chosen[field].fillna("").unique()
        return values[0] if len(values) == 1 else None

    numbers = [rows.loc[rows["column"] == c, "item"].iloc[0] for c in columns if (rows["column"] == c).any()]
    start: int | None = None
    if all(pd.isna(n) for n in numbers):
        start = 1
    elif not any(pd.isna(n) for n in numbers) and {int(n) - k for k, n in enumerate(numbers)} == {int(numbers[0])}:
        start = int(numbers[0])
    return {"role": shared("role"), "start": start, "dimension": shared("dimension") or None,
            "reverse": None if shared("reverse") is None else bool(shared("reverse"))}


def rename_dimension(mapping: ColumnMapping, old: str, new: str) -> ColumnMapping:
    """Call a dimension by another name everywhere it is used (its item columns and the instrument);
    renaming to an existing dimension merges the two."""
    new = new.strip()
    if not new:
        return mapping
    specs = tuple(replace(s, dimension=new) if s.dimension == old else s for s in mapping.specs)
    instrument = mapping.instrument
    if instrument is not None:
        instrument = Instrument(tuple(replace(it, dimension=new) if it.dimension == old else it
                                      for it in instrument.items))
    return replace(mapping, specs=specs, instrument=instrument)


def dimensions_of(mapping: ColumnMapping) -> list[str]:
    """The dimensions the mapping's customer item columns are given, in order of first use."""
    return list(dict.fromkeys(s.dimension for s in mapping.specs
                              if s.table == "customers" and s.role in LEVEL_ALIASES and s.dimension))


def set_outcome(mapping: ColumnMapping, role: str, column: str | None) -> ColumnMapping:
    """Make ``column`` the one column of an outcome role (the previous one becomes ignored)."""
    specs = []
    for spec in mapping.specs:
        if spec.role == role and spec.column != column:
            spec = ColumnSpec(spec.table, spec.column, "ignore")
        if spec.column == column and spec.table == "customers":
            spec = ColumnSpec(spec.table, spec.column, role)
        specs.append(spec)
    return replace(mapping, specs=tuple(specs))


def outcome_candidates(profile: pd.DataFrame) -> list[str]:
    """Customer columns that can hold an outcome (numbers or short text answers), in file order."""
    usable = profile[(profile["table"] == "customers") & (profile["kind"] != "empty")]
    return usable["column"].tolist()


def matches(mapping: ColumnMapping, profile: pd.DataFrame | None) -> bool:
    """Whether a saved mapping fits an upload: the same columns in each table (the next wave)."""
    if profile is None or not mapping.specs:
        return False
    wanted: Mapping[str, set[str]] = {}
    for spec in mapping.specs:
        wanted.setdefault(spec.table, set()).add(spec.column)
    found = {t: set(g["column"]) for t, g in profile.groupby("table")}
    return bool(wanted) and all(found.get(table) == cols for table, cols in wanted.items())


def segment_candidates(profile: pd.DataFrame) -> list[str]:
    """Customer columns that could be segments: not items or outcomes, with a few distinct answers."""
    rows = profile[(profile["table"] == "customers") & profile["role"].isin(["segment", "ignore"])
                   & profile["distinct"].between(1, MAX_SEGMENT_VALUES)]
    return rows["column"].astype(str).tolist()


def with_segment_columns(mapping: ColumnMapping, columns: Sequence[str]) -> ColumnMapping:
    """The customer columns in ``columns`` as segments, every other segment column not used."""
    chosen = set(columns)
    specs = [replace(s, role="segment" if s.column in chosen else "ignore")
             if s.table == "customers" and s.role in ("segment", "ignore") else s for s in mapping.specs]
    return replace(mapping, specs=tuple(specs))


def labels_from_table(edited: pd.DataFrame) -> pd.DataFrame:
    """The answer-label table as edited, its incomplete rows (a word without a number) left out."""
    return edited.dropna().reset_index(drop=True)


def column_captions(profile: pd.DataFrame) -> dict[str, str]:
    """Each column as a picker names it: its header, and its question when the file gave one apart."""
    return {row.column: f"{row.column} — {row.text}" if row.text and row.text != row.column else str(row.column)
            for row in profile.itertuples()}


def merges_from_table(edited: pd.DataFrame) -> dict[str, str]:
    """The merges an edited ``segment_value_table`` asks for: each value whose group differs, and each
    value that other values were merged into (kept as itself, so the file's values can be listed again)."""
    pairs = {str(v): str(g).strip() or str(v) for v, g in zip(edited["value"], edited["group"], strict=True)}
    moved = {v: g for v, g in pairs.items() if g != v}
    return {v: g for v, g in pairs.items() if v in moved or v in set(moved.values())}


def with_segment_setup(mapping: ColumnMapping, column: str, setup: SegmentSetup) -> ColumnMapping:
    """``column``'s display names and merged values set to ``setup`` (removed when it is empty)."""
    segments = {c: s for c, s in mapping.segments.items() if c != column}
    if not setup.empty:
        segments[column] = setup
    return replace(mapping, segments=segments)


def segment_value_table(study: Study, column: str) -> pd.DataFrame:
    """The values of a segment column as the file has them, the group each is counted in, the group's
    respondents and its name in each language: ``value, group, n, name_en, name_ko, name_zh`` (the study
    holds the groups; the file's values come back from the mapping's merges)."""
    setup = study.mapping.segments.get(column)
    merge = dict(setup.merge) if setup is not None else {}
    counts = study.customers[column].astype("object").value_counts()
    groups = {str(v) for v in counts.index}
    values = sorted(set(merge) | {g for g in groups if g not in set(merge.values())})
    names = setup.value_names if setup is not None else {}
    rows = [{"value": v, "group": merge.get(v, v), "n": int(counts.get(merge.get(v, v), 0)),
             **{f"name_{lang}": names.get(merge.get(v, v), {}).get(lang, "") for lang in LANGS}} for v in values]
    return pd.DataFrame(rows, columns=["value", "group", "n", *(f"name_{lang}" for lang in LANGS)])


def value_names_from_table(edited: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Each group's names in each language, from an edited ``segment_value_table`` (the first name given
    for a group in a language counts)."""
    names: dict[str, dict[str, str]] = {}
    for row in edited.to_dict("records"):
        group = str(row["group"] or "").strip() or str(row["value"])
        for lang in LANGS:
            text = str(row.get(f"name_{lang}") or "").strip()
            if text and text != group:
                names.setdefault(group, {}).setdefault(lang, text)
    return names
