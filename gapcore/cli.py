"""Command line: ``servicegap`` (or ``python -m gapcore``) ``analyze|drivers|report FILE [FILE ...]
[options]``, and ``servicegap app`` to open the app.

Prints a readable summary, or with ``--json`` one JSON document whose keys are stable (documented in
the README). Errors print the same message the app shows and exit with status 2.

In detail: ``app`` serves ``serve.py`` on 127.0.0.1 from the checkout or a wheel's ``servicegap_app/``, with
``.streamlit/config.toml`` passed as flags. Options are checked by their argparse types and argparse's own
complaints become catalogue messages (``tests/test_cli.py`` runs every command × wrong argument).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from gapcore.analysis import Analysis, analyze, prepare
from gapcore.connected import fitting_study, open_study, prepare_connected
from gapcore.defaults import MIN_CELL
from gapcore.documents import analysis_document, drivers_document
from gapcore.driver_model import BOOTSTRAP, default_predictors, fit_drivers
from gapcore.errors import GapcoreError
from gapcore.filters import values_of
from gapcore.i18n import t
from gapcore.instrument import instrument_from_table
from gapcore.io.headers import OUTCOMES
from gapcore.io.load import SourceFile, load_study
from gapcore.io.mapping import ColumnMapping, na_setting, parse_scale
from gapcore.io.readers import read_file
from gapcore.io.scale import Scale
from gapcore.io.study import Study
from gapcore.messages import LANGUAGES, render_line
from gapcore.problems import Problem
from gapcore.stats import p_text


def _fixed(value: float, spec: str) -> str:
    """A number in a console column; '–' where there is none (held back, no variation, no alpha)."""
    return "–" if pd.isna(value) else format(value, spec)


def _interval(row: pd.Series, spec: str) -> str:
    if row["no_variation"]:
        return "no variation"
    if pd.isna(row["ci_low"]):
        return "–"
    return f"[{row['ci_low']:{spec}}, {row['ci_high']:{spec}}]"


def _parse_filters(pairs: Sequence[str]) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for pair in pairs:
        if "=" not in pair:
            raise GapcoreError("bad_filter", detail=pair)
        column, value = pair.split("=", 1)
        filters.setdefault(column.strip(), []).extend(values_of(value))
    return filters


def _print_summary(study: Study, analysis: Analysis, lang: str, out) -> None:
    """The analysis in the reader's language: the same reader's tables the pages and the HTML report show
    (``present.tables``), with the selection, the scale, the overall scores and the gap chain."""
    from gapcore.present.readings import filters_text, named_step
    from gapcore.present.tables import dimensions_table, outcomes_table

    weighted = f" · {t('cli_effective_n', lang, n=analysis.n_eff)}" if analysis.weighted else ""
    print(t("respondents_n", lang, n=analysis.n) + weighted, file=out)
    if analysis.filters:
        print(t("scope_filtered", lang, filters=filters_text(analysis.filters, lang, study)), file=out)
    print(t("scale_found", lang, low=study.scale.low, high=study.scale.high), file=out)
    if analysis.suppressed:
        print(t("held_back", lang, min_cell=analysis.min_cell), file=out)
        return
    table = dimensions_table(study, analysis, lang)
    if study.perception_only:  # SERVPERF: perceptions with their intervals, lowest-rated first, nothing tested
        table = table.iloc[analysis.dimensions["P"].to_numpy().argsort(kind="stable")]
        print(f"\n{t('cli_perception_only', lang)}", file=out)
    _print_table(table, out)
    if analysis.dimensions["no_variation"].any():
        print(t("no_variation", lang), file=out)
    if not analysis.outcomes.empty:
        _print_table(outcomes_table(analysis, lang), out)
    if not analysis.overall.empty:
        print(f"\n{t('overall_title', lang)}", file=out)
        for _, r in analysis.overall.iterrows():
            interval = "" if pd.isna(r["ci_low"]) else f"  {r['ci_low']:+.3f} … {r['ci_high']:+.3f}"
            print(f"  {t(f'overall_{r.measure}', lang)}  {r['value']:+.3f}{interval}  n = {r['n']:,}", file=out)
    chain = analysis.chain
    if chain is not None:
        print(f"\n{t('sheet_gap_chain', lang)}", file=out)
        for step in chain.steps:
            print(f"  {step.start}→{step.end}  {step.value:+.3f}  {named_step(step.name, lang)}", file=out)
        print(f"  E→P  {chain.gap5:+.3f}  {t('col_gap', lang)}", file=out)
        if chain.gap4_promise is not None:
            print(f"  D−C  {chain.gap4_promise:+.3f}  {t('gap_4_promise', lang)}", file=out)
        tables = ", ".join(t(f"table_{name}", lang) for name in chain.scope)
        print(f"  {t('cli_provider_tables', lang, tables=tables or t('none', lang))}", file=out)


def _print_table(table: pd.DataFrame, out) -> None:
    """A reader's table as aligned text (Korean and Chinese characters count two columns wide)."""
    with pd.option_context("display.unicode.east_asian_width", True, "display.width", 200,
                           "display.max_columns", None, "display.max_colwidth", 60):
        print(f"\n{table.to_string(index=False)}", file=out)


