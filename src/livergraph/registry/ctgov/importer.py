"""ClinicalTrials.gov API v2 JSON -> livergraph records (``livergraph import ctgov``).

A file holds one study (``/api/v2/studies/{nctId}``), a search page (``{"studies": [...],
"nextPageToken": ...}``) or a list of studies. Each study becomes:

* its raw JSON, kept as ``data/registry/raw/NCT….json`` so a build is reproducible offline;
* ``data/registry/trials/NCT….yaml``: a ``RegistryRecordVersion`` (``NCT…-<versionDate>``) and a
  ``Trial`` record marked ``supplement: true`` that holds every imported statement, derived from
  that version (``source``). The builder merges it into a curated record of the same trial, where
  the curated record wins for every property it states (see data/README.md);
* disagreements with a curated record, as ``DataQualityIssue`` entries (issue type
  ``registry-disagreement``) nested in the imported trial, naming the property, the curated value
  and the registry value — never overwritten;
* sponsors and collaborators matched by name, alias or former name to the curated organizations
  (``data/organizations/``), or to ones imported earlier (``data/registry/agents/``);
* the MeSH descriptors the registry derived, listed in ``data/vocabulary/terms-registry-mesh.yaml``.

Enumerations are checked against the ontology's concepts (``skos:notation`` = API value). Files are
written atomically and only when their content changes, so re-importing the same record leaves
every file byte-identical.
"""
from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from livergraph.errors import LivergraphError

from livergraph.registry.common import ChangeSet, import_lock, locked_import, recover
from livergraph.registry.agents import Agent, Agents, load_agents, normalise_name  # noqa: F401
from livergraph.registry.ctgov.curated import Curated, disagreements, load_curated
from livergraph.registry.ctgov.mapper import MappedStudy, StudyMapper
from livergraph.registry.ctgov.reader import (AGENTS_DIR, ENUM_CLASSES, MESH_EVIDENCE, MESH_TERMS,
                                              RAW_DIR, REGISTRY_DIR, TRIALS_DIR, UNDATED)
from livergraph.registry.ctgov.reader import StudyInput, read_studies

# -- importing files into data/ --------------------------------------------------------------

