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

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterator

from livergraph.errors import DataError, LivergraphError, UnreadableInput
from livergraph.namespaces import LG

REGISTRY_DIR = "registry"
RAW_DIR = "raw"
TRIALS_DIR = "trials"
AGENTS_DIR = "agents"
MESH_TERMS = Path("vocabulary") / "terms-registry-mesh.yaml"
MESH_EVIDENCE = ("ClinicalTrials.gov API v2 derivedSection (conditionBrowseModule / "
                 "interventionBrowseModule meshes: id and term as the registry gives them)")
NCT_PATTERN = re.compile(r"^NCT\d{8}$")
DATE_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
NUMBER_PATTERN = re.compile(r"^-?\d+(\.\d+)?$")
MESH_ID_PATTERN = re.compile(r"^[A-Z]\d{6,9}$")
UNDATED = "undated"

#: enumeration fields -> the ontology class whose concepts' notations are the API values
ENUM_CLASSES = {
    "overallStatus": LG.RegistryStatus, "lastKnownStatus": LG.RegistryStatus,
    "phases": LG.TrialPhase, "studyType": LG.StudyType, "allocation": LG.Allocation,
    "interventionModel": LG.InterventionModel, "masking": LG.Masking,
    "armGroupType": LG.ArmRole, "interventionType": LG.InterventionType,
    "outcomeType": LG.OutcomeType, "enrollmentType": LG.EnrollmentType,
    "agencyClass": LG.AgencyClass, "referenceType": LG.ReferenceType, "dateType": LG.DateType,
}
#: posted-results parameter types -> livergraph statistic notations
PARAM_STATISTICS = {"MEAN": "mean", "MEDIAN": "median", "COUNT_OF_PARTICIPANTS": "count",
                    "COUNT_OF_UNITS": "count", "NUMBER": "value"}
#: top-level keys of an imported trial compared with a curated record of the same trial
COMPARED_SKIP = {"type", "id", "supplement", "source", "label", "nctId"}
#: free-text keys: a difference in wording is reported as information, not a warning
TEXT_KEYS = {"title", "officialTitle", "summary", "acronym"}


# -- reading ---------------------------------------------------------------------------------

@dataclass
class StudyInput:
    file: str          # as shown to users
    where: str         # "study 2 (NCT…)"
    study: Any


def read_studies(path: Path) -> list[StudyInput]:
    """The studies in one API v2 JSON file, or UnreadableInput naming the file."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnreadableInput("file not found", file=shown) from None
    except (UnicodeDecodeError, IsADirectoryError) as exc:
        raise UnreadableInput(f"cannot read the file: {exc}", file=shown) from None
    try:
        content = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableInput(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                              file=shown, hint="pass ClinicalTrials.gov API v2 JSON: a study "
                                               "or a page of /api/v2/studies") from None
    if isinstance(content, dict) and "studies" in content:
        studies = content["studies"]
        if not isinstance(studies, list):
            raise UnreadableInput(f"'studies' is a {_kind(studies)}, not a list", file=shown)
    elif isinstance(content, dict) and "protocolSection" in content:
        studies = [content]
    elif isinstance(content, list):
        studies = content
    else:
        raise UnreadableInput("neither an API v2 study (no 'protocolSection') nor a search page "
                              "(no 'studies')", file=shown,
                              hint="download from https://clinicaltrials.gov/api/v2/studies")
    out = []
    for n, study in enumerate(studies, 1):
        nct = None
        if isinstance(study, dict):
            ident = (study.get("protocolSection") or {}) if isinstance(
                study.get("protocolSection"), dict) else {}
            ident = ident.get("identificationModule") if isinstance(ident, dict) else None
            if isinstance(ident, dict) and isinstance(ident.get("nctId"), str):
                nct = ident["nctId"]
        where = f"study {n}" + (f" ({nct})" if nct else "") if len(studies) > 1 else (
            nct or "study 1")
        out.append(StudyInput(shown, where, study))
    return out


def _kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


class _Reader:
    """Typed access to a study's JSON; a wrong type raises a DataError naming the path."""

    def __init__(self, enums: dict[str, set[str]]):
        self.enums = enums

    def obj(self, parent: dict, key: str, path: str) -> dict:
        value = parent.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise DataError(f"{path}.{key} is a {_kind(value)}, expected an object")
        return value

    def arr(self, parent: dict, key: str, path: str) -> list:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise DataError(f"{path}.{key} is a {_kind(value)}, expected an array")
        return value

    def objs(self, parent: dict, key: str, path: str) -> list[tuple[str, dict]]:
        out = []
        for n, item in enumerate(self.arr(parent, key, path)):
            if not isinstance(item, dict):
                raise DataError(f"{path}.{key}[{n}] is a {_kind(item)}, expected an object")
            out.append((f"{path}.{key}[{n}]", item))
        return out

    def text(self, parent: dict, key: str, path: str) -> str | None:
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise DataError(f"{path}.{key} is a {_kind(value)}, expected a string")
        value = value.strip()
        return value or None

    def texts(self, parent: dict, key: str, path: str) -> list[str]:
        out = []
        for n, item in enumerate(self.arr(parent, key, path)):
            if not isinstance(item, str):
                raise DataError(f"{path}.{key}[{n}] is a {_kind(item)}, expected a string")
            if item.strip():
                out.append(item.strip())
        return out

    def count(self, parent: dict, key: str, path: str) -> int | None:
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise DataError(f"{path}.{key} is {json.dumps(value)}, expected a count "
                            "(a whole number, 0 or more)")
        return value

    def enum(self, parent: dict, key: str, path: str, kind: str | None = None) -> str | None:
        value = self.text(parent, key, path)
        if value is None:
            return None
        allowed = self.enums[kind or key]
        if value not in allowed:
            raise DataError(f"{path}.{key}: unknown value {value!r}",
                            hint="expected one of " + ", ".join(sorted(allowed)))
        return value

    def date(self, parent: dict, key: str, path: str) -> str | None:
        value = self.text(parent, key, path)
        if value is None:
            return None
        if not DATE_PATTERN.match(value):
            raise DataError(f"{path}.{key}: {value!r} is not a date (YYYY, YYYY-MM or "
                            "YYYY-MM-DD)")
        return value


