"""Which browser a Streamlit session belongs to, and how much it may hold in uploads.

Streamlit reattaches a websocket to an existing session when the client names the session's id (the
third entry of ``Sec-WebSocket-Protocol``), and that id is in every upload URL, so it reaches proxy
logs. The guard therefore gives each browser a random, HttpOnly cookie (``BROWSER_COOKIE``), learns
which browser each session was created for (the id in the session's first ``new_session`` message),
and lets a websocket reattach, or an upload land, only from that browser. A stranger's id is dropped
from the handshake: the stranger gets a new, empty session of their own.

Uploads are counted per session before Streamlit holds them in memory: at most ``Limits.max_files``
files and ``Limits.max_total_bytes`` bytes within ``UPLOAD_WINDOW_SECONDS`` (less what the browser
removed), the same caps the loader applies to the files it reads together.

In detail: which browser each session belongs to (`SessionOwners`: the `sg_browser` cookie ↔ the id of the
session's first `new_session` message) and what a session may hold in uploads (`UploadBudget`, the loader's
`UPLOAD_LIMITS`).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gapcore.io.readers.raw import Limits

BROWSER_COOKIE = "sg_browser"
OWNER_SECONDS = 24 * 3600.0  # longer than any session Streamlit keeps for a reconnect
UPLOAD_WINDOW_SECONDS = 600.0
UPLOAD_LIMITS = Limits(max_file_bytes=200 * 1024**2)  # what the app reads from one upload (ui.state)
MAX_OWNERS = 100_000  # sessions remembered; the oldest are forgotten first (their reconnect gets a new session)


def new_browser_key() -> str:
    return secrets.token_urlsafe(24)


def subprotocols(header: str) -> list[str]:
    """The entries of a ``Sec-WebSocket-Protocol`` header, positions kept (Streamlit reads them by position)."""
    return [entry.strip() for entry in header.split(",")] if header else []


def new_session_id(payload: bytes) -> str | None:
    """The session id a ``new_session`` ForwardMsg announces; ``None`` for any other message."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = ForwardMsg()
    try:
        message.ParseFromString(payload)
    except Exception:  # not a ForwardMsg (a cached-message reference or a future format): nothing learned
        return None
    if message.WhichOneof("type") != "new_session":
        return None
    return message.new_session.initialize.session_id or None


class SessionOwners:
    """Session id → the browser key it was created for (kept ``OWNER_SECONDS``)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._owners: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def bind(self, session_id: str, browser: str) -> None:
        with self._lock:
            self._owners.pop(session_id, None)
            self._owners[session_id] = (browser, self.clock() + OWNER_SECONDS)
            if len(self._owners) > MAX_OWNERS:
                now = self.clock()
                live = {k: v for k, v in self._owners.items() if v[1] >= now}
                self._owners = dict(list(live.items())[-MAX_OWNERS:])

    def owns(self, session_id: str, browser: str | None) -> bool:
        """Whether ``browser`` is the one ``session_id`` was created for (never for an unknown id or no key)."""
        if not browser:
            return False
        with self._lock:
            owner = self._owners.get(session_id)
        return owner is not None and owner[1] >= self.clock() and secrets.compare_digest(owner[0], browser)


@dataclass
class _Held:
    files: dict[str, tuple[int, float]] = field(default_factory=dict)  # file id -> (bytes, when)


class UploadBudget:
    """Uploads a session holds: refused past ``limits.max_files`` files or ``limits.max_total_bytes`` bytes
    within the window, so a client cannot make the server hold more than the loader would ever read."""

    def __init__(self, limits: Limits = UPLOAD_LIMITS, *, window: float = UPLOAD_WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits, self.window, self.clock = limits, window, clock
        self._sessions: dict[str, _Held] = {}
        self._lock = threading.Lock()

    def admit(self, session_id: str, file_id: str, size: int | None) -> bool:
        """Count an upload of ``size`` bytes (unknown: the largest file allowed); ``False`` when over budget."""
        size = self.limits.max_file_bytes if size is None else size
        with self._lock:
            now = self.clock()
            self._sessions = {k: v for k, v in self._sessions.items()
                              if any(when + self.window >= now for _, when in v.files.values())}
            held = self._sessions.setdefault(session_id, _Held())
            held.files = {k: v for k, v in held.files.items() if v[1] + self.window >= now and k != file_id}
            if (len(held.files) + 1 > self.limits.max_files
                    or sum(b for b, _ in held.files.values()) + size > self.limits.max_total_bytes):
                return False
            held.files[file_id] = (size, now)
            return True

    def release(self, session_id: str, file_id: str) -> None:
        """The browser removed a file (DELETE): it no longer counts."""
        with self._lock:
            held = self._sessions.get(session_id)
            if held is not None:
                held.files.pop(file_id, None)


OWNERS = SessionOwners()
UPLOADS = UploadBudget()
