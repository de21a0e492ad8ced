"""Text from users (file names, headers, values, readings that quote them) shown as text: Streamlit
renders Markdown in messages, captions and widget labels, so every Markdown character is escaped and
every invisible control made visible (``gapcore.plaintext``) before such text reaches the page.

In detail: `as_text`: text that comes from users (or readings that quote it) made literal before it reaches a
Markdown-rendering call (`st.write`, `st.caption`, `st.warning`, widget labels, `st.metric`): Markdown escaped,
URLs and e-mail addresses as inline code (GitHub Markdown links them even when escaped), bidi/zero-width characters
visible.
"""

from __future__ import annotations

import re

from gapcore.plaintext import visible

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'@])")
# What GitHub-flavoured Markdown turns into a link even when escaped: URLs, www. names, e-mail addresses.
_LINKABLE = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.)[^\s`]*|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def as_text(text: object) -> str:
    """``text`` escaped so that Streamlit shows it literally: no link, image, emphasis or HTML from data,
    no hidden direction change; URL-like parts are shown as inline code, where nothing is a link."""
    out, last = [], 0
    shown = visible(str(text))
    for found in _LINKABLE.finditer(shown):
        out.append(_MARKDOWN.sub(r"\\\1", shown[last:found.start()]))
        out.append(f"`{found.group()}`")
        last = found.end()
    out.append(_MARKDOWN.sub(r"\\\1", shown[last:]))
    return "".join(out)
