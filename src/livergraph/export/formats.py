"""The built graph in the formats other linked-data tools read: a dict from format name to writer.

Every writer is deterministic: the same graph gives the same bytes, whatever the process. Blank
nodes exist only in ontology axioms; before writing a format that names them (N-Triples, N-Quads,
JSON-LD, RDF/XML) they are relabelled from the graph's content (``canonical``), and lines,
subjects and values are sorted. Turtle and TriG write them inline as ``[ ... ]``.

TriG and N-Quads keep the parts apart (``livergraph.export.parts.split``): the dataset
description in the default graph; the ontology, the article's statements, each registry
import's statements and what was inferred about each in named graphs
(``https://w3id.org/livergraph/graph/<version>/ontology``, ``…/article``,
``…/registry/clinicaltrials.gov``, ``…/registry/ictrp``, ``…/inferred/article``, …).

The other formats hold the merged graph. JSON-LD uses the published ``@context``
(``ontology/context.jsonld``, generated from the ontology by ``jsonld_context``) inline, so a
record reads like its YAML source: ``{"id": "https://w3id.org/livergraph/id/trial/NCT01220492",
"type": "Trial", "status": "lgc:status-COMPLETED", "title": {"en": ...}, ...}``. Records keep
their full IRIs: a relative ``@id`` would need ``@base``, which a remote context cannot set and
which pyld ignores when it expands an in-memory document.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from livergraph.export.parts import Parts, split  # noqa: F401 (re-exported)
from livergraph.io.turtle import write_turtle
from livergraph.model.description import DCAT, VOID
from livergraph.namespaces import PREFIXES, RECORD_SEGMENTS

#: Prefixes written in exports: livergraph's own, plus the vocabularies of the description.
EXPORT_PREFIXES: dict[str, str] = {**PREFIXES, "void": str(VOID), "dcat": str(DCAT)}

#: Published IRI of the JSON-LD context (the file is ontology/context.jsonld).
CONTEXT_IRI = "https://w3id.org/livergraph/context.jsonld"

def canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes are labelled from the graph's content, with its
    triples added in sorted order (so serializers that follow insertion order are stable)."""
    triples = list(graph)
    labels = _bnode_labels(triples)
    if labels is None:
        from rdflib.compare import to_canonical_graph
        with_bnodes = Graph(bind_namespaces="none")
        for t in triples:
            if any(isinstance(x, BNode) for x in t):
                with_bnodes.add(t)
        triples = [t for t in triples if not any(isinstance(x, BNode) for x in t)]
        triples += list(to_canonical_graph(with_bnodes))
    elif labels:
        triples = [tuple(labels.get(x, x) for x in t) for t in triples]
    g = Graph(bind_namespaces="none")
    for t in sorted(triples, key=_triple_key):
        g.add(t)
    return g


def _bnode_labels(triples: list) -> dict[BNode, BNode] | None:
    """Blank node -> a label derived from what it says and where it hangs.

    Blank nodes here are the ontology's axioms: trees (a restriction, an RDF list) each hanging
    from one statement. A node's label hashes its subject's label or IRI, the predicate and the
    whole tree below it, so it does not depend on the order statements were read in. Nodes that
    cannot be told apart get a counter in the order of their hashes (they are interchangeable).
    Anything else (a node used twice, a cycle) gives None: rdflib's canonical labelling then."""
    import hashlib
    below: dict = {}
    parents: dict = {}
    for s, p, o in triples:
        if isinstance(s, BNode):
            below.setdefault(s, []).append((p, o))
        if isinstance(o, BNode):
            parents.setdefault(o, []).append((s, p))
    nodes = set(below) | set(parents)
    if not nodes:
        return {}
    if any(len(v) > 1 for v in parents.values()):
        return None
    rendered: dict = {}

    def render(b, depth=0) -> str:
        if depth > 100:
            raise RecursionError
        if b not in rendered:
            parts = sorted(f"{p.n3()} {render(o, depth + 1) if isinstance(o, BNode) else o.n3()}"
                           for p, o in below.get(b, ()))
            rendered[b] = "[" + " ; ".join(parts) + "]"
        return rendered[b]

    labels: dict = {}

    def label(b, depth=0) -> str:
        if depth > 100:
            raise RecursionError
        if b not in labels:
            if b in parents:
                (s, p), = parents[b]
                anchor = label(s, depth + 1) if isinstance(s, BNode) else s.n3()
                text = f"{anchor} {p.n3()} {render(b)}"
            else:
                text = render(b)
            labels[b] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
        return labels[b]

    try:
        for b in nodes:
            label(b)
    except RecursionError:
        return None
    out: dict = {}
    seen: dict[str, int] = {}
    for b in sorted(nodes, key=lambda n: (labels[n], rendered.get(n, ""))):
        n = seen.get(labels[b], 0)
        seen[labels[b]] = n + 1
        out[b] = BNode(f"b{labels[b]}" + (f"x{n}" if n else ""))
    return out


