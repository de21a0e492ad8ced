"""The layers of gapcore, kept by a test: a module imports only from its own layer or one below.

foundation (messages, problems, catalogues, the instrument, numeric kernels) → io (files to a Study)
→ statistics (cells, analysis, segments, driver_model, warehouse) → present (charts, tables, story, exports) → cli.
No gapcore module imports streamlit or the app (``ui``, ``pages``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

GAPCORE = ROOT / "gapcore"
FOUNDATION = {"defaults", "errors", "problems", "catalogue", "plaintext", "particles", "i18n", "messages", "instrument",
              "stats", "reliability", "importance", "sql_scores"}
STATISTICS = {"filters", "scores", "cells", "gaps", "analysis", "segments", "driver_model", "warehouse", "connected",
              "engine_drivers"}
TOP = {"cli", "__main__", "__init__", "api", "documents"}
ORDER = ("foundation", "io", "statistics", "present", "cli")


def layer(module: str) -> str:
    """The layer of a dotted module name below ``gapcore`` (``io.load``, ``present.story``, ``stats``)."""
    head = module.split(".")[0]
    if head in ("io", "present"):
        return head
    if head in FOUNDATION:
        return "foundation"
    if head in STATISTICS:
        return "statistics"
    if head in TOP:
        return "cli"
    raise AssertionError(f"gapcore.{module} is in no layer: add it to tests/test_layers.py")


def modules() -> dict[str, Path]:
    found = {}
    for path in GAPCORE.rglob("*.py"):
        parts = path.relative_to(GAPCORE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]  # a subpackage's __init__ is the package (``io.readers``: ``read_file``)
        found[".".join(parts)] = path
    return found


def imports(path: Path) -> set[str]:
    """Every module a file imports, at module level or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "gapcore":
                names |= {f"gapcore.{alias.name}" for alias in node.names}
    return names


def test_every_gapcore_module_has_a_layer():
    assert {m: layer(m) for m in modules()}  # raises for a module in no layer
    assert {m for m in modules() if layer(m) == "io"} == {
        "io.readers", "io.columns", "io.scale", "io.segment_setup", "io.profile", "io.mapping_edit", "io.load",
        "io.study", "io.answers", "io.bundled", "io.identify", "io.na_codes", "io.outcomes", "io.questionnaire",
        "io.checks", "io.conversion", "io.headers", "io.mapping", "io.proposals", "io", "io.readers.raw",
        "io.readers.encoding", "io.readers.layouts", "io.readers.delimited", "io.readers.archive",
        "io.readers.workbooks", "io.readers.spss", "io.readers.parquet", "io.sources", "io.engine_reading"}
    assert {m for m in modules() if layer(m) == "present"} == {
        "present", "present.charts", "present.tables", "present.story", "present.exports", "present.readings",
        "present.slides", "present.segment_slides", "present.waterfall", "present.segment_charts",
        "present.projector", "present.templates"}


def upward_imports(module: str, path: Path) -> list[str]:
    """What ``gapcore.<module>`` (at ``path``) imports against the layers: the app, or a higher layer."""
    own = ORDER.index(layer(module))
    wrong = []
    for name in sorted(imports(path)):
        if name.startswith(("streamlit", "ui", "pages")):
            wrong.append(name)
        elif name.startswith("gapcore.") and module != "__init__":
            target = name.removeprefix("gapcore.")
            if target not in ("io", "present") and ORDER.index(layer(target)) > own:
                wrong.append(name)
    return wrong


@pytest.mark.parametrize("module", sorted(modules()))
def test_imports_run_down_the_layers(module):
    assert upward_imports(module, modules()[module]) == []


def test_the_layer_check_catches_an_upward_import(tmp_path):
    """The check itself can fail: a foundation module importing the story or the app is refused, one importing
    its own layer is not."""
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit as st\nfrom gapcore.present.story import build_story\n"
                   "from gapcore.errors import GapcoreError\n", encoding="utf-8")
    assert upward_imports("stats", bad) == ["gapcore.present.story", "streamlit"]
    assert upward_imports("present.story", bad) == ["streamlit"]


