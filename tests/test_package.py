"""ServiceGap as a distribution: the wheel built from this tree, installed into a clean environment away
from the source folder, runs its command on the demo, imports its catalogues and serves the app."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
from pathlib import Path

import pytest

from gapcore.cli import main
from tests.conftest import ROOT
from tests.e2e.conftest import _free_port

DEMO = ROOT / "data" / "demo_study.xlsx"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A clean venv holding only the wheel (its dependencies reached through a .pth to this environment's
    site-packages: what is tested is what the wheel carries); returns its bin folder."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(folder / "dist"),
                    str(ROOT)], check=True, cwd=folder)
    wheel = next((folder / "dist").glob("servicegap-*.whl"))
    venv.create(folder / "env", with_pip=False)
    env_python = folder / "env" / "bin" / "python"
    purelib = subprocess.run([str(env_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env_python), "install", "--no-deps", "--quiet",
                    str(wheel)], check=True, cwd=folder)
    return folder / "env" / "bin"


def _run(bin_folder: Path, *command: str) -> str:
    done = subprocess.run([str(bin_folder / command[0]), *command[1:]], capture_output=True, text=True,
                          cwd=bin_folder.parent.parent, env={**os.environ, "PYTHONPATH": ""}, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _listening_on(port: int) -> set[str]:
    """The IPv4 addresses a socket listens on at ``port`` (Linux's /proc/net/tcp: state 0A is LISTEN)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:
            found.add(".".join(str(int(address[k:k + 2], 16)) for k in (6, 4, 2, 0)))
    return found


def test_the_installed_command_analyzes_the_demo_as_the_source_does(installed):
    here = io.StringIO()
    assert main(["analyze", str(DEMO), "--json"], out=here) == 0
    assert json.loads(_run(installed, "servicegap", "analyze", str(DEMO), "--json")) == json.loads(here.getvalue())


def test_the_installed_library_carries_its_catalogues_and_its_demo(installed):
    said = _run(installed, "python", "-c", "import gapcore, gapcore.i18n as i; print(gapcore.__file__); "
                "print(i.t('nav_data', 'ko'), i.t('nav_data', 'zh')); print(gapcore.analyze(gapcore.demo()).n)")
    where, words, n = said.splitlines()
    assert Path(where).is_relative_to(installed.parent) and not Path(where).is_relative_to(ROOT)
    assert words == "데이터 数据" and n == "1500"


def test_the_installed_app_serves_on_this_computer_only(installed):
    port = _free_port()
    process = subprocess.Popen([str(installed / "servicegap"), "app", "--port", str(port)], cwd=installed.parent.parent,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": ""})
    try:
        deadline, health = time.monotonic() + 90, b""
        while time.monotonic() < deadline and health != b"ok":
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    health = response.read()
            except OSError:
                time.sleep(0.5)
        assert health == b"ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200 and b"<html" in response.read().lower()
        assert _listening_on(port) == {"127.0.0.1"}
        process.terminate()  # as a service manager stops it: the server itself goes, nothing keeps the port
        process.wait(timeout=30)
        assert _listening_on(port) == set()
    finally:
        process.kill()
