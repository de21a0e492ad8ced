"""Streamlit's own endpoints behind ui.guard, tried from outside with plain HTTP, as served by serve.py
with a password configured (secrets in a temporary HOME, so the repository is untouched)."""

from __future__ import annotations

import http.client
from collections.abc import Iterator

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, streamlit_server
from tests.e2e.test_browser import wait_ready

pytestmark = pytest.mark.e2e
PASSWORD = "guard-test-암호"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("home")
    (home / ".streamlit").mkdir()
    (home / ".streamlit" / "secrets.toml").write_text(
        f'[servicegap]\npassword = "{PASSWORD}"\nallowed_hosts = ["127.0.0.1", "localhost"]\n', encoding="utf-8")
    with streamlit_server(HOME=str(home)) as url:
        yield url


def request(url: str, method: str, path: str, *, body: bytes = b"", headers: dict[str, str] | None = None):
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_endpoints_refuse_what_is_not_signed_in(guarded):
    health = request(guarded, "GET", "/_stcore/health")
    assert health.status == 200
    assert health.getheader("X-Frame-Options") == "SAMEORIGIN"
    assert health.getheader("Content-Security-Policy") == "frame-ancestors 'self'"
    assert request(guarded, "GET", "/_stcore/metrics").status == 404
    assert request(guarded, "GET", "/", headers={"Host": "evil.example"}).status == 400
    assert request(guarded, "GET", "/", headers={"Host": "127.0.0.1:8611@evil.example"}).status == 400
    # 5 MB to the upload endpoint and a guessed download URL, without signing in: refused unread
    assert request(guarded, "PUT", "/_stcore/upload_file/some-session/some-file", body=b"x" * 5_000_000,
                   headers={"Content-Type": "application/octet-stream"}).status == 403
    assert request(guarded, "GET", "/media/0123456789abcdef.csv").status == 403
    font = next((ROOT / ".venv").glob("lib/python*/site-packages/streamlit/static/static/media/*.woff2"), None)
    if font is not None:  # Streamlit's own fonts and icons load before signing in (no "/media/" substring match)
        assert request(guarded, "GET", f"/static/media/{font.name}").status == 200
    assert request(guarded, "GET", "/_sg/admit?t=guessed").status == 403


# The icons drawn as their names: the icon font did not load, or an icon is wider than a glyph.
ICONS_AS_TEXT = """() => document.fonts.load('24px "Material Symbols Rounded"').catch(() => null)
  .then(() => document.fonts.ready).then(() => [
    ...Array.from(document.fonts).filter(f => f.family.includes('Material') && f.status !== 'loaded')
        .map(f => `${f.family}: ${f.status}`),
    ...Array.from(document.querySelectorAll('[data-testid=stIconMaterial]'))
        .filter(icon => icon.getBoundingClientRect().height > 0 && icon.scrollWidth > 40)
        .map(icon => icon.textContent)])"""


# At least ``n`` icons drawn, with every font the page asked for loaded (an icon is its name until then).
ICONS_AT_LEAST = """(n) => document.fonts.status === 'loaded'
    && document.querySelectorAll('[data-testid=stIconMaterial]').length >= n"""


def test_signing_in_opens_the_endpoints_for_that_browser_only(browser, guarded, tmp_path):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    tab.goto(f"{guarded}/Data")
    tab.locator("input[type=password]").wait_for()
    # Streamlit's icon font (under /static/media/) loads before signing in: an icon is a glyph about 20 px
    # wide, never its name written out ("visibility", "keyboard_double_arrow_left" when the font was refused)
    tab.wait_for_function(ICONS_AT_LEAST, arg=1)
    assert tab.evaluate(ICONS_AS_TEXT) == []
    tab.locator("input[type=password]").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    wait_ready(tab)
    tab.wait_for_function(ICONS_AT_LEAST, arg=2)
    assert tab.evaluate(ICONS_AS_TEXT) == []
    tab.wait_for_function("() => document.querySelector('[data-testid=\"stFileUploaderDropzoneInput\"]')")
    cookie = next((c for c in context.cookies() if c["name"] == "sg_admit"), None)
    for _ in range(20):
        if cookie:
            break
        tab.wait_for_timeout(500)
        cookie = next((c for c in context.cookies() if c["name"] == "sg_admit"), None)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    # With the cookie the guard lets a download request through (Streamlit: no such file, 404) ...
    with_cookie = {"Cookie": f"sg_admit={cookie['value']}"}
    assert request(guarded, "GET", "/media/0123456789abcdef.csv", headers=with_cookie).status == 404
    # ... and an upload through the page reaches the study
    path = tmp_path / "study.csv"
    path.write_bytes((ROOT / "data" / "demo_customers.csv").read_bytes())
    tab.set_input_files("[data-testid='stFileUploaderDropzoneInput']", str(path))
    expect(tab.get_by_text("Loaded 1,500 respondents").first).to_be_visible(timeout=90_000)
    context.close()
    assert request(guarded, "GET", "/media/0123456789abcdef.csv").status == 403
    font = next((ROOT / ".venv").glob("lib/python*/site-packages/streamlit/static/static/media/*.woff2"), None)
    if font is not None:  # Streamlit's own fonts and icons load before signing in (no "/media/" substring match)
        assert request(guarded, "GET", f"/static/media/{font.name}").status == 200  # no cookie, still refused


