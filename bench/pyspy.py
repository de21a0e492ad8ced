"""py-spy's raw profiles for the benchmarks that say where time goes (``served_profile``, ``cli --profile``): the
executable beside this Python, each sampled stack, and the part a stack is charged to."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

PY_SPY = str(Path(sys.executable).with_name("py-spy"))


def raw_stacks(raw: Path) -> Iterator[tuple[list[str], int]]:
    """Each stack of a ``py-spy record -f raw`` file (frames ``fn (file:line)``, outermost first) and its samples."""
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            yield stack.split(";"), int(count)


def innermost(frames: Sequence[str], parts: Sequence[tuple[str, re.Pattern]]) -> tuple[str, int] | None:
    """The part of the innermost frame that one of ``parts`` (name, pattern of its file) matches, and its depth."""
    for depth in range(len(frames) - 1, -1, -1):
        for name, pattern in parts:
            if pattern.search(frames[depth]):
                return name, depth
    return None
