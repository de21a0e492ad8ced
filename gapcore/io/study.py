"""The loaded study: canonical tables plus everything needed to interpret them.

Canonical column names: items ``E<k> P<k> A<k> I<k>`` (customers) and ``M<k> S<k> D<k> C<k>``
(provider tables), answers as float (NaN = missing) already reverse-coded; outcomes ``satisfaction``,
``retention`` (1 kept / 0 lost, or a stated-intention scale), ``recommend``; ``weight``; importance
points ``W_<code>``; ``id``, ``wave``; segment columns under their own names.

In detail: `Study`, `SourceInfo`, `LoadResult`. `Study`, `Analysis`, `DriverModel`, `SegmentComparison` and
`ValidationReport` each have a one-line `__repr__` and a notebook `_repr_html_` (the summary and its key table,
escaped by pandas); `ValidationReport.to_frame(lang)` words the messages as the app does. The study's design, one
definition each: `Study.paired` (expectations and perceptions: gaps and paired tests exist) and
`Study.perception_only` (SERVPERF: complete in itself, GAP_MODEL.md) — every module that speaks of expectations,
gaps or paired tests asks these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from html import escape

import pandas as pd

from gapcore.instrument import Instrument
from gapcore.io.headers import OUTCOMES
from gapcore.io.mapping import ColumnMapping
from gapcore.io.scale import Scale
from gapcore.plaintext import visible
from gapcore.problems import ValidationReport

PROVIDER_TABLES = ("management", "standards", "delivery", "communications")


@dataclass(frozen=True)
class SourceInfo:
    """How one table was read: shown on the Data page."""

    table: str
    file: str
    sheet: str | None
    encoding: str | None
    delimiter: str | None
    header_row: int
    rows: int
    columns: int


@dataclass(frozen=True)
class Study:
    customers: pd.DataFrame
    instrument: Instrument
    scale: Scale
    mapping: ColumnMapping
    providers: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    sources: tuple[SourceInfo, ...] = ()
    question_texts: Mapping[str, str] = field(default_factory=dict)
    retention_kind: str | None = None  # "binary" or "scale" when a retention column exists
    answer_labels: pd.DataFrame | None = None  # the label → value table text answers were read with
    #: what reading it said (warnings and notes); set by ``gapcore.load``, ``None`` when read otherwise
    report: ValidationReport | None = field(default=None, repr=False, compare=False)
    #: respondents counted where the rows live (``gapcore.connected``): ``customers`` then holds none of them
    respondents: int | None = None
    #: where those rows are fitted (a ``gapcore.connected.Connection``), set by ``prepare_connected``: the driver
    #: models of ``gapcore.engine_drivers`` ask the engine for their sums
    engine: object | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        design = "SERVQUAL (expectations and perceptions)" if self.paired else \
            "SERVPERF (perceptions only)" if self.perception_only else "no customer items"
        items = len(self.items("P") or self.items("E"))
        return (f"Study(n={self.n:,}, {design}, {items} items in "
                f"{len(self.instrument.dimensions)} dimensions, scale {self.scale.low:g}–{self.scale.high:g}, "
                f"segments: {', '.join(self.segments) or 'none'}, outcomes: {', '.join(self.outcomes) or 'none'})")

    def _repr_html_(self) -> str:
        """A notebook's view: the summary line and the instrument (dimension and item count)."""
        counts = pd.Series([self.instrument.dimension_of(k) for k in self.instrument.numbers]).value_counts(sort=False)
        table = counts.rename_axis("dimension").reset_index(name="items").to_html(index=False)
        return f"<p>{escape(repr(self))}</p>{table}"

    def items(self, level: str, table: pd.DataFrame | None = None) -> list[str]:
        """Canonical item columns of a level present in the table, in instrument order."""
        frame = self.customers if table is None else table
        return [f"{level}{k}" for k in self.instrument.numbers if f"{level}{k}" in frame.columns]

    def has_level(self, level: str) -> bool:
        if level in "EPAI":
            return bool(self.items(level))
        return any(bool(self.items(level, t)) for t in self.providers.values())

    # The study's design, one definition each: what every page, slide, export and the CLI asks before it
    # speaks of expectations, gaps or paired tests.
    @cached_property
    def paired(self) -> bool:
        """Customers answered expectations and perceptions (SERVQUAL): gaps and paired tests exist."""
        return self.has_level("E") and self.has_level("P")

    @cached_property
    def perception_only(self) -> bool:
        """Customers answered perceptions alone (SERVPERF): a study complete in itself, with no expectation,
        gap or paired test anywhere (GAP_MODEL.md, "Perception-only studies")."""
        return self.has_level("P") and not self.has_level("E")

    # The study never changes once read (a new reading is a new ``Study``), so what it derives from its mapping
    # is computed once: every filter check, title and picker asks for its segments (hundreds of times a click).
    @cached_property
    def segments(self) -> tuple[str, ...]:
        """Customer columns usable as segments (wave included)."""
        roles = {s.name: s.role for s in self.mapping.for_table("customers")}
        return tuple(c for c in self.customers.columns if roles.get(c) in ("segment", "wave"))

    def segment_label(self, column: str, lang: str) -> str:
        """A segment column as the analyst named it in ``lang`` (the mapping's set-up), else its own name;
        bidi controls and zero-width characters written visibly (it reaches charts, decks and workbooks)."""
        setup = self.mapping.segments.get(column)
        return visible(setup.label(column, lang) if setup is not None else column)

    def value_label(self, column: str, value: object, lang: str) -> str:
        """A segment value as the analyst named it in ``lang``, else the value itself, shown visibly: a value
        with U+202E is drawn as ⟦U+202E⟧ on a heatmap's row, never reversed."""
        setup = self.mapping.segments.get(column)
        return visible(setup.value_label(str(value), lang) if setup is not None else str(value))

    @cached_property
    def wave(self) -> str | None:
        """The customer column that says when a respondent answered (wave, round, date), if any."""
        roles = {s.name: s.role for s in self.mapping.for_table("customers")}
        return next((c for c in self.customers.columns if roles.get(c) == "wave"), None)

    @cached_property
    def outcomes(self) -> tuple[str, ...]:
        return tuple(c for c in OUTCOMES if c in self.customers.columns)

    @property
    def has_weight(self) -> bool:
        return "weight" in self.customers.columns

    @property
    def n(self) -> int:
        return len(self.customers) if self.respondents is None else self.respondents


@dataclass(frozen=True)
class LoadResult:
    """A load's outcome: the study (``None`` when nothing usable was found) and every problem."""

    study: Study | None
    report: ValidationReport
    #: The mapping as read — or, when detection needs the user to confirm items, as proposed — with
    #: every reading setting; ``None`` only when no table could be parsed at all.
    mapping: ColumnMapping | None = None
    #: One row per column of every table that parsed (see ``gapcore.io.profile``): what the Data page
    #: shows so that a file detection cannot map can still be mapped by hand.
    columns: pd.DataFrame | None = None
    #: Answer words of no known ladder, in the order guessed from the respondents (``scale.guess_ladder``),
    #: lowest first: nothing is computed until the analyst confirms or reorders them.
    ladder: tuple[str, ...] = ()
    #: Every sheet that parsed, in file order (the Data page's sheet picker).
    sheets: tuple[str, ...] = ()
