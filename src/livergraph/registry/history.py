"""How a registration changed across its snapshots (``livergraph history ID``).

Reads the ``RegistryRecordVersion`` records the importers keep for a registration
(``data/registry/trials/NCT….yaml`` for ClinicalTrials.gov, ``data/registry/ictrp/
registrations/<TrialID>.yaml`` for ICTRP), oldest first, and compares the tracked fields of each
snapshot with the one before: status, enrolment, dates, sponsors and planned primary outcomes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as _field
from pathlib import Path
from typing import Any

from livergraph.errors import UnreadableInput

#: tracked field -> how it is named to users
FIELDS = {"registryStatusText": "status", "enrollment": "enrolment",
          "targetSizeText": "target size", "startDate": "start date",
          "primarySponsorText": "primary sponsor", "secondarySponsorText": "secondary sponsors",
          "primaryOutcomeText": "primary outcomes"}


@dataclass
class Change:
    field: str
    before: Any
    after: Any
    added: list[str] = _field(default_factory=list)     # list fields: items that appeared
    removed: list[str] = _field(default_factory=list)   # and disappeared


@dataclass
class Snapshot:
    id: str
    date: str
    retrieved: str | None
    location: str | None
    values: dict[str, Any]
    changes: list[Change] = _field(default_factory=list)


def registration_file(data_dir: Path, reg_id: str) -> Path | None:
    for path in (data_dir / "registry" / "ictrp" / "registrations" / f"{reg_id}.yaml",
                 data_dir / "registry" / "trials" / f"{reg_id}.yaml"):
        if path.is_file():
            return path
    return None


def history(data_dir: Path, reg_id: str) -> list[Snapshot]:
    """The snapshots of ``reg_id``, oldest first, each with its changes from the one before."""
    from livergraph.model.load import read_yaml
    path = registration_file(data_dir, reg_id)
    if path is None:
        raise UnreadableInput(f"no imported registration {reg_id!r} in {data_dir}",
                        hint="import it first: livergraph import ctgov FILE or "
                             "livergraph import ictrp FILE")
    content = read_yaml(path, str(path))
    records = content if isinstance(content, list) else [content]
    snaps = []
    for rec in records:
        if not isinstance(rec, dict) or rec.get("type") != "RegistryRecordVersion":
            continue
        rid = str(rec.get("id"))
        match = re.search(r"(\d{4}-\d{2}-\d{2}|undated)$", rid)
        date = match[1] if match else rid
        snaps.append(Snapshot(rid, date, _str(rec.get("retrievedOn")),
                              rec.get("sourceLocation"),
                              {k: rec[k] for k in FIELDS if k in rec}))
    snaps.sort(key=lambda s: "" if s.date == "undated" else s.date)
    for before, after in zip(snaps, snaps[1:]):
        after.changes = compare(before.values, after.values)
    return snaps


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    out = []
    for key in FIELDS:
        a, b = before.get(key), after.get(key)
        if isinstance(a, list) or isinstance(b, list):
            la, lb = _as_list(a), _as_list(b)
            if la != lb:
                out.append(Change(key, la, lb, [x for x in lb if x not in la],
                                  [x for x in la if x not in lb]))
        elif _str(a) != _str(b):
            out.append(Change(key, a, b))
    return out


def render(reg_id: str, snaps: list[Snapshot]) -> str:
    """The history as text: one block per snapshot, changes as 'field: before -> after'."""
    lines = [f"{reg_id}: {len(snaps)} snapshot(s)"]
    for n, snap in enumerate(snaps):
        head = f"{snap.date}" + (f" (retrieved {snap.retrieved})" if snap.retrieved else "")
        lines.append(head + (f"  {snap.location}" if snap.location else ""))
        if n == 0:
            for key, value in snap.values.items():
                shown = "; ".join(_as_list(value)) if isinstance(value, list) else value
                lines.append(f"  {FIELDS[key]}: {shown}")
        elif not snap.changes:
            lines.append("  no change in the tracked fields")
        for ch in snap.changes:
            if ch.added or ch.removed:
                lines.extend(f"  {FIELDS[ch.field]} removed: {x}" for x in ch.removed)
                lines.extend(f"  {FIELDS[ch.field]} added: {x}" for x in ch.added)
            else:
                lines.append(f"  {FIELDS[ch.field]}: {ch.before} -> {ch.after}")
    return "\n".join(lines) + "\n"