def _print_load_errors(result, lang: str) -> int:
    """The load's errors on stderr; the exit status of a failed load."""
    for problem in result.report.errors or result.report.problems:
        print(render_line(problem, lang), file=sys.stderr)
    return 2


def _load(args: argparse.Namespace):
    files = [SourceFile(Path(f).name, _read(f)) for f in args.files]
    instrument = _instrument(args.instrument) if args.instrument else None
    mapping = ColumnMapping.loads(_read(args.mapping), file=Path(args.mapping).name) if args.mapping else None
    result = load_study(files, instrument=instrument, mapping=mapping, scale=args.scale, na=args.na,
                        header_row=args.header_row, encoding=args.encoding, accept_proposal=args.accept_proposal,
                        sheet=args.sheet)
    if args.write_mapping and result.mapping is not None:
        Path(args.write_mapping).write_text(result.mapping.dumps("yaml" if args.write_mapping.endswith(
            (".yaml", ".yml")) else "json"), encoding="utf-8")
    return result


def _read(path: str) -> bytes:
    if Path(path).is_dir():
        raise GapcoreError("path_is_folder", file=path)
    if not Path(path).is_file():
        raise GapcoreError("file_not_found", file=path)
    return Path(path).read_bytes()


def _instrument(path: str):
    raw = read_file(Path(path).name, _read(path))[0]
    return instrument_from_table(raw.frame, file=raw.file, sheet=raw.sheet)


def _scale_option(text: str) -> Scale:
    try:
        return Scale(*parse_scale(text))
    except ValueError as exc:
        raise GapcoreError("cli_bad_scale", option="--scale", value=text) from exc


def _whole_number(option: str, low: int, high: int):
    """An option's type: a whole number in [low, high], else a message that names the option."""
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise GapcoreError("cli_bad_number", option=option, value=text, low=low, high=high)
        return value
    return convert


def _output_file(option: str):
    """An option's type: a file to write, checked before any work is done (a folder, an empty name or a
    folder that does not exist is refused at once rather than after the whole report is built)."""
    def convert(text: str) -> str:
        path = Path(text)
        if not text.strip():
            raise GapcoreError("cli_no_output", option=option)
        if path.is_dir():
            raise GapcoreError("cli_output_folder", option=option, file=text)
        if not path.parent.is_dir():
            raise GapcoreError("cli_output_parent", option=option, file=text, folder=str(path.parent))
        return text
    return convert


