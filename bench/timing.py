"""The one clock of every benchmark: a stopwatch (wall time by default, this process' CPU with
``clock=time.process_time``), the best and the median of repeated runs, and the ratio line a result is
reported with (a figure beside its baseline measured in the same run, never an absolute time alone); and the
one way a simple benchmark reads its options."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Lap:
    """The seconds a ``stopwatch`` block took (set when the block ends)."""

    seconds: float = 0.0


@contextmanager
def stopwatch(clock: Callable[[], float] = time.perf_counter) -> Iterator[Lap]:
    """Time a block: ``with stopwatch() as lap: …`` then ``lap.seconds``."""
    lap, start = Lap(), clock()
    try:
        yield lap
    finally:
        lap.seconds = clock() - start


def runs(repeat: int, fn: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """The seconds of each of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        with stopwatch(clock) as lap:
            fn()
        times.append(lap.seconds)
    return times


def best_of(repeat: int, fn: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    """The fastest of ``repeat`` calls: the figure least disturbed by the rest of the machine."""
    return min(runs(repeat, fn, clock))


def median_of(repeat: int, fn: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    return statistics.median(runs(repeat, fn, clock))


def ratio_line(name: str, seconds: float, baseline: float, *, target: float | None = None) -> str:
    """``name  1234 ms  ÷ baseline 0.53`` (with the target the ratio is held to, when there is one)."""
    wanted = f"  (target ≤ {target:g})" if target is not None else ""
    return f"{name:<40} {seconds * 1000:8.0f} ms   ÷ baseline {seconds / baseline:5.2f}{wanted}"


def options(description: str | None, **defaults: float) -> argparse.Namespace:
    """A benchmark's command-line options: ``--name`` for each default, read as the default's type."""
    parser = argparse.ArgumentParser(description=description)
    for name, default in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)
    return parser.parse_args()
