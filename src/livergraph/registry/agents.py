"""Sponsors and collaborators of imported registry records: matched by name, alias or former
name to the curated organizations (never changed), or kept as imported agents under
``data/registry/agents/`` with the record versions naming them."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from livergraph.errors import UnreadableInput

from livergraph.registry.ctgov.reader import AGENTS_DIR, REGISTRY_DIR

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



_VERSION_SUFFIX = re.compile(r"-(\d{4}-\d{2}-\d{2}|undated)$")


def record_key(version_id: str) -> str:
    """The registration a record version id belongs to: ``NCT01220492-2024-05-20`` ->
    ``NCT01220492``, ``ictrp-ChiCTR2000030116-2020-03-17`` -> ``ictrp-ChiCTR2000030116``."""
    return _VERSION_SUFFIX.sub("", version_id)


def load_agents(data_dir: Path) -> dict[str, Agent]:
    from livergraph.model.load import read_yaml, shown_path
    agents: dict[str, Agent] = {}
    folder = (data_dir / REGISTRY_DIR) / AGENTS_DIR
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        data = read_yaml(path, shown_path(path, data_dir))
        if not isinstance(data, dict) or "id" not in data:
            raise UnreadableInput("not an agent record", file=shown_path(path, data_dir),
                                  hint="re-run the import, or remove the file")
        name = (data.get("name") or {}).get("en") or str(data["id"])
        sources = data.get("source") or []
        agent = Agent(str(data["id"]), str(data.get("type", "Organization")), name,
                      data.get("agencyClass"),
                      {record_key(str(v)): str(v) for v in (
                          sources if isinstance(sources, list) else [sources])})
        agents[agent.id] = agent
    return agents


