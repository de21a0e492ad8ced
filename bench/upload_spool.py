"""Where an upload's bytes go on the server: strace the served app while a browser uploads a 16 MB CSV.

Starlette spools a multipart body above 1 MiB to an unlinked temporary file (Python's ``tempfile``,
``O_TMPFILE`` in ``$TMPDIR``); ``serve.py`` raises that threshold above the upload cap, so nothing should
be opened. Runs ``app.py`` bare (Streamlit's default, the baseline) and ``serve.py`` (as served), both
with TMPDIR unset, and prints every temporary file the server opened and the filesystem it is on.
Needs strace and Debian's Chromium. Usage: ``python bench/upload_spool.py``.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def filesystem(path: str) -> str:
    out = subprocess.run(["df", "--output=fstype", path], capture_output=True, text=True).stdout.split()
    return out[-1] if out else "?"


def run(script: str, upload: Path) -> list[str]:
    port = free_port()
    trace = Path(tempfile.mkdtemp()) / "trace"
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    env.pop("TMPDIR", None)
    server = subprocess.Popen(["strace", "-f", "-qq", "-e", "trace=openat", "-o", str(trace), sys.executable, "-m",
                               "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)  # strace and the server in one group, ended together
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        tab = browser.new_page()
        tab.goto(f"{url}/Data")
        tab.wait_for_selector("[data-testid='stFileUploaderDropzoneInput']", state="attached", timeout=60_000)
        tab.set_input_files("[data-testid='stFileUploaderDropzoneInput']", str(upload))
        tab.wait_for_timeout(8000)
        browser.close()
    os.killpg(server.pid, signal.SIGTERM)  # terminating strace alone left the server running
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    lines = trace.read_text(errors="replace").splitlines()
    return sorted({m.group(1) for line in lines if "O_TMPFILE" in line
                   for m in [re.search(r'openat\(AT_FDCWD, "([^"]+)"', line)] if m})


def main() -> None:
    upload = Path(tempfile.mkdtemp()) / "big.csv"
    row = ",".join(str(k % 7 + 1) for k in range(44))
    header = ",".join([*(f"E{k}" for k in range(1, 23)), *(f"P{k}" for k in range(1, 23))])
    upload.write_text(header + "\n" + "\n".join(row for _ in range(180_000)) + "\n")
    print(f"upload: {upload.stat().st_size / 1e6:.1f} MB")
    for script in ("app.py", "serve.py"):
        opened = run(script, upload)
        where = ", ".join(f"{d} ({filesystem(d)})" for d in opened) or "none"
        print(f"{script}, TMPDIR unset: temporary files opened in {where}")


if __name__ == "__main__":
    main()