def _reading_options() -> argparse.ArgumentParser:
    """Options every command shares: how the files are read."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--instrument", help="an items table (CSV/XLSX) for a custom instrument")
    common.add_argument("--mapping", help="a mapping file (JSON or YAML; see the README)")
    common.add_argument("--scale", type=_scale_option, metavar="LOW-HIGH", help="the answer scale, e.g. 1-7")
    common.add_argument("--na", type=na_setting, metavar="CODE[,CODE...]",
                        help="answers read as 'not applicable', e.g. 0,99,N/A; 'none' reads none; empty: detected")
    common.add_argument("--header-row", type=_whole_number("--header-row", 1, 1_000_000), metavar="N",
                        help="the header's row in the file (1 = first)")
    common.add_argument("--encoding", metavar="NAME", help="the text encoding, e.g. cp949, gb18030, utf-8")
    common.add_argument("--sheet", metavar="NAME",
                        help="the sheet that holds the respondents (default: a sheet named customers, else the "
                             "sheet with the most answer-like rows)")
    common.add_argument("--accept-proposal", action="store_true",
                        help="take the rating columns detection proposes as perception items")
    common.add_argument("--write-mapping", metavar="FILE", type=_output_file("--write-mapping"),
                        help="write the mapping as read (or as proposed) to FILE (.json or .yaml)")
    common.add_argument("--lang", choices=("en", "ko", "zh"), default="en")
    return common


def _report(args: argparse.Namespace, out) -> int:
    from gapcore.present.exports import export_story
    from gapcore.present.story import report_story

    result, prepared = _prepared(args)
    if prepared is None:
        return _print_load_errors(result, args.lang)
    story = report_story(prepared, _parse_filters(args.filter), lang=args.lang, min_cell=args.min_cell,
                         segment=args.segment or None)
    Path(args.output).write_bytes(export_story(story, args.format))
    print(t("cli_report_written", args.lang, path=args.output, charts=len(story.slides), tables=len(story.tables),
            n=story.n) + (t("cli_report_held", args.lang) if story.held_back else ""), file=out)
    return 0


def _drivers(args: argparse.Namespace, out) -> int:
    _files_or_source(args)
    if args.source:  # the model from the engine's sums: no cells needed, only the segments' values
        result, connection = _opened(args)
        study = None if connection is None else fitting_study(connection, result.study)
    else:
        result = _load(args)
        study = result.study
    if study is None:
        return _print_load_errors(result, args.lang)
    predictors = args.model or default_predictors(study)
    if args.progress:
        args.progress("model", study.n)
    model = fit_drivers(study, args.outcome, predictors=predictors, filters=_parse_filters(args.filter),
                        use_weight=args.weight == "on", controls=args.control, bootstrap=args.bootstrap)
    if args.json:
        json.dump(drivers_document(model, args.lang), out, ensure_ascii=False, indent=2)
        print(file=out)
        return 0
    fit = ", ".join(f"{k} {v:.3f}" for k, v in model.fit.items() if v is not None)
    print(f"{model.outcome} ~ {model.predictors} dimensions ({model.kind}), n = {model.n:,}; {fit}", file=out)
    print("term               coef      se        p   std   share (Shapley / Johnson)", file=out)
    shares = model.importance.set_index("dimension")
    for _, row in model.coefficients.iterrows():
        share = (f"{shares.loc[row['term'], 'shapley']:+6.1f}% / {shares.loc[row['term'], 'johnson']:+6.1f}%"
                 if row["term"] in shares.index else "")
        std = "" if row["term"] == "const" else f"{row['std_coef']:+5.2f}"
        print(f"{row['term']:<16} {row['coef']:+7.3f} {row['se']:7.3f} {p_text(row['p']):>8} {std:>5}   {share}",
              file=out)
    return 0


class _UsageError(Exception):
    """argparse's complaint about the command line, turned into a message in the user's language."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.command = prog.removeprefix("python -m gapcore").strip()
        self.message = message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """argparse's hook for a bad command line: raise, so ``main`` says it in the user's language."""
        raise _UsageError(self.prog, message)


# argparse's messages (3.11–3.13) → a message key and its values
_USAGE_PATTERNS = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "cli_missing"),
    (re.compile(r"argument (?P<option>\S+): invalid choice: '?(?P<value>[^' ]*)'? \(choose from (?P<choices>.+)\)"),
     "cli_choice"),
    (re.compile(r"argument (?P<option>\S+): expected one argument"), "cli_expects_value"),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "cli_unknown"),
)


def usage_problem(error: _UsageError) -> Problem:
    """The message for a command line argparse refused."""
    for pattern, key in _USAGE_PATTERNS:
        found = pattern.search(error.message)
        if found:
            values = {k: v.replace("'", "") for k, v in found.groupdict().items()}
            return Problem("error", key, values={**values, "command": error.command or "COMMAND"})
    return Problem("error", "cli_usage", values={"detail": error.message, "command": error.command or "COMMAND"})


