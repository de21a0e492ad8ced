"""An HTTP guard in front of Streamlit's own endpoints, which the app's pages cannot protect.

``serve.py`` (what ``make run`` starts) wraps the app in ``st.App`` with :class:`Guard` as middleware:

- when access control is on (``ui.access``), a file the app offers for download (``/media/…``) and
  the upload endpoint (``/_stcore/upload_file/…``) answer 403 unless the browser carries the admission
  cookie that the gate hands out after sign-in (a one-time ticket redeemed at ``/_sg/admit``);
- ``/_stcore/metrics`` answers 404;
- every response says it may not be framed by another site, and sends no referrer;
- with ``allowed_hosts`` under ``[servicegap]`` in the secrets, any other Host header is refused;
- a session belongs to the browser it was created for (``ui.owners``): a websocket that names another
  browser's session id gets a new session instead, and uploads land only in the uploader's own session,
  within the loader's caps on files and bytes.

Admissions are kept in this server process (like the password failure counts): a restart signs
everyone out of the endpoints, not out of their open pages.

In detail: with access control on, `/media/` and
`/_stcore/upload_file/` (matched from the start of the path after `server.baseUrlPath`, `guarded_path`: Streamlit's
`/static/media/` fonts are not guarded) need the admission cookie (`Admissions`: a one-time ticket drawn by
`ui.access` after sign-in, redeemed at `/_sg/admit`); `/_stcore/metrics` 404; frame/nosniff/referrer headers;
`allowed_hosts`, compared with the one host a Host header names (`host_name`: `127.0.0.1:8611@evil.example` names
none); a websocket that names another browser's session id loses it (`own_sessions_only`), uploads only into the
sender's session and within its budget.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from ui.owners import BROWSER_COOKIE, OWNERS, UPLOADS, new_browser_key, new_session_id, subprotocols

ADMIT_PATH = "/_sg/admit"
COOKIE = "sg_admit"
UPLOAD_PREFIX = "/_stcore/upload_file/"
GUARDED_PREFIXES = ("/media/", UPLOAD_PREFIX)
LEARN_MESSAGES = 200  # messages of a new connection searched for its session id (it comes with the first run)
LEARN_MAX_BYTES = 1024**2  # a new_session message is a few KB: larger messages are not parsed
SECURITY_HEADERS = ((b"x-frame-options", b"SAMEORIGIN"),
                    (b"content-security-policy", b"frame-ancestors 'self'"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"))

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class Admissions:
    """One-time tickets (handed to a signed-in page) and the cookie tokens they are exchanged for."""

    def __init__(self, *, ticket_seconds: float = 120.0, token_seconds: float = 12 * 3600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ticket_seconds, self.token_seconds, self.clock = ticket_seconds, token_seconds, clock
        self._tickets: dict[str, float] = {}
        self._tokens: dict[str, float] = {}
        self._lock = threading.Lock()

    def ticket(self) -> str:
        with self._lock:
            now = self.clock()
            self._tickets = {k: v for k, v in self._tickets.items() if v >= now}
            ticket = secrets.token_urlsafe(24)
            self._tickets[ticket] = now + self.ticket_seconds
            return ticket

    def redeem(self, ticket: str) -> str | None:
        """A cookie token for a valid, unused ticket; ``None`` otherwise."""
        with self._lock:
            expiry = self._tickets.pop(ticket, None)
            now = self.clock()
            if expiry is None or expiry < now:
                return None
            self._tokens = {k: v for k, v in self._tokens.items() if v >= now}
            token = secrets.token_urlsafe(32)
            self._tokens[token] = now + self.token_seconds
            return token

    def valid(self, token: str | None) -> bool:
        with self._lock:
            return bool(token) and self._tokens.get(token, -1.0) >= self.clock()


ADMISSIONS = Admissions()


def _settings() -> tuple[bool, tuple[str, ...]]:
    """Whether access control is on, and the allowed host names (empty: any)."""
    try:
        import streamlit as st

        section = dict(st.secrets.get("servicegap", {}))
        gated = bool(section.get("password")) or "auth" in st.secrets
        return gated, tuple(str(h).lower() for h in section.get("allowed_hosts", ()))
    except Exception:  # no secrets file: local use, no gate
        return False, ()


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


async def _respond(send: Send, status: int, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [*SECURITY_HEADERS, (b"content-length", b"0"), *headers]})
    await send({"type": "http.response.body", "body": b""})


async def _admit(scope: Scope, send: Send) -> None:
    """Redeem a one-time ticket for the admission cookie (403 for a ticket that is not valid)."""
    token = ADMISSIONS.redeem(parse_qs(scope.get("query_string", b"").decode()).get("t", [""])[0])
    if token is None:
        await _respond(send, 403)
        return
    cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    if scope.get("scheme") == "https":
        cookie += "; Secure"
    await _respond(send, 204, ((b"set-cookie", cookie.encode("latin-1")),))


def _cookie(scope: Scope, name: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(_header(scope, b"cookie"))
    except CookieError:
        return None
    return jar[name].value if name in jar else None


def _browser_cookie(scope: Scope) -> tuple[bytes, bytes]:
    """A new browser key. Lax, not Strict: a link followed from a mail must not replace an open tab's key."""
    cookie = f"{BROWSER_COOKIE}={new_browser_key()}; Path=/; HttpOnly; SameSite=Lax"
    if scope.get("scheme") == "https":
        cookie += "; Secure"
    return b"set-cookie", cookie.encode("latin-1")


