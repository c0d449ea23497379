"""Query results -> bytes in the format asked for.

SELECT answers come in two families:

* **tables for people** (``table``, ``csv``, ``tsv``, ``xlsx``): every IRI shown by its label in
  the language asked for (``--lang``; a CURIE where there is no label, or always with
  ``Layout.ids``), literals as the source wrote them (numbers as numbers in .xlsx), RFC 4180
  CSV/TSV (CRLF, a byte-order mark with ``Layout.excel``), an aligned text table (fitted to
  ``Layout.width`` on a terminal);
* **the W3C SPARQL 1.1 result formats** for machines (``json``, ``xml``, ``sparql-csv``,
  ``sparql-tsv``), written by pyoxigraph's serializers unchanged: full IRIs and typed literals,
  no labels, so ``--lang`` does not apply to them. (The W3C CSV results format has no place for
  labels: it writes an IRI as its text; that is why the labelled CSV is a separate format.)

ASK answers are ``true``/``false`` (W3C JSON and XML for those formats); CONSTRUCT and DESCRIBE
results are written as Turtle, N-Triples or JSON-LD.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

#: --format choices for SELECT / ASK results, and their media types
RESULT_FORMATS: dict[str, str] = {
    "table": "text/plain",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "sparql-csv": "text/csv",
    "sparql-tsv": "text/tab-separated-values",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: the tables for people (labels, --lang, --ids, --columns); the other result formats are W3C's
PEOPLE_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "xlsx")
#: the W3C SPARQL results formats: full IRIs and typed literals, --lang does not apply
W3C_FORMATS: tuple[str, ...] = ("json", "xml", "sparql-csv", "sparql-tsv")
#: --format choices for CONSTRUCT / DESCRIBE results, and their media types
GRAPH_FORMATS: dict[str, str] = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
}
FORMATS = tuple(RESULT_FORMATS) + tuple(GRAPH_FORMATS)

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
from livergraph.io.labels import LANGS, pick_label  # noqa: F401  (re-exported)

#: labels(iris) -> {iri: [(text, language tag or "")]}
LabelLookup = Callable[[list[str]], dict[str, list[tuple[str, str]]]]


@dataclass(frozen=True)
class Layout:
    """How a table for people is laid out: CURIEs instead of labels (``ids``), only some
    ``columns`` (in that order), a byte-order mark for Excel (``excel``), and the terminal width
    to fit a ``table`` to (``width``; None: plain aligned text, never cut, for files and pipes)."""

    ids: bool = False
    columns: tuple[str, ...] | None = None
    excel: bool = False
    width: int | None = None


@dataclass(frozen=True)
class Rendered:
    """A table for people as bytes, with what a terminal user should be told about it."""

    data: bytes
    rows: int
    hint: str | None = None


def results_format(name: str) -> Any:
    import pyoxigraph as ox
    return {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
            "sparql-csv": ox.QueryResultsFormat.CSV, "sparql-tsv": ox.QueryResultsFormat.TSV,
            "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}[name]


def rdf_format(name: str) -> Any:
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


_NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + n for n in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
    "unsignedByte", "decimal", "double", "float")}


def people_cell(term: Any, labels: dict[str, list[tuple[str, str]]], lang: str, *,
                ids: bool = False, numbers: bool = False) -> Any:
    """One bound value in a table for people: an IRI by its label in ``lang`` (its CURIE when it
    has none, or always with ``ids``), a literal as the source wrote it (a number as a Python
    number when ``numbers``, for spreadsheets), a blank node as ``_:id``, unbound as None."""
    import pyoxigraph as ox

    from livergraph.io.curies import compact as curie
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        label = None if ids else pick_label(labels.get(term.value, []), lang)
        return label if label is not None else curie(term.value, brackets=False)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        if numbers and term.datatype.value in _NUMERIC:
            from livergraph.query.rows import to_python
            value = to_python(term)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return value
            try:
                return int(value) if value == value.to_integral_value() else float(value)
            except (AttributeError, ValueError, ArithmeticError):
                return term.value
        return term.value
    return str(term)


def render_people(variables: list[str], rows: list[list[Any]], fmt: str,
                  label_lookup: LabelLookup | None, lang: str = "en",
                  layout: Layout = Layout()) -> Rendered:
    """SELECT rows (lists of pyoxigraph terms) as a table for people in ``fmt`` (table, csv,
    tsv or xlsx) laid out as ``layout`` says."""
    import pyoxigraph as ox

    from livergraph.io import tables
    iris = sorted({t.value for row in rows for t in row if isinstance(t, ox.NamedNode)})
    labels = label_lookup(iris) if (label_lookup and iris and not layout.ids) else {}
    cells = [[people_cell(t, labels, lang, ids=layout.ids, numbers=fmt == "xlsx") for t in row]
             for row in rows]
    names = list(variables)
    if layout.columns:
        names, cells = tables.select_columns(names, cells, list(layout.columns))
    if fmt == "xlsx":
        return Rendered(tables.to_xlsx(names, cells), len(cells))
    if fmt in ("csv", "tsv"):
        return Rendered(tables.to_csv(names, cells, excel=layout.excel,
                                      delimiter="\t" if fmt == "tsv" else ","), len(cells))
    flat = [[None if c is None else " ".join(str(c).split("\n")) for c in row] for row in cells]
    if layout.width is None:
        return Rendered(tables.to_plain(names, flat).encode("utf-8"), len(cells))
    text, hint = tables.to_terminal(names, flat, width=layout.width, with_hint=True)
    return Rendered(text.encode("utf-8"), len(cells), hint)


def render_solutions(solutions: Any, fmt: str, label_lookup: LabelLookup | None,
                     prefixes: dict[str, str], lang: str, layout: Layout = Layout()) -> bytes:
    """SELECT results (a pyoxigraph QuerySolutions) in ``fmt``."""
    return render_answer(solutions, fmt, label_lookup, prefixes, lang, layout).data


def render_answer(solutions: Any, fmt: str, label_lookup: LabelLookup | None,
                  prefixes: dict[str, str], lang: str, layout: Layout = Layout()) -> Rendered:
    """SELECT results in ``fmt``, with the row count and a hint for a terminal user."""
    if fmt in PEOPLE_FORMATS:
        variables = [v.value for v in solutions.variables]
        rows = [[sol[i] for i in range(len(variables))] for sol in solutions]
        return render_people(variables, rows, fmt, label_lookup, lang, layout)
    return Rendered(_ensure_newline(solutions.serialize(format=results_format(fmt))), -1)


def render_boolean(value: bool, result: Any, fmt: str) -> bytes:
    """ASK results: ``true``/``false`` for the table, CSV and TSV; W3C JSON and XML."""
    if fmt in ("json", "xml") and result is not None:
        return _ensure_newline(result.serialize(format=results_format(fmt)))
    if fmt in ("json", "xml"):
        import pyoxigraph as ox
        text = '{"head":{},"boolean":%s}' % ("true" if value else "false")
        parsed = ox.parse_query_results(text.encode(), format=ox.QueryResultsFormat.JSON)
        return _ensure_newline(parsed.serialize(format=results_format(fmt)))
    return b"true\n" if value else b"false\n"


def render_triples(triples: Iterable[Any], fmt: str, prefixes: dict[str, str]) -> bytes:
    """CONSTRUCT / DESCRIBE results, sorted so the same answer gives the same bytes."""
    import pyoxigraph as ox
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    kwargs: dict[str, Any] = {}
    if fmt == "turtle":   # only the prefixes the answer uses
        iris = {term.value for t in ordered for term in (t.subject, t.predicate, t.object)
                if isinstance(term, ox.NamedNode)}
        iris |= {t.object.datatype.value for t in ordered if isinstance(t.object, ox.Literal)}
        kwargs["prefixes"] = {p: ns for p, ns in sorted(prefixes.items())
                              if any(i.startswith(ns) for i in iris)}
    return _ensure_newline(ox.serialize(ordered, format=rdf_format(fmt), **kwargs))


def _ensure_newline(data: bytes | None) -> bytes:
    data = data or b""
    return data if data.endswith(b"\n") or not data else data + b"\n"
