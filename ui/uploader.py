"""Streamlit's file uploader in the user's language.

The uploader's button ("Upload") and its note ("200MB per file • CSV, …") are Streamlit's own English, and
``st.file_uploader`` has no parameter for them. A style rule scoped to each uploader's key draws the
catalogue's words in their place (the English is set to size 0, the catalogue text is the ``::after``
content). Only catalogue text goes into a rule, quoted as a CSS string, never anything from a file.

In detail: the uploader's button and note are Streamlit's English with no
parameter, so a style rule scoped to each uploader's key draws the catalogue's words (`uploader_button`,
`uploader_note`) as `::after` content (`css_string` quotes them; only catalogue text goes in).
"""

from __future__ import annotations

import streamlit as st

from gapcore.i18n import t
from ui.owners import UPLOAD_LIMITS

STREAMLIT_TEXT_SIZE = "0.875rem"  # the button's and the note's size as Streamlit draws them (14 px)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: backslashes, quotes and line breaks escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return f'"{escaped}"'


def uploader_style(keys: tuple[str, ...], lang: str) -> str:
    """The style rules that put the button's and the note's words in ``lang`` for the uploaders ``keys``."""
    button = css_string(t("uploader_button", lang))
    note = css_string(t("uploader_note", lang, mb=UPLOAD_LIMITS.max_file_bytes // 1024**2))
    rules = []
    for key in keys:
        zone = f".st-key-{key} [data-testid=stFileUploaderDropzone]"
        label = f"{zone} [data-testid=stBaseButton-secondary] [data-testid=stMarkdownContainer] p"
        hint = f"{zone} [data-testid=stFileUploaderDropzoneInstructions] span"
        rules += [f"{label}, {hint} {{ font-size: 0; }}",
                  f"{label}::after {{ content: {button}; font-size: {STREAMLIT_TEXT_SIZE}; }}",
                  f"{hint}::after {{ content: {note}; font-size: {STREAMLIT_TEXT_SIZE}; }}"]
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def speak_uploaders(keys: tuple[str, ...], lang: str) -> None:
    """Draw the uploaders ``keys`` of this page with their button and note in ``lang``."""
    st.html(uploader_style(keys, lang))