def _term_key(t) -> tuple:
    if isinstance(t, URIRef):
        return (0, str(t), "", "")
    if isinstance(t, BNode):
        return (1, str(t), "", "")
    return (2, str(t), str(t.datatype or ""), t.language or "")


def _triple_key(t) -> tuple:
    return tuple(_term_key(x) for x in t)


# -- writers: (parts, text handle) -> None -------------------------------------------------------

def write_turtle_export(parts: Parts, out: IO[str]) -> None:
    write_turtle(parts.merged(), out, EXPORT_PREFIXES)


def _nt_lines(graph: Graph) -> list[str]:
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    # split at "\n" only: str.splitlines would also split inside a literal holding U+2028,
    # U+2029, U+0085 or a form feed, which N-Triples writes unescaped
    return [line for line in text.split("\n") if line.strip()]


def write_ntriples(parts: Parts, out: IO[str]) -> None:
    for line in sorted(_nt_lines(canonical(parts.merged()))):
        out.write(line + "\n")


def write_nquads(parts: Parts, out: IO[str]) -> None:
    # blank nodes occur only in the ontology's axioms: relabel them from its content
    ontology_name = parts.graph_name("ontology")
    lines = list(_nt_lines(parts.description))
    for name, g in parts.named():
        g = canonical(g) if name == ontology_name else g
        lines += [line[:-1].rstrip() + f" <{name}> ." for line in _nt_lines(g)]
    for line in sorted(lines):
        out.write(line + "\n")


def write_trig(parts: Parts, out: IO[str]) -> None:
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(EXPORT_PREFIXES.items(),
                                                                       key=lambda x: x[0]))
    out.write(header + "\n")
    blocks = []
    if len(parts.description):
        blocks.append("{\n" + _indented_turtle(parts.description) + "}\n")
    for name, g in parts.named():
        blocks.append(f"<{name}> {{\n" + _indented_turtle(g) + "}\n")
    out.write("\n".join(blocks))


def _indented_turtle(graph: Graph) -> str:
    buf = io.StringIO()
    write_turtle(graph, buf, EXPORT_PREFIXES)
    body = buf.getvalue().split("\n\n", 1)[1]  # after the prefix lines
    lines = body.split("\n")   # not splitlines: see _nt_lines
    if lines and lines[-1] == "":
        lines.pop()
    return "".join(("    " + line if line else line) + "\n" for line in lines)


_XML_ENTITIES = {"\r": "&#13;"}  # XML parsers turn a raw CR into LF
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*$")


def write_rdfxml(parts: Parts, out: IO[str]) -> None:
    """Flat RDF/XML: one rdf:Description per subject, subjects and statements sorted (rdflib's
    own writer follows its store's order, which changes between processes)."""
    g = canonical(parts.merged())
    spaces = {ns: p for p, ns in EXPORT_PREFIXES.items() if p not in RECORD_SEGMENTS}
    spaces[str(RDF)] = "rdf"
    used: dict[str, str] = {str(RDF): "rdf"}

    def qname(p: URIRef) -> str:
        text = str(p)
        m = _NCNAME.search(text)
        if not m or m.start() == 0:
            raise ValueError(f"RDF/XML cannot write the predicate <{text}>")
        ns, local = text[:m.start()], m.group()
        if ns not in used:
            used[ns] = spaces.get(ns) or f"ns{len([u for u in used.values() if u.startswith('ns')]) + 1}"
        return f"{used[ns]}:{local}"

    by_subject: dict = {}
    for s, p, o in g:
        by_subject.setdefault(s, []).append((p, o))
    body = []
    for s in sorted(by_subject, key=_term_key):
        about = (f"rdf:nodeID={quoteattr(str(s))}" if isinstance(s, BNode)
                 else f"rdf:about={quoteattr(str(s))}")
        body.append(f"  <rdf:Description {about}>\n")
        for p, o in sorted(by_subject[s], key=lambda po: (str(po[0]), _term_key(po[1]))):
            name = qname(p)
            if isinstance(o, URIRef):
                body.append(f"    <{name} rdf:resource={quoteattr(str(o))}/>\n")
            elif isinstance(o, BNode):
                body.append(f"    <{name} rdf:nodeID={quoteattr(str(o))}/>\n")
            else:
                attr = ""
                if o.language:
                    attr = f" xml:lang={quoteattr(o.language)}"
                elif o.datatype is not None:
                    attr = f" rdf:datatype={quoteattr(str(o.datatype))}"
                body.append(f"    <{name}{attr}>{xml_escape(str(o), _XML_ENTITIES)}</{name}>\n")
        body.append("  </rdf:Description>\n")
    out.write('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF\n')
    out.write("\n".join(f"   xmlns:{prefix}={quoteattr(ns)}"
                        for ns, prefix in sorted(used.items(), key=lambda x: x[1])) + ">\n")
    out.writelines(body)
    out.write("</rdf:RDF>\n")


