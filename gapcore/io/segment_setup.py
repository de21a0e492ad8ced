"""How the analyst wants a segment column shown and grouped: its name in each language, and values merged
into groups (age bands with few respondents into one). Kept in the mapping file, applied when the study
is read, so every page, filter, test and export sees the same groups and names.

In detail: `SegmentSetup` (a segment column's name per language, values merged into groups, values' names per
language; kept in the mapping file under `segments`) and `merged` (applied by `load_study` to customers and
provider tables alike); `Study.segment_label` / `Study.value_label` give the names every title, reading, table,
chart, filter and picker shows (filters, links and exported data keep the values). `proposals.proposed_segments`
proposes at most eight segments when detecting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

LANGS = ("en", "ko", "zh")


@dataclass(frozen=True)
class SegmentSetup:
    """``names``: language → display name (a language left out shows the column's own name);
    ``merge``: a value as the file has it → the group it is counted in (a value others were merged into
    is listed as itself, so the file's values can always be listed again); ``value_names``: a value (or
    group) → language → the name it is shown by (filters, tables, charts and readings keep the value
    itself wherever it is a key: in links, filters and exports' data columns)."""

    names: Mapping[str, str] = field(default_factory=dict)
    merge: Mapping[str, str] = field(default_factory=dict)
    value_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def label(self, column: str, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or column

    def value_label(self, value: str, lang: str) -> str:
        names = self.value_names.get(str(value), {})
        return names.get(lang) or names.get("en") or str(value)

    def to_dict(self) -> dict[str, Any]:
        return {**({"names": dict(self.names)} if self.names else {}),
                **({"merge": dict(self.merge)} if self.merge else {}),
                **({"value_names": {v: dict(n) for v, n in self.value_names.items()}} if self.value_names else {})}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SegmentSetup:
        names = _names(data.get("names") or {})
        merge = {str(k): str(v) for k, v in (data.get("merge") or {}).items() if str(v).strip()}
        value_names = {str(v): _names(n) for v, n in (data.get("value_names") or {}).items() if _names(n)}
        return cls(names, merge, value_names)

    @property
    def empty(self) -> bool:
        return not self.names and not self.merge and not self.value_names


def _names(data: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): str(v).strip() for k, v in data.items() if k in LANGS and str(v).strip()}


def merged(frame: pd.DataFrame, setups: Mapping[str, SegmentSetup]) -> pd.DataFrame:
    """``frame`` with each set-up column's values merged into their groups (a copy when any changes)."""
    columns = [c for c, s in setups.items() if s.merge and c in frame.columns]
    if not columns:
        return frame
    out = frame.copy()
    for column in columns:
        merge = setups[column].merge
        grouped = out[column].astype("object").map(lambda v, m=merge: m.get(str(v), v) if pd.notna(v) else v)
        out[column] = grouped.astype("category")
    return out