def _lang_of(argv: Sequence[str]) -> str:
    """The --lang the user asked for, read before parsing so that parsing errors speak it too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg[len("--lang="):] in LANGUAGES:
            return arg[len("--lang="):]
    return "en"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m gapcore", description="SERVQUAL gap analysis of survey files.")
    sub = parser.add_subparsers(dest="command", required=True)
    common = _reading_options()
    analyze_cmd = sub.add_parser("analyze", help="scores, gap chain, reliability and tests", parents=[common])
    analyze_cmd.add_argument("files", nargs="*")
    analyze_cmd.add_argument("--source", help="a Parquet file or folder, a CSV, DB.duckdb::TABLE or spark:TABLE "
                                              "(read where it lives; see the README)")
    analyze_cmd.add_argument("--table", help="the table of a DuckDB database given as --source")
    analyze_cmd.add_argument("--filter", action="append", default=[], metavar="COL=VALUE[,VALUE]")
    analyze_cmd.add_argument("--weight", choices=("on", "off"), default="on")
    analyze_cmd.add_argument("--min-cell", type=_whole_number("--min-cell", 1, 1_000_000), default=MIN_CELL)
    analyze_cmd.add_argument("--json", action="store_true")
    drivers_cmd = sub.add_parser("drivers", help="which dimension gaps move an outcome", parents=[common])
    drivers_cmd.add_argument("files", nargs="*")
    drivers_cmd.add_argument("--source", help="read where it lives, as for analyze: the model is fitted from sums the "
                                              "engine takes (see the README)")
    drivers_cmd.add_argument("--table", help="the table of a DuckDB database given as --source")
    drivers_cmd.add_argument("--outcome", required=True, choices=OUTCOMES)
    drivers_cmd.add_argument("--model", choices=("servqual", "servperf"),
                             help="gaps (servqual) or perceptions (servperf); default: servqual when the study "
                                  "has expectations, else servperf")
    drivers_cmd.add_argument("--filter", action="append", default=[], metavar="COL=VALUE[,VALUE]")
    drivers_cmd.add_argument("--weight", choices=("on", "off"), default="on")
    drivers_cmd.add_argument("--control", action="append", default=[], metavar="SEGMENT",
                             help="segment column entered as fixed effects (repeatable)")
    drivers_cmd.add_argument("--bootstrap", type=_whole_number("--bootstrap", 0, 10_000), default=BOOTSTRAP,
                             help="bootstrap resamples for the importance intervals (0 = none)")
    drivers_cmd.add_argument("--json", action="store_true")
    report_cmd = sub.add_parser("report", help="the PowerPoint deck, Excel workbook or HTML report", parents=[common])
    report_cmd.add_argument("files", nargs="*")
    report_cmd.add_argument("--source", help="read where it lives, as for analyze")
    report_cmd.add_argument("--table", help="the table of a DuckDB database given as --source")
    report_cmd.add_argument("--format", required=True, choices=("pptx", "xlsx", "html"))
    report_cmd.add_argument("-o", "--output", required=True, type=_output_file("--output"), help="the file to write")
    report_cmd.add_argument("--filter", action="append", default=[], metavar="COL=VALUE[,VALUE]")
    report_cmd.add_argument("--segment", help="segment column of the comparison slide (default: the first)")
    report_cmd.add_argument("--weight", choices=("on", "off"), default="on")
    report_cmd.add_argument("--min-cell", type=_whole_number("--min-cell", 1, 1_000_000), default=MIN_CELL)
    app_cmd = sub.add_parser("app", help="open the app in the browser (this computer only: 127.0.0.1)")
    app_cmd.add_argument("--port", type=_whole_number("--port", 1, 65_535), default=8501)
    return parser


def main(argv: Sequence[str] | None = None, out=None) -> int:
    """Run a command; every failure is a message in the chosen language on stderr and exit status 2."""
    out = out or sys.stdout
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_of(argv)
    try:
        args = _parser().parse_args(argv)
        command = {"analyze": _analyze, "drivers": _drivers, "report": _report, "app": _app}[args.command]
        with source_progress(args.lang) if getattr(args, "source", None) else contextlib.nullcontext() as progress:
            args.progress = progress  # the steps of a read where the rows live, on stderr
            return command(args, out)
    except GapcoreError as exc:
        problem = exc.problem
    except _UsageError as exc:
        if not exc.command:  # the top-level parser saw it: name the command the user typed, if any
            exc.command = next((a for a in argv if a in ("analyze", "drivers", "report", "app")), "")
        problem = usage_problem(exc)
    except BrokenPipeError:  # the reader went away (``| head``): nothing more to say, as other tools do
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 — so the interpreter's own flush stays quiet
        return 0
    except OSError as exc:  # a file that vanished, a disk that is full, a folder without permission
        problem = Problem("error", "cli_os_error", file=exc.filename and Path(exc.filename).name,
                          values={"detail": exc.strerror or type(exc).__name__})
    print(render_line(problem, lang), file=sys.stderr)
    return 2


def served_app() -> Path:
    """The folder of the app this installation serves: the source checkout (``app.py`` beside ``gapcore/``),
    else the copy a wheel carries (``servicegap_app/`` beside ``gapcore/``)."""
    here = Path(__file__).resolve().parent.parent
    for folder in (here, here / "servicegap_app"):
        if (folder / "serve.py").is_file() and (folder / "app.py").is_file():
            return folder
    raise GapcoreError("cli_app_missing")


def streamlit_flags(config: Path) -> list[str]:
    """The app's Streamlit settings (``.streamlit/config.toml``) as command-line flags, so they hold
    whatever folder the app is started from (Streamlit reads that file from the current folder only)."""
    import tomllib

    settings = tomllib.loads(config.read_text(encoding="utf-8")) if config.is_file() else {}
    return [f"--{section}.{key}={str(value).lower() if isinstance(value, bool) else value}"
            for section, values in settings.items() for key, value in values.items()]


def _app(args: argparse.Namespace, out) -> int:  # noqa: ARG001 — the app writes to the browser
    """``serve.py`` under Streamlit, on 127.0.0.1 (the guard included), until interrupted. This process
    becomes the server (``exec``), so a signal that stops ``servicegap app`` stops the server: no orphan
    keeps serving."""
    folder = served_app()
    command = [sys.executable, "-m", "streamlit", "run", str(folder / "serve.py"),
               *streamlit_flags(folder / ".streamlit" / "config.toml"), f"--server.port={args.port}",
               "--server.address=127.0.0.1"]
    sys.stdout.flush()
    os.execve(sys.executable, command, {**os.environ, "MALLOC_ARENA_MAX": "2"})
    return 0  # not reached: the server has taken this process' place


def _analyze(args: argparse.Namespace, out) -> int:
    result, prepared = _prepared(args)
    report_rows = [p.as_dict() for p in result.report]
    if prepared is None:
        return _print_load_errors(result, args.lang)
    analysis = analyze(prepared, _parse_filters(args.filter), min_cell=args.min_cell)
    if args.json:
        json.dump(analysis_document(prepared.study, analysis, report_rows), out, ensure_ascii=False, indent=2)
        print(file=out)
    else:
        _print_summary(prepared.study, analysis, args.lang, out)
        for problem in result.report:
            if problem.severity != "info":
                print(render_line(problem, args.lang), file=out)
    return 0


def _prepared(args: argparse.Namespace):
    """The load's result and its prepared cells (``None`` when nothing could be read): from the files in
    memory, or from a ``--source`` read where it lives (``gapcore.connected``)."""
    _files_or_source(args)
    use_weight = args.weight == "on"
    if not args.source:
        result = _load(args)
        return result, prepare(result.study, use_weight=use_weight) if result.study is not None else None
    result, connection = _opened(args)
    prepared = None if connection is None else prepare_connected(connection, result.study, use_weight=use_weight,
                                                                 progress=args.progress)
    return result, prepared


def _files_or_source(args: argparse.Namespace) -> None:
    if bool(args.files) == bool(args.source):
        raise GapcoreError("cli_files_or_source")


def _opened(args: argparse.Namespace):
    """A ``--source`` opened (``gapcore.connected.open_study``, its steps on ``args.progress``): the result and its
    connection."""
    mapping = ColumnMapping.loads(_read(args.mapping), file=Path(args.mapping).name) if args.mapping else None
    instrument = _instrument(args.instrument) if args.instrument else None
    return open_study(args.source, table=args.table, mapping=mapping, scale=args.scale, na=args.na,
                      instrument=instrument, progress=args.progress)


@contextlib.contextmanager
def source_progress(lang: str):
    """A progress bar on stderr (tqdm; shown only on a terminal) for the steps of a read where the rows live."""
    from tqdm import tqdm

    with tqdm(total=4, file=sys.stderr, disable=None, leave=False, bar_format="{desc} {bar} {n}/{total} {postfix}") \
            as bar:
        def step(name: str, rows: int | None) -> None:
            bar.set_description(t(f"progress_{name}", lang))
            if rows is not None:
                bar.set_postfix_str(t("progress_rows", lang, rows=f"{rows:,}"))
            bar.update(1)

        yield step
