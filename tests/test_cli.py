"""Every command × every wrong argument: a message in the chosen language on stderr, exit 2, no traceback."""

from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path

import pytest

from gapcore.cli import main
from tests.conftest import DATA

DEMO = str(DATA / "demo_study.xlsx")
DRIVERS = ["drivers", DEMO, "--outcome", "satisfaction", "--bootstrap", "0"]
REPORT = ["report", DEMO, "--format", "html"]

# (arguments, the English message, the Korean one) — each failed with a traceback, or was accepted, before
CASES = [
    (["analyze", DEMO, "--min-cell", "-5"], "--min-cell must be a whole number from 1 to 1000000; '-5' is not",
     "--min-cell에는 1~1000000 사이의 정수"),
    (["analyze", DEMO, "--min-cell", "x"], "'x' is not", "'x'는 쓸 수 없습니다"),
    (["analyze", DEMO, "--header-row", "0"], "--header-row must be a whole number", "--header-row에는"),
    (["analyze", DEMO, "--filter", "branch=Nowhere"], "'Nowhere' is not a value of the segment 'branch'",
     "'Nowhere'는 세그먼트 'branch'에 없는 값입니다"),
    (["analyze", DEMO, "--scale", "7-1"], "--scale '7-1' is not a scale", "척도 형식이 아닙니다"),
    (["analyze", DEMO, "--scale"], "--scale needs a value after it", "--scale 뒤에 값을 써야 합니다"),
    (["analyze", DEMO, "--bogus"], "Not an option of this command: --bogus. Run python -m gapcore analyze --help",
     "이 명령에 없는 옵션입니다: --bogus"),
    (["analyze", "/"], "This is a folder, not a file", "파일이 아니라 폴더입니다"),
    (["analyze"], "Give either survey files or --source", "설문 파일과 --source 중 하나만"),
    (["drivers", "--outcome", "satisfaction"], "Give either survey files or --source",
     "설문 파일과 --source 중 하나만"),
    (["frobnicate"], "'frobnicate' is not a choice for command", "'frobnicate'는"),
    (["analyze", DEMO, "--write-mapping", "/nonexistent/m.json"], "The folder '/nonexistent' for --write-mapping",
     "--write-mapping의 저장 폴더 '/nonexistent'"),
    ([*DRIVERS, "--filter", "nosuch=x"], "'nosuch' is not a segment column", "세그먼트 열이 아닙니다"),
    ([*DRIVERS, "--filter", "branch=Nowhere"], "'Nowhere' is not a value", "없는 값입니다"),
    ([*DRIVERS, "--bootstrap", "-5"], "--bootstrap must be a whole number from 0 to 10000",
     "--bootstrap에는 0~10000 사이의 정수"),
    ([*DRIVERS, "--control", "nosuch"], "'nosuch' is not a segment column", "세그먼트 열이 아닙니다"),
    (["drivers", DEMO, "--outcome", "nosuch"], "'nosuch' is not a choice for --outcome",
     "'nosuch'는 --outcome에 쓸 수 있는 값이 아닙니다"),
    ([*REPORT, "-o", "/tmp"], "--output names a folder, not a file", "파일이 아니라 폴더를 지정했습니다"),
    ([*REPORT, "-o", ""], "--output names no file", "--output에 파일 이름이 없습니다"),
    ([*REPORT, "-o", "/nonexistent/x.html"], "The folder '/nonexistent' for --output does not exist",
     "--output의 저장 폴더 '/nonexistent'"),
    ([*REPORT, "-o", "x.html", "--min-cell", "-5"], "--min-cell must be a whole number", "--min-cell에는"),
    ([*REPORT, "-o", "x.html", "--segment", "nosuch"], "'nosuch' is not a segment column", "세그먼트 열이 아닙니다"),
    (["report", DEMO, "-o", "x.html"], "Missing on the command line: --format", "명령줄에 빠진 항목이 있습니다"),
]


@pytest.mark.parametrize(("argv", "english", "korean"), CASES, ids=lambda v: " ".join(v[1:4]) if isinstance(v, list)
                         else None)