RECORD_SOCKETS = """(() => { const Native = window.WebSocket; window.__sockets = [];
  window.WebSocket = function (...args) { const s = new Native(...args); window.__sockets.push(s); return s; };
  window.WebSocket.prototype = Native.prototype; Object.assign(window.WebSocket, Native); })();"""


def protocol_client(url: str, protocols: list[str], cookie: str | None, page_name: str) -> bytes:
    """What a client that speaks Streamlit's protocol (no browser) receives for a rerun of ``page_name``."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    received = bytearray()
    headers = {"Cookie": cookie} if cookie else {}
    with connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=protocols,
                 additional_headers=headers, open_timeout=30) as socket:
        rerun = BackMsg()
        rerun.rerun_script.page_name = page_name
        socket.send(rerun.SerializeToString())
        for _ in range(2000):
            try:
                payload = socket.recv(timeout=30)
            except TimeoutError:
                break
            received += payload if isinstance(payload, bytes) else payload.encode()
            message = ForwardMsg.FromString(payload)
            if message.WhichOneof("type") == "script_finished":
                break
    return bytes(received)


def test_a_session_id_from_a_log_does_not_take_over_the_session(browser, server, tmp_path):
    """The reproduction of issue 29: a client with no cookie names the victim's session id (it is in every
    upload URL) and reruns the Segments page. It gets a session of its own; the victim's browser, after a
    network blip, reconnects to its own study; the same probe with the victim's browser key does see it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_SOCKETS)
    tab = context.new_page()
    uploads: list[str] = []
    tab.on("request", lambda r: uploads.append(r.url) if "/_stcore/upload_file/" in r.url else None)
    tab.goto(f"{server}/Data")
    wait_ready(tab)
    frame = pd.read_csv(ROOT / "data" / "demo_customers.csv").head(37)
    frame["branch"] = "Quokka-4471"
    path = tmp_path / "victim-study-4471.csv"
    frame.to_csv(path, index=False)
    tab.set_input_files("[data-testid='stFileUploaderDropzoneInput']", str(path))
    expect(tab.get_by_text("Loaded 37 respondents").first).to_be_visible(timeout=90_000)
    session_id = uploads[0].split("/_stcore/upload_file/")[1].split("/")[0]

    stolen = protocol_client(server, ["streamlit", "x", session_id], None, "Segments")
    assert b"Segments" in stolen  # the probe ran the page: in a session of its own, on the demo study
    assert b"Quokka-4471" not in stolen and b"victim-study-4471" not in stolen

    tab.evaluate("() => window.__sockets.forEach(s => s.close())")  # a network blip
    tab.wait_for_function("() => window.__sockets.length >= 2 && window.__sockets.at(-1).readyState === 1",
                          timeout=60_000)  # the page has opened a new socket: it reconnected
    tab.locator('[data-testid="stSidebar"]').get_by_role("link", name="Home").click()
    wait_ready(tab)
    expect(tab.locator('[data-testid="stMetric"]').first).to_contain_text("37", timeout=60_000)

    key = next(c["value"] for c in context.cookies() if c["name"] == "sg_browser")
    owned = protocol_client(server, ["streamlit", "x", session_id], f"sg_browser={key}", "Segments")
    assert b"Quokka-4471" in owned  # the probe sees a session when it is the owner's: it can tell
    context.close()

    # Raw upload PUTs: none into a session that is not the sender's; the owner's within the loader's caps
    # (10 files: the victim's one upload and nine more), refused before Streamlit holds a byte.
    put = f"/_stcore/upload_file/{session_id}/"
    body = {"Content-Type": "application/octet-stream"}
    assert request(server, "PUT", put + "a-stranger", body=b"x" * 1000, headers=body).status == 403
    owner = {**body, "Cookie": f"sg_browser={key}"}
    statuses = [request(server, "PUT", put + f"extra-{k}", body=b"x" * 1000, headers=owner).status for k in range(10)]
    assert 413 not in statuses[:9] and statuses[9] == 413
