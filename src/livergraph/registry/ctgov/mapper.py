"""One API v2 study -> a livergraph ``Trial`` record (a supplement) and its
``RegistryRecordVersion``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from livergraph.errors import DataError
from livergraph.registry.agents import normalise_name
from livergraph.registry.ctgov.reader import (MESH_ID_PATTERN, NCT_PATTERN, RAW_DIR,
                                              REGISTRY_DIR, UNDATED, _kind, _lang, _put,
                                              _Reader)
from livergraph.registry.ctgov.results import _Results

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


class StudyMapper:
    """Maps one study; sponsors are returned by name and resolved to agents only once the whole
    study has mapped without error (so a bad record changes nothing)."""

    def __init__(self, enums: dict[str, set[str]], retrieved: str | None = None):
        self.r = _Reader(enums)
        #: the day the records were downloaded (``YYYY-MM-DD``), when the user gave it: the
        #: version's ``retrievedOn``, from which the build dates the imported status
        self.retrieved = retrieved
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
        _put(vrec, "retrievedOn", self.retrieved)
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
