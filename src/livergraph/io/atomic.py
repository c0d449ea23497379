"""The one output writer: atomic, and never at the expense of an input.

Every file livergraph writes goes through :func:`write_atomic` (text) or :func:`write_bytes`:
the content goes to a temporary file in the target's directory, which is renamed into place
only when complete, so an interrupted or failed write never leaves a half-written output and
never damages the file that was there.

Before writing, :func:`check_target` refuses (exit 2, naming the file and the fix):

- a target that exists and is not a regular file: a device, a FIFO, a socket, a directory — and a
  symbolic link, which a rename would silently replace by a file;
- a target that is one of the current command's inputs (the ontology, a shape file, a data file,
  a query...), registered with :func:`protect` by the command that reads them.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from livergraph.errors import UnreadableInput

#: directories and files the running command reads, which no output may replace
_PROTECTED: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar(
    "livergraph_protected_inputs", default=())


@contextlib.contextmanager
def protect(paths: Iterable[Path]) -> Iterator[None]:
    """Within the block, refuse any output that is (or lies under) one of ``paths``."""
    resolved = tuple(_resolve(Path(p)) for p in paths)
    token = _PROTECTED.set(_PROTECTED.get() + resolved)
    try:
        yield
    finally:
        _PROTECTED.reset(token)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError):   # a symlink loop: compare the path as written
        return path.absolute()


def check_target(path: Path) -> None:
    """Raise UnreadableInput when ``path`` must not be written (see the module docstring)."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UnreadableInput(f"cannot write here: {exc.strerror}", file=str(path),
                              hint="choose another output path") from None
    if info is not None:
        kind = _kind(info.st_mode)
        if kind is not None:
            raise UnreadableInput(f"the output is {kind}, not a regular file; refusing to "
                                  "replace it", file=str(path),
                                  hint="write to a new or regular file (or leave out -o "
                                       "to print to standard output)")
    target = _resolve(path)
    for protected in _PROTECTED.get():
        if target == protected or protected in target.parents:
            raise UnreadableInput("the output would overwrite an input of this command",
                                  file=str(path),
                                  hint=f"choose an output outside {protected}")


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def write_atomic(path: Path, writer: Callable[[IO[str]], object]) -> None:
    """Write a text file (UTF-8, ``\\n`` line ends) through ``writer(handle)`` into a temporary
    file and rename it into place, so a failure never leaves a half-written output."""
    _write(Path(path), "w", writer)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`write_atomic`)."""
    _write(Path(path), "wb", lambda handle: handle.write(data))


def _write(path: Path, mode: str, writer: Callable[[IO], object]) -> None:  # type: ignore[type-arg]
    check_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise UnreadableInput(f"cannot write here: {exc.strerror}", file=str(path),
                              hint="check the directory exists and is writable, and the disk "
                                   "has room") from None
    try:
        if mode == "w":
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                writer(handle)
        else:
            with os.fdopen(fd, "wb") as handle:
                writer(handle)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno is not None:
            raise UnreadableInput(f"could not write the file: {exc.strerror}", file=str(path),
                                  hint="check the disk has room and the directory is writable; "
                                       "nothing was changed") from None
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
