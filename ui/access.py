"""Optional access control, configured in ``.streamlit/secrets.toml`` (off when nothing is configured).

Two modes, admission per browser session:
- a shared password (``[servicegap] password = "…"``), compared in constant time. Wrong passwords
  are counted by the server, not the session (a reload gives no new tries): per client address and
  server-wide, each failure past the free ones doubles the wait before the next try is even checked;
- OIDC login through Streamlit's ``st.login`` (an ``[auth]`` section), admitting only verified e-mail
  addresses in ``allowed_emails`` or domains in ``allowed_domains`` of ``[servicegap]``.

In detail: optional access gate from `.streamlit/secrets.toml`: shared password (constant-time; wrong tries counted
per client address and server-wide by one `FailureLimiter` per process, with a doubling wait) or OIDC `st.login`
with an e-mail/domain allow-list and `email_verified`; drawn by `ui/page.py` before the sidebar, so nothing of a
study shows before admission.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping

import streamlit as st

from gapcore.i18n import t
from ui.guard import ADMISSIONS, ADMIT_PATH
from ui.keys import AUTHENTICATED, ENDPOINT_TICKET
from ui.plain import as_text


class FailureLimiter:
    """Wrong passwords over the last ``window`` seconds, per client address and for the whole server.

    The first ``free`` failures from an address cost nothing; after that, each failure doubles the wait
    (``base`` seconds, at most ``longest``) before that address may try again. Past ``server_free``
    failures from all addresses together, everyone waits the same way, so that many addresses (or a
    proxy that hides them) gain nothing. Shared by every session of this server process.
    """

    def __init__(self, *, free: int = 5, server_free: int = 50, base: float = 2.0, longest: float = 900.0,
                 window: float = 3600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.server_free, self.base, self.longest, self.window = free, server_free, base, longest, window
        self.clock = clock
        self._by_client: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._lock = threading.Lock()

    def _forget_old(self, now: float) -> None:
        for times in (*self._by_client.values(), self._all):
            while times and times[0] <= now - self.window:
                times.popleft()
        self._by_client = {k: v for k, v in self._by_client.items() if v}

    def _wait(self, times: deque[float], free: int, now: float) -> float:
        extra = len(times) - free
        if extra < 0:
            return 0.0
        delay = min(self.base * 2.0 ** extra, self.longest)
        return max(0.0, times[-1] + delay - now)

    def wait_left(self, client: str) -> float:
        """Seconds before ``client`` may try a password again (0: now)."""
        with self._lock:
            now = self.clock()
            self._forget_old(now)
            return max(self._wait(self._by_client.get(client, deque()), self.free, now),
                       self._wait(self._all, self.server_free, now))

    def failed(self, client: str) -> None:
        with self._lock:
            now = self.clock()
            self._by_client.setdefault(client, deque()).append(now)
            self._all.append(now)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._by_client.pop(client, None)


LIMITER = FailureLimiter()  # one per server process: what a reload or a new session cannot reset


def client_address() -> str:
    """The address of this session's connection ('local' when Streamlit reports none)."""
    try:
        address = st.context.ip_address
    except Exception:  # no connection context (a bare script run)
        address = None
    return address if isinstance(address, str) and address else "local"


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


def identity_allowed(user: Mapping, settings: Mapping) -> bool:
    """Whether a signed-in identity is admitted: its e-mail is on the allow-list and the identity
    provider says it verified that address (``email_verified``), since some providers let users type
    any address. ``require_verified_email = false`` in ``[servicegap]`` lifts the second condition for
    a provider that only issues company addresses and does not send the claim."""
    verified = user.get("email_verified") in (True, "true", "True")
    if settings.get("require_verified_email", True) and not verified:
        return False
    return email_allowed(user.get("email"), settings.get("allowed_emails", ()), settings.get("allowed_domains", ()))


def _settings() -> tuple[Mapping, bool]:
    """The ``[servicegap]`` section and whether an ``[auth]`` (OIDC) section exists; empty without a file."""
    try:
        section = dict(st.secrets.get("servicegap", {}))
        has_oidc = "auth" in st.secrets
    except Exception:  # no secrets.toml: local use, no gate
        return {}, False
    return section, has_oidc


def _open_endpoints() -> None:
    """For an admitted session, the image request that exchanges a one-time ticket for the cookie
    ``ui.guard`` asks of downloads and uploads (Streamlit's endpoints sit outside the pages). The
    same ticket is drawn on every run of the session; the first request redeems it."""
    ticket = st.session_state.get(ENDPOINT_TICKET) or ADMISSIONS.ticket()
    st.session_state[ENDPOINT_TICKET] = ticket
    st.html(f'<img src="{ADMIT_PATH.lstrip("/")}?t={ticket}" alt="" width="1" height="1">')


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
        _open_endpoints()
        return True
    st.title("ServiceGap")
    client = client_address()
    with st.form("sg_password_form"):
        given = st.text_input(t("password_label", lang), type="password", key="w_password")
        submitted = st.form_submit_button(t("password_submit", lang))
    if not submitted:
        return False
    wait = LIMITER.wait_left(client)
    if wait > 0:  # not even checked: a guess during the wait tells nothing
        st.error(t("password_wait", lang, seconds=math.ceil(wait)))
        return False
    if password_matches(given, str(password)):
        LIMITER.succeeded(client)
        st.session_state[AUTHENTICATED] = True
        st.rerun()
    LIMITER.failed(client)
    wait = LIMITER.wait_left(client)
    st.error(t("password_wrong", lang) + (" " + t("password_wait", lang, seconds=math.ceil(wait)) if wait else ""))
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
    if identity_allowed(st.user, settings):
        _open_endpoints()
        return True
    st.title("ServiceGap")
    key = "login_unverified" if email_allowed(email, settings.get("allowed_emails", ()),
                                              settings.get("allowed_domains", ())) else "login_refused"
    st.error(as_text(t(key, lang, email=email or "?")))
    if st.button(t("logout_button", lang), key="w_logout"):
        st.logout()
    return False
