"""Page frame: configuration, the shared sidebar, and a guard that turns failures into messages.
The message is in the user's language; no traceback reaches the page.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

import streamlit as st

from gapcore.analysis import Analysis
from gapcore.errors import GapcoreError
from gapcore.i18n import t
from gapcore.io.study import Study
from gapcore.messages import render as render_problem
from gapcore.messages import where
from ui import access, keys, sidebar, state
from ui.plain import as_text

LOG = logging.getLogger("servicegap")
RAISE_UNDER_TEST = "SERVICEGAP_RAISE"  # set by tests/conftest.py: a page failure is not hidden from tests


def shown_analysis(lang: str) -> Analysis | None:
    """The analysis under the current filters, or ``None`` after saying it is held back (small selection)."""
    analysis = state.current_analysis()
    if analysis.suppressed:
        st.warning(t("held_back", lang, min_cell=analysis.min_cell))
        return None
    return analysis


def page_opened(lang: str, title: str, *, needs: str | None = None, missing: str = ""
                ) -> tuple[Study, Analysis] | None:
    """The page's title, then its study and the analysis under the current filters; ``None`` after saying why
    the page has nothing to show: the selection is held back, or the study has none of what the page needs
    (``needs``: a ``Study`` attribute such as "outcomes" or "segments"; ``missing``: the words that say so)."""
    st.title(t(title, lang))
    study = state.current_study()
    analysis = shown_analysis(lang)
    if analysis is None:
        return None
    if needs is not None and not getattr(study, needs):
        st.info(t(missing, lang))
        return None
    return study, analysis


def run(body: Callable[[str], None], *, title: str = "ServiceGap", sidebar_state: str = "auto",
        maps_uploads: bool = False) -> None:
    """Set up the page, draw the sidebar, then the body; no traceback ever reaches the page. Every page
    but the one that maps uploads (``maps_uploads``) says when an upload is waiting for its mapping."""
    st.set_page_config(page_title=title, layout="wide", initial_sidebar_state=sidebar_state)
    lang = "en"
    try:
        state.init_state()
        lang = state.lang()
        if not access.gate(lang):
            return
        lang = sidebar.render()
        refused = st.session_state.pop(keys.REFUSED_FILTERS, None)
        if refused:  # a link asked for segment values this study does not have
            st.warning(as_text(t("filter_refused", lang, values="; ".join(v[:80] for v in refused[:10]))))
        waiting = state.pending()
        if waiting is not None and not maps_uploads:
            # An upload waits for its mapping: say so on every page, with the way there.
            st.info(t("pending_notice", lang, name=as_text(waiting.name)))
            st.page_link("pages/1_Data.py", label=t("pending_go", lang), icon=":material/table_edit:")
        body(lang)
    except GapcoreError as exc:
        what, todo = render_problem(exc.problem, lang)
        location = where(exc.problem, lang)
        st.error(as_text(" ".join(p for p in (f"{location}:" if location else "", what, todo) if p)))
    except Exception as exc:  # last resort: log it for us, say it plainly to the user
        LOG.exception("page failed")
        st.error(t("unexpected", lang, kind=type(exc).__name__))
        if os.environ.get(RAISE_UNDER_TEST):  # the test suite sees the fallback as the failure it is
            raise
