"""The knowledge graph as a network: the RDF -> networkx projection (the *view*).

The built RDF graph holds the ontology and the data, with every fact typed and nested
(trial -> intervention -> cell type; study -> measurement -> arm). A reader of a network wants
fewer, larger things, so the projection keeps as nodes:

* the records: registered trials, published studies, organizations and persons, publications
  and source documents;
* the terms they use: cell types (CL), tissues and sites (UBERON), conditions (MONDO),
  routes (``lgc:route-*``) and outcome measures (``lgc:measure-*``);

and folds the rest into them: interventions and arms are collapsed into their trial or study
(``trial -cell type-> CL term``), measurements and comparisons become one summary edge per
study and outcome ("MELD score 13.3 vs 15.5 at 48 w"; which row heads the edge is the rule in
:mod:`livergraph.viz.results`), safety findings and
data-quality issues become facts of the node they are about. Node and edge attributes are plain
data (``kind``, ``label``, ``relation`` ...); nothing in the RDF graph is changed.

The rest of the viewer lives next door: :mod:`~livergraph.viz.styles` (node kinds, colours,
words), :mod:`~livergraph.viz.focus` (neighbourhoods for ``--focus``),
:mod:`~livergraph.viz.stats` (counts, components, hubs), :mod:`~livergraph.viz.exports`
(GraphML, GEXF), :mod:`~livergraph.viz.page` and :mod:`~livergraph.viz.panel` (the HTML page)
and :mod:`~livergraph.viz.draw` (``livergraph viz`` in one call). The names the commands
import from here before the split still are importable from here.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from livergraph.namespaces import ID_BASE, LG, OBO
from livergraph.viz.results import ResultSummaries
from livergraph.viz.styles import (FACT_ORDER, FALLBACK_RELATIONS, KINDS, LANGS, NO_STATUS,
                                   NO_STATUS_COLOUR, PROVENANCE_KINDS,
                                   STATUS_COLOURS, STUDY_KINDS, WORDS, kind_name, node_colour)
from livergraph.viz.text import (curie, human_duration, lang_code, local, ordered, pick,
                                 registrations)

_RECORD_KINDS = (  # first match wins: a publication is also a source document
    (LG.Trial, "trial"), (LG.PublishedStudy, "study"), (LG.Publication, "publication"),
    (LG.Organization, "sponsor"), (LG.Person, "sponsor"), (LG.RegistryRecordVersion, "source"),
    (LG.SourceDocument, "source"),
)
#: predicates whose object is a term node of a kind (from a record or a collapsed intervention)
_TERM_PREDICATES = {
    LG.condition: "condition",
    LG.cellType: "cell-type",
    LG.tissueSource: "tissue",
    LG.targetSite: "tissue",
    LG.route: "route",
}
_COLLAPSED_OWNERS = (LG.hasIntervention, LG.hasArm, LG.hasMeasurement, LG.hasComparison,
                     LG.hasSafetyFinding, LG.hasOutcome, LG.trialLink, LG.hasLocation,
                     LG.hasReference, LG.hasClaim, LG.hasIssue)
_LINK_PREDICATES = (LG.registryRecord, LG.doiLink, LG.pubmedLink, LG.url)
_NOT_FACTS = {RDF.type, RDFS.label, LG.hasIssue, PROV.wasDerivedFrom, *_LINK_PREDICATES,
              *_COLLAPSED_OWNERS}

# -- the projection ------------------------------------------------------------------------------
@dataclass
class Projection:
    """The networkx graph, and for each collapsed RDF node (intervention, arm, measurement ...)
    the node it was folded into."""
    graph: nx.MultiDiGraph
    aliases: dict[str, str] = field(default_factory=dict)

    def node_for(self, iri: str) -> str | None:
        iri = str(iri)
        if iri in self.graph:
            return iri
        return self.aliases.get(iri)


class _Projector(ResultSummaries):
    def __init__(self, g: Graph, lang: str) -> None:
        self.g = g
        self.lang = lang_code(lang)
        self.words = WORDS[self.lang]
        self.G = nx.MultiDiGraph()
        self.aliases: dict[str, str] = {}
        self.facts: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.links: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._labels: dict[Any, str] = {}

    # labels -----------------------------------------------------------------------------
    def label(self, node: Any) -> str:
        if node in self._labels:
            return self._labels[node]
        text = None
        for p in (RDFS.label, SKOS.prefLabel, LG.name, LG.title):
            text = pick(self.g.objects(node, p), self.lang)
            if text:
                break
        if not text:
            text = curie(node) if isinstance(node, URIRef) else str(node)
            if text.startswith(ID_BASE):
                text = local(node)
        self._labels[node] = text
        return text

    def relation_label(self, p: Any) -> str:
        text = pick(self.g.objects(p, RDFS.label), self.lang)
        if text:
            return text
        en, zh = FALLBACK_RELATIONS.get(str(p), (local(p), local(p)))
        return zh if self.lang == "zh" else en

    def value_text(self, o: Any) -> str:
        if isinstance(o, Literal):
            if o.datatype is not None and str(o.datatype).endswith("#duration"):
                return human_duration(str(o), self.lang)
            return str(o)
        return self.label(o)

    # nodes -----------------------------------------------------------------------------
    def record_kind(self, s: Any) -> str | None:
        types = set(self.g.objects(s, RDF.type))
        for cls, kind in _RECORD_KINDS:
            if cls in types:
                return kind
        return None

    def add_node(self, node: Any, kind: str) -> str:
        key = str(node)
        if key in self.G:
            return key
        attrs: dict[str, Any] = {"kind": kind, "label": self.label(node), "iri": key}
        if kind == "publication" and not pick(self.g.objects(node, RDFS.label), self.lang):
            attrs["label"] = self._publication_label(node)
        if kind in ("trial", "study", "publication"):
            name = pick(self.g.objects(node, LG.title), self.lang)
            if name:
                attrs["name"] = name
        if kind == "trial":
            status = next(iter(ordered(self.g.objects(node, LG.status))), None)
            if status is not None:
                notation = next(iter(self.g.objects(status, SKOS.notation)), None)
                attrs["status"] = str(notation) if notation else local(status).removeprefix(
                    "status-")
                attrs["status_label"] = self.label(status)
            else:
                attrs["status"] = NO_STATUS
        names: set[str] = set()
        for p in (RDFS.label, LG.name, LG.alias, LG.formerName, LG.acronym, LG.orgStudyId,
                  LG.title, SKOS.notation):
            names.update(str(o) for o in self.g.objects(node, p) if isinstance(o, Literal))
        names.discard(attrs["label"])
        attrs["aliases"] = sorted(names)   # every other name it goes by, for search
        if kind in ("cell-type", "tissue", "condition", "route", "outcome"):
            self.facts[key].append((self.words["identifier"], curie(node)))
            if str(node).startswith(str(OBO)):
                self.links[key].append((curie(node), str(node)))
        self.G.add_node(key, **attrs)
        return key

    def _publication_label(self, node: Any) -> str:
        """'First author year' (the title is long; it is shown as the node's name)."""
        authors = pick(self.g.objects(node, LG.authors), self.lang) or ""
        first = re.split(r"[,;、，]", authors)[0].strip()
        date = next(iter(self.g.objects(node, LG.publicationDate)), None)
        year = str(date)[:4] if date is not None else ""
        if self.lang == "en" and first and not first.isascii():
            # an English page names a Chinese author by the record id's romanisation
            # (cui-2022-cjh -> Cui)
            stem = local(node).split("-")[0]
            first = stem.capitalize() if stem.isalpha() else first
        text = " ".join(x for x in (first, year) if x)
        return text or self.label(node)

    def add_edge(self, u: str, v: str, p: Any, lines: Iterable[str] = (),
                 label: str | None = None) -> None:
        relation = curie(p)
        if self.G.has_edge(u, v, key=relation):
            data = self.G.edges[u, v, relation]
        else:
            self.G.add_edge(u, v, key=relation, relation=relation,
                            label=label or self.relation_label(p))
            data = self.G.edges[u, v, relation]
            data["_lines"] = []
        for line in lines:
            if line not in data["_lines"]:
                data["_lines"].append(line)

    # the walk --------------------------------------------------------------------------
    def run(self) -> Projection:
        g = self.g
        records = ordered({s for s in g.subjects(RDF.type, None)
                          if isinstance(s, URIRef) and str(s).startswith(ID_BASE)})
        kinds = {}
        for s in records:
            kind = self.record_kind(s)
            if kind:
                kinds[s] = kind
                self.add_node(s, kind)
        for s in ordered(kinds):
            key = str(s)
            for p, o in ordered(g.predicate_objects(s)):
                if p == RDF.type:
                    continue
                if p in _TERM_PREDICATES and isinstance(o, URIRef):
                    self.add_edge(key, self.add_node(o, _TERM_PREDICATES[p]), p)
                elif o in kinds and o != s and p not in _COLLAPSED_OWNERS and (
                        str(p).startswith(str(LG)) or p == PROV.wasDerivedFrom):
                    # livergraph's own relations only: a reasoner's super-properties
                    # (schema:sponsor of lg:leadSponsor) would draw every edge twice
                    self.add_edge(key, str(o), p)
                elif p in _LINK_PREDICATES:
                    self.links[key].append((self.relation_label(p), str(o)))
            self._facts(s, key)
            self._collapse(s, key)
        self._issues(kinds)
        self._finish()
        return Projection(self.G, self.aliases)

    def _owned(self, s: Any, p: Any) -> list[Any]:
        return sorted(o for o in self.g.objects(s, p) if isinstance(o, URIRef))

    def _collapse(self, s: Any, key: str) -> None:
        g, w = self.g, self.words
        for reg, text in registrations(g, s, self.lang):   # folded into their trial
            self.aliases[str(reg)] = key
            self.facts[key].append((w["registration"], text))
        arms = self._owned(s, LG.hasArm)
        interventions = self._owned(s, LG.hasIntervention)
        for arm in arms:
            self.aliases[str(arm)] = key
            for i in self._owned(arm, LG.receives):
                if i not in interventions:
                    interventions.append(i)
            role = next(iter(g.objects(arm, LG.armRole)), None)
            n = next(iter(g.objects(arm, LG.participants)), None)
            text = self.arm_name(arm)
            if role is not None:
                text += f" ({self.label(role)})"
            if n is not None:
                text += f": {n} {w['participants']}"
            self.facts[key].append((w["arm"], text))
        for i in interventions:
            self.aliases[str(i)] = key
            parts = []
            for cls in ordered(g.objects(i, RDF.type)):
                if cls != LG.Intervention:
                    parts.append(self.label(cls))
            for p, o in ordered(g.predicate_objects(i)):
                if p in _TERM_PREDICATES and isinstance(o, URIRef):
                    self.add_edge(key, self.add_node(o, _TERM_PREDICATES[p]), p)
                    parts.append(self.label(o))
                elif p in (LG.donorType, LG.doseLevel, LG.interventionType):
                    parts.append(self.label(o))
                elif p in (LG.dose, LG.numberOfInfusions):
                    parts.append(f"{self.relation_label(p)} {o}")
            dose_text = pick(g.objects(i, LG.doseText), self.lang)
            if dose_text:
                parts.append(dose_text)
            name = pick(g.objects(i, RDFS.label), self.lang) or local(i).split("-", 1)[-1]
            self.facts[key].append((w["intervention"], f"{name}: " + "; ".join(parts)
                                    if parts else name))
        for outcome in self._owned(s, LG.hasOutcome):
            self.aliases[str(outcome)] = key
            for m in self._owned(outcome, LG.measure):
                otype = next(iter(g.objects(outcome, LG.outcomeType)), None)
                text = pick(g.objects(outcome, LG.measureText), self.lang) or self.label(m)
                tf = pick(g.objects(outcome, LG.timeFrame), self.lang)
                line = text + (f" ({self.label(otype)})" if otype is not None else "") + (
                    f", {tf}" if tf else "")
                self.add_edge(key, self.add_node(m, "outcome"), LG.hasOutcome, [line])
        for link in self._owned(s, LG.trialLink):
            self.aliases[str(link)] = key
            basis = next(iter(g.objects(link, LG.linkBasis)), None)
            reason = pick(g.objects(link, LG.linkReason), self.lang)
            for trial in self._owned(link, LG.linkedTrial):
                if str(trial) in self.G:
                    lines = [x for x in (self.label(basis) if basis is not None else None,
                                         reason) if x]
                    self.add_edge(key, str(trial), LG.linkedTrial, lines)
        for p in (LG.hasLocation, LG.hasReference):
            for o in self._owned(s, p):
                self.aliases[str(o)] = key
        for claim in self._owned(s, LG.hasClaim):
            self.aliases[str(claim)] = key
            text = pick(g.objects(claim, LG.claimText), self.lang) or self.label(claim)
            support = self._one(claim, LG.supportLevel)
            self.facts[key].append((w["claim"], text + (
                f" — {self.label(support)}" if support is not None else "")))
        self.results(s, key, arms)
        for finding in self._owned(s, LG.hasSafetyFinding):
            self.aliases[str(finding)] = key
            self.facts[key].append((w["safety"], self._safety_text(finding)))

    def _safety_text(self, finding: Any) -> str:
        g = self.g
        parts = [self.label(o) for o in ordered(g.objects(finding, LG.adverseEvent))]
        n = next(iter(g.objects(finding, LG.patientsAffected)), None)
        if n is not None:
            parts.append(f"{n} {self.words['patients']}")
        parts.extend(sorted(self.arm_name(arm) for arm in g.objects(finding, LG.arm)))
        text = pick(g.objects(finding, LG.sourceText), self.lang)
        return "; ".join(parts) if parts else (text or self.label(finding))

    # facts -----------------------------------------------------------------------------
    def _facts(self, s: Any, key: str) -> None:
        by_p: dict[Any, list[Any]] = defaultdict(list)
        for p, o in self.g.predicate_objects(s):
            if p in _NOT_FACTS or p in _TERM_PREDICATES:
                continue
            if isinstance(o, URIRef) and str(o) in self.G:
                continue    # drawn as an edge
            by_p[p].append(o)
        order = {name: i for i, name in enumerate(FACT_ORDER)}

        def rank(p: Any) -> tuple[int, str]:
            return (order.get(local(p), len(order)), self.relation_label(p))
        for p in sorted(by_p, key=rank):
            values = by_p[p]
            if any(isinstance(v, Literal) and v.language for v in values):
                text = pick(values, self.lang)
                texts = [text] if text else []
            else:
                texts = sorted(self.value_text(v) for v in values)
            text = "; ".join(texts)
            if text and text not in (self.G.nodes[key].get("label"),
                                     self.G.nodes[key].get("name")):
                self.facts[key].append((self.relation_label(p), text))
        for source in ordered(self.g.objects(s, PROV.wasDerivedFrom)):
            if str(source) not in self.G:
                self.facts[key].append((self.words["source"], self.label(source)))

    def _issues(self, kinds: dict[Any, str]) -> None:
        seen = set()
        for issue in ordered(set(self.g.subjects(RDF.type, LG.DataQualityIssue))):
            targets = set(self.g.objects(issue, LG.about)) | set(
                self.g.subjects(LG.hasIssue, issue))
            note = pick(self.g.objects(issue, LG.curatorNote), self.lang)
            itype = next(iter(self.g.objects(issue, LG.issueType)), None)
            text = " — ".join(x for x in (self.label(itype) if itype is not None else None,
                                         note) if x) or self.label(issue)
            for t in ordered(targets):
                node = str(t) if str(t) in self.G else self.aliases.get(str(t))
                if node and (node, text) not in seen:
                    seen.add((node, text))
                    self.facts[node].append((self.words["issue"], text))
            if targets:
                first = next(iter(ordered(targets)))
                node = str(first) if str(first) in self.G else self.aliases.get(str(first))
                if node:
                    self.aliases[str(issue)] = node

    def _finish(self) -> None:
        # a study links out to the papers it is published in and the trials it reports
        for u, v, k in sorted(self.G.edges(keys=True)):
            if k in ("lg:publishedIn", "lg:reportsTrial", "lg:linkedTrial"):
                self.links[u].extend(self.links.get(v, ()))
        for node, data in self.G.nodes(data=True):
            data["facts"] = list(self.facts.get(node, ()))
            data["links"] = list(dict.fromkeys(self.links.get(node, ())))
            data["issues"] = sum(1 for k, _ in data["facts"] if k == self.words["issue"])
        for _, _, data in self.G.edges(data=True):
            lines = data.pop("_lines")
            data["details"] = "\n".join(lines)


def project(rdf_graph: Graph, lang: str = "en") -> Projection:
    """Project the data part of a built RDF graph to a networkx MultiDiGraph (see the module
    docstring); read-only on ``rdf_graph``."""
    if lang_code(lang) not in LANGS:  # pragma: no cover - _lang maps everything to a known one
        raise ValueError(lang)
    return _Projector(rdf_graph, lang).run()


def to_networkx(rdf_graph: Graph, lang: str = "en") -> nx.MultiDiGraph:
    """The network of records and terms (a new graph; ``rdf_graph`` is not changed).

    Nodes are keyed by IRI with attributes ``kind`` (one of KINDS), ``label``, ``iri``, for
    trials ``status``, and ``facts`` / ``links`` (lists of (name, text) pairs). Edges are keyed
    by the relation's CURIE (``lg:leadSponsor``) with attributes ``relation``, ``label`` and
    ``details`` (the summarised measurements of a study-to-outcome edge, one per line).
    """
    return project(rdf_graph, lang).graph


# the names the CLI and the export command import from here (their homes are the modules named)
from livergraph.viz.exports import exportable, write_gexf, write_graphml
from livergraph.viz.focus import find_node, neighbourhood
from livergraph.viz.stats import (HUB_KINDS, Hub, NetworkStats, counts_by_class, domain_network,
                                  network_stats)

__all__ = ["HUB_KINDS", "KINDS", "LANGS", "NO_STATUS", "NO_STATUS_COLOUR", "PROVENANCE_KINDS",
           "STATUS_COLOURS", "STUDY_KINDS", "WORDS", "Hub", "NetworkStats", "Projection",
           "counts_by_class", "domain_network", "exportable", "find_node", "human_duration",
           "kind_name", "neighbourhood", "network_stats", "node_colour", "project", "to_networkx",
           "write_gexf", "write_graphml"]
