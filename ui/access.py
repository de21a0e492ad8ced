"""Optional access control, configured in ``.streamlit/secrets.toml`` (off when nothing is configured).

Two modes, both per browser session:
- a shared password (``[servicegap] password = "…"``), compared in constant time;
- OIDC login through Streamlit's ``st.login`` (an ``[auth]`` section), admitting only the e-mail
  addresses in ``allowed_emails`` or the domains in ``allowed_domains`` of ``[servicegap]``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping

import streamlit as st

from gapcore.i18n import t

AUTHENTICATED = "sg_authenticated"
FAILURES = "sg_password_failures"
MAX_FAILURES = 5


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (of digests, so the length of the password leaks nothing either)."""
    return hmac.compare_digest(hashlib.sha256(given.encode("utf-8")).digest(),
                               hashlib.sha256(expected.encode("utf-8")).digest())


def email_allowed(email: str | None, emails: Iterable[str] = (), domains: Iterable[str] = ()) -> bool:
    """Whether ``email`` is on the allow-list, by full address or by domain (case-insensitive).
    With neither list configured, nobody is admitted: a login without an allow-list is a mistake."""
    if not email or "@" not in email:
        return False
    email = email.strip().lower()
    domain = email.rsplit("@", 1)[1]
    return email in {e.strip().lower() for e in emails} or domain in {d.strip().lower().lstrip("@") for d in domains}


def _settings() -> tuple[Mapping, bool]:
    """The ``[servicegap]`` section and whether an ``[auth]`` (OIDC) section exists; empty without a file."""
    try:
        section = dict(st.secrets.get("servicegap", {}))
        has_oidc = "auth" in st.secrets
    except Exception:  # no secrets.toml: local use, no gate
        return {}, False
    return section, has_oidc


def gate(lang: str) -> bool:
    """Draw the login or password form when access control is on and the session is not admitted yet.
    Returns whether the page may be shown."""
    settings, has_oidc = _settings()
    if has_oidc:
        return _oidc_gate(settings, lang)
    password = settings.get("password")
    if not password:
        return True
    if st.session_state.get(AUTHENTICATED):
        return True
    st.title("ServiceGap")
    failures = int(st.session_state.get(FAILURES, 0))
    if failures >= MAX_FAILURES:
        st.error(t("password_locked", lang, count=MAX_FAILURES))
        return False
    with st.form("sg_password_form"):
        given = st.text_input(t("password_label", lang), type="password", key="w_password")
        submitted = st.form_submit_button(t("password_submit", lang))
    if submitted:
        if password_matches(given, str(password)):
            st.session_state[AUTHENTICATED] = True
            st.session_state.pop(FAILURES, None)
            st.rerun()
        st.session_state[FAILURES] = failures + 1
        if failures + 1 >= MAX_FAILURES:
            st.rerun()  # the next run shows the lock instead of the form
        st.error(t("password_wrong", lang, left=MAX_FAILURES - failures - 1))
    return False


def _oidc_gate(settings: Mapping, lang: str) -> bool:
    try:
        logged_in = bool(st.user.is_logged_in)
    except (AttributeError, KeyError):  # no identity provider answered yet
        logged_in = False
    if not logged_in:
        st.title("ServiceGap")
        st.write(t("login_needed", lang))
        if st.button(t("login_button", lang), key="w_login", type="primary"):
            st.login()
        return False
    email = st.user.get("email")
    if email_allowed(email, settings.get("allowed_emails", ()), settings.get("allowed_domains", ())):
        return True
    st.title("ServiceGap")
    st.error(t("login_refused", lang, email=email or "?"))
    if st.button(t("logout_button", lang), key="w_logout"):
        st.logout()
    return False