def write_jsonld(parts: Parts, out: IO[str], context: dict | None = None) -> None:
    """JSON-LD with the livergraph @context (``livergraph.export.jsonld``)."""
    from livergraph.export.jsonld import write_jsonld as write_document
    write_document(parts, out, context)


def __getattr__(name: str):
    """``jsonld_context``, ``jsonld_document`` and ``context_text`` live in export.jsonld."""
    if name in ("jsonld_context", "jsonld_document", "context_text", "CONTEXT_IRI"):
        from livergraph.export import jsonld
        return getattr(jsonld, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- the registry --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Format:
    writer: Callable[[Parts, IO[str]], None]
    media_type: str
    suffix: str
    summary: str


FORMATS: dict[str, Format] = {
    "turtle": Format(write_turtle_export, "text/turtle", ".ttl", "Turtle, canonical"),
    "nt": Format(write_ntriples, "application/n-triples", ".nt", "N-Triples, sorted lines"),
    "json-ld": Format(write_jsonld, "application/ld+json", ".jsonld",
                     "JSON-LD with the livergraph @context"),
    "trig": Format(write_trig, "application/trig", ".trig",
                   "TriG: the ontology, each source's and the inferred statements in named "
                   "graphs"),
    "nquads": Format(write_nquads, "application/n-quads", ".nq",
                     "N-Quads: the same named graphs as TriG, sorted lines"),
    "xml": Format(write_rdfxml, "application/rdf+xml", ".rdf", "RDF/XML"),
}


def write(parts: Parts, fmt: str, out: IO[str]) -> None:
    """Write ``parts`` in ``fmt`` (a name or an alias of ``livergraph.io.formats``)."""
    from livergraph.io.formats import canonical
    FORMATS[canonical(fmt)].writer(parts, out)


def to_string(parts: Parts, fmt: str) -> str:
    buf = io.StringIO()
    write(parts, fmt, buf)
    return buf.getvalue()


def build_parts(ontology_path, data_dir, *, shapes_dir=None, reason: bool = False) -> Parts:
    """The graph as ``livergraph build`` publishes it (``pipeline.build_checked``: validated
    against ``shapes_dir`` when given, reasoned when ``reason``), split into its named graphs.
    The description's void:triples counts every statement of every graph, inferred ones
    included."""
    from livergraph import __version__
    from livergraph.errors import DataError
    from livergraph.model.description import set_triple_count
    from livergraph.model.schema import load_ontology_graph
    from livergraph.publish.pipeline import GraphDoesNotConform, build_checked
    try:
        checked = build_checked(ontology_path, data_dir, shapes_dir=shapes_dir,
                                reason=reason)
    except GraphDoesNotConform as exc:
        raise DataError("the graph does not conform to the shapes, so it is not exported:\n"
                        + exc.violations_text().rstrip(), hint=exc.hint) from None
    parts = split(checked.graph, load_ontology_graph(ontology_path), version=__version__,
                  sources=checked.result.sources)
    set_triple_count(parts.description, total_quads(parts))
    return parts


def total_quads(parts: Parts) -> int:
    """How many statements the parts hold, graph by graph (a statement in two source graphs
    counts twice, as in the N-Quads and the store)."""
    return len(parts.description) + sum(len(g) for _, g in parts.named())


def export_text(parts: Parts, fmt: str) -> str:
    """``parts`` in the RDF format ``fmt`` (a name or alias), as text."""
    return to_string(parts, fmt)


def parts_from_nquads(path, version: str) -> Parts:
    """The parts of a published build, read back from its N-Quads file (the description in
    the default graph, the other parts in their named graphs)."""
    from rdflib import Dataset
    from livergraph.model.sources import SOURCES, graph_path, inferred_path
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    parts = Parts(version)
    by_name = {str(parts.graph_name("ontology")): parts.ontology}
    for source in SOURCES:
        by_name[str(parts.graph_name(graph_path(source)))] = parts.source(source)
        by_name[str(parts.graph_name(inferred_path(source)))] = parts.inferred_of(source)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = str(g.identifier if hasattr(g, "identifier") else g) if g is not None else ""
        by_name.get(name, parts.description).add((s, p, o))
    for graphs in (parts.sources, parts.inferred_by):
        for source in [k for k, g in graphs.items() if not len(g)]:
            del graphs[source]
    return parts


def network_text(graph: Graph, fmt: str, lang: str = "en") -> str:
    """The network view of ``graph`` as GraphML or GEXF text."""
    import tempfile
    from pathlib import Path

    from livergraph.viz import view
    writer = view.write_graphml if fmt == "graphml" else view.write_gexf
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"graph.{fmt}"
        writer(graph, path, lang)
        return path.read_text(encoding="utf-8")
