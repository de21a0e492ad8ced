"""Characters that change how text looks without being seen: bidirectional controls and zero-width
characters. A header or answer carrying U+202E (right-to-left override) can make "gnp.exe" read as
"exe.png"; a zero-width space makes "Seoul" and "Seoul\u200b" two segments that look alike. Wherever
text from a file is shown (screen, deck, workbook, HTML), these are written visibly as ⟦U+202E⟧.

In detail: `visible`: bidi controls and zero-width characters written as ⟦U+XXXX⟧ (screen, deck, workbook, HTML);
`Study.segment_label`/`value_label` and every text cell the workbook writer writes pass through it, so chart labels
(the heatmap's rows) and XLSX cells show them too.
"""

from __future__ import annotations

import re
from typing import Any

INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    """``text`` with every bidi control and zero-width character written as ⟦U+XXXX⟧."""
    return INVISIBLE.sub(lambda m: f"⟦U+{ord(m.group()):04X}⟧", text)


def visible_in(value: Any) -> Any:
    """``value`` (a chart spec: dicts, lists, strings, numbers) with every string made visible, keys included,
    so a field named with such a character still matches its data. The one rule for specs drawn on a page
    or into an export: every label, tooltip and dataset value a reader can see."""
    if isinstance(value, str):
        return visible(value) if INVISIBLE.search(value) else value
    if isinstance(value, dict):
        return {visible_in(k): visible_in(v) for k, v in value.items()}
    if isinstance(value, list):
        return [visible_in(v) for v in value]
    return value
