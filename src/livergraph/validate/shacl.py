"""Graph + SHACL shapes -> a validation report a curator can act on.

The shapes live in ``shapes/*.ttl`` (one file per area of the model) and are read into one shapes
graph. Validation runs without OWL or RDFS inference (the built graph carries the ontology, so
``sh:targetClass`` and ``sh:class`` see subclasses anyway) and gives what pySHACL gives over the
whole graph; ``validate(..., engine="plain")`` (or ``validate_plain``) is exactly that, and is the
reference the default engine is tested against.

The default engine (``livergraph.shacl_scale``) scales linearly. pySHACL runs a SPARQL-based
constraint once per focus node with rdflib's SPARQL engine, which takes hours on a graph of
100,000 trials; so the work is split, each part to the engine that suits it. Each SPARQL-based
constraint (``sh:sparql``) runs as one query over the whole graph in a pyoxigraph store holding
the triples the queries can match, with ``$this`` bound by a sub-select of the shape's targets;
each row becomes the result pySHACL would make (same de-duplication, ``?path``/``?value``
handling and ``{?var}`` message substitution). When a query computes values (BIND, aggregates,
expressions), the focus nodes it flags are re-evaluated by rdflib as pySHACL evaluates them, so
numbers and samples read the same. The core constraints run with pySHACL itself on chunks of the
graph: a chunk holds the triples of a set of subjects, the ``rdf:type`` of every node they point
to, and the class hierarchy, which is all a local shape reads; targets are restricted to the
chunk's own subjects, so no result is lost or doubled. Chunks are validated by two forked worker
processes (sharing the graph copy-on-write) for graphs of 200,000 triples or more, in-process
below. Whatever cannot be split safely runs with pySHACL on the whole graph: shapes that read
beyond a focus node's own triples (``sh:node`` on values, inverse or sequence paths), queries
whose meaning would change when run once for all focus nodes (aggregates not grouped by
``$this``, LIMIT, sub-selects), and every SPARQL constraint when blank nodes occur as data (the
SPARQL standard and rdflib disagree on ``STR(_:b)``).

A report *conforms* when it has no result of severity violation: warnings and info are allowed
(the exit-code contract of ``livergraph validate``: 0 conforms, 1 violations, 2 unreadable). Each
result names the focus node with its label, the property, the offending value, the message, and
the data file and record it was built from (``lg:curatedIn``).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Iterable

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from livergraph import compat
from livergraph.compat import library_warnings
from livergraph.validate.plan import _ALLOWED as ALLOWED_SEVERITIES, Plan
from livergraph.errors import UnreadableInput
from livergraph.namespaces import ONTOLOGY_IRI
# the report, importable from here as before
from livergraph.validate.report import (  # noqa: F401
    ONTOLOGY_FILE, SEVERITY_NAMES, SEVERITY_ORDER, WRITERS, Report, Result, compact, label_of,
    make_report, render, write_json, write_report_turtle, write_text)

#: Turtle-like suffixes rdflib reads, by file extension.
RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".n3": "n3", ".rdf": "xml", ".owl": "xml",
               ".xml": "xml", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig",
               ".nq": "nquads"}

# -- inputs -------------------------------------------------------------------------------------

def load_shapes(shapes_dir: Path) -> tuple[Graph, list[str]]:
    """Read every ``*.ttl`` file of ``shapes_dir`` into one shapes graph."""
    shapes_dir = Path(shapes_dir)
    files = sorted(shapes_dir.glob("*.ttl")) if shapes_dir.is_dir() else []
    if not files:
        raise UnreadableInput("no shapes (*.ttl) found", file=str(shapes_dir),
                              hint="run from the livergraph repository, or pass --shapes DIR")
    g = Graph()
    for path in files:
        _parse_into(g, path, "turtle")
    return g, [p.name for p in files]


def _parse_into(g: Graph, path: Path, fmt: str) -> None:
    from livergraph.io.offline import refuse_remote_references
    from livergraph.io.regular import require_regular
    require_regular(Path(path), "RDF file")          # a FIFO or device would never end
    refuse_remote_references(Path(path), fmt)        # no parser fetches anything
    try:
        with library_warnings():    # ill-typed literals: the SHACL report names them
            g.parse(path, format=fmt)
    except FileNotFoundError:
        raise UnreadableInput("file not found", file=str(path)) from None
    except Exception as exc:  # rdflib raises many kinds of syntax errors
        text = str(exc).strip().splitlines()
        raise UnreadableInput(f"not valid {fmt}: {text[0] if text else type(exc).__name__}",
                              file=str(path),
                              hint="check the syntax (rapper -c -i turtle FILE shows the line)") \
            from None


def read_graph(paths: Iterable[Path], ontology_path: Path) -> Graph:
    """Read RDF files (Turtle, N-Triples, RDF/XML, JSON-LD) or curated-data directories into one
    graph, adding the ontology when the input does not already carry it."""
    from livergraph.model.build import build
    g = Graph()
    for path in map(Path, paths):
        if "\x00" in str(path):
            raise UnreadableInput("the file name holds a NUL character", file=repr(str(path)),
                                  hint="give the file's real name")
        if path.is_dir():
            for t in build(ontology_path, path).graph:
                g.add(t)
            continue
        if not path.exists():
            raise UnreadableInput("file not found", file=str(path))
        if path.suffix in (".yaml", ".yml"):
            raise UnreadableInput("a single YAML file cannot be validated on its own",
                                  file=str(path),
                                  hint="pass the data directory it belongs to (e.g. data/)")
        fmt = RDF_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise UnreadableInput(f"unknown RDF file type {path.suffix!r}", file=str(path),
                                  hint="use .ttl, .nt, .rdf/.owl or .jsonld, or a data directory")
        _parse_into(g, path, fmt)
    with_ontology(g, ontology_path)
    return g


def with_ontology(g: Graph, ontology_path: Path) -> Graph:
    """Add the ontology to ``g`` unless it is already there (sh:class needs the concepts)."""
    from rdflib.namespace import OWL
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in g:
        from livergraph.model.schema import load_ontology_graph
        for t in load_ontology_graph(ontology_path):
            g.add(t)
    return g


# -- validation ---------------------------------------------------------------------------------

class _QueryCachingGraph(Graph):
    """The same graph (same store), parsing each SPARQL query text once.

    pySHACL runs a SPARQL-based constraint once per focus node, passing the query as text with
    $this pre-bound; rdflib would parse and translate the text every time (~25 ms), which made
    validating the bundled data take over a minute. Prepared once, a bound query costs ~1 ms.
    """

    _prepared: dict[str, object] = {}   # shared: the same shapes give the same query texts

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            from rdflib.plugins.sparql import prepareQuery
            prepared = self._prepared.get(query_object)
            if prepared is None:
                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


#: graphs smaller than this are validated in-process (no worker processes)
PARALLEL_FROM_TRIPLES = 200_000
#: subjects per chunk of the core validation (about 5 triples each)
CHUNK_SUBJECTS = 10_000
ENGINES = ("auto", "scale", "plain")


def validate(graph: Graph, shapes: Graph, shapes_files: list[str] | None = None, *,
             engine: str = "auto", workers: int | None = None,
             chunk_size: int | None = None) -> Report:
    """Validate ``graph`` against ``shapes`` (no inference) and return the report.

    ``engine="plain"`` is pySHACL over the whole graph; ``"scale"`` (and ``"auto"``) split the
    work as the module docstring says and give the same results. ``workers`` (default: up to two
    processes, one for graphs under PARALLEL_FROM_TRIPLES triples) and ``chunk_size`` (subjects
    per chunk) tune the scalable engine."""
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r} (one of {', '.join(ENGINES)})")
    start = time.perf_counter()
    # rdflib logs a traceback for each ill-typed literal it reads; the report names the value
    with library_warnings() as notes:
        if engine != "plain" and not compat.scalable_engine_usable():
            notes.append(f"pySHACL {compat.installed('pyshacl')} is not the version the scalable "
                         f"engine was written against ({compat.TESTED['pyshacl']}): validated with "
                         "pySHACL over the whole graph")
            engine = "plain"
        if engine == "plain":
            report_graph = _plain(graph, shapes)
        else:
            if workers is None:
                from livergraph.validate.scaled import default_workers
                workers = 1 if len(graph) < PARALLEL_FROM_TRIPLES else default_workers()
            report_graph = _scaled(graph, shapes, workers, chunk_size or CHUNK_SUBJECTS)
        seconds = time.perf_counter() - start
        report = make_report(graph, shapes, shapes_files, report_graph, seconds)
    report.notes = notes
    return report


def validate_plain(graph: Graph, shapes: Graph, shapes_files: list[str] | None = None) -> Report:
    """pySHACL over the whole graph, the reference the scalable engine is measured against."""
    return validate(graph, shapes, shapes_files, engine="plain")

def _plain(graph: Graph, shapes: Graph) -> Graph:
    import pyshacl
    _, report_graph, _ = pyshacl.validate(
        _QueryCachingGraph(store=graph.store, identifier=graph.identifier), shacl_graph=shapes,
        inference="none", advanced=False, allow_warnings=True, abort_on_first=False,
        meta_shacl=False, debug=False)
    assert isinstance(report_graph, Graph)
    return report_graph


_PLANS: dict[tuple[int, int], tuple[Graph, Plan]] = {}


def _plan_for(shapes: Graph) -> Plan:
    """The split of ``shapes`` between the engines (cached: the same shapes graph is validated
    against many data graphs in one session)."""
    from livergraph.validate.plan import plan
    key = (id(shapes), len(shapes))
    hit = _PLANS.get(key)
    if hit is None or hit[0] is not shapes:
        hit = _PLANS[key] = (shapes, plan(shapes))
    return hit[1]


def _scaled(graph: Graph, shapes: Graph, workers: int, chunk_size: int) -> Graph:
    from livergraph.validate import scaled as sc
    from livergraph.validate import sparql_store as ss
    p = _plan_for(shapes)
    assert p.core is not None and p.sparql_only is not None   # plan() makes both
    handle = sc.run_core(graph, p.core, workers, chunk_size)   # forks first
    try:
        report = Graph(bind_namespaces="core")
        for prefix, ns in shapes.namespace_manager.namespaces():
            report.namespace_manager.bind(prefix, ns)
        conforms = True
        vr = BNode()
        triples: list[tuple[Node | None, Node, Node]] = []
        sc.LAST_RUN["sparql"] = "none"
        if p.jobs:
            store = ss.load_store(graph, p.predicates)
            if store is not None:
                sc.LAST_RUN["sparql"] = "store"
                for job in p.jobs:
                    for row in ss.run_sparql(store, graph, job):
                        ss.sparql_result_triples(job, row, shapes, graph, report, vr)
                        conforms = conforms and job.severity in ALLOWED_SEVERITIES
                del store
            else:   # blank nodes in the data: the SPARQL constraints run as pySHACL runs them
                sc.LAST_RUN["sparql"] = "pyshacl"
                found, ok = sc._kept(_plain(graph, p.sparql_only), lambda focus: True)
                triples.extend(found)
                conforms = conforms and ok
        if p.residual is not None:
            residual = _plain(graph, p.residual)
            found, ok = sc._kept(residual, lambda focus: True)
            triples.extend(found)
            conforms = conforms and ok
    finally:
        core = sc.finish_core(handle)
    for found, ok in core:
        triples.extend(found)
        conforms = conforms and ok
    report.add((vr, RDF.type, SH.ValidationReport))
    for s, pr, o in triples:
        report.add((vr if s is None else s, pr, o))
    report.add((vr, SH.conforms, Literal(conforms)))
    return report


def validate_paths(paths: Iterable[Path], ontology_path: Path, shapes_dir: Path, *,
                   engine: str = "auto") -> Report:
    shapes, files = load_shapes(shapes_dir)
    return validate(read_graph(paths, ontology_path), shapes, files, engine=engine)


