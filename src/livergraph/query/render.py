"""Query results -> bytes in the format asked for.

SELECT and ASK results are written in the W3C SPARQL 1.1 result formats (JSON, XML, CSV, TSV) by
pyoxigraph's serializers, or as an aligned text table for the terminal that shows a resource's
label instead of its IRI where it has one. CONSTRUCT and DESCRIBE results are written as Turtle,
N-Triples or JSON-LD.
"""
from __future__ import annotations

import unicodedata
from typing import Callable, Iterable

#: --format choices for SELECT / ASK results, and their media types
RESULT_FORMATS: dict[str, str] = {
    "table": "text/plain",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
}
#: --format choices for CONSTRUCT / DESCRIBE results, and their media types
GRAPH_FORMATS: dict[str, str] = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
}
FORMATS = tuple(RESULT_FORMATS) + tuple(GRAPH_FORMATS)

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
from livergraph.io.labels import LANGS, pick_label  # noqa: E402,F401  (re-exported)

#: labels(iris) -> {iri: [(text, language tag or "")]}
LabelLookup = Callable[[list[str]], dict[str, list[tuple[str, str]]]]


def results_format(name: str):
    import pyoxigraph as ox
    return {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
            "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}[name]


def rdf_format(name: str):
    import pyoxigraph as ox
    return {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
            "json-ld": ox.RdfFormat.JSON_LD}[name]


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` for an IRI under a known namespace (the longest wins), else ``<iri>``."""
    best = None
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(iri) > len(ns) and (best is None or len(ns) > len(best[1])):
            local = iri[len(ns):]
            if all(c.isalnum() or c in "_-." for c in local) and not local.endswith("."):
                best = (prefix, ns)
    if best is None:
        return f"<{iri}>"
    return f"{best[0]}:{iri[len(best[1]):]}"


def text_width(text: str) -> int:
    """Columns a string takes in a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else
               0 if unicodedata.combining(c) else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


def cell_text(term, labels: dict[str, list[tuple[str, str]]], prefixes: dict[str, str],
              lang: str) -> str:
    """How one bound value shows in the table."""
    import pyoxigraph as ox
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        label = pick_label(labels.get(term.value, []), lang)
        return label if label is not None else compact(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return " ".join(term.value.split("\n"))
    return str(term)


def table(variables: list[str], rows: list[list], label_lookup: LabelLookup | None,
          prefixes: dict[str, str], lang: str = "en") -> str:
    """An aligned text table, labels instead of IRIs where a label exists, and a row count."""
    import pyoxigraph as ox
    iris = sorted({t.value for row in rows for t in row if isinstance(t, ox.NamedNode)})
    labels = label_lookup(iris) if (label_lookup and iris) else {}
    cells = [[cell_text(t, labels, prefixes, lang) for t in row] for row in rows]
    widths = [max([text_width(v)] + [text_width(r[i]) for r in cells])
              for i, v in enumerate(variables)]
    lines = []
    if variables:
        lines.append("  ".join(_pad(v, w) for v, w in zip(variables, widths)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        lines.extend("  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in cells)
    n = len(rows)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines) + "\n"


def render_solutions(solutions, fmt: str, label_lookup: LabelLookup | None,
                     prefixes: dict[str, str], lang: str) -> bytes:
    """SELECT results (a pyoxigraph QuerySolutions) in ``fmt``."""
    if fmt == "table":
        variables = [v.value for v in solutions.variables]
        rows = [[sol[i] for i in range(len(variables))] for sol in solutions]
        return table(variables, rows, label_lookup, prefixes, lang).encode("utf-8")
    return _ensure_newline(solutions.serialize(format=results_format(fmt)))


def render_boolean(value: bool, result, fmt: str) -> bytes:
    """ASK results: ``true``/``false`` for the table, CSV and TSV; W3C JSON and XML."""
    if fmt in ("json", "xml") and result is not None:
        return _ensure_newline(result.serialize(format=results_format(fmt)))
    if fmt in ("json", "xml"):
        import pyoxigraph as ox
        text = '{"head":{},"boolean":%s}' % ("true" if value else "false")
        parsed = ox.parse_query_results(text.encode(), format=ox.QueryResultsFormat.JSON)
        return _ensure_newline(parsed.serialize(format=results_format(fmt)))
    return b"true\n" if value else b"false\n"


def render_triples(triples: Iterable, fmt: str, prefixes: dict[str, str]) -> bytes:
    """CONSTRUCT / DESCRIBE results, sorted so the same answer gives the same bytes."""
    import pyoxigraph as ox
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    kwargs = {}
    if fmt == "turtle":   # only the prefixes the answer uses
        iris = {term.value for t in ordered for term in (t.subject, t.predicate, t.object)
                if isinstance(term, ox.NamedNode)}
        iris |= {t.object.datatype.value for t in ordered if isinstance(t.object, ox.Literal)}
        kwargs["prefixes"] = {p: ns for p, ns in sorted(prefixes.items())
                              if any(i.startswith(ns) for i in iris)}
    return _ensure_newline(ox.serialize(ordered, format=rdf_format(fmt), **kwargs))


def _ensure_newline(data: bytes) -> bytes:
    return data if data.endswith(b"\n") or not data else data + b"\n"
