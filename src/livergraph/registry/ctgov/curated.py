"""The curated data an import is compared with: curated trials by NCT number and their
agents, and the disagreements between a curated record and the registry (never overwritten)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livergraph.namespaces import LG

from livergraph.registry.agents import _names_of, normalise_name
from livergraph.registry.ctgov.reader import COMPARED_SKIP, REGISTRY_DIR, TEXT_KEYS

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



def load_curated(data_dir: Path, schema, vocab) -> tuple[Curated, dict[str, str], set[str]]:
    """The curated trials (outside data/registry/), and the curated agents' names -> ids."""
    from livergraph.model.load import record_files, records_in, shown_path
    reg = (data_dir / REGISTRY_DIR)
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


