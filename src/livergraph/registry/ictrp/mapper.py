"""One ICTRP record (a ``FlatRecord``) -> a ``TrialRegistration`` record and its dated snapshot
(a ``RegistryRecordVersion``), plus what the linker needs to join registrations of one trial.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from livergraph.errors import DataError
from livergraph.registry.common import SNAPSHOT_DIR, put
from livergraph.registry.ictrp import fields as F
from livergraph.registry.ictrp.celltherapy import cell_therapy
from livergraph.registry.ictrp.parse import FlatRecord

TRIAL_ID = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{2,80}\Z")
EUCTR_ID = re.compile(r"^EUCTR(\d{4}-\d{6}-\d{2})(-[A-Z]{2,3})?\Z", re.ASCII)
EUDRACT = re.compile(r"(?<![\d-])(\d{4}-\d{6}-\d{2})(?![\d-])", re.ASCII)
NCT = re.compile(r"\bNCT\d{8}\b", re.ASCII)
#: ids other registers use, as they appear inside Secondary_ID text
REGISTRY_ID = re.compile(r"\b(NCT\d{8}|ChiCTR[-A-Z]*\d{6,12}|DRKS\d{8}|ISRCTN\d{8}|"
                         r"ACTRN\d{14}|KCT\d{7}|CTRI/\d{4}/\d{2,3}/\d{6}|IRCT\d+N\d+|"
                         r"jRCT[a-z]?\d{7,10}|UMIN\d{9}|NL-OMON\d+|NTR\d{3,5}|TCTR\d{11}|"
                         r"PACTR\d{15}|RBR-\w{6,8}|CTIS\d{4}-\d{6}-\d{2}-\d{2})\b", re.ASCII)
#: what the history tracks (see registry/history.py)
UNDATED = "undated"
TRACKED = ("registryStatusText", "enrollment", "targetSizeText", "startDate",
           "primarySponsorText", "secondarySponsorText", "primaryOutcomeText")


@dataclass
class Registration:
    trial_id: str
    register: str
    snapshot: str                         # snapshot date: Last_Refreshed_on, else the export
    retrieved: str | None                 # Export_date (the file's retrieval date)
    record: dict[str, Any]                # the TrialRegistration record
    tracked: dict[str, Any]               # the fields a snapshot records
    raw: str
    warnings: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)   # other id -> evidence
    eudract: str | None = None

    @property
    def raw_location(self) -> str:
        return f"data/{SNAPSHOT_DIR}/{self.trial_id}/{self.snapshot}.xml"


def _date(rec: FlatRecord, name: str, warnings: list[str]) -> str | None:
    try:
        return F.parse_date(rec.fields.get(name), name)
    except DataError as exc:
        if "placeholder" in exc.message:
            warnings.append(f"{exc.message} (left out)")
            return None
        raise


def map_record(rec: FlatRecord, export_date: str | None, fallback_date: str | None,
               terms: frozenset[str] | None = None) -> Registration:
    """Map one record; DataError (naming the element) when a value cannot be read. ``terms``:
    the CURIEs data/vocabulary lists (a cell-therapy identifier it lacks is left out)."""
    f = rec.fields
    tid = rec.trial_id
    if tid is None:
        raise DataError("no TrialID", hint="every ICTRP record needs its registration id")
    if not TRIAL_ID.match(tid):
        raise DataError(f"TrialID {tid!r} is not a registration id (letters, digits, '.', "
                        "'_', '-')")
    warnings: list[str] = []
    register = F.one_line(f.get("Source_Register")) or _register_of(tid)
    refreshed = _date(rec, "Last_Refreshed_on", warnings)
    snapshot = refreshed or export_date or fallback_date
    if snapshot is None:
        snapshot = UNDATED
        warnings.append("no Last_Refreshed_on or Export_date: the snapshot is 'undated' "
                        "(pass --retrieved YYYY-MM-DD to date it)")
    r: dict[str, Any] = {"type": "TrialRegistration", "id": tid, "registrationId": tid,
                         "register": register}
    put(r, "url", F.one_line(f.get("web_address")))
    put(r, "title", _lang(F.one_line(f.get("Public_title"))))
    put(r, "officialTitle", _lang(F.one_line(f.get("Scientific_title"))))
    put(r, "acronym", F.one_line(f.get("Acronym")))
    status_text = F.one_line(f.get("Recruitment_Status"))
    put(r, "registryStatusText", status_text)
    put(r, "status", F.status_of(status_text))
    put(r, "primarySponsorText", F.one_line(f.get("Primary_sponsor")))
    put(r, "secondarySponsorText", F.split_list(f.get("Secondary_Sponsor")))
    put(r, "fundingSourceText", F.split_list(f.get("Source_Support")))
    put(r, "registryCondition", F.split_list(f.get("Condition")))
    put(r, "hasIntervention", _interventions(f.get("Intervention"), terms, warnings))
    phase_text = F.one_line(f.get("Phase"))
    put(r, "registryPhaseText", phase_text)
    put(r, "phase", F.phases_of(phase_text, register))
    type_text = F.one_line(f.get("Study_type"))
    put(r, "registryStudyTypeText", type_text)
    put(r, "studyType", F.study_type_of(type_text))
    put(r, "registryStudyDesignText", F.clean(f.get("Study_design")))
    reg_date = _date(rec, "Date_registration3", warnings) if f.get("Date_registration3") \
        else _date(rec, "Date_registration", warnings)
    put(r, "registrationDate", reg_date)
    put(r, "startDate", _date(rec, "Date_enrollement", warnings))
    size = F.one_line(f.get("Target_size"))
    put(r, "targetSizeText", size)
    put(r, "enrollment", F.count_of(size))
    put(r, "country", sorted(set(F.split_list(f.get("Countries")))))
    put(r, "primaryOutcomeText", F.split_list(f.get("Primary_outcome")))
    put(r, "secondaryOutcomeText", F.split_list(f.get("Secondary_outcome")))
    secondary = F.split_list(f.get("Secondary_ID"))
    put(r, "secondaryId", secondary)
    put(r, "hasResults", F.yes_no(f.get("results_yes_no")))
    put(r, "resultsUrl", F.one_line(f.get("results_url_link")))
    put(r, "resultsPostedDate", _date(rec, "results_date_posted", warnings))
    put(r, "resultsCompletedDate", _date(rec, "results_date_completed", warnings))
    put(r, "lastRefreshed", refreshed)
    flag = F.one_line(f.get("Retrospective_flag"))
    put(r, "retrospectiveFlagText", flag)
    prospective = F.yes_no(f.get("Prospective_registration"))
    if prospective is None and flag is not None:
        prospective = F.yes_no(flag)     # ICTRP's flag is inverted: Yes = prospective
    put(r, "prospectiveRegistration", prospective)
    put(r, "otherRecords", F.yes_no(f.get("other_records")))
    reg = Registration(tid, register, snapshot, export_date, r,
                       {k: r[k] for k in TRACKED if k in r}, rec.raw, warnings)
    _links(reg, secondary)
    return reg


def _lang(text: str | None) -> dict[str, str] | None:
    return {"en": text} if text else None


def _register_of(tid: str) -> str:
    for prefix, name in (("NCT", "ClinicalTrials.gov"), ("ChiCTR", "ChiCTR"),
                         ("EUCTR", "EU Clinical Trials Register"), ("DRKS", "DRKS")):
        if tid.startswith(prefix):
            return name
    return tid.split("-", 1)[0].rstrip("0123456789")


def _interventions(text: str | None, terms: frozenset[str] | None,
                   warnings: list[str]) -> list[dict[str, Any]]:
    out = []
    for n, item in enumerate(F.split_list(text), 1):
        rec: dict[str, Any] = {"id": f"intervention-{n}", "label": {"en": item}}
        cells = cell_therapy(item)
        for key in ("cellType", "tissueSource"):
            if cells and terms is not None and cells.get(key) and cells[key] not in terms:
                warnings.append(f"intervention {n}: {cells.pop(key)} is not in "
                                "data/vocabulary/terms.yaml (left out)")
        if cells is not None:   # a cell therapy, even when no identifier could be given
            rec = {"type": "CellTherapy", **rec, **cells}
        out.append(rec)
    return out


def _links(reg: Registration, secondary: list[str]) -> None:
    m = EUCTR_ID.match(reg.trial_id)
    if m:
        reg.eudract = m[1]
    elif reg.trial_id.startswith("CTIS"):
        reg.eudract = None
    for item in secondary:
        for other in REGISTRY_ID.findall(item):
            if other != reg.trial_id:
                reg.links.setdefault(other, f"Secondary_ID of {reg.trial_id} names {other}")
        for number in EUDRACT.findall(item):
            if not item.startswith("CTIS") and f"EUDRACT:{number}" != reg.trial_id:
                reg.links.setdefault(f"EUDRACT:{number}",
                                     f"Secondary_ID of {reg.trial_id} gives EudraCT {number}")
