"""The validation report a curator can act on: results named by label, property, value, message
and the data file and record they come from; written as text, JSON or the standard SHACL report.

A report *conforms* when it has no result of severity violation: warnings and info are allowed
(the exit-code contract of ``livergraph validate``: 0 conforms, 1 violations, 2 unreadable).
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import IO, TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from livergraph.io import curies
from livergraph.io.labels import pick_label
from livergraph.namespaces import LG, LGC, PREFIXES

if TYPE_CHECKING:
    from livergraph.validate.summary import Summary

SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}
ONTOLOGY_FILE = "ontology/livergraph.ttl"
#: namespaces of the shapes, which the project's CURIE converter does not cover
SHAPES_NAMESPACES = ((str(SH), "sh"), ("https://w3id.org/livergraph/shapes#", "lgsh"))


@dataclass
class Result:
    severity: str                 # violation | warning | info
    focus: str                    # IRI (or blank-node id) of the focus node
    label: str                    # a human name for the focus node
    path: str | None              # property as a CURIE, or None for node-level results
    value: str | None             # offending value, rendered as Turtle-ish text
    message: str
    file: str                     # data file the focus node was built from ("" if unknown)
    record: str                   # record path inside that file ("" if unknown)
    shape: str                    # the shape (CURIE) that produced the result
    constraint: str               # the SHACL constraint component (CURIE)
    kind: str = ""                # the focus node's record class (CURIE, "" if untyped)

    @property
    def where(self) -> str:
        return f"{self.file}#{self.record}" if self.record else self.file


@dataclass
class Report:
    results: list[Result]
    triples: int
    seconds: float
    shapes_files: list[str] = field(default_factory=list)
    graph: Graph | None = None    # the standard SHACL validation report
    #: what the libraries warned of while validating, one line each (see compat.library_warnings)
    notes: list[str] = field(default_factory=list)
    #: results left out by :meth:`filter`, by severity (empty for a whole report)
    hidden: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """The results this report holds, by severity (after :meth:`filter`: the shown ones)."""
        c = Counter(r.severity for r in self.results)
        return {name: c.get(name, 0) for name in SEVERITY_ORDER}

    @property
    def total_counts(self) -> dict[str, int]:
        """Every result of the validation by severity, those a filter left out included."""
        return {name: n + self.hidden.get(name, 0) for name, n in self.counts.items()}

    @property
    def conforms(self) -> bool:
        return self.total_counts["violation"] == 0

    def filter(self, severity: str = "info") -> Report:
        """The results at ``severity`` or above (violation > warning > info), as a new report
        (its standard report graph filtered alike); what it leaves out is counted in
        ``hidden``, so ``conforms`` and the headline still count every result."""
        if severity not in SEVERITY_ORDER:
            raise ValueError(f"unknown severity {severity!r} "
                             f"(one of {', '.join(SEVERITY_ORDER)})")
        level = SEVERITY_ORDER[severity]
        kept = [r for r in self.results if SEVERITY_ORDER[r.severity] <= level]
        left = Counter(r.severity for r in self.results if SEVERITY_ORDER[r.severity] > level)
        hidden = {name: self.hidden.get(name, 0) + left.get(name, 0) for name in SEVERITY_ORDER}
        graph = None if self.graph is None else filter_report_graph(self.graph, level)
        return replace(self, results=kept, graph=graph,
                       hidden={k: v for k, v in hidden.items() if v})

    def summary(self) -> Summary:
        """Counts by shape and by focus kind (the record class), each with its first result
        as an example, and the total (``str()`` of it is :meth:`headline`)."""
        from livergraph.validate.summary import summarise
        return summarise(self)

    def headline(self) -> str:
        """One line: conforms or not, every result counted by severity, what was checked."""
        n = self.total_counts
        head = "conforms" if self.conforms else "does not conform"
        hidden = sum(self.hidden.values())
        shown = f"; {hidden} not shown" if hidden else ""
        return (f"{head}: {n['violation']} violation(s), {n['warning']} warning(s), "
                f"{n['info']} info{shown} ({self.triples} triples checked against "
                f"{len(self.shapes_files)} shapes files in {self.seconds:.1f} s)")


def make_report(graph: Graph, shapes: Graph, shapes_files: list[str] | None,
                report_graph: Graph, seconds: float) -> Report:
    """The ``Report`` for pySHACL's (or the scalable engine's) standard report graph."""
    results = [_result(report_graph, r, graph, shapes)
               for r in report_graph.subjects(RDF.type, SH.ValidationResult)]
    results.sort(key=lambda r: (r.file, r.record, SEVERITY_ORDER[r.severity], r.path or "",
                                r.message, r.value or "", r.focus, r.shape, r.constraint))
    return Report(results, len(graph), seconds, shapes_files or [], report_graph)


def _result(rg: Graph, node: Node, data: Graph, shapes: Graph) -> Result:
    focus = rg.value(node, SH.focusNode)
    path = rg.value(node, SH.resultPath)
    value = rg.value(node, SH.value)
    messages = sorted(str(m) for m in rg.objects(node, SH.resultMessage))
    shape = rg.value(node, SH.sourceShape)
    level = rg.value(node, SH.resultSeverity)
    severity = SEVERITY_NAMES.get(level, "violation") if isinstance(level, URIRef) else "violation"
    where = data.value(focus, LG.curatedIn) if focus is not None else None
    if where is not None:
        file, _, record = str(where).partition("#")
    elif isinstance(focus, URIRef) and str(focus).startswith((str(LG), str(LGC))):
        file, record = ONTOLOGY_FILE, compact(focus)
    else:
        file, record = "", ""
    return Result(
        severity=severity,
        focus=str(focus),
        label=label_of(data, focus),
        path=compact(path) if isinstance(path, URIRef) else (None if path is None else "(path)"),
        value=None if value is None else render(value),
        message=_message(messages, shape, shapes),
        file=file, record=record,
        shape=_shape_name(shape, shapes),
        constraint=compact(rg.value(node, SH.sourceConstraintComponent)),
        kind=kind_of(data, focus))


def kind_of(g: Graph, node: Node | None) -> str:
    """The record class of ``node`` as a CURIE: its most specific asserted livergraph class
    (inferred types and the schema.org/PROV alignments left aside), else its most specific
    type of any namespace; "" when it has none."""
    if node is None:
        return ""
    inferred = set(g.objects(node, LG.inferredType))
    types = {t for t in g.objects(node, RDF.type) if isinstance(t, URIRef) and t not in inferred}
    own = {t for t in types if str(t).startswith(str(LG))} or types
    if len(own) > 1:     # drop the superclasses of another type
        supers = {s for t in own for s in g.transitive_objects(t, RDFS.subClassOf) if s != t}
        own = (own - supers) or own
    return min((compact(t) for t in own), default="")


def filter_report_graph(graph: Graph, level: int) -> Graph:
    """A copy of a standard SHACL report graph without the results below severity ``level``
    (SEVERITY_ORDER's rank) and the blank nodes only they used; ``sh:conforms`` unchanged."""
    out = Graph()
    for prefix, ns in graph.namespace_manager.namespaces():
        out.bind(prefix, ns)
    def rank(node: Node) -> int:
        severity = graph.value(node, SH.resultSeverity)
        name = SEVERITY_NAMES.get(severity, "violation") if isinstance(severity, URIRef) \
            else "violation"
        return SEVERITY_ORDER[name]
    dropped = {node for node in graph.subjects(RDF.type, SH.ValidationResult)
               if rank(node) > level}
    for t in graph:
        if t[0] not in dropped and t[2] not in dropped:
            out.add(t)
    reports = set(graph.subjects(RDF.type, SH.ValidationReport))
    while True:    # blank nodes (paths, details) no kept triple points to any more
        orphans = {s for s in set(out.subjects()) if isinstance(s, BNode)
                   and s not in reports and (None, None, s) not in out}
        if not orphans:
            return out
        for s in orphans:
            out.remove((s, None, None))


def _message(messages: list[str], shape: Node | None, shapes: Graph) -> str:
    # pySHACL gives the shape's sh:message; prefer the longest (substituted) one
    if messages:
        return _compact_iris(max(messages, key=len))
    return f"fails {_shape_name(shape, shapes)}"

_IRI = re.compile(r"https?://[^\s<>\"'(){}\[\],;|^`\\]+")


def _compact_iris(text: str) -> str:
    """Write the IRIs pySHACL substitutes into messages as CURIEs (trial:NCT01220492)."""
    def one(m: re.Match[str]) -> str:
        iri = m.group(0)
        tail = ""
        while iri and iri[-1] in ".:!?":      # sentence punctuation after the IRI
            iri, tail = iri[:-1], iri[-1] + tail
        return _compact_text(iri, brackets=False) + tail
    return _IRI.sub(one, text)


def _shape_name(shape: Node | None, shapes: Graph) -> str:
    """The named shape a result comes from: a property shape's node shape if it is anonymous."""
    if isinstance(shape, URIRef):
        return compact(shape)
    parent = shapes.value(None, SH.property, shape) or shapes.value(None, SH.sparql, shape)
    if isinstance(parent, URIRef):
        return compact(parent)
    return "(anonymous shape)"

def label_of(g: Graph, node: Node | None) -> str:
    """A human name for ``node``: its rdfs:label, lg:title or lg:name (English preferred, see
    ``livergraph.io.labels``), else its CURIE."""
    if node is None:
        return ""
    for prop in (RDFS.label, LG.title, LG.name):
        labels = [(str(v), v.language or "") for v in g.objects(node, prop)
                  if isinstance(v, Literal)]
        found = pick_label(labels, "en")
        if found is not None:
            return found
    return compact(node)


def _compact_text(text: str, *, brackets: bool = True) -> str:
    for ns, prefix in SHAPES_NAMESPACES:
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return curies.compact(text, brackets=brackets)


def compact(node: Node | None) -> str:
    """A node as a CURIE (``trial:NCT01220492``, ``sh:MinCountConstraintComponent``), a blank
    node as ``_:id``, any other IRI as ``<...>``; "" for None."""
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return _compact_text(str(node))


def render(value: Node) -> str:
    """A value as Turtle-ish text: ``"33.9"^^xsd:decimal``, ``"text"@en``, a CURIE."""
    if isinstance(value, Literal):
        text = f'"{value}"'
        if value.language:
            return f"{text}@{value.language}"
        if value.datatype is not None:
            return f"{text}^^{compact(value.datatype)}"
        return text
    return compact(value)


# -- output -------------------------------------------------------------------------------------

def write_text(report: Report, out: IO[str], severities: Iterable[str] = tuple(SEVERITY_ORDER),
               *, limit: int | None = None) -> None:
    """A report grouped by data file and record (results of the given severities, the first
    ``limit`` of them, then how many more there are), then the headline (counting every
    result)."""
    shown = set(severities)
    by_file: dict[str, dict[str, list[Result]]] = defaultdict(lambda: defaultdict(list))
    selected = [r for r in report.results if r.severity in shown]
    listed = selected if limit is None else selected[:limit]
    for r in listed:
        by_file[r.file or "(not from a data file)"][r.record].append(r)
    for file in sorted(by_file):
        out.write(f"{file}\n")
        for record in sorted(by_file[file]):
            results = by_file[file][record]
            first = results[0]
            out.write(f"  [{record or compact(URIRef(first.focus))}] {first.label}\n")
            for r in results:
                target = r.path or "(node)"
                if r.value is not None:
                    target += f" = {r.value}"
                out.write(f"    {r.severity:<9} {target}\n")
                out.write(f"              {r.message}\n")
        out.write("\n")
    if len(listed) < len(selected):
        out.write(f"... and {len(selected) - len(listed)} more result(s) not listed "
                  f"(--max {limit}; --summary counts them all)\n")
    out.write(report.headline() + "\n")


def write_json(report: Report, out: IO[str], *, limit: int | None = None,
               summary_only: bool = False) -> None:
    """The report for tools: ``conforms``, ``counts`` (every result, by severity), ``hidden``
    (left out by a severity filter), ``summary`` (by shape and focus kind), then ``results``
    (the first ``limit``, with ``more`` saying how many were not listed; none with
    ``summary_only``)."""
    doc: dict[str, object] = {
        "conforms": report.conforms, "counts": report.total_counts, "triples": report.triples,
        "shapes": report.shapes_files}
    if report.hidden:
        doc["hidden"] = dict(report.hidden)
    doc["summary"] = report.summary().to_dict()
    if not summary_only:
        listed = report.results if limit is None else report.results[:limit]
        doc["results"] = [asdict(r) for r in listed]
        if len(listed) < len(report.results):
            doc["more"] = len(report.results) - len(listed)
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_report_turtle(report: Report, out: IO[str]) -> None:
    g = report.graph if report.graph is not None else Graph()
    g.bind("sh", str(SH))
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    out.write(g.serialize(format="turtle"))


WRITERS = {"text": write_text, "json": write_json, "turtle": write_report_turtle}
