"""``livergraph import ictrp``: WHO ICTRP portal XML exports and ChiCTR record XML -> data/.

Writes under ``data/registry/``:

* ``snapshots/<TrialID>/<date>.xml``: each record as retrieved, one file per dated snapshot
  (the date is ICTRP's ``Last_Refreshed_on``; a record whose content is unchanged adds none);
* ``ictrp/registrations/<TrialID>.yaml``: the record's snapshots (``RegistryRecordVersion``) and
  the ``TrialRegistration`` mapped from the latest one, with the trial it registers
  (``registrationOf``) and the evidence joining it to other registrations;
* ``ictrp/trials/<id>.yaml``: a ``Trial`` for each group of registrations of one trial, unless
  the trial is already in data/ (curated, or imported from ClinicalTrials.gov);
* ``ictrp/duplicate-candidates.yaml``: likely duplicates, for a curator to confirm;
* ``ictrp/index.json``: the importer's state (every registration's mapped record and
  snapshots), from which the YAML files are regenerated.
"""
from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from livergraph.errors import DataError, LivergraphError
from livergraph.registry.common import (ChangeSet, import_lock, locked_import, put, recover,
                                        snapshot_dir, snapshot_record)
from livergraph.registry.ictrp import fields as F
from livergraph.registry.ictrp.linking import candidates, clusters
from livergraph.registry.ictrp.mapper import UNDATED, Registration, map_record
from livergraph.registry.ictrp.parse import FlatRecord, read_records

ICTRP_DIR = Path("registry") / "ictrp"
TRIAL_KEYS = ("title", "officialTitle", "acronym", "status", "phase", "studyType", "enrollment",
              "startDate", "registryCondition", "country")


@dataclass
class ImportResult:
    imported: list[str] = field(default_factory=list)   # registrations with a new snapshot
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)    # older than the stored snapshot
    errors: list[LivergraphError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: ChangeSet | None = None
    records: int = 0
    trials: int = 0
    candidates: int = 0

    @property
    def exit_code(self) -> int:
        return max((e.exit_code for e in self.errors), default=0)

    @property
    def written(self) -> list[str]:
        return self.changes.written if self.changes else []


def _placed(exc: LivergraphError, rec: FlatRecord) -> LivergraphError:
    exc.file = exc.file or rec.file
    exc.record = exc.record or rec.where
    return exc


def load_index(data_dir: Path) -> dict[str, dict[str, Any]]:
    path = data_dir / ICTRP_DIR / "index.json"
    if not path.exists():
        return {}
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"damaged importer state: {exc}", file=str(path),
                        hint="delete data/registry/ictrp/ and re-import the raw snapshots "
                             "(data/registry/snapshots/*/*.xml)") from None
    return content if isinstance(content, dict) else {}


def _known_trials(data_dir: Path) -> set[str]:
    """Trial ids already in data/ outside ICTRP's files (curated, or ClinicalTrials.gov)."""
    out: set[str] = set()
    for folder in (data_dir / "trials", data_dir / "registry" / "trials"):
        if folder.is_dir():
            out.update(p.stem for p in folder.glob("*.yaml"))
    return out


