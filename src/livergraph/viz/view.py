"""The knowledge graph as a network: an RDF -> networkx projection, and its analytics.

The built RDF graph holds the ontology and the data, with every fact typed and nested
(trial -> intervention -> cell type; study -> measurement -> arm). A reader of a network wants
fewer, larger things, so the projection keeps as nodes:

* the records: registered trials, published studies, organizations and persons, publications
  and source documents;
* the terms they use: cell types (CL), tissues and sites (UBERON), conditions (MONDO),
  routes (``lgc:route-*``) and outcome measures (``lgc:measure-*``);

and folds the rest into them: interventions and arms are collapsed into their trial or study
(``trial -cell type-> CL term``), measurements and comparisons become one summary edge per
study and outcome ("serum albumin 28.9 → 33.9 g/L at 48 w, P<0.05"), safety findings and
data-quality issues become facts of the node they are about. Node and edge attributes are plain
data (``kind``, ``label``, ``relation`` ...); nothing in the RDF graph is changed.

Analytics (counts, degree and betweenness centrality, connected components, neighbourhoods)
run on the *domain network*: the projection without source documents, since every record
links to the article it was read from and that one hub would otherwise dominate every path.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from livergraph.namespaces import CURIE_BASES, ID_BASE, LG, OBO

#: node kind -> (ontology class giving its name, English name, Chinese name, colour, vis shape)
KINDS: dict[str, tuple[URIRef | None, str, str, str, str]] = {
    "trial": (LG.Trial, "registered trial", "註冊試驗", "#1f77b4", "dot"),
    "study": (LG.PublishedStudy, "published study", "已發表研究", "#7b3fa0", "star"),
    "sponsor": (LG.Agent, "sponsor or institution", "贊助者或機構", "#a0522d", "square"),
    "publication": (LG.Publication, "publication", "文獻", "#d4a017", "triangleDown"),
    "source": (LG.SourceDocument, "source document", "來源文件", "#7f7f7f", "image"),
    "cell-type": (None, "cell type", "細胞類型", "#2ca02c", "hexagon"),
    "tissue": (None, "tissue or site", "組織或部位", "#8fbc5a", "diamond"),
    "condition": (None, "condition", "疾病", "#d62728", "ellipse"),
    "route": (None, "route", "給藥途徑", "#17becf", "triangle"),
    "outcome": (None, "outcome measure", "結局指標", "#ff7f0e", "box"),
}

#: trial status notation -> colour (trials are coloured by status; unknown notations are grey)
STATUS_COLOURS: dict[str, str] = {
    "RECRUITING": "#2ca02c",
    "NOT_YET_RECRUITING": "#98df8a",
    "ENROLLING_BY_INVITATION": "#bcbd22",
    "ACTIVE_NOT_RECRUITING": "#17becf",
    "COMPLETED": "#1f77b4",
    "SUSPENDED": "#ffbb78",
    "TERMINATED": "#e377c2",
    "WITHDRAWN": "#393b79",
    "UNKNOWN": "#9e9e9e",
}
NO_STATUS = "none"
NO_STATUS_COLOUR = "#c7c7c7"

#: kinds left out of centrality, components and neighbourhood walks (see the module docstring)
PROVENANCE_KINDS = frozenset({"source"})
#: kinds of the study-like nodes the page filters by sponsor and cell source
STUDY_KINDS = ("trial", "study")

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
_FACT_ORDER = ("nctId", "title", "officialTitle", "acronym", "name", "status", "lastKnownStatus",
               "phase", "studyType", "enrollment", "enrollmentType", "totalParticipants",
               "startDate", "primaryCompletionDate", "completionDate", "followUp",
               "diseaseStage", "etiology", "designFeature", "allocation", "masking",
               "citation", "journal", "publicationDate", "doi", "pmid")
_FALLBACK_RELATIONS = {
    str(PROV.wasDerivedFrom): ("derived from", "來源"),
    str(RDFS.label): ("label", "標籤"),
}
WORDS = {  # words of the summaries, by language
    "en": {"at": "at", "more": "more", "baseline": "baseline", "vs": "vs",
           "intervention": "intervention", "arm": "arm", "result": "result",
           "safety": "safety", "issue": "data-quality issue", "participants": "participants",
           "identifier": "identifier", "patients": "patients", "source": "source",
           "claim": "claim"},
    "zh": {"at": "於", "more": "項", "baseline": "基線", "vs": "對比",
           "intervention": "干預措施", "arm": "組別", "result": "結果",
           "safety": "安全性", "issue": "資料品質問題", "participants": "人",
           "identifier": "識別碼", "patients": "例", "source": "來源", "claim": "論述"},
}
LANGS = ("en", "zh")
#: UCUM codes shown in a more familiar form
_UCUM_SHOWN = {"a": "y", "mo": "mo", "wk": "w", "Cel": "°C", "10*9/L": "×10⁹/L",
               "10*12/L": "×10¹²/L", "umol/L": "µmol/L"}


def kind_name(kind: str, lang: str = "en", rdf_graph: Graph | None = None) -> str:
    """The readable name of a node kind, from the ontology class label where there is one."""
    cls, en, zh, _, _ = KINDS[kind]
    if rdf_graph is not None and cls is not None and kind not in ("sponsor", "source"):
        text = _pick(rdf_graph.objects(cls, RDFS.label), lang)
        if text:
            return text
    return zh if lang == "zh" else en


# -- reading literals in a language ------------------------------------------------------------
def _lang_rank(lit, lang: str) -> int:
    if not isinstance(lit, Literal):
        return 9
    tag = (lit.language or "").lower()
    if tag and (tag == lang or tag.startswith(lang + "-")):
        return 0
    if tag == "en" or tag.startswith("en-"):
        return 1
    if not tag:
        return 2
    return 3


def _pick(values: Iterable, lang: str) -> str | None:
    """The value in ``lang``, else English, else untagged, else any (sorted: deterministic)."""
    best = sorted((v for v in values if isinstance(v, Literal)),
                  key=lambda v: (_lang_rank(v, lang), str(v)))
    return str(best[0]) if best else None


def _curie(iri) -> str:
    s = str(iri)
    best = None
    for prefix, base in CURIE_BASES.items():
        if s.startswith(base) and (best is None or len(base) > len(CURIE_BASES[best])):
            best = prefix
    if best is None:
        return s
    return f"{best}:{s[len(CURIE_BASES[best]):]}"


def _local(iri) -> str:
    s = str(iri)
    return re.split(r"[#/]", s)[-1] or s


_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
                       r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_DURATION_UNITS = {"en": ("y", "mo", "w", "d", "h", "min", "s"),
                   "zh": ("年", "個月", "週", "天", "小時", "分鐘", "秒")}


def human_duration(text: str, lang: str = "en") -> str:
    """P336D -> '48 w', P1Y -> '1 y', P6M -> '6 mo', PT6H -> '6 h', P0D -> 'baseline';
    other text unchanged."""
    m = _DURATION.match(str(text))
    if not m or not any(g is not None for g in m.groups()):
        return str(text)
    values = [float(g) if g else 0 for g in m.groups()]
    if values[3] and not any(values[:3]) and values[3] % 7 == 0:
        values[2], values[3] = values[3] // 7, 0
    units = _DURATION_UNITS[_lang(lang)]
    parts = [f"{n:g} {u}" for n, u in zip(values, units) if n]
    return " ".join(parts) if parts else WORDS[_lang(lang)]["baseline"]


def _number(lit) -> str:
    try:
        d = Decimal(str(lit))
    except (InvalidOperation, ValueError):
        return str(lit)
    text = format(d.normalize(), "f") if d == d.to_integral_value() else str(lit)
    return text


def _lang(lang: str) -> str:
    return "zh" if str(lang).lower().startswith("zh") else "en"


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


class _Projector:
    def __init__(self, g: Graph, lang: str):
        self.g = g
        self.lang = _lang(lang)
        self.words = WORDS[self.lang]
        self.G = nx.MultiDiGraph()
        self.aliases: dict[str, str] = {}
        self.facts: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.links: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._labels: dict = {}

    # labels -----------------------------------------------------------------------------
    def label(self, node) -> str:
        if node in self._labels:
            return self._labels[node]
        text = None
        for p in (RDFS.label, SKOS.prefLabel, LG.name, LG.title):
            text = _pick(self.g.objects(node, p), self.lang)
            if text:
                break
        if not text:
            text = _curie(node) if isinstance(node, URIRef) else str(node)
            if text.startswith(ID_BASE):
                text = _local(node)
        self._labels[node] = text
        return text

    def relation_label(self, p) -> str:
        text = _pick(self.g.objects(p, RDFS.label), self.lang)
        if text:
            return text
        en, zh = _FALLBACK_RELATIONS.get(str(p), (_local(p), _local(p)))
        return zh if self.lang == "zh" else en

    def value_text(self, o) -> str:
        if isinstance(o, Literal):
            if o.datatype is not None and str(o.datatype).endswith("#duration"):
                return human_duration(str(o), self.lang)
            return str(o)
        return self.label(o)

    # nodes -----------------------------------------------------------------------------
    def record_kind(self, s) -> str | None:
        types = set(self.g.objects(s, RDF.type))
        for cls, kind in _RECORD_KINDS:
            if cls in types:
                return kind
        return None

    def add_node(self, node, kind: str) -> str:
        key = str(node)
        if key in self.G:
            return key
        attrs = {"kind": kind, "label": self.label(node), "iri": key}
        if kind == "publication" and not _pick(self.g.objects(node, RDFS.label), self.lang):
            attrs["label"] = self._publication_label(node)
        if kind in ("trial", "study", "publication"):
            name = _pick(self.g.objects(node, LG.title), self.lang)
            if name:
                attrs["name"] = name
        if kind == "trial":
            status = next(iter(sorted(self.g.objects(node, LG.status))), None)
            if status is not None:
                notation = next(iter(self.g.objects(status, SKOS.notation)), None)
                attrs["status"] = str(notation) if notation else _local(status).removeprefix(
                    "status-")
                attrs["status_label"] = self.label(status)
            else:
                attrs["status"] = NO_STATUS
        names = set()
        for p in (RDFS.label, LG.name, LG.alias, LG.formerName, LG.acronym, LG.orgStudyId,
                  LG.title, SKOS.notation):
            names.update(str(o) for o in self.g.objects(node, p) if isinstance(o, Literal))
        names.discard(attrs["label"])
        attrs["aliases"] = sorted(names)   # every other name it goes by, for search
        if kind in ("cell-type", "tissue", "condition", "route", "outcome"):
            self.facts[key].append((self.words["identifier"], _curie(node)))
            if str(node).startswith(str(OBO)):
                self.links[key].append((_curie(node), str(node)))
        self.G.add_node(key, **attrs)
        return key

    def _publication_label(self, node) -> str:
        """'First author year' (the title is long; it is shown as the node's name)."""
        authors = _pick(self.g.objects(node, LG.authors), self.lang) or ""
        first = re.split(r"[,;、，]", authors)[0].strip()
        date = next(iter(self.g.objects(node, LG.publicationDate)), None)
        year = str(date)[:4] if date is not None else ""
        if self.lang == "en" and first and not first.isascii():
            # an English page names a Chinese author by the record id's romanisation
            # (cui-2022-cjh -> Cui)
            local = _local(node).split("-")[0]
            first = local.capitalize() if local.isalpha() else first
        text = " ".join(x for x in (first, year) if x)
        return text or self.label(node)

    def add_edge(self, u: str, v: str, p, lines: Iterable[str] = (), label: str | None = None):
        relation = _curie(p)
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
        records = sorted({s for s in g.subjects(RDF.type, None)
                          if isinstance(s, URIRef) and str(s).startswith(ID_BASE)})
        kinds = {}
        for s in records:
            kind = self.record_kind(s)
            if kind:
                kinds[s] = kind
                self.add_node(s, kind)
        for s in sorted(kinds):
            key = str(s)
            for p, o in sorted(g.predicate_objects(s)):
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

    def _owned(self, s, p):
        return sorted(o for o in self.g.objects(s, p) if isinstance(o, URIRef))

    def _collapse(self, s, key: str) -> None:
        g, w = self.g, self.words
        arms = self._owned(s, LG.hasArm)
        interventions = self._owned(s, LG.hasIntervention)
        for arm in arms:
            self.aliases[str(arm)] = key
            for i in self._owned(arm, LG.receives):
                if i not in interventions:
                    interventions.append(i)
            role = next(iter(g.objects(arm, LG.armRole)), None)
            n = next(iter(g.objects(arm, LG.participants)), None)
            text = self._arm_name(arm)
            if role is not None:
                text += f" ({self.label(role)})"
            if n is not None:
                text += f": {n} {w['participants']}"
            self.facts[key].append((w["arm"], text))
        for i in interventions:
            self.aliases[str(i)] = key
            parts = []
            for cls in sorted(g.objects(i, RDF.type)):
                if cls != LG.Intervention:
                    parts.append(self.label(cls))
            for p, o in sorted(g.predicate_objects(i)):
                if p in _TERM_PREDICATES and isinstance(o, URIRef):
                    self.add_edge(key, self.add_node(o, _TERM_PREDICATES[p]), p)
                    parts.append(self.label(o))
                elif p in (LG.donorType, LG.doseLevel, LG.interventionType):
                    parts.append(self.label(o))
                elif p in (LG.dose, LG.numberOfInfusions):
                    parts.append(f"{self.relation_label(p)} {o}")
            dose_text = _pick(g.objects(i, LG.doseText), self.lang)
            if dose_text:
                parts.append(dose_text)
            name = _pick(g.objects(i, RDFS.label), self.lang) or _local(i).split("-", 1)[-1]
            self.facts[key].append((w["intervention"], f"{name}: " + "; ".join(parts)
                                    if parts else name))
        for outcome in self._owned(s, LG.hasOutcome):
            self.aliases[str(outcome)] = key
            for m in self._owned(outcome, LG.measure):
                otype = next(iter(g.objects(outcome, LG.outcomeType)), None)
                text = _pick(g.objects(outcome, LG.measureText), self.lang) or self.label(m)
                tf = _pick(g.objects(outcome, LG.timeFrame), self.lang)
                line = text + (f" ({self.label(otype)})" if otype is not None else "") + (
                    f", {tf}" if tf else "")
                self.add_edge(key, self.add_node(m, "outcome"), LG.hasOutcome, [line])
        for link in self._owned(s, LG.trialLink):
            self.aliases[str(link)] = key
            basis = next(iter(g.objects(link, LG.linkBasis)), None)
            reason = _pick(g.objects(link, LG.linkReason), self.lang)
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
            text = _pick(g.objects(claim, LG.claimText), self.lang) or self.label(claim)
            support = self._one(claim, LG.supportLevel)
            self.facts[key].append((w["claim"], text + (
                f" — {self.label(support)}" if support is not None else "")))
        self._results(s, key, arms)
        for finding in self._owned(s, LG.hasSafetyFinding):
            self.aliases[str(finding)] = key
            self.facts[key].append((w["safety"], self._safety_text(finding)))

    def _arm_name(self, arm) -> str:
        name = _pick(self.g.objects(arm, RDFS.label), self.lang)
        if name:
            return name
        local = _local(arm)
        for study in self.g.subjects(LG.hasArm, arm):
            prefix = _local(study) + "-"
            if local.startswith(prefix):
                return local[len(prefix):]
        return local

    def _safety_text(self, finding) -> str:
        g = self.g
        parts = [self.label(o) for o in sorted(g.objects(finding, LG.adverseEvent))]
        n = next(iter(g.objects(finding, LG.patientsAffected)), None)
        if n is not None:
            parts.append(f"{n} {self.words['patients']}")
        for arm in g.objects(finding, LG.arm):
            parts.append(self._arm_name(arm))
        text = _pick(g.objects(finding, LG.sourceText), self.lang)
        return "; ".join(parts) if parts else (text or self.label(finding))

    # measurements and comparisons -> summary edges ------------------------------------
    def _one(self, s, p):
        return next(iter(sorted(self.g.objects(s, p))), None)

    def _measure_of(self, x):
        return self._one(x, LG.measure)

    def _value(self, m) -> str:
        value, low, high = (self._one(m, p) for p in (LG.value, LG.rangeLow, LG.rangeHigh))
        num, den = self._one(m, LG.numerator), self._one(m, LG.denominator)
        span = f"{_number(low)}–{_number(high)}" if low is not None and high is not None \
            else None
        if value is not None:
            return _number(value) + (f" ({span})" if span else "")
        if span:
            return span
        if num is not None and den is not None:
            return f"{num}/{den}"
        if num is not None:
            return str(num)
        return "?"

    def _unit(self, m, measure=None) -> str:
        unit = self._one(m, LG.unit)
        text = ""
        if unit is not None:
            code = self._one(unit, LG.ucumCode)
            text = str(code) if code is not None else self.label(unit)
        elif self._one(m, LG.unitText) is not None:
            text = str(self._one(m, LG.unitText))
        if text.startswith("{") and text.endswith("}"):      # UCUM annotation: {patients}
            text = text[1:-1]
            if measure is not None and text.lower() in self.label(measure).lower():
                return ""                                      # {score} of "MELD score"
        return _UCUM_SHOWN.get(text, text)

    def _time(self, *things) -> str:
        for x in things:
            if x is None:
                continue
            tp = self._one(x, LG.timePoint)
            if tp is not None:
                start = self._one(x, LG.windowStart)
                end = human_duration(str(tp), self.lang)
                if start is not None:
                    first = human_duration(str(start), self.lang)
                    if first == self.words["baseline"]:
                        first = "0"
                    a, b = first.split(), end.split()
                    if len(a) == 2 and len(b) == 2 and a[1] == b[1]:    # 2 h, 6 h -> 2–6 h
                        return f"{a[0]}–{end}"
                    return f"{first}–{end}"
                return end
        return ""

    def _with_unit_time(self, values: str, m, measure, *time_from) -> str:
        unit = self._unit(m, measure) if m is not None else ""
        text = values + (("" if unit == "%" else " ") + unit if unit else "")
        time = self._time(*time_from)
        if time and time != self.words["baseline"]:
            text += f" {self.words['at']} {time}"
        return text

    def _p_text(self, c) -> str | None:
        pv, rel = self._one(c, LG.pValue), self._one(c, LG.pValueRelation)
        if pv is not None:
            op = "="
            if rel is not None:
                op = {"lt": "<", "le": "≤", "eq": "=", "gt": ">", "ge": "≥"}.get(
                    _local(rel).removeprefix("bound-"), "=")
            return f"P{op}{_number(pv)}"
        written = self._one(c, LG.pValueAsWritten)
        return str(written) if written is not None else None

    def _population(self, x) -> str:
        pop = self._one(x, LG.analysisPopulation) if x is not None else None
        return self.label(pop) if pop is not None else ""

    def _comparison_lines(self, c, measure, multi_arm: bool) -> tuple[str, str]:
        """(short, long): the short line names no arms (for the edge label)."""
        w = self.words
        subj, ref = self._one(c, LG.subjectMeasurement), self._one(c, LG.referenceMeasurement)
        kind = self._one(c, LG.comparisonKind)
        vs_baseline = kind is not None and str(kind).endswith("vs-baseline")
        arm = self._one(c, LG.arm) or (self._one(subj, LG.arm) if subj is not None else None)
        other = self._one(c, LG.comparatorArm) or (
            self._one(ref, LG.arm) if ref is not None else None)
        name = self.label(measure)
        if subj is not None and ref is not None:
            values = (f"{self._value(ref)} → {self._value(subj)}" if vs_baseline
                      else f"{self._value(subj)} {w['vs']} {self._value(ref)}")
            body = f"{name} {self._with_unit_time(values, subj, measure, c, subj)}"
        else:
            direction = self._one(c, LG.direction)
            body = name + (f" {self.label(direction)}" if direction is not None else "")
            if vs_baseline:
                body += f" {w['vs']} {w['baseline']}"
            time = self._time(c, subj)
            if time and time != w["baseline"]:
                body += f" {w['at']} {time}"
        arms = []
        if vs_baseline:
            if arm is not None and multi_arm:
                arms.append(self._arm_name(arm))
        elif arm is not None and other is not None:
            arms.append(f"{self._arm_name(arm)} {w['vs']} {self._arm_name(other)}")
        population = self._population(c)
        if population:
            arms.append(population)
        p_text = self._p_text(c)
        tail = f", {p_text}" if p_text else ""
        long = body + (f" ({'; '.join(arms)})" if arms else "") + tail
        return body + tail, long

    def _results(self, s, key: str, arms) -> None:
        g, w = self.g, self.words
        measurements = self._owned(s, LG.hasMeasurement)
        comparisons = self._owned(s, LG.hasComparison)
        multi_arm = len(arms) > 1
        used = set()
        by_measure: dict = defaultdict(lambda: ([], []))   # measure -> (significant, other)
        for c in comparisons:
            self.aliases[str(c)] = key
            subj = self._one(c, LG.subjectMeasurement)
            measure = self._measure_of(c) or (self._measure_of(subj) if subj is not None
                                              else None)
            if measure is None:
                continue
            used.update(x for x in (subj, self._one(c, LG.referenceMeasurement)) if x is not None)
            lines = self._comparison_lines(c, measure, multi_arm)
            significant = self._one(c, LG.significant)
            bucket = 0 if significant is not None and significant.toPython() is True else 1
            by_measure[measure][bucket].append(lines)
        for m in measurements:
            self.aliases[str(m)] = key
            if m in used:
                continue
            measure = self._measure_of(m)
            if measure is None:
                continue
            short = f"{self.label(measure)} {self._with_unit_time(self._value(m), m, measure, m)}"
            notes = []
            arms_measured = sorted(g.objects(m, LG.arm))
            if arms_measured and multi_arm:
                notes.append(" + ".join(self._arm_name(a) for a in arms_measured))
            population = self._population(m)
            if population:
                notes.append(population)
            by_measure[measure][1].append(
                (short, short + (f" ({'; '.join(notes)})" if notes else "")))
        for measure in sorted(by_measure):
            significant, other = by_measure[measure]
            pairs = significant + other
            longs = list(dict.fromkeys(long for _, long in pairs))
            label = pairs[0][0] + (f" (+{len(longs) - 1} {w['more']})" if len(longs) > 1
                                   else "")
            target = self.add_node(measure, "outcome")
            self.add_edge(key, target, LG.hasMeasurement, longs, label=label)
            for line in longs:
                self.facts[key].append((w["result"], line))

    # facts -----------------------------------------------------------------------------
    def _facts(self, s, key: str) -> None:
        by_p: dict = defaultdict(list)
        for p, o in self.g.predicate_objects(s):
            if p in _NOT_FACTS or p in _TERM_PREDICATES:
                continue
            if isinstance(o, URIRef) and str(o) in self.G:
                continue    # drawn as an edge
            by_p[p].append(o)
        order = {name: i for i, name in enumerate(_FACT_ORDER)}

        def rank(p):
            return (order.get(_local(p), len(order)), self.relation_label(p))
        for p in sorted(by_p, key=rank):
            values = by_p[p]
            if any(isinstance(v, Literal) and v.language for v in values):
                text = _pick(values, self.lang)
                texts = [text] if text else []
            else:
                texts = sorted(self.value_text(v) for v in values)
            text = "; ".join(texts)
            if text and text not in (self.G.nodes[key].get("label"),
                                     self.G.nodes[key].get("name")):
                self.facts[key].append((self.relation_label(p), text))
        for source in sorted(self.g.objects(s, PROV.wasDerivedFrom)):
            if str(source) not in self.G:
                self.facts[key].append((self.words["source"], self.label(source)))

    def _issues(self, kinds) -> None:
        seen = set()
        for issue in sorted(set(self.g.subjects(RDF.type, LG.DataQualityIssue))):
            targets = set(self.g.objects(issue, LG.about)) | set(
                self.g.subjects(LG.hasIssue, issue))
            note = _pick(self.g.objects(issue, LG.curatorNote), self.lang)
            itype = next(iter(self.g.objects(issue, LG.issueType)), None)
            text = " — ".join(x for x in (self.label(itype) if itype is not None else None,
                                         note) if x) or self.label(issue)
            for t in sorted(targets):
                node = str(t) if str(t) in self.G else self.aliases.get(str(t))
                if node and (node, text) not in seen:
                    seen.add((node, text))
                    self.facts[node].append((self.words["issue"], text))
            if targets:
                first = next(iter(sorted(targets)))
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
    if _lang(lang) not in LANGS:  # pragma: no cover - _lang maps everything to a known one
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


# -- exports ---------------------------------------------------------------------------------------
def exportable(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy holding only the scalar attributes GraphML and GEXF can store."""
    H = nx.MultiDiGraph()
    for node, data in G.nodes(data=True):
        attrs = {k: v for k, v in data.items() if isinstance(v, (str, int, float, bool))}
        attrs["facts"] = "\n".join(f"{k}: {v}" for k, v in data.get("facts", ()))
        attrs["links"] = " ".join(url for _, url in data.get("links", ()))
        H.add_node(node, **attrs)
    for u, v, k, data in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{a: b for a, b in data.items()
                                   if isinstance(b, (str, int, float, bool))})
    return H


def _write_lines(out_path, lines) -> None:
    from livergraph.io.atomic import write_atomic

    def writer(handle):
        for line in lines:
            handle.write(line if line.endswith("\n") else line + "\n")
    write_atomic(Path(out_path), writer)


def write_graphml(rdf_graph: Graph, out_path, lang: str = "en") -> nx.MultiDiGraph:
    """Write the network as GraphML (Gephi, Cytoscape, yEd) with node ``kind`` and ``label``
    attributes; atomically. Returns the graph written."""
    H = exportable(to_networkx(rdf_graph, lang))
    _write_lines(out_path, nx.generate_graphml(H, encoding="utf-8", prettyprint=True))
    return H


def write_gexf(rdf_graph: Graph, out_path, lang: str = "en") -> nx.MultiDiGraph:
    """Write the network as GEXF 1.2 (Gephi) with node ``kind`` and ``label`` attributes;
    atomically. Returns the graph written."""
    H = exportable(to_networkx(rdf_graph, lang))
    _write_lines(out_path, nx.generate_gexf(H, encoding="utf-8", prettyprint=True,
                                            version="1.2draft"))
    return H


# -- analytics -------------------------------------------------------------------------------------
def domain_network(G: nx.MultiDiGraph) -> nx.Graph:
    """An undirected simple graph of ``G`` without provenance nodes (a new graph)."""
    H = nx.Graph()
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True)
                     if d.get("kind") not in PROVENANCE_KINDS)
    H.add_edges_from((u, v) for u, v in G.edges() if u in H and v in H and u != v)
    return H


def neighbourhood(G: nx.MultiDiGraph, centres: Iterable[str], depth: int) -> set[str]:
    """Nodes within ``depth`` hops of ``centres``, walking edges in both directions; provenance
    nodes are included when adjacent but never walked through."""
    undirected = G.to_undirected(as_view=True)
    seen = set(centres)
    frontier = list(seen)
    for _ in range(depth):
        nxt = []
        for node in frontier:
            if G.nodes[node].get("kind") in PROVENANCE_KINDS and node not in centres:
                continue
            for other in undirected.neighbors(node):
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    return seen


def find_node(G: nx.MultiDiGraph, text: str) -> str | None:
    """A node by IRI, CURIE (trial:NCT…), NCT number or exact label (case-insensitive)."""
    if text in G:
        return text
    from livergraph.namespaces import expand_curie
    iri = expand_curie(text)
    if iri is not None and str(iri) in G:
        return str(iri)
    wanted = text.strip().lower()
    matches = sorted(n for n, d in G.nodes(data=True) if str(d.get("label", "")).lower() == wanted)
    return matches[0] if matches else None


def counts_by_class(rdf_graph: Graph) -> Counter:
    """Instances of each class among the data records (IRIs under the livergraph id space),
    keyed by the class CURIE; classes outside livergraph's ontology are counted too."""
    counts: Counter = Counter()
    for s, cls in rdf_graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and str(s).startswith(ID_BASE):
            counts[_curie(cls)] += 1
    return counts


@dataclass
class Hub:
    node: str
    label: str
    kind: str
    degree: int
    betweenness: float


@dataclass
class NetworkStats:
    nodes: int
    edges: int
    by_kind: dict[str, int]
    by_relation: dict[str, int]
    by_status: dict[str, int]
    components: list[int]              # sizes of the domain network's components, largest first
    hubs: dict[str, list[Hub]]         # kind -> top nodes by degree, then betweenness
    top_betweenness: list[Hub]


HUB_KINDS = ("sponsor", "cell-type", "tissue", "condition", "route", "outcome")


def network_stats(G: nx.MultiDiGraph, top: int = 5) -> NetworkStats:
    """Counts, components and centrality hubs of the projected network."""
    H = domain_network(G)
    betweenness = nx.betweenness_centrality(H, normalized=True) if len(H) > 2 else {
        n: 0.0 for n in H}
    degree = dict(H.degree())

    def hub(n):
        d = G.nodes[n]
        return Hub(n, d.get("label", n), d.get("kind", ""), degree.get(n, 0),
                   round(betweenness.get(n, 0.0), 4))

    hubs = {}
    for kind in HUB_KINDS:
        members = [n for n in H if H.nodes[n].get("kind") == kind]
        members.sort(key=lambda n: (-degree[n], -betweenness[n], G.nodes[n].get("label", n)))
        if members:
            hubs[kind] = [hub(n) for n in members[:top]]
    ranked = sorted(H, key=lambda n: (-betweenness[n], -degree[n], G.nodes[n].get("label", n)))
    by_kind = Counter(d.get("kind") for _, d in G.nodes(data=True))
    by_relation = Counter(k for _, _, k in G.edges(keys=True))
    by_status = Counter(d.get("status") for _, d in G.nodes(data=True)
                        if d.get("kind") == "trial")
    components = sorted((len(c) for c in nx.connected_components(H)), reverse=True)
    return NetworkStats(
        nodes=G.number_of_nodes(), edges=G.number_of_edges(),
        by_kind={k: by_kind[k] for k in KINDS if by_kind[k]},
        by_relation=dict(sorted(by_relation.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_status=dict(sorted(by_status.items(), key=lambda kv: (-kv[1], kv[0]))),
        components=components, hubs=hubs, top_betweenness=[hub(n) for n in ranked[:top]])
