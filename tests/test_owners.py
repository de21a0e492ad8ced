"""A session belongs to its browser (ui.owners, ui.guard): which websocket handshakes may reattach, which
uploads may land, and how much a session may hold. The served reproduction is in tests/e2e/test_guard.py."""

from __future__ import annotations

import asyncio
import threading

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from gapcore.io.readers.raw import Limits
from ui.guard import Guard, learning_send, own_sessions_only, upload_target
from ui.owners import OWNERS, SessionOwners, UploadBudget, new_session_id, subprotocols


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def run_async(coroutine) -> None:
    """Run ``coroutine`` to the end on its own event loop in another thread: in the full suite the browser
    tests' Playwright keeps an event loop running in this one, where ``asyncio.run`` refuses to start."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as exc:  # handed back to the test's thread
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def new_session_message(session_id: str) -> bytes:
    message = ForwardMsg()
    message.new_session.initialize.session_id = session_id
    return message.SerializeToString()


def handshake(protocol: str, cookie: str = "") -> dict:
    headers = [(b"host", b"127.0.0.1"), (b"sec-websocket-protocol", protocol.encode())]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return {"type": "websocket", "path": "/_stcore/stream", "headers": headers}


def test_a_session_is_owned_by_the_browser_it_was_bound_to_until_it_expires():
    clock = Clock()
    owners = SessionOwners(clock=clock)
    owners.bind("s1", "browser-a")
    assert owners.owns("s1", "browser-a")
    assert not owners.owns("s1", "browser-b")
    assert not owners.owns("s1", None) and not owners.owns("s1", "")
    assert not owners.owns("s2", "browser-a")  # never seen: nobody's
    clock.now += 24 * 3600 + 1
    assert not owners.owns("s1", "browser-a")


def test_the_session_id_is_read_from_a_new_session_message_only():
    assert new_session_id(new_session_message("3f9c-abc")) == "3f9c-abc"
    other = ForwardMsg()
    other.script_finished = 1
    assert new_session_id(other.SerializeToString()) is None
    assert new_session_id(b"\xff\xff not a message") is None


def test_a_strangers_session_id_is_dropped_from_the_handshake_and_an_owners_kept():
    OWNERS.bind("victim-session", "victims-key")
    stranger = own_sessions_only(handshake("streamlit, xsrf-token, victim-session"), None)
    assert dict(stranger["headers"])[b"sec-websocket-protocol"] == b"streamlit, xsrf-token"
    other_browser = own_sessions_only(handshake("streamlit, x, victim-session"), "someone-else")
    assert dict(other_browser["headers"])[b"sec-websocket-protocol"] == b"streamlit, x"
    own = handshake("streamlit, xsrf-token, victim-session")
    assert own_sessions_only(own, "victims-key") is own
    fresh = handshake("streamlit, xsrf-token")
    assert own_sessions_only(fresh, None) is fresh
    assert subprotocols("streamlit, , victim-session") == ["streamlit", "", "victim-session"]


def test_the_connection_learns_its_session_from_what_the_server_sends():
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def conversation() -> None:
        learner = learning_send(send, "key-of-this-browser")
        await learner({"type": "websocket.accept"})
        await learner({"type": "websocket.send", "bytes": b"\x00\x01"})
        await learner({"type": "websocket.send", "bytes": new_session_message("learned-session")})

    run_async(conversation())
    assert len(sent) == 3  # everything is passed on
    assert OWNERS.owns("learned-session", "key-of-this-browser")
    assert not OWNERS.owns("learned-session", "another-key")


def test_uploads_are_counted_per_session_within_the_window():
    clock = Clock()
    budget = UploadBudget(Limits(max_file_bytes=100, max_files=3, max_total_bytes=250), window=600, clock=clock)
    assert budget.admit("s", "f1", 100) and budget.admit("s", "f2", 100)
    assert not budget.admit("s", "f3", 60)  # 260 bytes held: over 250
    assert budget.admit("s", "f3", 50)
    assert not budget.admit("s", "f4", 1)  # a fourth file
    assert budget.admit("other", "f1", 100)  # another session has its own budget
    budget.release("s", "f1")
    assert budget.admit("s", "f4", 100)  # the browser removed one
    assert not budget.admit("s", "f5", None)  # size unknown: counted as the largest file allowed
    clock.now += 601
    assert budget.admit("s", "f5", None)  # the window has passed
    assert budget.admit("s", "f2", 100)  # the same file sent again replaces its own count


def test_upload_urls_name_their_session_and_file():
    assert upload_target("/_stcore/upload_file/abc/def", "") == ("abc", "def")
    assert upload_target("/sg/_stcore/upload_file/abc/def", "sg") == ("abc", "def")
    assert upload_target("/_stcore/upload_file/abc", "") is None
    assert upload_target("/_stcore/upload_file/abc/def/x", "") is None
    assert upload_target("/media/abc/def", "") is None


def test_the_guard_refuses_an_upload_to_another_browsers_session_and_sets_a_browser_key():
    OWNERS.bind("owned-session", "owners-key")
    calls: list[str] = []

    async def app(scope, _receive, send) -> None:
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def status_and_headers(path: str, method: str, cookie: str = "") -> tuple[int, dict]:
        scope = {"type": "http", "path": path, "method": method, "scheme": "http",
                 "headers": [(b"host", b"127.0.0.1"), (b"content-length", b"10"),
                             *([(b"cookie", cookie.encode())] if cookie else [])]}
        out: list[dict] = []

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            out.append(message)

        run_async(Guard(app)(scope, receive, send))
        return out[0]["status"], {k.decode(): v.decode() for k, v in out[0]["headers"]}

    assert status_and_headers("/_stcore/upload_file/owned-session/f1", "PUT")[0] == 403
    assert status_and_headers("/_stcore/upload_file/owned-session/f1", "PUT", "sg_browser=stranger")[0] == 403
    assert calls == []  # refused before Streamlit reads a byte
    assert status_and_headers("/_stcore/upload_file/owned-session/f1", "PUT", "sg_browser=owners-key")[0] == 200
    status, headers = status_and_headers("/", "GET")
    assert status == 200 and headers["set-cookie"].startswith("sg_browser=")
    assert "HttpOnly" in headers["set-cookie"] and "SameSite=Lax" in headers["set-cookie"]
    assert "set-cookie" not in status_and_headers("/", "GET", "sg_browser=owners-key")[1]


def test_serve_holds_uploads_in_memory():
    import importlib

    from starlette.formparsers import MultiPartParser

    importlib.import_module("serve")
    assert MultiPartParser.spool_max_size > 200 * 1024**2  # Streamlit's maxUploadSize: never a temporary file
