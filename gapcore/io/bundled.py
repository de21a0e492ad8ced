"""The bundled demo study and the blank template: where they are (``data/`` in a source checkout, inside
the package when installed from a wheel) and the demo read as the app reads it.

In detail: `data_path` finds them (and the demo's segment names) in the source
checkout's `data/` or inside an installed wheel (`gapcore/data/`); `demo_result` reads the demo as the app does
(the app's `ui.state.demo_result` caches it).
"""

from __future__ import annotations

from pathlib import Path

from gapcore.io.load import SourceFile, load_study
from gapcore.io.mapping import ColumnMapping
from gapcore.io.study import LoadResult

DEMO_STUDY = "demo_study.xlsx"
DEMO_SEGMENTS = "demo_segments.yaml"  # the demo's segment names in each language
TEMPLATE = "template.xlsx"


def data_path(name: str) -> Path:
    """A bundled file: the wheel's copy beside this module, else the source checkout's ``data/``."""
    packaged = Path(__file__).resolve().parent.parent / "data" / name
    return packaged if packaged.is_file() else Path(__file__).resolve().parents[2] / "data" / name


def demo_result() -> LoadResult:
    """The demo study (1,500 bank-branch customers) read with its segment names."""
    segments = data_path(DEMO_SEGMENTS)
    mapping = ColumnMapping.loads(segments.read_bytes(), file=segments.name)
    study = data_path(DEMO_STUDY)
    return load_study([SourceFile(study.name, study.read_bytes())], mapping=mapping)
