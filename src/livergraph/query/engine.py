"""Answering SPARQL on the published graph, in the format asked for.

* ``run_local`` answers a query on the published build (``livergraph.publish.artifact``) with
  pyoxigraph, which opens the build's on-disk store read-only (or loads an N-Triples / N-Quads /
  Turtle file into memory), or with rdflib's engine for cross-checking, optionally in a child
  process stopped after a timeout;
* checking and binding a query live in ``livergraph.query.checks``, the named-query library in
  ``livergraph.query.named`` (both re-exported here).

Results come back as ``Answer``: the bytes in the format asked for (see
``livergraph.query.render``) and, for ASK, the boolean.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livergraph.errors import LivergraphError, UnreadableInput
from livergraph.query.checks import (  # noqa: F401
    READ_FORMS,
    UPDATE_KEYWORDS,
    QueryError,
    QueryInfo,
    QueryTimeout,
    analyse,
    bind_params,
    check,
    parse_param_options,
    position,
    skeleton,
    sparql_term,
    syntax_error,
)
from livergraph.query.named import (  # noqa: F401
    NamedQuery,
    find_named,
    named_queries,
    parse_named,
    problems,
)
from livergraph.query.render import Layout

ENGINES = ("oxigraph", "rdflib")


# -- answering ------------------------------------------------------------------------------------

@dataclass
class Answer:
    form: str                 # select | ask | construct | describe
    data: bytes               # the result in the format asked for
    boolean: bool | None = None
    hint: str | None = None   # for a terminal user (stderr): how to see a cut or long table
    rows: int | None = None   # the rows of a table for people


def graph_form(form: str) -> bool:
    return form in ("construct", "describe")


def check_format(form: str, fmt: str) -> str:
    """The format to write a ``form`` result in: the table becomes Turtle for graph results; a
    graph format for SELECT/ASK (or the reverse) is a misuse."""
    from livergraph.query.render import GRAPH_FORMATS, RESULT_FORMATS
    if graph_form(form):
        if fmt == "table":
            return "turtle"
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"a {form.upper()} query gives RDF, not a table: --format {fmt} "
                             "does not apply", hint="use --format turtle, nt or json-ld")
    elif fmt not in RESULT_FORMATS:
        raise QueryError(f"a {form.upper()} query gives results, not RDF: --format {fmt} does "
                         "not apply", hint="use --format table, csv, tsv, json or xml")
    return fmt


#: file suffix of -o -> format, when --format is not given (graph results, then the others)
SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".csv": "csv",
                  ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".srj": "json", ".xml": "xml",
                  ".srx": "xml", ".txt": "table", ".xlsx": "xlsx"}


def format_for_output(path: Path, text: str) -> str | None:
    """The format an output file's suffix asks for (``answer.csv`` -> csv), or None."""
    fmt = SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if fmt == "json" and graph_form(analyse(text).form or ""):
        return "json-ld"
    return fmt


def run_local(text: str, graph_path: Path, prefixes: dict[str, str], *, fmt: str = "table",
              lang: str = "en", engine: str = "oxigraph", allow_service: bool = False,
              timeout: float | None = None, layout: Layout | None = None,
              graphs: list[str] | None = None,
              stacked: list[tuple[str, list[str]]] | None = None) -> Answer:
    """Answer ``text`` on the graph at ``graph_path`` in ``fmt``: an Oxigraph store directory
    (the cache's, opened read-only in milliseconds) or an N-Triples file (parsed into memory).

    The query's default graph is the union of every graph, or the named ``graphs`` (a scope:
    ``livergraph.publish.scopes``); with ``stacked`` (``[(source, graphs)]``) a SELECT runs
    once per source and the answers are stacked under a leading ``source`` column. ``layout``
    shapes a table for people (``livergraph.query.render.Layout``)."""
    info = check(text, prefixes, allow_service=allow_service)
    fmt = check_format(info.form, fmt)
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}", hint="use one of " + ", ".join(ENGINES))
    if fmt == "xlsx" and info.form != "select":
        raise QueryError(f"a {info.form.upper()} answer is not a table: an .xlsx workbook "
                         "needs a SELECT query", hint="write it to a .txt, .csv or .json file")
    check_stackable(stacked, info.form)
    args = (text, str(graph_path), prefixes, info.form, fmt, lang, engine, layout or Layout(),
            graphs, stacked)
    if timeout is None:
        return _answer(*args)
    return call_with_timeout(_answer, args, timeout)


def check_stackable(stacked: list[tuple[str, list[str]]] | None, form: str | None) -> None:
    """Scope ``all`` (``stacked``) answers a SELECT only: its rows are stacked per source."""
    if stacked is not None and form != "select":
        raise QueryError(f"--scope all stacks the answers of a SELECT per source; a "
                         f"{(form or 'query').upper()} query has no rows to stack",
                         hint="use --scope union (every source as one graph), article or "
                              "registry")


