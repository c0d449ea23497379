"""Reading ClinicalTrials.gov API v2 JSON: the files, and typed access to a study's fields
(a wrong type is a DataError naming its path). Constants shared by the ctgov modules."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
import datetime as _dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from livergraph.errors import DataError, UnreadableInput
from livergraph.namespaces import LG

REGISTRY_DIR = "registry"
RAW_DIR = "raw"
TRIALS_DIR = "trials"
AGENTS_DIR = "agents"
MESH_TERMS = Path("vocabulary") / "terms-registry-mesh.yaml"
MESH_EVIDENCE = ("ClinicalTrials.gov API v2 derivedSection (conditionBrowseModule / "
                 "interventionBrowseModule meshes: id and term as the registry gives them)")
# ASCII digits only and no trailing newline (``\Z``): what build accepts (model/values.py)
NCT_PATTERN = re.compile(r"^NCT\d{8}\Z", re.ASCII)
DATE_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?\Z", re.ASCII)
NUMBER_PATTERN = re.compile(r"^-?\d+(\.\d+)?\Z", re.ASCII)
MESH_ID_PATTERN = re.compile(r"^[A-Z]\d{6,9}\Z", re.ASCII)
#: the largest count build accepts (xsd:integer as SPARQL stores hold it: 64-bit)
MAX_COUNT = 2 ** 63 - 1
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
    from livergraph.io.regular import require_regular
    require_regular(Path(path), "registry file")     # a FIFO or a device would never end
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
    except RecursionError:
        raise UnreadableInput("the JSON is nested too deeply to read", file=shown,
                              hint="pass ClinicalTrials.gov API v2 JSON: a study or a page of "
                                   "/api/v2/studies") from None
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
        _check_chars(value, f"{path}.{key}")
        value = value.strip()
        return value or None

    def texts(self, parent: dict, key: str, path: str) -> list[str]:
        out = []
        for n, item in enumerate(self.arr(parent, key, path)):
            if not isinstance(item, str):
                raise DataError(f"{path}.{key}[{n}] is a {_kind(item)}, expected a string")
            _check_chars(item, f"{path}.{key}[{n}]")
            if item.strip():
                out.append(item.strip())
        return out

    def count(self, parent: dict, key: str, path: str) -> int | None:
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip()) if len(value.strip()) < 20 else MAX_COUNT + 1
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
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
        if len(value) == 10:
            try:
                _dt.date.fromisoformat(value)
            except ValueError:
                raise DataError(f"{path}.{key}: {value!r} is not a real date") from None
        return value


def _check_chars(text: str, where: str) -> None:
    """Refuse text the loader would refuse once written (``livergraph.model.yamlio``)."""
    from livergraph.model.yamlio import char_name, forbidden_char
    bad = forbidden_char(text)
    if bad is not None:
        raise DataError(f"{where} holds the control character {char_name(bad)}",
                        hint="the record cannot be stored as written: XML and RDF exports "
                             "cannot hold it; correct the registry record or leave it out")


# -- small helpers shared by the mapper and the results --------------------------------------

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


def _arm_order(arm_id: str) -> tuple:
    kind, _, n = arm_id.rpartition("-")
    return (kind, int(n) if n.isdigit() else 0, arm_id)
