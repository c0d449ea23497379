"""What every registry importer shares: writing files only when their content changes (or, with
``--dry-run``, only reporting what would change), the dated snapshots of registry records, and
small record helpers.

Snapshots: each import of a registry record that differs from its latest snapshot keeps the raw
record as ``data/registry/snapshots/<registration id>/<date>.<json|xml>`` (the date is the
register's version or refresh date), and a ``RegistryRecordVersion`` record with that date, the
retrieval date and the fields the history tracks (``livergraph history ID``; query
``registry-history``). Re-importing the same record changes no file.
"""
from __future__ import annotations

import contextvars
import fcntl
import functools
import inspect
import json
import os
import shutil
import signal
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from livergraph.errors import UnreadableInput
from livergraph.io.atomic import write_atomic

REGISTRY_DIR = "registry"
SNAPSHOT_DIR = "registry/snapshots"


def put(rec: dict[str, Any], key: str, value: Any) -> None:
    """Set ``rec[key]`` unless the value is empty (None, [], {}, '')."""
    if value is None or value == [] or value == {} or value == "":
        return
    rec[key] = value


@dataclass
class ChangeSet:
    """Files an import writes, applied all together or not at all.

    ``write`` and ``remove`` only stage a change (a file whose content is unchanged is left
    alone); ``commit`` applies them through a journal: every new content is first written under
    ``data/registry/.journal/``, then a manifest is written atomically (the commit point), then
    the next data directory is assembled beside data/ (hard links) and swapped in with one
    atomic rename (``_apply``). A run killed before the manifest leaves data/ as it was (the
    partial journal is discarded by the next import); one killed after it leaves data/ either
    as it was or complete, never in between, and the next import finishes it (``recover``).
    With ``dry_run`` nothing is written and the lists say what would be."""
    data_dir: Path
    dry_run: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    pending: dict[Path, str | None] = field(default_factory=dict)   # None: remove

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.data_dir.parent).as_posix()
        except ValueError:
            return str(path)

    def read(self, path: Path) -> str | None:
        """The content ``path`` will have: a staged one, else what is on disk (None: none)."""
        if path in self.pending:
            return self.pending[path]
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def write(self, path: Path, text: str) -> bool:
        """Stage ``text`` for ``path`` unless it already holds it; True when it would change."""
        old = self.read(path)
        if old == text:
            self.unchanged.append(self.shown(path))
            return False
        (self.added if old is None else self.changed).append(self.shown(path))
        self.pending[path] = text
        return True

    def remove(self, path: Path) -> None:
        if self.read(path) is not None:
            self.removed.append(self.shown(path))
            self.pending[path] = None

    @property
    def written(self) -> list[str]:
        return self.added + self.changed + self.removed

    def commit(self) -> None:
        """Apply the staged changes through the journal (nothing with ``dry_run``). A full disk
        or a read-only directory is UnreadableInput saying what state data/ is in."""
        if self.dry_run or not self.pending:
            return
        try:
            self._commit()
        except OSError as exc:
            committed = (journal_dir(self.data_dir) / MANIFEST).exists()
            raise UnreadableInput(
                f"could not write into the data directory: {exc.strerror or exc}",
                file=str(self.data_dir),
                hint="check the disk has room and the directory (and the one holding it) is "
                     "writable, then run the import again; " +
                     ("data/ is unchanged and the next import completes this one" if committed
                      else "data/ was not changed")) from None

    def _commit(self) -> None:
        journal = journal_dir(self.data_dir)
        if journal.exists():
            shutil.rmtree(journal)
        files = journal / "files"
        files.mkdir(parents=True)
        entries = []
        for n, (path, text) in enumerate(sorted(self.pending.items(), key=lambda kv: str(kv[0]))):
            rel = path.relative_to(self.data_dir).as_posix()
            if text is None:
                entries.append({"target": rel, "remove": True})
                continue
            staged = files / f"{n:06d}"
            with open(staged, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            entries.append({"target": rel, "staged": staged.name})
            fault_point()
        write_atomic(journal / MANIFEST, lambda h: h.write(json.dumps(entries) + "\n"))
        fault_point()                  # the commit point
        _apply(self.data_dir, journal, entries)
        self.pending.clear()


MANIFEST = "manifest.json"


def journal_dir(data_dir: Path) -> Path:
    return data_dir / REGISTRY_DIR / ".journal"


def _apply(data_dir: Path, journal: Path, entries: list[dict[str, Any]]) -> None:
    """Apply a committed journal so that readers never see part of it: the next data directory
    is assembled beside the current one (hard links to every unchanged file, the staged files
    in place of the changed ones), then the two are exchanged in one atomic rename and the old
    one removed. Where the atomic exchange is not available, the files are moved one by one."""
    real = Path(os.path.realpath(data_dir))
    side = sidecar(real)
    shutil.rmtree(side, ignore_errors=True)
    _link_tree(real, side, skip=Path(os.path.realpath(journal)))
    for entry in entries:
        target = side / entry["target"]
        target.unlink(missing_ok=True)
        if not entry.get("remove"):
            target.parent.mkdir(parents=True, exist_ok=True)
            staged = journal / "files" / entry["staged"]
            os.chmod(staged, 0o644)
            os.link(staged, target)
        fault_point()
    if _exchange(side, real):
        fault_point()                  # data/ is the new one; the old one waits beside it
        shutil.rmtree(side, ignore_errors=True)
        return
    shutil.rmtree(side, ignore_errors=True)
    _apply_in_place(real, journal, entries)


def sidecar(data_dir: Path) -> Path:
    """Where the next data directory is assembled: a hidden sibling of ``data_dir``."""
    real = Path(os.path.realpath(data_dir))
    return real.parent / f".{real.name}.livergraph-import"


def _link_tree(source: Path, target: Path, skip: Path) -> None:
    """A copy of the directory tree ``source`` at ``target`` whose files are hard links
    (symbolic links copied as links), leaving out ``skip``."""
    for folder, dirs, files in os.walk(source):
        here = Path(folder)
        dirs[:] = [d for d in dirs if here / d != skip]
        out = target / here.relative_to(source)
        out.mkdir(exist_ok=True)
        shutil.copystat(here, out)
        for name in files:
            src = here / name
            if src.is_symlink():
                os.symlink(os.readlink(src), out / name)
            else:
                os.link(src, out / name)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2 RENAME_EXCHANGE); False where the
    system or the file system cannot."""
    import ctypes
    import sys
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    return False


def _apply_in_place(data_dir: Path, journal: Path, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        target = data_dir / entry["target"]
        if entry.get("remove"):
            target.unlink(missing_ok=True)
            fault_point()
            continue
        staged = journal / "files" / entry["staged"]
        if staged.exists():           # not yet moved (a replay skips the ones that were)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(staged, 0o644)
            os.replace(staged, target)
        fault_point()
    shutil.rmtree(journal)


#: fault injection for the kill -9 tests: ``LIVERGRAPH_FAULT_KILL_AT=K`` makes the import
#: process SIGKILL itself at its K-th journal step (each staged file, the manifest, each file
#: moved into place); unset, ``fault_point`` does nothing
FAULT_ENV = "LIVERGRAPH_FAULT_KILL_AT"
_steps = [0]


def fault_point() -> None:
    """One step of the journal; the process kills itself here when FAULT_ENV names it."""
    at = os.environ.get(FAULT_ENV)
    if not at:
        return
    _steps[0] += 1
    if str(_steps[0]) == at.strip():
        os.kill(os.getpid(), signal.SIGKILL)


def recover(data_dir: Path) -> str | None:
    """Finish or discard an import that was killed: a journal with its manifest is applied
    (the import had committed), one without is removed (it had not). Says which, or None."""
    journal = journal_dir(data_dir)
    side = sidecar(data_dir)
    leftover = side.exists()
    shutil.rmtree(side, ignore_errors=True)   # a next data/ not swapped in, or the old one
    if not journal.exists():
        return ("removed what an interrupted import left beside the data directory (data/ "
                "was complete)") if leftover else None
    manifest = journal / MANIFEST
    if manifest.exists():
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        _apply(data_dir, journal, entries)
        return f"completed an interrupted import ({len(entries)} file(s))"
    shutil.rmtree(journal)
    return "discarded an interrupted import that had not committed (data/ was unchanged)"


#: the data directory whose lock this import (this context) already holds
_HELD: contextvars.ContextVar[str | None] = contextvars.ContextVar("livergraph_import_lock",
                                                                  default=None)


@contextmanager
def import_lock(data_dir: Path) -> Iterator[None]:
    """One import at a time per data directory: an exclusive lock on the directory holding it
    (no lock file is left behind); UnreadableInput when another import holds it. Inside a
    ``locked_import`` call for the same directory it is already held and does nothing."""
    if _HELD.get() == os.path.realpath(data_dir):
        yield
        return
    with _flock(data_dir):
        yield


@contextmanager
def _flock(data_dir: Path) -> Iterator[None]:
    if not Path(data_dir).is_dir():
        raise UnreadableInput("no such data directory", file=str(data_dir),
                              hint="give an existing data directory")
    try:
        # the lock is on the directory holding data/: the data directory itself is replaced
        # by its next version when an import commits
        fd = os.open(Path(os.path.realpath(data_dir)).parent,
                     os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise UnreadableInput(f"cannot open the data directory: {exc.strerror}",
                              file=str(data_dir), hint="give an existing data directory") \
            from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UnreadableInput("another import into this data directory is running",
                                  file=str(data_dir), hint="wait for it to finish, then run "
                                  "this import again") from None
        yield
    finally:
        os.close(fd)          # closing releases the lock


F = TypeVar("F", bound=Callable[..., Any])


def locked_import(fn: F) -> F:
    """Run an importer (a function with ``data_dir`` and ``dry_run`` parameters, returning a
    result with ``warnings``) holding the data directory's lock from before it reads anything
    until its changes are committed, after finishing or discarding an interrupted import
    (``recover``): an import never computes its changes from data another import is about to
    change, so two imports run one after the other or the second is refused."""
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        if bound.arguments.get("dry_run"):
            return fn(*args, **kwargs)
        data_dir = Path(bound.arguments["data_dir"])
        with _flock(data_dir):
            token = _HELD.set(os.path.realpath(data_dir))
            try:
                try:
                    note = recover(data_dir)
                except OSError as exc:
                    raise UnreadableInput(
                        "could not finish the interrupted import in the data directory: "
                        f"{exc.strerror or exc}", file=str(data_dir),
                        hint="check the disk has room and the directory is writable, then "
                             "run the import again") from None
                result = fn(*args, **kwargs)
            finally:
                _HELD.reset(token)
        if note:
            result.warnings.insert(0, note)
        return result
    return wrapper  # type: ignore[return-value]


def snapshot_dir(data_dir: Path, registration_id: str) -> Path:
    return data_dir / "registry" / "snapshots" / registration_id


def stored_snapshots(data_dir: Path, registration_id: str, suffix: str) -> list[Path]:
    """The raw snapshots kept for a registration, oldest first."""
    folder = snapshot_dir(data_dir, registration_id)
    return sorted(folder.glob(f"*{suffix}")) if folder.is_dir() else []


def snapshot_record(registration_id: str, date: str, retrieved: str | None, location: str,
                    label: str, tracked: dict[str, Any], of: dict[str, str]) -> dict[str, Any]:
    """The ``RegistryRecordVersion`` of one snapshot: its dates, where its raw record is kept,
    and the tracked fields as the record gave them then."""
    rec: dict[str, Any] = {"type": "RegistryRecordVersion", "id": f"{registration_id}-{date}",
                           "label": {"en": label}}
    rec.update(of)
    rec["versionDate"] = date if len(date) == 10 else None
    if rec["versionDate"] is None:
        del rec["versionDate"]
    put(rec, "retrievedOn", retrieved)
    rec["sourceLocation"] = location
    for key, value in tracked.items():
        put(rec, key, value)
    return rec
