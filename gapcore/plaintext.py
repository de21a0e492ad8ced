"""Characters that change how text looks without being seen: bidirectional controls and zero-width
characters. A header or answer carrying U+202E (right-to-left override) can make "gnp.exe" read as
"exe.png"; a zero-width space makes "Seoul" and "Seoul\u200b" two segments that look alike. Wherever
text from a file is shown (screen, deck, workbook, HTML), these are written visibly as ⟦U+202E⟧.
"""

from __future__ import annotations

import re

INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    """``text`` with every bidi control and zero-width character written as ⟦U+XXXX⟧."""
    return INVISIBLE.sub(lambda m: f"⟦U+{ord(m.group()):04X}⟧", text)