def query_store(store: Any, text: str, prefixes: dict[str, str],
                graphs: list[str] | None = None,
                stacked: list[tuple[str, list[str]]] | None = None) -> Any:
    """Run ``text`` on a pyoxigraph store over the union of every graph, over the named
    ``graphs``, or once per source of ``stacked`` (see ``run_local``)."""
    import pyoxigraph as ox
    if stacked is not None:
        return _stacked(store, text, prefixes, stacked)
    if graphs is None:
        # the published store keeps the ontology, each source and the inferred statements
        # in named graphs: a query without GRAPH sees them all
        return store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
    return store.query(text, prefixes=prefixes,
                       default_graph=[ox.NamedNode(g) for g in graphs])


def _stacked(store: Any, text: str, prefixes: dict[str, str],
             stacked: list[tuple[str, list[str]]]) -> Any:
    """One SELECT per source, stacked: the ``source`` column first, then the query's."""
    import json

    import pyoxigraph as ox

    from livergraph.publish.scopes import SOURCE_COLUMN
    names: list[str] = []
    rows: list[dict[str, Any]] = []
    for source, graphs in stacked:
        result = store.query(text, prefixes=prefixes,
                             default_graph=[ox.NamedNode(g) for g in graphs])
        doc = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
        names += [v for v in doc["head"]["vars"] if v not in names]
        rows += [(source, b) for b in doc["results"]["bindings"]]
    column = SOURCE_COLUMN if SOURCE_COLUMN not in names else "graphSource"
    bindings = [{column: {"type": "literal", "value": source}, **b} for source, b in rows]
    doc = {"head": {"vars": [column, *names]}, "results": {"bindings": bindings}}
    return ox.parse_query_results(json.dumps(doc).encode("utf-8"),
                                  format=ox.QueryResultsFormat.JSON)


def _answer(text, graph_path, prefixes, form, fmt, lang, engine, layout, graphs=None,
            stacked=None) -> Answer:
    if engine == "rdflib":
        return _answer_rdflib(text, graph_path, prefixes, form, fmt, lang, layout, graphs,
                              stacked)
    import pyoxigraph as ox

    from livergraph.query import render as results
    store = open_store(graph_path)
    try:
        result = query_store(store, text, prefixes, graphs, stacked)
    except SyntaxError as exc:
        raise syntax_error(str(exc), text) from None
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from None
    try:
        if isinstance(result, ox.QueryBoolean):
            return Answer(form, results.render_boolean(bool(result), result, fmt), bool(result))
        if isinstance(result, ox.QuerySolutions):
            done = results.render_answer(result, fmt, store_labels(store), prefixes, lang,
                                         layout)
            return Answer(form, done.data, hint=done.hint,
                          rows=done.rows if fmt in results.PEOPLE_FORMATS else None)
        return Answer(form, results.render_triples(result, fmt, prefixes))
    except OSError as exc:   # raised while evaluating lazily (SERVICE, ...)
        raise QueryError(f"the query failed: {exc}") from None


def open_store(graph_path):
    """A pyoxigraph store of the graph at ``graph_path``: a store directory opened read-only
    (queries never write, and any number of them may read it at once), or an N-Triples,
    N-Quads or Turtle file loaded into memory."""
    import os

    import pyoxigraph as ox
    if os.path.isdir(graph_path):
        try:
            return ox.Store.read_only(str(graph_path))
        except OSError as exc:
            raise UnreadableInput(f"cannot open the graph store: {exc}", file=str(graph_path),
                                  hint="rebuild it with `livergraph build`") from None
    fmt = {".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE}.get(
        Path(graph_path).suffix, ox.RdfFormat.N_TRIPLES)
    store = ox.Store()
    store.bulk_load(path=str(graph_path), format=fmt, lenient=fmt != ox.RdfFormat.TURTLE)
    return store


