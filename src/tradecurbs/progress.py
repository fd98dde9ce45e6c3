"""Visible progress for long commands: one line per pipeline stage, with its duration, on stderr and,
inside a Prefect run, in the run's logs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.text import Text

from tradecurbs import runreport

console = Console(stderr=True)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Print a stage's start and end (with seconds taken) on stderr."""
    console.print(f"[bold cyan]→[/] {name} …")
    start = time.perf_counter()
    try:
        yield
    except BaseException:
        console.print(f"[bold red]✗[/] {name} failed after {time.perf_counter() - start:.1f}s")
        _log(f"{name} failed after {time.perf_counter() - start:.1f}s")
        raise
    console.print(f"[bold green]✓[/] {name} ({time.perf_counter() - start:.1f}s)")
    _log(f"{name} ({time.perf_counter() - start:.1f}s)")


def _log(message: str) -> None:
    """The line, without its markup, in the Prefect run's logs."""
    runreport.log(Text.from_markup(message).plain)


def note(message: str) -> None:
    """Print one line of information between stages, on stderr."""
    console.print(f"  {message}")
    _log(message)
