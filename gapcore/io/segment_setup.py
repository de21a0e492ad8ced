"""How the analyst wants a segment column shown and grouped: its name in each language, and values merged
into groups (age bands with few respondents into one). Kept in the mapping file, applied when the study
is read, so every page, filter, test and export sees the same groups and names."""

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
    is listed as itself, so the file's values can always be listed again)."""

    names: Mapping[str, str] = field(default_factory=dict)
    merge: Mapping[str, str] = field(default_factory=dict)

    def label(self, column: str, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or column

    def to_dict(self) -> dict[str, Any]:
        return {**({"names": dict(self.names)} if self.names else {}),
                **({"merge": dict(self.merge)} if self.merge else {})}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SegmentSetup:
        names = {str(k): str(v) for k, v in (data.get("names") or {}).items() if k in LANGS and str(v).strip()}
        merge = {str(k): str(v) for k, v in (data.get("merge") or {}).items() if str(v).strip()}
        return cls(names, merge)

    @property
    def empty(self) -> bool:
        return not self.names and not self.merge


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
