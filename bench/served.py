"""The app as served, for the benchmarks that measure it: ``streamlit run`` on a free port of 127.0.0.1,
optionally pinned to CPU 0 (``taskset``) so the clients on the other cores do not compete with it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_served(script: str = "serve.py", *, app: Path = ROOT, pin: bool = False,
                 options: Sequence[str] = ()) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run <app>/<script>`` and wait for its health check; the process and its URL."""
    port = free_port()
    pinned = ["taskset", "-c", "0"] if pin else []
    process = subprocess.Popen([*pinned, sys.executable, "-m", "streamlit", "run", str(app / script), "--server.port",
                                str(port), "--server.address", "127.0.0.1", "--server.headless", "true", *options],
                               cwd=app, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
                                    "OPENBLAS_NUM_THREADS": "1"})  # as serve.py sets it
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("the server did not start")


def rss_mb(pid: int) -> float:
    """The resident memory of a process, in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process and its threads have used so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
