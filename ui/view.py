"""The page's own view choices in the URL (never data), so that a shared link opens on the same picture:
each choice widget takes its first value from its query parameter and writes its value back to it.

One parameter per choice, named in the page's words (``compare``, ``layout``, ``by``, ``slide``, …); a
choice left at its default is left out of the URL. Language, filters and settings are written by
``ui.state.write_query``.

In detail: `own_words`: the placeholder of every choice widget in the user's language and no (English) "Select all"
outside English; a page's view choices in the URL: `selectbox` / `multiselect` / `radio` / `slider` wrappers read
their first value from a query parameter and keep it there; `link()` (the share dialog's address).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from gapcore.filters import values_of, values_text
from gapcore.i18n import t
from ui import state


def own_words(kwargs: dict, *, many: bool = False) -> dict:
    """The texts Streamlit lets an app set on its choice widgets, in the user's language: the placeholder
    (Streamlit's own is English), and for a multiselect no "Select all" entry outside English (its
    label cannot be set)."""
    lang = state.lang()
    kwargs.setdefault("placeholder", t("choose", lang))
    if many:
        kwargs.setdefault("select_all", lang == "en")
    return kwargs


def wanted(param: str) -> str | None:
    return st.query_params.get(param)


def keep(param: str, value: object, default: object = None) -> None:
    """``value`` into the URL as ``param``; left out when it is the default or empty."""
    if isinstance(value, (list, tuple)):
        text = values_text(value)
        is_default = default is not None and list(value) == list(default)
    else:
        text = "" if value is None else str(value)
        is_default = value == default
    if is_default or not text:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != text:
        st.query_params[param] = text


def selectbox(where, label: str, options: Sequence, *, param: str, key: str, default: object = None, **kwargs):
    """``where.selectbox`` whose first value comes from the URL; its value goes back to the URL."""
    options = list(options)
    texts = [str(o) for o in options]
    start = default if default in options else options[0] if options else None
    index = texts.index(wanted(param)) if wanted(param) in texts else (options.index(start) if options else None)
    value = where.selectbox(label, options, index=index, key=key, **own_words(kwargs))
    keep(param, value, start)
    return value


def radio(where, label: str, options: Sequence, *, param: str, key: str, **kwargs):
    options = list(options)
    texts = [str(o) for o in options]
    index = texts.index(wanted(param)) if wanted(param) in texts else 0
    value = where.radio(label, options, index=index, key=key, **kwargs)
    keep(param, value, options[0])
    return value


def multiselect(where, label: str, options: Sequence, *, param: str, key: str, default: Sequence = (), **kwargs):
    options = list(options)
    asked = wanted(param)
    start = [o for o in values_of(asked) if o in options] if asked else list(default)
    value = where.multiselect(label, options, default=start, key=key, **own_words(kwargs, many=True))
    keep(param, value, list(default))
    return value


def slider(where, label: str, low: float, high: float, start: float, step: float, *, param: str, key: str,
           **kwargs) -> float:
    asked = wanted(param)
    try:
        first = min(high, max(low, float(asked))) if asked is not None else start
    except ValueError:
        first = start
    value = where.slider(label, low, high, first, step, key=key, **kwargs)
    keep(param, f"{value:g}", f"{start:g}")
    return value


def link() -> str:
    """This view's address: the page as the browser shows it, with the query string as it now stands."""
    from urllib.parse import urlencode

    query = urlencode({k: st.query_params[k] for k in st.query_params}, safe=",")
    base = st.context.url or ""
    return f"{base}?{query}" if query else base