@dataclass
class ImportResult:
    imported: list[str] = field(default_factory=list)     # NCT ids whose files changed
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)      # older than the stored version
    errors: list[LivergraphError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    disagreements: dict[str, list[dict]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)      # files written or removed
    studies: int = 0
    dry_run: bool = False                 # report only: nothing is written
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changes: ChangeSet | None = None      # staged writes, committed through the journal

    @property
    def exit_code(self) -> int:
        return max((e.exit_code for e in self.errors), default=0)


def enumerations(schema) -> dict[str, set[str]]:
    return {key: set(schema.notations_of(cls)) for key, cls in ENUM_CLASSES.items()}


def registry_dir(data_dir: Path) -> Path:
    return data_dir / REGISTRY_DIR


def _write_if_changed(path: Path, text: str, data_dir: Path, result: ImportResult) -> bool:
    """Stage ``text`` for ``path`` (applied by the journaled commit at the end)."""
    assert result.changes is not None
    return result.changes.write(path, text)


def _remove(path: Path, data_dir: Path, result: ImportResult) -> None:
    assert result.changes is not None
    result.changes.remove(path)


def tracked_fields(trial: dict) -> dict[str, Any]:
    """The fields a snapshot records for the history (see registry/common.py)."""
    out: dict[str, Any] = {}
    if "status" in trial:
        out["registryStatusText"] = trial["status"]
    for key in ("enrollment", "startDate"):
        if key in trial:
            out[key] = trial[key]
    sponsor = (trial.get("sponsorAsWritten") or {}).get("en")
    if sponsor:
        out["primarySponsorText"] = sponsor
    primary = [o["measureText"] for o in trial.get("hasOutcome", [])
               if o.get("outcomeType") == "PRIMARY" and o.get("measureText")]
    if primary:
        out["primaryOutcomeText"] = primary
    return out


def _version_of(study: Any) -> str | None:
    try:
        value = study["derivedSection"]["miscInfoModule"]["versionHolder"]
    except (KeyError, TypeError):
        return None
    return value if isinstance(value, str) else None


@locked_import
def import_files(paths: list[Path], data_dir: Path, ontology: Path, *, strict: bool = False,
                 progress: Callable[[int, int], None] | None = None,
                 dry_run: bool = False, retrieved: str | None = None) -> ImportResult:
    """Import API v2 JSON files into ``data_dir``. Bad files and records are reported in
    ``result.errors`` with their file and record; the others are imported (with ``strict``,
    nothing is written when any input is bad). ``retrieved`` (``YYYY-MM-DD``), the day the
    files were downloaded, becomes each record version's ``retrievedOn`` (the date the build
    gives the imported statuses, ``lg:statusAsOf``)."""
    from livergraph.model.schema import load_schema
    from livergraph.model.vocabulary import load_vocabulary

    result = ImportResult(dry_run=dry_run)
    schema = load_schema(ontology)
    vocab = load_vocabulary(data_dir)
    curated, curated_names, curated_ids = load_curated(data_dir, schema, vocab)
    mapper = StudyMapper(enumerations(schema), retrieved)

    sizes = [_size(Path(path)) for path in paths]
    total = sum(sizes) or 1
    if strict:        # a first pass that writes nothing: any bad input stops the import
        for path in paths:
            try:
                for item in read_studies(Path(path)):
                    result.studies += 1
                    try:
                        mapper.map(item.study)
                    except LivergraphError as exc:
                        result.errors.append(_placed(exc, item))
            except LivergraphError as exc:
                result.errors.append(exc)
        if result.errors:
            return result
        result.studies = 0
    result.changes = ChangeSet(data_dir, dry_run)
    with nullcontext() if dry_run else import_lock(data_dir):
        if not dry_run:
            note = recover(data_dir)
            if note:
                result.warnings.append(note)
        _import(paths, sizes, total, data_dir, vocab, curated, curated_names, curated_ids,
                mapper, result, progress)
        result.changes.commit()
    changes = result.changes
    result.added, result.changed, result.removed = changes.added, changes.changed, \
        changes.removed
    result.written = changes.written
    return result


def _import(paths: list[Path], sizes: list[int], total: int, data_dir: Path, vocab: Any,
            curated: Curated, curated_names: dict[str, str], curated_ids: set[str],
            mapper: StudyMapper, result: ImportResult,
            progress: Callable[[int, int], None] | None) -> None:
    writer = _Writer(data_dir, vocab, curated, Agents(curated_names, curated_ids,
                                                     load_agents(data_dir)), result, mapper)
    done = 0.0
    for path, size in zip(paths, sizes):
        try:
            items = read_studies(Path(path))
        except LivergraphError as exc:
            result.errors.append(exc)
            items = []
        for item in items:
            result.studies += 1
            try:
                mapped = mapper.map(item.study)
            except LivergraphError as exc:
                result.errors.append(_placed(exc, item))
            else:
                result.warnings.extend(f"{item.file} [{item.where}]: {w}"
                                       for w in mapped.warnings)
                writer.write(mapped)
            done += size / len(items)
            if progress:
                progress(int(done), total)
        if not items:
            done += size
            if progress:
                progress(int(done), total)
    writer.finish()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _placed(exc: LivergraphError, item: StudyInput) -> LivergraphError:
    exc.file = exc.file or item.file
    exc.record = exc.record or item.where
    return exc


class _Writer:
    """Writes one mapped study at a time: the agents it needs first, then its raw JSON and its
    records, so an interrupted import leaves whole files that refer to existing records."""

    def __init__(self, data_dir: Path, vocab, curated: Curated, agents: Agents,
                 result: ImportResult, mapper: StudyMapper):
        from livergraph.model.load import read_yaml
        self.mapper = mapper
        self.data_dir = data_dir
        self.reg = registry_dir(data_dir)
        self.vocab = vocab
        self.curated = curated
        self.agents = agents
        self.result = result
        self.mesh_path = data_dir / MESH_TERMS
        self.mesh_terms: dict[str, dict] = {}
        if self.mesh_path.exists():
            for entry in read_yaml(self.mesh_path) or []:
                self.mesh_terms[str(entry["curie"])] = entry
        self.mesh_written = dict(self.mesh_terms)

    def write(self, mapped: MappedStudy) -> None:
        from livergraph.model.lint import dump
        from livergraph.namespaces import expand_curie
        nct, result = mapped.nct, self.result
        raw_path = self.reg / RAW_DIR / f"{nct}.json"
        assert result.changes is not None
        stored_text = result.changes.read(raw_path)
        if stored_text is not None:
            try:
                stored = _version_of(json.loads(stored_text))
            except json.JSONDecodeError:
                stored = None
            if (stored or "") > (mapped.version_date or ""):
                result.skipped.append(nct)
                return
        trial = mapped.trial
        self.agents.forget_trial(nct)
        names: dict[str, list[str]] = {}
        for role, name, cls in mapped.sponsors:
            aid = self.agents.resolve(name, cls, nct, mapped.version_id)
            names.setdefault(role, []).append(name)
            if role == "leadSponsor":
                trial["leadSponsor"] = aid
            elif aid not in trial.setdefault("collaborator", []):
                trial["collaborator"].append(aid)
        if nct in self.curated.trials:
            cfile, cdata = self.curated.trials[nct]
            issues = disagreements(trial, cfile, cdata, self.curated, mapped.version_date,
                                   {k: "; ".join(v) for k, v in names.items()})
            if issues:
                trial["hasIssue"] = issues
                result.disagreements[nct] = issues
        for mid, term in mapped.mesh.items():
            curie = f"MESH:{mid}"
            if expand_curie(curie) not in self.vocab.terms:
                self.mesh_terms.setdefault(curie, {"curie": curie, "evidence": MESH_EVIDENCE,
                                                   "label": {"en": term}})
        if self.mesh_terms != self.mesh_written:
            self._write(self.mesh_path,
                        dump([self.mesh_terms[k] for k in sorted(self.mesh_terms)]))
            self.mesh_written = dict(self.mesh_terms)
        gone = self._write_agents()
        # one line per study: the C encoder is several times faster than an indented dump
        raw_text = json.dumps(mapped.raw, ensure_ascii=False, separators=(",", ":")) + "\n"
        changed = self._write(raw_path, raw_text)
        snap = self.data_dir / "registry" / "snapshots" / nct / \
            f"{mapped.version_date or UNDATED}.json"
        changed |= self._write(snap, raw_text)
        records = self._history(nct, mapped) + mapped.records
        changed |= self._write(self.reg / TRIALS_DIR / f"{nct}.yaml", dump(records))
        (result.imported if changed else result.unchanged).append(nct)
        for path in gone:
            _remove(path, self.data_dir, result)
        # a Trial the ICTRP import made for this NCT number steps aside for the trial's own
        # record (the ICTRP registrations keep pointing at trial:NCT…, now this one)
        _remove(self.reg / "ictrp" / "trials" / f"{nct}.yaml", self.data_dir, result)

    def _history(self, nct: str, mapped: MappedStudy) -> list[dict]:
        """Earlier snapshots' version records (the current one is ``mapped.records[0]``, given
        its tracked fields here), oldest first."""
        from livergraph.registry.common import snapshot_record, stored_snapshots
        mapped.records[0].update(tracked_fields(mapped.trial))
        out = []
        current = f"{mapped.version_date or UNDATED}.json"
        for path in stored_snapshots(self.data_dir, nct, ".json"):
            if path.name == current or path.stem > (mapped.version_date or ""):
                continue
            try:
                old = self.mapper.map(json.loads(path.read_text(encoding="utf-8")))
            except (LivergraphError, ValueError):
                continue
            rel = path.relative_to(self.data_dir.parent).as_posix()
            out.append(snapshot_record(nct, path.stem, None, rel,
                                       f"ClinicalTrials.gov record {nct}, version {path.stem}",
                                       tracked_fields(old.trial), {"ofTrial": f"trial:{nct}"}))
        return out

    def _write_agents(self) -> list[Path]:
        from livergraph.model.lint import dump
        gone = []
        for aid in sorted(self.agents.touched):
            agent = self.agents.imported[aid]
            path = self.reg / AGENTS_DIR / f"{aid}.yaml"
            if agent.sources:
                self._write(path, dump(agent.record()))
            elif path.exists():
                gone.append(path)
        self.agents.touched.clear()
        return gone

    def _write(self, path: Path, text: str) -> bool:
        return _write_if_changed(path, text, self.data_dir, self.result)

    def finish(self) -> None:
        for path in self._write_agents():
            _remove(path, self.data_dir, self.result)
