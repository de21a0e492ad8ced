"""Editing a mapping the way analysts think about their columns: a grid of roles, "these columns are
perception items, numbered in this order", "this is the overall satisfaction question". Pure
functions from a :class:`~gapcore.columns.ColumnMapping` to a new one; the Data page only calls them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from gapcore.columns import (
    CUSTOMER_LEVELS,
    LEVEL_ALIASES,
    ROLES,
    ColumnMapping,
    ColumnSpec,
    code_level,
    question_wording,
)
from gapcore.errors import GapcoreError
from gapcore.instrument import SERVQUAL_22, Instrument, Item

GRID_COLUMNS = ("table", "column", "text", "samples", "kind", "range", "role", "item", "dimension", "reverse")
#: The dimension an item gets when the grid names none and the default instrument does not have it.
UNASSIGNED = "service"
OUTCOMES = ("satisfaction", "retention", "recommend")


def grid(mapping: ColumnMapping, profile: pd.DataFrame) -> pd.DataFrame:
    """One editable row per column: what it holds (text, samples, kind, range) beside its role."""
    specs = {(s.table, s.column): s for s in mapping.specs}
    rows = []
    for _, p in profile.iterrows():
        spec = specs.get((p["table"], p["column"]))
        span = "" if pd.isna(p["low"]) else f"{p['low']:g}–{p['high']:g}"
        reverse = bool(spec and spec.item and mapping.instrument and mapping.instrument.has(spec.item)
                       and mapping.instrument.item(spec.item).reverse)
        rows.append({"table": p["table"], "column": p["column"], "text": p["text"], "samples": p["samples"],
                     "kind": p["kind"], "range": span, "role": spec.role if spec else "ignore",
                     "item": spec.item if spec else None, "dimension": spec.dimension if spec else None,
                     "reverse": reverse})
    return pd.DataFrame(rows, columns=list(GRID_COLUMNS)).astype({"item": "Int64", "reverse": bool})


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
    return replace(settings, specs=tuple(specs), instrument=instrument_from_grid(edited))


def instrument_from_grid(edited: pd.DataFrame) -> Instrument | None:
    """The study's own instrument, when the grid gives customer items a dimension or a reverse flag:
    each item's dimension (the first one typed for its number; else the default instrument's, else
    ``UNASSIGNED``), its reverse flag and the file's wording of it. ``None`` leaves the default."""
    items = edited[edited["role"].isin(CUSTOMER_LEVELS) & edited["item"].notna() & (edited["table"] == "customers")]
    named = items["dimension"].fillna("").astype(str).str.strip() != ""
    reverse = items["reverse"].fillna(False).astype(bool) if "reverse" in items else pd.Series(False, items.index)
    if items.empty or not (named.any() or reverse.any()):
        return None
    rows = []
    for number, group in items.groupby(items["item"].astype(int), sort=True):
        dims = [str(d).strip() for d in group["dimension"] if pd.notna(d) and str(d).strip()]
        bank = SERVQUAL_22.item(number) if SERVQUAL_22.has(number) else None
        dimension = dims[0] if dims else (bank.dimension if bank else UNASSIGNED)
        ordered = group.assign(order=group["role"].map({"P": 0, "E": 1, "A": 2, "I": 3})).sort_values("order")
        first = ordered.iloc[0]
        own = str(first["text"] or "") or ("" if code_level(first["column"], CUSTOMER_LEVELS) else str(first["column"]))
        if own:
            texts = (question_wording(own),) * 3
        else:
            texts = (bank.text_en, bank.text_ko, bank.text_zh) if bank else ("", "", "")
        rows.append(Item(number, dimension, *texts, bool(reverse[group.index].any())))
    if all(SERVQUAL_22.has(it.number) and SERVQUAL_22.dimension_of(it.number) == it.dimension and not it.reverse
           for it in rows):
        return None  # the grid only restates the default instrument
    return Instrument(tuple(rows))


def number_in_order(mapping: ColumnMapping, columns: Sequence[str], role: str, *, start: int = 1,
                    dimension: str | None = None) -> ColumnMapping:
    """Give ``columns`` one role, numbered ``start``, ``start + 1``… in the order given: select the
    expectation block and then the perception block in the same order, and they pair by order."""
    numbers = {c: start + k for k, c in enumerate(columns)}
    specs = []
    for spec in mapping.specs:
        if spec.column in numbers:
            item = numbers[spec.column] if role in LEVEL_ALIASES else None
            spec = ColumnSpec(spec.table, spec.column, role, item, dimension or spec.dimension)
        specs.append(spec)
    return replace(mapping, specs=tuple(specs), instrument=None)


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


def with_settings(mapping: ColumnMapping, **settings: object) -> ColumnMapping:
    """The same mapping read with other settings (scale, N/A codes, header row, encoding, labels)."""
    return replace(mapping, **settings)


def matches(mapping: ColumnMapping, profile: pd.DataFrame | None) -> bool:
    """Whether a saved mapping fits an upload: the same columns in each table (the next wave)."""
    if profile is None or not mapping.specs:
        return False
    wanted: Mapping[str, set[str]] = {}
    for spec in mapping.specs:
        wanted.setdefault(spec.table, set()).add(spec.column)
    found = {t: set(g["column"]) for t, g in profile.groupby("table")}
    return bool(wanted) and all(found.get(table) == cols for table, cols in wanted.items())
