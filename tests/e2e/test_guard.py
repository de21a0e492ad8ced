"""Streamlit's own endpoints behind ui.guard, tried from outside with plain HTTP, as served by serve.py
with a password configured (secrets in a temporary HOME, so the repository is untouched)."""

from __future__ import annotations

import http.client
from collections.abc import Iterator

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


def test_signing_in_opens_the_endpoints_for_that_browser_only(browser, guarded, tmp_path):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    tab.goto(f"{guarded}/Data")
    tab.locator("input[type=password]").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    wait_ready(tab)
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