def _admitted(scope: Scope) -> bool:
    """Whether the request carries a valid admission cookie."""
    return ADMISSIONS.valid(_cookie(scope, COOKIE))


def _root(base: str | None) -> str:
    if base is None:
        from streamlit import config

        base = str(config.get_option("server.baseUrlPath") or "")
    return "/" + base.strip("/") if base.strip("/") else ""


def upload_target(path: str, base: str | None = None) -> tuple[str, str] | None:
    """The (session id, file id) an upload URL names, ``None`` for any other path."""
    prefix = _root(base) + UPLOAD_PREFIX
    if not path.startswith(prefix):
        return None
    parts = path[len(prefix):].split("/")
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


def own_sessions_only(scope: Scope, browser: str | None) -> Scope:
    """The websocket handshake without a session id that is not this browser's (Streamlit then starts a
    new session); unchanged when it names none or its own."""
    entries = subprotocols(_header(scope, b"sec-websocket-protocol"))
    if len(entries) < 3 or not entries[2] or OWNERS.owns(entries[2], browser):
        return scope
    headers = [(k, v) for k, v in scope.get("headers", ()) if k.lower() != b"sec-websocket-protocol"]
    headers.append((b"sec-websocket-protocol", ", ".join(entries[:2]).encode("latin-1")))
    return {**scope, "headers": headers}


def learning_send(send: Send, browser: str | None) -> Send:
    """``send`` that binds the session this connection is given to ``browser`` (from its new_session)."""
    if not browser:
        return send
    left = [LEARN_MESSAGES]

    async def send_and_learn(message: MutableMapping[str, Any]) -> None:
        payload = message.get("bytes") if message["type"] == "websocket.send" else None
        if left[0] > 0 and payload and len(payload) <= LEARN_MAX_BYTES:
            left[0] -= 1
            session_id = new_session_id(payload)
            if session_id:
                OWNERS.bind(session_id, browser)
                left[0] = 0
        await send(message)

    return send_and_learn


def _upload_refusal(scope: Scope, browser: str | None) -> int | None:
    """403 for an upload to a session that is not this browser's, 413 past its budget; ``None``: let it through."""
    target = upload_target(scope["path"])
    method = scope.get("method")
    if target is None or method not in ("PUT", "DELETE"):
        return None
    session_id, file_id = target
    if not OWNERS.owns(session_id, browser):
        return 403
    if method == "DELETE":
        UPLOADS.release(session_id, file_id)
        return None
    length = _header(scope, b"content-length")
    return None if UPLOADS.admit(session_id, file_id, int(length) if length.isdigit() else None) else 413


_HOST = re.compile(r"^(?:\[(?P<ip6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9.-]+))(?::\d{1,5})?$")


def host_name(header: str) -> str | None:
    """The host a Host header names, or ``None`` when it is not one host with an optional port
    ("127.0.0.1:8611@evil.example" named 127.0.0.1 to a split on the last colon)."""
    match = _HOST.match(header.strip().lower())
    if match is None:
        return None
    return match.group("ip6") or match.group("name")


def guarded_path(path: str, base: str | None = None) -> bool:
    """Whether ``path`` is one of the guarded endpoints: it begins with one of ``GUARDED_PREFIXES`` after the
    server's base path (``server.baseUrlPath``). Matched from the start, never as a substring: Streamlit's
    own fonts and icons under ``/static/media/`` are the page's, and must load before signing in."""
    root = _root(base)
    return any(path.startswith(root + prefix) for prefix in GUARDED_PREFIXES)


class Guard:
    """ASGI middleware: see the module docstring."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        gated, hosts = _settings()
        host = host_name(_header(scope, b"host"))
        if hosts and host not in hosts:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await _respond(send, 400)
            return
        browser = _cookie(scope, BROWSER_COOKIE)
        if scope["type"] == "websocket":
            await self.app(own_sessions_only(scope, browser), receive, learning_send(send, browser))
            return
        path = scope["path"]
        if path.rstrip("/").endswith("/_stcore/metrics"):
            await _respond(send, 404)
            return
        if path.endswith(ADMIT_PATH):
            await _admit(scope, send)
            return
        if gated and scope.get("method") != "OPTIONS" and guarded_path(path) and not _admitted(scope):
            await _respond(send, 403)
            return
        refusal = _upload_refusal(scope, browser)
        if refusal is not None:
            await _respond(send, refusal)
            return
        extra = () if browser else (_browser_cookie(scope),)

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in SECURITY_HEADERS if k not in names), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