def test_a_wrong_argument_is_a_message_and_exit_2(argv, english, korean, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a report that wrongly ran would land here, not in the repository
    for lang, expected in (("en", english), ("ko", korean)):
        assert main([*argv, "--lang", lang]) == 2
        captured = capsys.readouterr()
        assert expected in captured.err, captured.err
        assert "Traceback" not in captured.err and "usage:" not in captured.err
        assert captured.err.startswith("[error] ") and captured.err.count("\n") == 1
    assert not (tmp_path / "x.html").exists()


def test_a_write_that_fails_is_a_message(capsys, tmp_path, monkeypatch):
    """A full disk (or a folder without permission) while writing the report."""
    monkeypatch.chdir(tmp_path)

    def full_disk(self, _data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    assert main([*REPORT, "-o", "r.html", "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    reason = os.strerror(errno.ENOSPC)
    assert err == f"[error] 文件 r.html: 无法读取或写入该文件（{reason}）。 请检查路径、权限和磁盘剩余空间。\n"


def test_a_reader_that_stops_early_is_not_an_error():
    """``analyze … | head -1``: the pipe closes; the command stops quietly (exit 0, nothing on stderr)."""
    import subprocess
    import sys

    command = f"'{sys.executable}' -m gapcore analyze '{DATA / 'demo_study.xlsx'}' | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120,
                          cwd=DATA.parent)
    assert done.stdout.startswith("1,500 respondents")
    assert done.stderr == "" and done.returncode == 0


def test_a_segment_value_with_a_comma_is_filtered_when_quoted(capsys, tmp_path):
    """Links and the command line share one syntax (gapcore.filters.values_text/values_of): commas separate
    values, and a value holding a comma is quoted as in CSV, so "Seoul, Gangnam" can be named."""
    import json

    import pandas as pd

    frame = pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig").head(400)
    frame["branch"] = frame["branch"].replace({"Seoul": "Seoul, Gangnam"})
    path = tmp_path / "comma.csv"
    frame.to_csv(path, index=False)
    expected = int((frame["branch"] == "Seoul, Gangnam").sum())
    assert main(["analyze", str(path), "--json", "--filter", 'branch="Seoul, Gangnam",Busan']) == 0
    both = json.loads(capsys.readouterr().out)["n"]
    assert both == expected + int((frame["branch"] == "Busan").sum())
    assert main(["analyze", str(path), "--json", "--filter", 'branch="Seoul, Gangnam"']) == 0
    assert json.loads(capsys.readouterr().out)["n"] == expected > 0


def test_filter_values_round_trip_through_their_one_text_syntax():
    from gapcore.filters import values_of, values_text

    values = ["Seoul, Gangnam", 'The "New" branch', "Busan", "대구"]
    assert values_text(values) == '"Seoul, Gangnam","The ""New"" branch",Busan,대구'
    assert values_of(values_text(values)) == values
    assert values_of("Daegu,Busan") == values_of("Daegu, Busan") == ["Daegu", "Busan"]  # links as written before
    assert values_of("") == [] and values_of(",,") == []


def test_the_not_applicable_setting_reads_one_way_on_the_page_the_command_line_and_the_api(tmp_path):
    """Empty detects the codes, "none" reads none, anything else lists them — one rule (``na_setting``),
    which the Data page, ``--na`` and ``gapcore.load`` all call (``--na ""`` used to read none)."""
    import gapcore
    from gapcore.io.mapping import na_setting

    assert na_setting(None) is None and na_setting("  ") is None
    assert na_setting(" None ") == () and na_setting("0, 99, N/A") == (0.0, 99.0, "N/A")
    for source in (DATA.parent / "ui" / "reading.py", DATA.parent / "gapcore" / "cli.py",
                   DATA.parent / "gapcore" / "api.py"):
        text = source.read_text(encoding="utf-8")
        assert "na_setting" in text and '.lower() == "none"' not in text, source.name
    data = "branch,P1,P2,P3\n" + "\n".join(f"b{i % 2},{1 + i % 5},{1 + (i * 2) % 5},{9 if i % 7 == 0 else 3}"
                                          for i in range(40))
    detected = gapcore.load(("nines.csv", data.encode()), na="", accept_proposal=True)
    assert detected.mapping.na == (9.0,)  # 9 stands outside the 1–5 answers: detected, as with no setting
    assert gapcore.load(("nines.csv", data.encode()), na="none", accept_proposal=True).mapping.na == ()
    (tmp_path / "nines.csv").write_text(data, encoding="utf-8")
    read = {}
    for setting in ([], ["--na", ""], ["--na", "none"]):
        out = io.StringIO()
        assert main(["analyze", str(tmp_path / "nines.csv"), "--accept-proposal", "--json", *setting], out=out) == 0
        read[" ".join(setting)] = json.loads(out.getvalue())["dimensions"]
    assert read["--na "] == read[""] != read["--na none"]  # empty is "not given": the 9s detected, not averaged


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_the_text_summary_speaks_the_chosen_language(lang, capsys):
    """The summary prints the reader's tables the pages show, in --lang: no English word of its own."""
    import re

    from gapcore.i18n import t

    assert main(["analyze", DEMO, "--lang", lang, "--filter", "branch=Busan"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(t("respondents_n", lang, n=268))
    for key in ("series_E", "series_P", "col_ci", "overall_title", "sheet_gap_chain", "gap_4_promise"):
        assert t(key, lang) in out, key
    assert not re.findall(r"\b(respondents|effective|dimension|overall|outcome|scale|chain|promise|provider)\b", out,
                          re.I)
