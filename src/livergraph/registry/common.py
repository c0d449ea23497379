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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    """Files an import writes. Each is written atomically and only when its content changes;
    with ``dry_run`` nothing is written and the lists say what would be."""
    data_dir: Path
    dry_run: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.data_dir.parent).as_posix()
        except ValueError:
            return str(path)

    def write(self, path: Path, text: str) -> bool:
        """Write ``text`` to ``path`` unless it already holds it; True when it (would) change."""
        try:
            old: str | None = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            old = None
        if old == text:
            self.unchanged.append(self.shown(path))
            return False
        (self.added if old is None else self.changed).append(self.shown(path))
        if not self.dry_run:
            write_atomic(path, lambda h: h.write(text))
        return True

    def remove(self, path: Path) -> None:
        if path.exists():
            self.removed.append(self.shown(path))
            if not self.dry_run:
                path.unlink()

    @property
    def written(self) -> list[str]:
        return self.added + self.changed + self.removed


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