def _vocabulary_terms(data_dir: Path) -> frozenset[str]:
    """The CURIEs listed in data/vocabulary/terms*.yaml (read as text: one ``curie:`` a term)."""
    out = set()
    for path in sorted((data_dir / "vocabulary").glob("terms*.yaml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            key, _, value = line.strip().lstrip("- ").partition(":")
            if key == "curie":
                out.add(value.strip().strip("'\""))
    return frozenset(out)


@locked_import
def import_files(paths: list[Path], data_dir: Path, *, strict: bool = False,
                 dry_run: bool = False, retrieved: str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import ICTRP/ChiCTR XML files into ``data_dir``; bad files and records are reported in
    ``result.errors`` (with file and TrialID) and the good ones imported. With ``strict``
    nothing is written if any is bad; with ``dry_run`` nothing is written at all."""
    result = ImportResult()
    mapped: list[Registration] = []
    terms = _vocabulary_terms(data_dir)
    for n, path in enumerate(paths, 1):
        try:
            records = read_records(Path(path))
        except LivergraphError as exc:
            result.errors.append(exc)
            continue
        export = None
        for rec in records:
            try:
                export = export or F.parse_export_date(rec.fields.get("Export_date"))
            except DataError as exc:
                result.errors.append(_placed(exc, rec))
                break
        unknown = sorted({u for rec in records for u in rec.unknown})
        if unknown:
            result.warnings.append(f"{path}: elements not read: {', '.join(unknown)}")
        for rec in records:
            result.records += 1
            try:
                reg = map_record(rec, export, retrieved, terms)
            except LivergraphError as exc:
                result.errors.append(_placed(exc, rec))
                continue
            result.warnings.extend(f"{rec.file} [{rec.where}]: {w}" for w in reg.warnings)
            mapped.append(reg)
        if progress:
            progress(n, len(paths))
    if strict and result.errors:
        return result
    changes = result.changes = ChangeSet(data_dir, dry_run)
    if not mapped:
        return result
    with nullcontext() if dry_run else import_lock(data_dir):
        if not dry_run:
            note = recover(data_dir)
            if note:
                result.warnings.append(note)
        index = load_index(data_dir)
        for reg in mapped:
            _store(reg, index, data_dir, changes, result)
        _write_all(index, data_dir, changes, result)
        changes.commit()
    return result


def _store(reg: Registration, index: dict[str, dict[str, Any]], data_dir: Path,
           changes: ChangeSet, result: ImportResult) -> None:
    entry = index.get(reg.trial_id)
    snaps = entry["snapshots"] if entry else []
    latest = snaps[-1] if snaps else None
    if latest and _order(latest["date"]) > _order(reg.snapshot):
        result.skipped.append(reg.trial_id)
        return
    if entry and entry["record"] == reg.record:
        result.unchanged.append(reg.trial_id)
        return
    snap = {"date": reg.snapshot, "retrieved": reg.retrieved, "tracked": reg.tracked}
    snaps = sorted([s for s in snaps if s["date"] != reg.snapshot] + [snap],
                   key=lambda s: _order(s["date"]))
    index[reg.trial_id] = {"record": reg.record, "links": reg.links, "eudract": reg.eudract,
                           "snapshots": snaps}
    changes.write(snapshot_dir(data_dir, reg.trial_id) / f"{reg.snapshot}.xml", reg.raw + "\n")
    result.imported.append(reg.trial_id)


def _order(date: str) -> str:
    """Sort key of a snapshot date: an undated snapshot is older than any dated one."""
    return "" if date == UNDATED else date


def snapshot_id(tid: str, date: str) -> str:
    """An ICTRP snapshot's record id: ``ictrp-<TrialID>-<date>`` (apart from the ids of
    ClinicalTrials.gov record versions, ``NCT…-<date>``, even for an NCT registration)."""
    return f"ictrp-{tid}-{date}"


def _snapshot_records(tid: str, entry: dict[str, Any], trial: str) -> list[dict[str, Any]]:
    register = entry["record"].get("register", "ICTRP")
    return [snapshot_record(
        f"ictrp-{tid}", s["date"], s.get("retrieved"),
        f"data/registry/snapshots/{tid}/{s['date']}.xml",
        f"{register} record {tid} via WHO ICTRP, as refreshed {s['date']}", s["tracked"],
        {"snapshotOf": tid, "ofTrial": f"trial:{trial}"}) for s in entry["snapshots"]]


def _renumbered(interventions: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """The primary registration's interventions as the trial's own nested records (local ids
    ``registered-intervention-N``, apart from the registration's, which may share the id)."""
    if not interventions:
        return None
    return [{**rec, "id": f"registered-{rec['id']}"} for rec in interventions]


def _write_all(index: dict[str, dict[str, Any]], data_dir: Path, changes: ChangeSet,
               result: ImportResult) -> None:
    from livergraph.model.lint import dump
    known = _known_trials(data_dir)
    groups = clusters(index, known)
    base = data_dir / ICTRP_DIR
    trial_files = set()
    for cluster in groups:
        for tid in cluster.members:
            entry = index[tid]
            reg = dict(entry["record"])
            reg["registrationOf"] = cluster.id
            put(reg, "sameTrialEvidence", cluster.evidence.get(tid))
            reg["source"] = snapshot_id(tid, entry["snapshots"][-1]["date"])
            changes.write(base / "registrations" / f"{tid}.yaml",
                          dump(_snapshot_records(tid, entry, cluster.id) + [reg]))
        if cluster.id in known:
            continue
        primary = index[cluster.primary]
        trial: dict[str, Any] = {"type": "Trial", "id": cluster.id}
        # no nctId even for an NCT id: the trial is known here through ICTRP only, and the
        # ClinicalTrials.gov-specific checks (shapes that target subjects of lg:nctId) and the
        # record-page link apply once `import ctgov` or a curator adds the trial's own record
        trial["label"] = {"en": cluster.id}
        for key in TRIAL_KEYS:
            put(trial, key, primary["record"].get(key))
        if "title" not in trial and "officialTitle" in trial:   # an empty public title
            trial["title"] = trial["officialTitle"]
        put(trial, "hasIntervention", _renumbered(primary["record"].get("hasIntervention")))
        trial["source"] = snapshot_id(cluster.primary, primary["snapshots"][-1]["date"])
        path = base / "trials" / f"{cluster.id}.yaml"
        trial_files.add(path)
        changes.write(path, dump(trial))
    folder = base / "trials"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if path not in trial_files:
            changes.remove(path)
    dups = candidates(index, groups)
    changes.write(base / "duplicate-candidates.yaml", dump(dups) if dups else "[]\n")
    changes.write(base / "index.json",
                  json.dumps(index, ensure_ascii=False, sort_keys=True, indent=0) + "\n")
    result.trials = len(groups)
    result.candidates = len(dups)
