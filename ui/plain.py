"""Text from users (file names, headers, values) shown as text: Streamlit renders Markdown in messages,
so every Markdown and HTML character is escaped before such text reaches ``st.warning`` and friends."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def as_text(text: str) -> str:
    """``text`` escaped so that Streamlit shows it literally: no link, image, emphasis or HTML from data."""
    return _MARKDOWN.sub(r"\\\1", str(text))
