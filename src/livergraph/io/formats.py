"""The one vocabulary of format names, shared by every command and the library.

A format has one canonical name, spelled the same in ``query``, ``export``, ``stats`` and the
Python API, and a few aliases accepted everywhere (``jsonld`` for ``json-ld``, ``ttl`` for
``turtle``, ``ntriples`` for ``nt`` ...). ``kind`` says what the format holds:

* ``graph``: RDF statements (export, CONSTRUCT / DESCRIBE answers);
* ``dataset``: RDF statements in named graphs (export);
* ``results``: SPARQL SELECT / ASK results (query);
* ``network``: the network view (export, for Gephi, Cytoscape, yEd);
* ``other``: the JSON-LD @context, a terminal table, a text or JSON summary.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    kind: str
    media_type: str
    suffix: str
    summary: str
    aliases: tuple[str, ...] = ()


FORMATS: tuple[Format, ...] = (
    Format("turtle", "graph", "text/turtle", ".ttl", "Turtle, canonical", ("ttl",)),
    Format("nt", "graph", "application/n-triples", ".nt", "N-Triples, sorted lines",
           ("ntriples", "n-triples")),
    Format("json-ld", "graph", "application/ld+json", ".jsonld",
           "JSON-LD with the livergraph @context", ("jsonld",)),
    Format("xml", "graph", "application/rdf+xml", ".rdf", "RDF/XML", ("rdfxml", "rdf-xml")),
    Format("trig", "dataset", "application/trig", ".trig",
           "TriG: ontology, data and inferred statements in named graphs"),
    Format("nquads", "dataset", "application/n-quads", ".nq",
           "N-Quads: the same named graphs as TriG, sorted lines", ("nq", "n-quads")),
    Format("graphml", "network", "application/graphml+xml", ".graphml", "GraphML network"),
    Format("gexf", "network", "application/gexf+xml", ".gexf", "GEXF network"),
    Format("context", "other", "application/ld+json", ".jsonld",
           "the JSON-LD @context generated from the ontology"),
    Format("table", "results", "text/plain", ".txt", "an aligned table for the terminal"),
    Format("csv", "results", "text/csv", ".csv",
           "a table with labels (RFC 4180 CSV; --ids for CURIEs)"),
    Format("tsv", "results", "text/tab-separated-values", ".tsv",
           "a table with labels, tab-separated"),
    Format("xlsx", "results",
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx",
           "an Excel workbook with labels"),
    Format("sparql-csv", "results", "text/csv", ".csv",
           "W3C SPARQL results CSV: full IRIs, no labels"),
    Format("sparql-tsv", "results", "text/tab-separated-values", ".tsv",
           "W3C SPARQL results TSV: IRIs in <>, typed literals, no labels"),
    Format("json", "results", "application/sparql-results+json", ".json",
           "SPARQL results JSON", ("srj",)),
    Format("results-xml", "results", "application/sparql-results+xml", ".srx",
           "SPARQL results XML", ("srx",)),
    Format("text", "other", "text/plain", ".txt", "plain text"),
)

BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
ALIASES: dict[str, str] = {a: f.name for f in FORMATS for a in (f.name, *f.aliases)}

#: the formats ``livergraph export`` writes, and those a CONSTRUCT / DESCRIBE answer is given in
EXPORT_FORMATS = ("turtle", "nt", "json-ld", "trig", "nquads", "xml", "graphml", "gexf",
                  "context")
GRAPH_RESULT_FORMATS = ("turtle", "nt", "json-ld")
#: SELECT / ASK result formats (``xml`` is accepted for results-xml in ``query``)
RESULT_FORMATS = ("table", "csv", "tsv", "xlsx", "json", "xml", "sparql-csv", "sparql-tsv")


def canonical(name: str) -> str:
    """The canonical name of a format or alias (``jsonld`` -> ``json-ld``); KeyError if none."""
    return ALIASES[name.strip().lower()]


def export_format(name: str) -> Format:
    """The export format called ``name`` (or an alias of it), or a LivergraphError listing the
    formats."""
    try:
        fmt = BY_NAME[canonical(name)]
    except KeyError:
        fmt = None
    if fmt is None or fmt.name not in EXPORT_FORMATS:
        from livergraph.errors import UnreadableInput
        raise UnreadableInput(f"unknown export format {name!r}",
                              hint="use one of " + ", ".join(EXPORT_FORMATS))
    return fmt


def choices(names: tuple[str, ...], *, without_aliases: tuple[str, ...] = ()) -> list[str]:
    """The names and their aliases (but not those of ``without_aliases``), for a command's
    --format choice."""
    out: list[str] = []
    for name in names:
        out += [name, *(() if name in without_aliases else BY_NAME[name].aliases)]
    return out