def labels_for(store: Any, iris: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """``{iri: [(text, language tag)]}`` of the rdfs:label of each IRI in a pyoxigraph store."""
    import pyoxigraph as ox
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    found: dict[str, list[tuple[str, str]]] = {}
    for iri in iris:
        values = [(q.object.value, q.object.language or "")
                  for q in store.quads_for_pattern(ox.NamedNode(iri), label, None)
                  if isinstance(q.object, ox.Literal)]
        if values:
            found[iri] = values
    return found


def store_labels(store: Any) -> Callable[[Sequence[str]], dict[str, list[tuple[str, str]]]]:
    """The label lookup (``labels_for``) of one store, as the renderers take it."""
    return lambda iris: labels_for(store, iris)


def _rdflib_graph(path: str, graphs: list[str] | None = None):
    """The graph parsed by rdflib, kept for the process (it is read-only): the published
    Turtle beside a build's store directory, or an N-Triples / N-Quads / Turtle file. With
    ``graphs``, the union of those named graphs of the build's N-Quads."""
    import os
    beside = os.path.dirname(path) if os.path.isdir(path) else None
    if graphs is not None and beside and os.path.isfile(os.path.join(beside, "livergraph.nq")):
        from rdflib import Graph
        dataset = _rdflib_graph(os.path.join(beside, "livergraph.nq"))
        key = ("scoped", id(dataset), tuple(graphs))
        if key not in _RDFLIB_GRAPHS:
            from rdflib import URIRef
            union = Graph()
            for name in graphs:
                for t in dataset.graph(URIRef(name)):
                    union.add(t)
            _RDFLIB_GRAPHS[key] = union
        return _RDFLIB_GRAPHS[key]
    if beside and os.path.isfile(os.path.join(beside, "livergraph.ttl")):
        path = os.path.join(beside, "livergraph.ttl")
    st = os.stat(path)
    key = (str(path), st.st_mtime_ns, st.st_size)
    if _RDFLIB_GRAPHS.get(str(path), (None,))[0] != key:
        from rdflib import Dataset, Graph
        fmt = {".ttl": "turtle", ".nq": "nquads"}.get(Path(path).suffix, "nt")
        graph = Dataset(default_union=True) if fmt == "nquads" else Graph()
        graph.parse(path, format=fmt)
        _RDFLIB_GRAPHS[str(path)] = (key, graph)
    return _RDFLIB_GRAPHS[str(path)][1]


_RDFLIB_GRAPHS: dict = {}


def _rdflib_query(graph, text, prefixes) -> bytes:
    try:
        res = graph.query(text, initNs=prefixes)
    except Exception as exc:   # pyparsing's ParseException and rdflib's own errors
        line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
        msg = getattr(exc, "msg", None) or str(exc)
        if line is not None or "Expected" in str(exc):
            raise syntax_error(str(msg), text, line, col) from None
        raise QueryError(f"the query failed: {exc}") from None
    return res


def _answer_rdflib(text, graph_path, prefixes, form, fmt, lang, layout, graphs=None,
                   stacked=None) -> Answer:
    """The same answer through rdflib's SPARQL engine (slower; for cross-checking)."""
    import pyoxigraph as ox
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    from livergraph.query import render as results
    from livergraph.query.checks import offline_sparql
    graph = _rdflib_graph(graph_path)
    offline_sparql()
    if stacked is not None:
        import json

        from livergraph.publish.scopes import SOURCE_COLUMN
        names: list[str] = []
        rows: list = []
        for source, source_graphs in stacked:
            res = _rdflib_query(_rdflib_graph(graph_path, source_graphs), text, prefixes)
            doc = json.loads(res.serialize(format="json"))
            names += [v for v in doc["head"]["vars"] if v not in names]
            rows += [(source, b) for b in doc["results"]["bindings"]]
        column = SOURCE_COLUMN if SOURCE_COLUMN not in names else "graphSource"
        doc = {"head": {"vars": [column, *names]},
               "results": {"bindings": [{column: {"type": "literal", "value": source}, **b}
                                        for source, b in rows]}}
        parsed = ox.parse_query_results(json.dumps(doc).encode("utf-8"),
                                        format=ox.QueryResultsFormat.JSON)
    else:
        res = _rdflib_query(_rdflib_graph(graph_path, graphs), text, prefixes)
        if graph_form(form):
            nt = res.graph.serialize(format="nt", encoding="utf-8")
            triples = [q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
            return Answer(form, results.render_triples(triples, fmt, prefixes))
        parsed = ox.parse_query_results(res.serialize(format="json"),
                                        format=ox.QueryResultsFormat.JSON)
    if form == "ask":
        return Answer(form, results.render_boolean(bool(parsed), parsed, fmt), bool(parsed))

    def lookup(iris):
        found = {}
        for iri in iris:
            values = [(str(o), o.language or "") for o in graph.objects(URIRef(iri), RDFS.label)]
            if values:
                found[iri] = values
        return found
    done = results.render_answer(parsed, fmt, lookup, prefixes, lang, layout)
    return Answer(form, done.data, hint=done.hint,
                  rows=done.rows if fmt in results.PEOPLE_FORMATS else None)


# -- time limits ----------------------------------------------------------------------------------

def call_with_timeout(fn, args: tuple, timeout: float):
    """``fn(*args)`` in a forked child process, stopped after ``timeout`` seconds. Neither
    SPARQL engine can be interrupted from Python, so the query runs where it can be killed."""
    import multiprocessing

    if timeout <= 0:
        raise QueryError("--timeout must be a positive number of seconds")
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, fn, args), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            child.kill()
            raise QueryTimeout(f"the query was stopped after {timeout:g} s (--timeout)",
                               hint="simplify the query, add a LIMIT, or allow more time "
                                    "with --timeout SECONDS")
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise QueryError("the query process ended without an answer") from None
    finally:
        child.join(5)
        receiver.close()
    if status == "ok":
        return payload
    exit_code, message = payload
    raise QueryError(message, exit_code=exit_code)


def _child(sender, fn, args):
    try:
        sender.send(("ok", fn(*args)))
    except LivergraphError as exc:
        sender.send(("error", (exc.exit_code, str(exc))))
    except BaseException as exc:  # report, never hang the parent
        sender.send(("error", (2, f"the query failed: {type(exc).__name__}: {exc}")))
    finally:
        sender.close()