def test_every_default_of_an_analysis_is_read_from_gapcore_defaults():
    """The minimum cell size, the confidence level and the test level are one constant each: every public
    function's default is that constant, and no module writes the number again."""
    import inspect

    from gapcore import analysis, defaults, driver_model, segments, stats
    from gapcore.present import readings, segment_slides, slides, story

    wanted = {"min_cell": defaults.MIN_CELL, "level": defaults.CONFIDENCE, "alpha": defaults.ALPHA}
    checked = 0
    for module in (analysis, segments, stats, driver_model, story, slides, segment_slides, readings):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            for parameter, value in wanted.items():
                default = inspect.signature(function).parameters.get(parameter)
                if default is not None and default.default is not inspect.Parameter.empty:
                    assert default.default == value, (module.__name__, name, parameter)
                    checked += 1
    assert checked >= 10
    written = re.compile(r"min_cell: int = \d|level: float = 0\.\d|alpha: float = 0\.0\d|n [<>]=? 30\b")
    sources = [*GAPCORE.rglob("*.py"), *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    assert [p.name for p in sources if written.search(p.read_text(encoding="utf-8"))] == []


def test_every_downloaded_file_is_named_through_download_stem():
    """No page writes a file name of its own (the Data page's three had no common prefix rule): each is
    ``exports.download_stem`` or a stem made by it."""
    sources = [*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    named = [(p.name, m.group(0)) for p in sources
             for m in re.finditer(r"file_name=[^,)]*", p.read_text(encoding="utf-8"))]
    assert len(named) >= 8
    assert [n for n in named if not re.match(r"file_name=(download_stem\(|f\"\{(file_)?stem\})", n[1])] == []


def test_the_outcome_names_are_written_once():
    """The three outcomes are ``gapcore.io.headers.OUTCOMES``; no other module lists them again."""
    from gapcore.io.headers import OUTCOMES, ROLES

    assert OUTCOMES == ("satisfaction", "retention", "recommend") and set(OUTCOMES) <= set(ROLES)
    listed = re.compile(r"""["']satisfaction["'],\s*["']retention["'],\s*["']recommend["']""")
    sources = [*GAPCORE.rglob("*.py"), *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    assert sorted(p.name for p in sources if listed.search(p.read_text(encoding="utf-8"))) == ["headers.py"]


@pytest.mark.parametrize("page", [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"], ids=lambda p: p.name)
def test_a_page_builds_no_table_and_computes_nothing(page):
    """Pages read state, call gapcore, draw: a page that imports pandas or numpy is building a table or
    computing a figure that belongs in gapcore (where the deck and the report would say it too). Type hints
    under ``TYPE_CHECKING`` do not count."""
    tree = ast.parse(page.read_text(encoding="utf-8"))
    guarded = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
               and getattr(block.test, "id", "") == "TYPE_CHECKING" for node in ast.walk(block)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in guarded:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            assert not [n for n in names if n.split(".")[0] in ("pandas", "numpy")], f"{page.name} imports {names}"


STUDY_NAMES = {"study", "analysis", "chain", "model", "by_value", "company", "tracking", "comparison", "items",
               "result", "profile", "frame"}
FRAME_METHODS = {"loc", "iloc", "iat", "at", "iterrows", "itertuples", "tolist", "to_numpy", "groupby", "apply",
                 "agg", "query", "sum", "mean", "dropna", "unique", "set_index", "values"}


def page_computations(source: str) -> list[str]:
    """What a page's source computes itself: every loop or comprehension over a study's (an analysis', a
    model's…) values and every table operation (``.loc``, ``.tolist()``, ``.values``…), as source text. A loop
    over what a gapcore function returned (the lines of a reading, a table's rows as text) only draws."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.For, ast.comprehension)):
            if isinstance(node.iter, ast.Call) and isinstance(node.iter.func, ast.Name):
                continue
            named = {n.id for n in ast.walk(node.iter) if isinstance(n, ast.Name)}
            if named & STUDY_NAMES:
                found.append(f"loop over {ast.unparse(node.iter)}")
        elif isinstance(node, ast.Attribute) and node.attr in FRAME_METHODS:
            found.append(ast.unparse(node))
    return found


@pytest.mark.parametrize("page", [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"], ids=lambda p: p.name)
def test_a_page_loops_over_no_study_values(page):
    """A loop over a study's values or a table operation on a page is a rule the deck and the report would
    not share: it belongs in gapcore (story, tables)."""
    assert page_computations(page.read_text(encoding="utf-8")) == []


def test_the_page_check_finds_a_loop_and_a_table_operation():
    bad = ("shown = [v for v, r in by_value.items() if not r.suppressed]\n"
           "flat = items.loc[items['no_variation'], 'item'].tolist()\n"
           "for dim in analysis.chain_by_dimension:\n    pass\n")
    assert sorted(page_computations(bad)) == sorted([
        "loop over by_value.items()", "items.loc[items['no_variation'], 'item'].tolist", "items.loc",
        "loop over analysis.chain_by_dimension"])
    assert page_computations("for line in overall_lines(analysis, lang):\n    pass\n") == []


def test_modules_and_pages_stay_small():
    """A module answers one question a newcomer asks: no gapcore module over 500 lines, no page over 150."""
    sizes = {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
             for path in [*GAPCORE.rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]}
    limit = {True: 500, False: 150}
    assert {name: n for name, n in sizes.items() if n > limit[name.startswith("gapcore")]} == {}
    assert len(sizes) > 60 and max(sizes.values()) > 400  # the files were read