# -- names and agents ------------------------------------------------------------------------

def normalise_name(name: str) -> str:
    """Name as compared for matching: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def slug(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(out) > limit:
        out = out[:limit].rsplit("-", 1)[0]
    return out


def _names_of(data: dict) -> Iterator[str]:
    for key in ("name", "alias", "formerName", "label"):
        values = data.get(key)
        for v in values if isinstance(values, list) else [values]:
            if isinstance(v, dict):
                yield from (str(t) for t in v.values() if t)
            elif isinstance(v, str):
                yield v


@dataclass
class Agent:
    id: str
    type: str
    name: str
    agency_class: str | None
    sources: dict[str, str] = field(default_factory=dict)     # nct -> version id

    def record(self) -> dict:
        rec: dict[str, Any] = {"type": self.type, "id": self.id, "name": {"en": self.name},
                               "source": sorted(self.sources.values())}
        if self.agency_class:
            rec["agencyClass"] = self.agency_class
        return rec


class Agents:
    """Organizations and persons: the curated ones (matched, never changed) and the ones the
    importer keeps under data/registry/agents/."""

    def __init__(self, curated: dict[str, str], curated_ids: set[str],
                 imported: dict[str, Agent]):
        self.curated = curated                 # normalised name -> curated id
        self.curated_ids = curated_ids
        self.imported = imported               # id -> Agent
        self.by_name = {normalise_name(a.name): a.id for a in imported.values()}
        self.by_trial: dict[str, set[str]] = {}
        for a in imported.values():
            for nct in a.sources:
                self.by_trial.setdefault(nct, set()).add(a.id)
        self.touched: set[str] = set()

    def forget_trial(self, nct: str) -> None:
        for aid in self.by_trial.pop(nct, set()):
            agent = self.imported.get(aid)
            if agent is not None and agent.sources.pop(nct, None) is not None:
                self.touched.add(aid)

    def resolve(self, name: str, agency_class: str | None, nct: str, version: str) -> str:
        key = normalise_name(name)
        if key in self.curated:
            return self.curated[key]
        aid = self.by_name.get(key)
        if aid is None:
            base = slug(name) or "agent-" + hashlib.sha1(key.encode()).hexdigest()[:10]
            aid, n = base, 1
            while aid in self.curated_ids or aid in self.imported:
                n += 1
                aid = f"{base}-{n}"
            kind = "Person" if agency_class == "INDIV" else "Organization"
            self.imported[aid] = Agent(aid, kind, name, agency_class)
            self.by_name[key] = aid
        agent = self.imported[aid]
        if agent.sources.get(nct) != version:
            agent.sources[nct] = version
            self.touched.add(aid)
        if agency_class and agent.agency_class is None:
            agent.agency_class = agency_class
            self.touched.add(aid)
        self.by_trial.setdefault(nct, set()).add(aid)
        return aid


# -- mapping one study -----------------------------------------------------------------------

@dataclass
class MappedStudy:
    nct: str
    version_id: str
    version_date: str | None
    records: list[dict]            # [RegistryRecordVersion, Trial]
    mesh: dict[str, str]           # MeSH id -> term
    warnings: list[str]
    sponsors: list[tuple[str, str, str | None]]   # (leadSponsor|collaborator, name, class)
    raw: Any = None

    @property
    def trial(self) -> dict:
        return self.records[1]


def _lang(text: str | None) -> dict | None:
    return {"en": text} if text else None


def _put(rec: dict, key: str, value: Any) -> None:
    if value is None or value == [] or value == {}:
        return
    rec[key] = value


def _decimal(text: Any) -> str | None:
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        text = str(text)
    if isinstance(text, str) and NUMBER_PATTERN.match(text.strip()):
        try:
            return str(Decimal(text.strip()))
        except InvalidOperation:  # pragma: no cover - guarded by the pattern
            return None
    return None


class StudyMapper:
    """Maps one study; sponsors are returned by name and resolved to agents only once the whole
    study has mapped without error (so a bad record changes nothing)."""

    def __init__(self, enums: dict[str, set[str]]):
        self.r = _Reader(enums)
        self.sponsors: list[tuple[str, str, str | None]] = []

    def map(self, study: Any) -> MappedStudy:
        r = self.r
        if not isinstance(study, dict):
            raise DataError(f"the study is a {_kind(study)}, expected an object")
        ps = r.obj(study, "protocolSection", "study")
        if not ps:
            raise DataError("the study has no protocolSection")
        P = "protocolSection"
        ident = r.obj(ps, "identificationModule", P)
        nct = r.text(ident, "nctId", f"{P}.identificationModule")
        if nct is None:
            raise DataError("missing NCT ID (protocolSection.identificationModule.nctId)",
                            hint="every record needs its NCT number")
        if not NCT_PATTERN.match(nct):
            raise DataError(f"NCT ID {nct!r} is not NCT followed by eight digits")
        derived = r.obj(study, "derivedSection", "study")
        misc = r.obj(derived, "miscInfoModule", "derivedSection")
        vdate = r.date(misc, "versionHolder", "derivedSection.miscInfoModule")
        if vdate is not None and len(vdate) != 10:
            raise DataError(f"derivedSection.miscInfoModule.versionHolder {vdate!r} is not a "
                            "full date")
        version = f"{nct}-{vdate or UNDATED}"
        warnings: list[str] = []
        self.sponsors = []
        t: dict[str, Any] = {"type": "Trial", "id": nct, "supplement": True, "nctId": nct,
                             "source": version}
        self._identification(t, ident, f"{P}.identificationModule")
        self._status(t, r.obj(ps, "statusModule", P), f"{P}.statusModule")
        self._design(t, r.obj(ps, "designModule", P), f"{P}.designModule")
        self._sponsors(t, r.obj(ps, "sponsorCollaboratorsModule", P),
                       f"{P}.sponsorCollaboratorsModule")
        cond = r.obj(ps, "conditionsModule", P)
        _put(t, "registryCondition", r.texts(cond, "conditions", f"{P}.conditionsModule"))
        _put(t, "keyword", r.texts(cond, "keywords", f"{P}.conditionsModule"))
        mesh = self._mesh(derived)
        _put(t, "meshTerm", [f"MESH:{m}" for m in mesh])
        desc = r.obj(ps, "descriptionModule", P)
        _put(t, "summary", _lang(r.text(desc, "briefSummary", f"{P}.descriptionModule")))
        arms = self._arms_interventions(t, r.obj(ps, "armsInterventionsModule", P),
                                        f"{P}.armsInterventionsModule", warnings)
        self._outcomes(t, r.obj(ps, "outcomesModule", P), f"{P}.outcomesModule")
        self._references(t, r.obj(ps, "referencesModule", P), f"{P}.referencesModule")
        self._locations(t, r.obj(ps, "contactsLocationsModule", P),
                        f"{P}.contactsLocationsModule")
        has_results = study.get("hasResults")
        if has_results is not None and not isinstance(has_results, bool):
            raise DataError(f"hasResults is a {_kind(has_results)}, expected true or false")
        _put(t, "hasResults", has_results)
        results = r.obj(study, "resultsSection", "study")
        if results:
            _Results(r, t, arms).map(results)
        vrec: dict[str, Any] = {
            "type": "RegistryRecordVersion", "id": version, "ofTrial": f"trial:{nct}",
            "label": {"en": f"ClinicalTrials.gov record {nct}, version "
                            f"{vdate or '(undated: the record carries no versionHolder)'}"},
            "url": f"https://clinicaltrials.gov/study/{nct}",
            "sourceLocation": f"data/{REGISTRY_DIR}/{RAW_DIR}/{nct}.json"}
        _put(vrec, "versionDate", vdate)
        return MappedStudy(nct, version, vdate, [vrec, t], mesh, warnings, self.sponsors,
                           study)

    def _identification(self, t: dict, m: dict, path: str) -> None:
        r = self.r
        _put(t, "title", _lang(r.text(m, "briefTitle", path)))
        _put(t, "officialTitle", _lang(r.text(m, "officialTitle", path)))
        _put(t, "acronym", r.text(m, "acronym", path))
        org_id = r.obj(m, "orgStudyIdInfo", path)
        _put(t, "orgStudyId", r.text(org_id, "id", f"{path}.orgStudyIdInfo"))

    def _status(self, t: dict, m: dict, path: str) -> None:
        r = self.r
        _put(t, "status", r.enum(m, "overallStatus", path))
        _put(t, "lastKnownStatus", r.enum(m, "lastKnownStatus", path))
        _put(t, "whyStopped", r.text(m, "whyStopped", path))
        for struct, key in (("startDateStruct", "startDate"),
                            ("primaryCompletionDateStruct", "primaryCompletionDate"),
                            ("completionDateStruct", "completionDate")):
            d = r.obj(m, struct, path)
            _put(t, key, r.date(d, "date", f"{path}.{struct}"))
            _put(t, key + "Type", r.enum(d, "type", f"{path}.{struct}", "dateType"))
        for struct, key in (("studyFirstPostDateStruct", "firstPostedDate"),
                            ("lastUpdatePostDateStruct", "lastUpdatePostedDate")):
            _put(t, key, r.date(r.obj(m, struct, path), "date", f"{path}.{struct}"))

    def _design(self, t: dict, m: dict, path: str) -> None:
        r = self.r
        _put(t, "studyType", r.enum(m, "studyType", path))
        phases = []
        for n, ph in enumerate(r.arr(m, "phases", path)):
            phases.append(r.enum({"phases": ph}, "phases", f"{path}.phases[{n}]"))
        _put(t, "phase", phases)
        info = r.obj(m, "designInfo", path)
        ipath = f"{path}.designInfo"
        _put(t, "allocation", r.enum(info, "allocation", ipath))
        _put(t, "interventionModel", r.enum(info, "interventionModel", ipath))
        _put(t, "primaryPurpose", r.text(info, "primaryPurpose", ipath))
        mask = r.obj(info, "maskingInfo", ipath)
        _put(t, "masking", r.enum(mask, "masking", f"{ipath}.maskingInfo"))
        _put(t, "whoMasked", r.texts(mask, "whoMasked", f"{ipath}.maskingInfo"))
        enrol = r.obj(m, "enrollmentInfo", path)
        _put(t, "enrollment", r.count(enrol, "count", f"{path}.enrollmentInfo"))
        _put(t, "enrollmentType", r.enum(enrol, "type", f"{path}.enrollmentInfo",
                                         "enrollmentType"))

    def _sponsors(self, t: dict, m: dict, path: str) -> None:
        r = self.r
        lead = r.obj(m, "leadSponsor", path)
        name = r.text(lead, "name", f"{path}.leadSponsor")
        if name:
            cls = r.enum(lead, "class", f"{path}.leadSponsor", "agencyClass")
            self.sponsors.append(("leadSponsor", name, cls))
            t["sponsorAsWritten"] = {"en": name}
        for cpath, c in r.objs(m, "collaborators", path):
            cname = r.text(c, "name", cpath)
            if cname:
                self.sponsors.append(("collaborator", cname,
                                      r.enum(c, "class", cpath, "agencyClass")))

    def _mesh(self, derived: dict) -> dict[str, str]:
        r = self.r
        mesh: dict[str, str] = {}
        for module in ("conditionBrowseModule", "interventionBrowseModule"):
            mod = r.obj(derived, module, "derivedSection")
            for mpath, m in r.objs(mod, "meshes", f"derivedSection.{module}"):
                mid = r.text(m, "id", mpath)
                term = r.text(m, "term", mpath)
                if mid is None:
                    continue
                if not MESH_ID_PATTERN.match(mid):
                    raise DataError(f"{mpath}.id {mid!r} is not a MeSH identifier")
                mesh.setdefault(mid, term or mid)
        return mesh

    def _arms_interventions(self, t: dict, m: dict, path: str,
                            warnings: list[str]) -> dict[str, str]:
        r = self.r
        interventions, by_name = [], {}
        for n, (ipath, iv) in enumerate(r.objs(m, "interventions", path), 1):
            rec: dict[str, Any] = {"type": "Intervention", "id": f"intervention-{n}"}
            name = r.text(iv, "name", ipath)
            itype = r.enum(iv, "type", ipath, "interventionType")
            _put(rec, "label", _lang(name))
            _put(rec, "interventionType", itype)
            _put(rec, "description", _lang(r.text(iv, "description", ipath)))
            _put(rec, "otherName", r.texts(iv, "otherNames", ipath))
            interventions.append((rec, r.texts(iv, "armGroupLabels", ipath)))
            if name:
                by_name.setdefault(normalise_name(name), rec["id"])
                if itype:
                    by_name.setdefault(normalise_name(f"{itype} {name}"), rec["id"])
        arms, arm_ids = [], {}
        for n, (apath, arm) in enumerate(r.objs(m, "armGroups", path), 1):
            rec = {"id": f"arm-{n}"}
            label = r.text(arm, "label", apath)
            _put(rec, "label", _lang(label))
            _put(rec, "armRole", r.enum(arm, "type", apath, "armGroupType"))
            _put(rec, "description", _lang(r.text(arm, "description", apath)))
            receives = []
            for written in r.texts(arm, "interventionNames", apath):
                target = by_name.get(normalise_name(written)) or by_name.get(
                    normalise_name(written.split(":", 1)[-1]))
                if target is None:
                    warnings.append(f"arm {label!r}: intervention {written!r} is not among "
                                    "the record's interventions")
                elif target not in receives:
                    receives.append(target)
            rec["receives"] = receives
            arms.append(rec)
            if label:
                arm_ids.setdefault(normalise_name(label), rec)
        for rec, labels in interventions:
            for label in labels:
                arm = arm_ids.get(normalise_name(label))
                if arm is None:
                    warnings.append(f"intervention {rec['id']}: arm group {label!r} is not "
                                    "among the record's arm groups")
                elif rec["id"] not in arm["receives"]:
                    arm["receives"].append(rec["id"])
        for arm in arms:
            arm["receives"] = sorted(arm["receives"], key=lambda i: int(i.rsplit("-", 1)[1]))
            if not arm["receives"]:
                del arm["receives"]
        _put(t, "hasIntervention", [rec for rec, _ in interventions])
        _put(t, "hasArm", arms)
        return {k: v["id"] for k, v in arm_ids.items()}

    def _outcomes(self, t: dict, m: dict, path: str) -> None:
        r = self.r
        out = []
        for key, otype in (("primaryOutcomes", "PRIMARY"), ("secondaryOutcomes", "SECONDARY"),
                           ("otherOutcomes", "OTHER_PRE_SPECIFIED")):
            for n, (opath, o) in enumerate(r.objs(m, key, path), 1):
                rec: dict[str, Any] = {"id": f"outcome-{otype.split('_')[0].lower()}-{n}",
                                       "outcomeType": otype}
                _put(rec, "measureText", r.text(o, "measure", opath))
                _put(rec, "description", _lang(r.text(o, "description", opath)))
                _put(rec, "timeFrame", r.text(o, "timeFrame", opath))
                out.append(rec)
        _put(t, "hasOutcome", out)

    def _references(self, t: dict, m: dict, path: str) -> None:
        r = self.r
        out = []
        for n, (rpath, ref) in enumerate(r.objs(m, "references", path), 1):
            rec: dict[str, Any] = {"id": f"reference-{n}"}
            pmid = r.text(ref, "pmid", rpath)
            if pmid is not None and not pmid.isdigit():
                raise DataError(f"{rpath}.pmid {pmid!r} is not a PubMed identifier (digits)")
            _put(rec, "pmid", pmid)
            _put(rec, "referenceType", r.enum(ref, "type", rpath, "referenceType"))
            _put(rec, "citation", r.text(ref, "citation", rpath))
            out.append(rec)
        _put(t, "hasReference", out)

    def _locations(self, t: dict, m: dict, path: str) -> None:
        r = self.r
        out = []
        for n, (lpath, loc) in enumerate(r.objs(m, "locations", path), 1):
            rec: dict[str, Any] = {"id": f"location-{n}"}
            for key in ("facility", "city", "state", "country"):
                _put(rec, key, r.text(loc, key, lpath))
            out.append(rec)
        _put(t, "hasLocation", out)


class _Results:
    """resultsSection -> measurements (participant flow, baseline, outcome measures) and safety
    findings (adverse events), each linked to an arm matched by title or created for it."""

    def __init__(self, r: _Reader, trial: dict, arms: dict[str, str]):
        self.r = r
        self.t = trial
        self.arm_by_title = dict(arms)            # normalised title -> arm id
        self.arms = {a["id"]: a for a in trial.get("hasArm", [])}
        self.measurements: list[dict] = []
        self.findings: list[dict] = []

    def map(self, results: dict) -> None:
        r = self.r
        path = "resultsSection"
        self._flow(r.obj(results, "participantFlowModule", path), f"{path}.participantFlowModule")
        self._baseline(r.obj(results, "baselineCharacteristicsModule", path),
                       f"{path}.baselineCharacteristicsModule")
        om = r.obj(results, "outcomeMeasuresModule", path)
        for opath, o in r.objs(om, "outcomeMeasures", f"{path}.outcomeMeasuresModule"):
            self._measure(o, opath, outcome=True)
        self._adverse(r.obj(results, "adverseEventsModule", path), f"{path}.adverseEventsModule")
        if self.arms:
            self.t["hasArm"] = list(self.arms.values())
        _put(self.t, "hasMeasurement", self.measurements)
        _put(self.t, "hasSafetyFinding", self.findings)

    def _groups(self, module: dict, key: str, path: str) -> dict[str, str | None]:
        """group id -> arm id (None for a 'Total' column)."""
        r = self.r
        out: dict[str, str | None] = {}
        for gpath, g in r.objs(module, key, path):
            gid = r.text(g, "id", gpath)
            if gid is None:
                raise DataError(f"{gpath} has no id")
            title = r.text(g, "title", gpath) or gid
            norm = normalise_name(title)
            if norm == "total":
                out[gid] = None
                continue
            arm = self.arm_by_title.get(norm)
            if arm is None:
                arm = f"group-{len([a for a in self.arms if a.startswith('group-')]) + 1}"
                rec: dict[str, Any] = {"id": arm, "label": {"en": title}}
                _put(rec, "description", _lang(r.text(g, "description", gpath)))
                self.arms[arm] = rec
                self.arm_by_title[norm] = arm
            out[gid] = arm
        return out

    def _new_measurement(self, **fields: Any) -> dict:
        rec: dict[str, Any] = {"id": f"result-{len(self.measurements) + 1}"}
        for k, v in fields.items():
            _put(rec, k, v)
        self.measurements.append(rec)
        return rec

    def _group_ref(self, groups: dict, gid: str | None, path: str) -> str | None:
        if gid is None:
            raise DataError(f"{path} has no groupId")
        if gid not in groups:
            raise DataError(f"{path}: groupId {gid!r} is not one of the module's groups")
        return groups[gid]

    def _flow(self, m: dict, path: str) -> None:
        if not m:
            return
        r = self.r
        groups = self._groups(m, "groups", path)
        for pn, (ppath, period) in enumerate(r.objs(m, "periods", path)):
            ptitle = r.text(period, "title", ppath) or f"period {pn + 1}"
            for mpath, ms in r.objs(period, "milestones", ppath):
                mtype = r.text(ms, "type", mpath) or "milestone"
                for apath, a in r.objs(ms, "achievements", mpath):
                    arm = self._group_ref(groups, r.text(a, "groupId", apath), apath)
                    n = r.count(a, "numSubjects", apath)
                    self._new_measurement(measureText="Participant flow", measure="participants",
                                          category=f"{ptitle}: {mtype}", arm=arm,
                                          value=n, statistic="count", unit="patients")
                    if pn == 0 and mtype == "STARTED" and arm and n is not None:
                        self.arms[arm].setdefault("participants", n)
            for dpath, dw in r.objs(period, "dropWithdraws", ppath):
                dtype = r.text(dw, "type", dpath) or "withdrawal"
                for rpath, reason in r.objs(dw, "reasons", dpath):
                    arm = self._group_ref(groups, r.text(reason, "groupId", rpath), rpath)
                    self._new_measurement(measureText="Participant flow", measure="participants",
                                          category=f"{ptitle}: not completed: {dtype}", arm=arm,
                                          value=r.count(reason, "numSubjects", rpath),
                                          statistic="count", unit="patients")

    def _baseline(self, m: dict, path: str) -> None:
        if not m:
            return
        for mpath, measure in self.r.objs(m, "measures", path):
            self._measure(measure, mpath, outcome=False, module=m, module_path=path)

    def _denoms(self, denoms: list[tuple[str, dict]]) -> dict[str, int]:
        r = self.r
        for dpath, d in denoms:
            units = r.text(d, "units", dpath)
            if units is None or units.casefold() == "participants":
                counts = {}
                for cpath, c in r.objs(d, "counts", dpath):
                    n = r.count(c, "value", cpath)
                    if n is not None:
                        counts[r.text(c, "groupId", cpath) or ""] = n
                return counts
        return {}

    def _measure(self, o: dict, path: str, *, outcome: bool, module: dict | None = None,
                 module_path: str = "") -> None:
        r = self.r
        groups = self._groups(o if outcome else module, "groups", path if outcome
                              else module_path)
        denoms = self._denoms(r.objs(o if outcome else module, "denoms",
                                     path if outcome else module_path))
        title = r.text(o, "title", path)
        param = r.text(o, "paramType", path)
        dispersion = r.text(o, "dispersionType", path)
        common: dict[str, Any] = {
            "measureText": title, "paramType": param,
            "statistic": PARAM_STATISTICS.get(param or ""),
            "dispersionType": dispersion if dispersion and dispersion != "None" else None,
            "unitText": r.text(o, "unitOfMeasure", path),
            "timeFrame": r.text(o, "timeFrame", path),
        }
        if outcome:
            common["outcomeType"] = r.enum(o, "type", path, "outcomeType")
        else:
            common["timePoint"] = "P0D"
        sd = (dispersion or "").replace(" ", "_").upper() == "STANDARD_DEVIATION"
        for cpath, cls in r.objs(o, "classes", path):
            ctitle = r.text(cls, "title", cpath)
            cdenoms = self._denoms(r.objs(cls, "denoms", cpath)) or denoms
            for kpath, cat in r.objs(cls, "categories", cpath):
                ktitle = r.text(cat, "title", kpath)
                category = ": ".join(x for x in (ctitle, ktitle) if x) or None
                for xpath, x in r.objs(cat, "measurements", kpath):
                    gid = r.text(x, "groupId", xpath)
                    arm = self._group_ref(groups, gid, xpath)
                    if arm is None:   # the 'Total' column pools the module's arms
                        arm = sorted({a for a in groups.values() if a}, key=_arm_order) or None
                    raw = x.get("value")
                    value = _decimal(raw)
                    spread = _decimal(x.get("spread"))
                    self._new_measurement(
                        **common, category=category, arm=arm, value=value,
                        valueAsWritten=None if value is not None or raw is None else str(raw),
                        sd=spread if sd else None, spread=None if sd else spread,
                        rangeLow=_decimal(x.get("lowerLimit")),
                        rangeHigh=_decimal(x.get("upperLimit")),
                        numberAnalysed=cdenoms.get(gid or ""))

    def _adverse(self, m: dict, path: str) -> None:
        if not m:
            return
        r = self.r
        groups = self._groups(m, "eventGroups", path)
        time_frame = r.text(m, "timeFrame", path)
        for gpath, g in r.objs(m, "eventGroups", path):
            arm = groups.get(r.text(g, "id", gpath) or "")
            for prefix, term, serious in (("deaths", "Deaths, all causes", False),
                                          ("serious", "Serious adverse events, total", True),
                                          ("other", "Other adverse events, total", False)):
                affected = r.count(g, f"{prefix}NumAffected", gpath)
                at_risk = r.count(g, f"{prefix}NumAtRisk", gpath)
                if affected is None and at_risk is None:
                    continue
                self._finding(eventTerm=term, arm=arm, patientsAffected=affected,
                              denominator=at_risk, timeFrame=time_frame,
                              severity="serious" if serious else None,
                              adverseEvent="lgc:ae-any" if prefix != "deaths" else None)
        for key, serious in (("seriousEvents", True), ("otherEvents", False)):
            for epath, e in r.objs(m, key, path):
                term = r.text(e, "term", epath)
                organ = r.text(e, "organSystem", epath)
                for spath, st in r.objs(e, "stats", epath):
                    self._finding(eventTerm=term, organSystem=organ,
                                  arm=self._group_ref(groups, r.text(st, "groupId", spath),
                                                      spath),
                                  patientsAffected=r.count(st, "numAffected", spath),
                                  numberOfEvents=r.count(st, "numEvents", spath),
                                  denominator=r.count(st, "numAtRisk", spath),
                                  timeFrame=time_frame,
                                  severity="serious" if serious else None)

    def _finding(self, **fields: Any) -> None:
        rec: dict[str, Any] = {"id": f"ae-{len(self.findings) + 1}"}
        for k, v in fields.items():
            _put(rec, k, v)
        self.findings.append(rec)


# -- disagreements with curated data ---------------------------------------------------------

def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, dict):
        return " / ".join(f"{v} @{k}" for k, v in sorted(value.items()))
    return str(value)


def _comparable(value: Any, lang_only: str | None = None) -> Any:
    if isinstance(value, dict):
        text = value.get(lang_only or "en")
        return normalise_name(str(text)) if text is not None else None
    if isinstance(value, list):
        return sorted({str(_comparable(v)) for v in value})
    return str(value)


@dataclass
class Curated:
    """The curated records of trials (by NCT number), their organizations and the
    vocabulary needed to read as-written values."""
    trials: dict[str, tuple[str, dict]]            # nct -> (file, data)
    schema: Any
    vocab: Any

    def covered_value(self, data: dict, key: str) -> tuple[bool, Any]:
        """(whether the curated record states ``key``, its value as notations/text)."""
        if key in data:
            return True, data[key]
        for k, v in data.items():
            prop = self.schema.properties.get(k)
            if prop is None or prop.mapped_to is None:
                continue
            target = next((p for p in self.schema.properties.values()
                           if p.iri == prop.mapped_to), None)
            if target is None or target.key != key:
                continue
            table = self.vocab.mappings.get(key) or {}
            values = []
            for item in v if isinstance(v, list) else [v]:
                for lang, text in (item or {}).items():
                    entry = table.get((str(text), str(lang)))
                    values.extend(entry.values if entry else [f"{text}@{lang} (unmapped)"])
            return True, values[0] if len(values) == 1 else values
        return False, None


def disagreements(trial: dict, curated_file: str, curated: dict, cur: Curated,
                  version_date: str | None, sponsor_names: dict[str, str]) -> list[dict]:
    issues = []
    for key in sorted(trial):
        value = trial[key]
        if key in COMPARED_SKIP or key == "sponsorAsWritten" or _is_nested(value):
            continue
        covered, mine = cur.covered_value(curated, key)
        if not covered or mine is None:
            continue
        if isinstance(value, dict) and isinstance(mine, dict) and "en" not in mine:
            continue  # a curated text in another language: nothing to compare
        if _comparable(mine) == _comparable(value):
            continue
        if isinstance(value, list) and not isinstance(mine, list) and [_comparable(mine)] == \
                _comparable(value):
            continue
        registry_text = _as_text(value)
        if key in ("leadSponsor", "collaborator"):
            names = sponsor_names.get(key, "")
            registry_text = f"{names} (matched to {_as_text(value)})" if names else registry_text
        when = f"version {version_date}" if version_date else "an undated version"
        issues.append({
            "type": "DataQualityIssue", "id": f"registry-{key}",
            "issueType": "registry-disagreement",
            "issueSeverity": "info" if key in TEXT_KEYS else "warning",
            "onProperty": f"lg:{key}",
            "curatedValue": _as_text(mine), "registryValue": registry_text,
            "description": {"en": f"ClinicalTrials.gov ({when}) gives {key} "
                                  f"{registry_text!r}; the curated record ({curated_file}) gives "
                                  f"{_as_text(mine)!r}. The curated value is kept."}})
    return issues


def _is_nested(value: Any) -> bool:
    return isinstance(value, dict) and "id" in value or (
        isinstance(value, list) and any(isinstance(v, dict) for v in value))


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

    @property
    def exit_code(self) -> int:
        return max((e.exit_code for e in self.errors), default=0)


def enumerations(schema) -> dict[str, set[str]]:
    return {key: set(schema.notations_of(cls)) for key, cls in ENUM_CLASSES.items()}


def registry_dir(data_dir: Path) -> Path:
    return data_dir / REGISTRY_DIR


def _write_if_changed(path: Path, text: str, data_dir: Path, result: ImportResult) -> bool:
    from livergraph.io.atomic import write_atomic
    try:
        old: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = None
    if old == text:
        return False
    shown = path.relative_to(data_dir.parent).as_posix()
    (result.added if old is None else result.changed).append(shown)
    if not result.dry_run:
        write_atomic(path, lambda h: h.write(text))
    result.written.append(shown)
    return True


def _remove(path: Path, data_dir: Path, result: ImportResult) -> None:
    shown = path.relative_to(data_dir.parent).as_posix()
    result.removed.append(shown)
    result.written.append(shown)
    if not result.dry_run:
        path.unlink()


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


def load_curated(data_dir: Path, schema, vocab) -> tuple[Curated, dict[str, str], set[str]]:
    """The curated trials (outside data/registry/), and the curated agents' names -> ids."""
    from livergraph.model.load import record_files, records_in, shown_path
    reg = registry_dir(data_dir)
    trials: dict[str, tuple[str, dict]] = {}
    names: dict[str, str] = {}
    ids: set[str] = set()
    for path in record_files(data_dir):
        if reg in path.parents:
            continue
        shown = shown_path(path, data_dir)
        for rec in records_in(path, shown):
            cls = schema.class_by_key(rec.type)
            if cls is None:
                continue
            if schema.is_subclass(cls, LG.Trial):
                nct = str(rec.data.get("nctId") or rec.id)
                trials[nct] = (shown, rec.data)
            elif schema.is_subclass(cls, LG.Agent):
                ids.add(rec.id)
                for name in _names_of(rec.data):
                    names.setdefault(normalise_name(name), rec.id)
    return Curated(trials, schema, vocab), names, ids


