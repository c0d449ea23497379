"""Reading ICTRP portal XML exports (2020 and 2024 element sets) and ChiCTR per-record XML.

XML is parsed with defusedxml: a DTD with entities, an external entity or an external DTD is
refused (no entity expansion, nothing fetched). Every record becomes a flat mapping of the
portal's element names to their text, whatever shape it came in, plus its raw XML as kept.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped]
from defusedxml import DefusedXmlException

from livergraph.errors import UnreadableInput

PORTAL_ROOT = "Trials_downloaded_from_ICTRP"
CHICTR_ROOT = "trials"
#: every portal element livergraph reads or knowingly ignores; others are reported once per file
KNOWN = {
    "Export_date", "Internal_Number", "TrialID", "Last_Refreshed_on", "Public_title",
    "Scientific_title", "Acronym", "Primary_sponsor", "Retrospective_flag",
    "Prospective_registration", "Date_registration3", "Date_registration", "Source_Register",
    "web_address", "Recruitment_Status", "other_records", "Inclusion_agemin", "Inclusion_agemax",
    "Inclusion_gender", "Date_enrollement", "Target_size", "Study_type", "Study_design", "Phase",
    "Countries", "Contact_Firstname", "Contact_Lastname", "Contact_Address", "Contact_Email",
    "Contact_Tel", "Contact_Affiliation", "Inclusion_Criteria", "Exclusion_Criteria", "Condition",
    "Intervention", "Primary_outcome", "Secondary_outcome", "Secondary_ID", "Source_Support",
    "Secondary_Sponsor", "Ethics_review_status", "Ethics_review_approval_date",
    "Ethics_review_contact_name", "Ethics_review_contact_address", "Ethics_review_contact_phone",
    "Ethics_review_contact_email", "results_url_link", "results_yes_no", "results_date_posted",
    "results_date_completed", "results_summary", "results_date_first_publication",
    "results_baseline_char", "results_participant_flow", "results_adverse_events",
    "results_outcome_measures", "results_url_protocol", "results_IPD_plan",
    "results_IPD_description", "results_ipd_plan", "results_actual_enrollment",
    "results_actual_enrolment", "Bridging_flag", "Bridging_flag_truefalse", "Bridged_type",
    "Childs", "type_enrolment"}
#: ChiCTR's main/<element> -> the portal element of the same meaning
CHICTR_MAIN = {
    "trial_id": "TrialID", "reg_name": "Source_Register", "date_registration":
    "Date_registration", "primary_sponsor": "Primary_sponsor", "public_title": "Public_title",
    "acronym": "Acronym", "scientific_title": "Scientific_title", "date_enrolment":
    "Date_enrollement", "type_enrolment": "type_enrolment", "target_size": "Target_size",
    "recruitment_status": "Recruitment_Status", "url": "web_address", "study_type": "Study_type",
    "study_design": "Study_design", "phase": "Phase", "hc_freetext": "Condition",
    "i_freetext": "Intervention", "results_date_completed": "results_date_completed",
    "results_url_link": "results_url_link", "results_date_posted": "results_date_posted",
    "results_summary": "results_summary", "results_actual_enrolment": "results_actual_enrolment"}
#: ChiCTR's nested lists -> (container path, portal element)
CHICTR_LISTS = {
    "countries/country2": "Countries", "primary_outcome/prim_outcome": "Primary_outcome",
    "secondary_outcome/sec_outcome": "Secondary_outcome",
    "secondary_sponsor/sponsor_name": "Secondary_Sponsor",
    "secondary_ids/secondary_id/sec_id": "Secondary_ID",
    "source_support/source_name": "Source_Support",
    "criteria/inclusion_criteria": "Inclusion_Criteria",
    "criteria/exclusion_criteria": "Exclusion_Criteria", "criteria/agemin": "Inclusion_agemin",
    "criteria/agemax": "Inclusion_agemax", "criteria/gender": "Inclusion_gender"}


@dataclass
class FlatRecord:
    """One registry record: portal element name -> text (absent elements are missing keys)."""
    file: str
    where: str
    shape: str                          # "ictrp-portal" or "chictr-record"
    fields: dict[str, str | None]
    raw: str                            # the record's XML, as kept under data/registry/raw/
    unknown: list[str] = field(default_factory=list)

    @property
    def trial_id(self) -> str | None:
        value = (self.fields.get("TrialID") or "").strip()
        return value or None


def read_records(path: Path) -> list[FlatRecord]:
    """The records in one file, or UnreadableInput naming it."""
    shown = str(path)
    from livergraph.io.regular import require_regular
    require_regular(Path(path), "registry file")     # a FIFO or a device would never end
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput("file not found", file=shown) from None
    except OSError as exc:
        raise UnreadableInput(f"cannot read the file: {exc.strerror or exc}", file=shown) from None
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException as exc:
        raise UnreadableInput(f"unsafe XML refused ({type(exc).__name__}: entities and "
                              "external references are not read)", file=shown) from None
    except ET.ParseError as exc:
        raise UnreadableInput(f"not well-formed XML: {exc}", file=shown,
                              hint="pass an ICTRP portal XML export or a ChiCTR record XML") \
            from None
    if root.tag == PORTAL_ROOT:
        return _portal(root, shown)
    if root.tag == CHICTR_ROOT:
        return _chictr(root, shown)
    raise UnreadableInput(f"root element <{root.tag}> is neither <{PORTAL_ROOT}> (ICTRP portal "
                          f"export) nor <{CHICTR_ROOT}> (ChiCTR record)", file=shown)


def _where(n: int, total: int, trial_id: str | None) -> str:
    label = f"record {n}" if total > 1 else "record"
    return f"{label} ({trial_id})" if trial_id else label


def _portal(root: ET.Element, shown: str) -> list[FlatRecord]:
    trials = [t for t in root if t.tag == "Trial"]
    out = []
    for n, trial in enumerate(trials, 1):
        fields: dict[str, str | None] = {}
        unknown = []
        for el in trial:
            if len(el):
                unknown.append(el.tag)
                continue
            fields.setdefault(el.tag, el.text if el.text is not None else "")
            if el.tag not in KNOWN:
                unknown.append(el.tag)
        rec = FlatRecord(shown, "", "ictrp-portal", fields, ET.tostring(trial, "unicode"),
                         unknown)
        rec.where = _where(n, len(trials), rec.trial_id)
        out.append(rec)
    return out


def _text(el: ET.Element | None) -> str | None:
    return None if el is None else (el.text or "")


def _chictr(root: ET.Element, shown: str) -> list[FlatRecord]:
    trials = [t for t in root if t.tag == "Triall"]
    out = []
    for n, trial in enumerate(trials, 1):
        fields: dict[str, str | None] = {}
        main = trial.find("main")
        for el in main if main is not None else []:
            target = CHICTR_MAIN.get(el.tag)
            if target:
                fields[target] = el.text or ""
        for path, target in CHICTR_LISTS.items():
            parts = [(e.text or "").strip() for e in trial.findall(path)]
            if parts:
                fields[target] = ";".join(p.rstrip(";") for p in parts if p)
        rec = FlatRecord(shown, "", "chictr-record", fields, ET.tostring(trial, "unicode"))
        rec.where = _where(n, len(trials), rec.trial_id)
        out.append(rec)
    return out
