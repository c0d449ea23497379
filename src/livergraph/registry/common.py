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

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

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
    each file is renamed into place and each removal done, then the journal is deleted. A run
    killed before the manifest leaves data/ as it was (the partial journal is discarded by the
    next import); one killed after it is completed by the next import (``recover``). With
    ``dry_run`` nothing is written and the lists say what would be."""
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
        """Apply the staged changes through the journal (nothing with ``dry_run``)."""
        if self.dry_run or not self.pending:
            return
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
        write_atomic(journal / MANIFEST, lambda h: h.write(json.dumps(entries) + "\n"))
        _apply(self.data_dir, journal, entries)
        self.pending.clear()


MANIFEST = "manifest.json"


def journal_dir(data_dir: Path) -> Path:
    return data_dir / REGISTRY_DIR / ".journal"


def _apply(data_dir: Path, journal: Path, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        target = data_dir / entry["target"]
        if entry.get("remove"):
            target.unlink(missing_ok=True)
            continue
        staged = journal / "files" / entry["staged"]
        if staged.exists():           # not yet moved (a replay skips the ones that were)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(staged, 0o644)
            os.replace(staged, target)
    shutil.rmtree(journal)


def recover(data_dir: Path) -> str | None:
    """Finish or discard an import that was killed: a journal with its manifest is applied
    (the import had committed), one without is removed (it had not). Says which, or None."""
    journal = journal_dir(data_dir)
    if not journal.exists():
        return None
    manifest = journal / MANIFEST
    if manifest.exists():
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        _apply(data_dir, journal, entries)
        return f"completed an interrupted import ({len(entries)} file(s))"
    shutil.rmtree(journal)
    return "discarded an interrupted import that had not committed (data/ was unchanged)"


@contextmanager
def import_lock(data_dir: Path) -> Iterator[None]:
    """One import at a time per data directory: an exclusive lock on the directory itself (no
    lock file is left behind); UnreadableInput when another import holds it."""
    fd = os.open(data_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UnreadableInput("another import into this data directory is running",
                                  file=str(data_dir), hint="wait for it to finish") from None
        yield
    finally:
        os.close(fd)          # closing releases the lock


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