def load_agents(data_dir: Path) -> dict[str, Agent]:
    from livergraph.model.load import read_yaml, shown_path
    agents: dict[str, Agent] = {}
    folder = registry_dir(data_dir) / AGENTS_DIR
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        data = read_yaml(path, shown_path(path, data_dir))
        if not isinstance(data, dict) or "id" not in data:
            raise UnreadableInput("not an agent record", file=shown_path(path, data_dir),
                                  hint="re-run the import, or remove the file")
        name = (data.get("name") or {}).get("en") or str(data["id"])
        sources = data.get("source") or []
        agent = Agent(str(data["id"]), str(data.get("type", "Organization")), name,
                      data.get("agencyClass"),
                      {str(v).split("-", 1)[0]: str(v) for v in (
                          sources if isinstance(sources, list) else [sources])})
        agents[agent.id] = agent
    return agents


def import_files(paths: list[Path], data_dir: Path, ontology: Path, *, strict: bool = False,
                 progress: Callable[[int, int], None] | None = None,
                 dry_run: bool = False) -> ImportResult:
    """Import API v2 JSON files into ``data_dir``. Bad files and records are reported in
    ``result.errors`` with their file and record; the others are imported (with ``strict``,
    nothing is written when any input is bad)."""
    from livergraph.model.schema import load_schema
    from livergraph.model.vocabulary import load_vocabulary

    result = ImportResult(dry_run=dry_run)
    schema = load_schema(ontology)
    vocab = load_vocabulary(data_dir)
    curated, curated_names, curated_ids = load_curated(data_dir, schema, vocab)
    mapper = StudyMapper(enumerations(schema))

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
    return result


def _arm_order(arm_id: str) -> tuple:
    kind, _, n = arm_id.rpartition("-")
    return (kind, int(n) if n.isdigit() else 0, arm_id)


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
        if raw_path.exists():
            try:
                stored = _version_of(json.loads(raw_path.read_text(encoding="utf-8")))
            except (json.JSONDecodeError, UnicodeDecodeError):
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
