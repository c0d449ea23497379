"""Progress bars for long steps (import, fetch, the stages of a build), the one way to show them.

A bar is drawn with rich on standard error, and only when someone is watching: the command
turned bars on (:func:`configure`, which ``import``, ``fetch`` and ``build`` call with their
``--quiet`` flag), and standard error is a terminal. Otherwise every call here does nothing, so
pipes, log files, tests and library users see no bar and the same bytes. ``force=True`` (or
``LIVERGRAPH_PROGRESS=1``) draws it whatever the stream, for tests and screencasts;
``LIVERGRAPH_PROGRESS=0`` silences it.

>>> with bar("importing", total=3) as b:
...     for record in ("a", "b", "c"):
...         b.advance()
"""
from __future__ import annotations

import os
import sys
from contextvars import ContextVar
from types import TracebackType
from typing import IO, Any

#: "off" (the library's default: no bars), "auto" (a command asked for bars: drawn when stderr
#: is a terminal) or "quiet" (a command's --quiet: none, whatever LIVERGRAPH_PROGRESS says)
_MODE: ContextVar[str] = ContextVar("livergraph_progress", default="off")


def configure(*, quiet: bool = False) -> None:
    """Called by a command: bars on standard error when it is a terminal, none with
    ``quiet``."""
    _MODE.set("quiet" if quiet else "auto")


def forced(force: bool | None = None) -> bool:
    """Whether a bar is drawn whatever the stream (``force``, or ``LIVERGRAPH_PROGRESS=1``
    unless the command was given --quiet)."""
    if force is not None:
        return force
    return os.environ.get("LIVERGRAPH_PROGRESS", "").strip() == "1" and _MODE.get() != "quiet"


def enabled(stream: IO[str] | None = None, force: bool | None = None) -> bool:
    """Whether a bar would be drawn on ``stream`` (standard error when None)."""
    if force is None and os.environ.get("LIVERGRAPH_PROGRESS", "").strip() == "0":
        return False
    if forced(force):
        return True
    if force is False or _MODE.get() != "auto":
        return False
    stream = stream if stream is not None else sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Bar:
    """One progress bar: ``advance(n)``, ``update(done, total)``, ``stage(name)``. A bar that
    is not drawn accepts the same calls and does nothing."""

    def __init__(self, description: str, total: float | None = None, *, unit: str = "",
                 stream: IO[str] | None = None, force: bool | None = None):
        self.description = description
        self.total = total
        self.unit = unit
        self.done = 0.0
        self._stream = stream if stream is not None else sys.stderr
        self._progress: Any = None
        self._task: Any = None
        self._force = force

    @property
    def drawn(self) -> bool:
        """Whether this bar is being drawn."""
        return self._progress is not None

    def __enter__(self) -> Bar:  # noqa: PYI034 (Python 3.10 has no typing.Self)
        if enabled(self._stream, self._force):
            self._force = forced(self._force)
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )
            console = Console(file=self._stream, force_terminal=bool(self._force) or None,
                              color_system=None if self._force else "auto")
            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TextColumn(self.unit),
                                      TimeElapsedColumn(), console=console, transient=False,
                                      auto_refresh=not self._force)
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=self.total)
        return self

    def update(self, done: float, total: float | None = None) -> None:
        """``done`` of ``total`` (the total may be learnt late, or change)."""
        self.done = done
        if total is not None:
            self.total = total
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=self.total)
            if self._force:
                self._progress.refresh()

    def advance(self, n: float = 1) -> None:
        """``n`` more done."""
        self.update(self.done + n)

    def stage(self, name: str) -> None:
        """A named stage begins (one step of ``total`` stages): the bar shows its name."""
        if self._progress is not None:
            self._progress.update(self._task, description=f"{self.description}: {name}")
        self.advance(0)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def bar(description: str, total: float | None = None, *, unit: str = "",
        stream: IO[str] | None = None, force: bool | None = None) -> Bar:
    """A progress bar for ``with``: drawn only when :func:`enabled` (see the module)."""
    return Bar(description, total, unit=unit, stream=stream, force=force)
