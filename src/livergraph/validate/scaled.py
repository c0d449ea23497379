"""SHACL validation that scales: the same results as pySHACL over the whole graph, in linear time.

pySHACL runs every SPARQL-based constraint (``sh:sparql``) once per focus node with rdflib's SPARQL
engine, which makes validation of a large graph take hours. This module splits the work, each part
with the engine that suits it (see ``livergraph.validate`` for the design in a paragraph):

* **SPARQL-based constraints** of shapes with targets run as *one* whole-graph SELECT each on a
  pyoxigraph store: the shape's targets become a sub-select binding ``$this`` (``sh:targetClass``
  with subclasses, ``sh:targetNode``, ``sh:targetSubjectsOf``/``ObjectsOf``) joined at the head of
  the query's WHERE clause. The store holds only the triples whose predicate a query can match.
  Each row becomes a validation result exactly as pySHACL makes it (de-duplication per focus node,
  ``?path``/``?value``/``$this`` handling, message substitution with ``{?var}``/``{$this}``).
* **Core constraints** run with pySHACL itself on partitions of the graph: each chunk holds the
  triples of a set of subjects, the ``rdf:type`` triples of every node those triples point to, and
  every ``rdfs:subClassOf`` triple, which is all a *local* shape reads. Results are kept only for
  focus nodes whose subject set the chunk owns, so no result is doubled or lost. Chunks run in
  forked worker processes that share the graph copy-on-write.
* Anything that cannot be split safely — a shape reading beyond a focus node's own triples (e.g.
  ``sh:node`` on a value, inverse or sequence paths), a SPARQL query whose meaning would change when
  evaluated once for all focus nodes (aggregates not grouped by ``$this``, LIMIT, sub-selects,
  ``$PATH``/``$currentShape``) — is validated by pySHACL on the whole graph, as before.

The planning is in ``validate.plan`` (query text in ``validate.sparql_text``), the SPARQL
constraints on pyoxigraph in ``validate.sparql_store``; this module runs the core constraints
on partitions.
"""
from __future__ import annotations

import gc
import os

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS, SH

# the parts of the engine, importable from here as before
from livergraph.validate.plan import _ALLOWED, FrozenGraph, Plan, SparqlJob, plan  # noqa: F401
from livergraph.validate.sparql_store import (  # noqa: F401
    load_store, run_sparql, sparql_result_triples)


_SHARED: dict = {}      # what forked workers read (set before the fork, never copied)


def subjects_of(graph: Graph) -> list:
    """The distinct subjects of ``graph``, in the store's order."""
    return list(graph.subjects(unique=True))


def _chunk_graph(graph: Graph, subjects, subclass_triples) -> Graph:
    g = Graph()
    add = g.add
    objects = set()
    for s in subjects:
        for p, o in graph.predicate_objects(s):
            add((s, p, o))
            if not isinstance(o, Literal):
                objects.add(o)
    owned = set(subjects)
    for o in objects:
        if o in owned:
            continue
        for c in graph.objects(o, RDF.type):
            add((o, RDF.type, c))
    for t in subclass_triples:
        add(t)
    return g


def validate_chunk(index: int) -> tuple[list, bool]:
    """pySHACL (core shapes) on chunk ``index``; the kept results as report triples.

    The chunk also holds the rdf:type of nodes it does not own (for sh:class); pySHACL targets
    them too, and they may fail for want of their other triples: only the results of the focus
    nodes the chunk owns are kept (the owner's chunk reports the others)."""
    import pyshacl
    graph, core, chunks, subclass = (_SHARED[k] for k in ("graph", "core", "chunks", "subclass"))
    subjects = chunks[index]
    g = _chunk_graph(graph, subjects, subclass)
    owned = set(subjects)
    _, rg, _ = pyshacl.validate(g, shacl_graph=core, inference="none", advanced=False,
                                allow_warnings=True, abort_on_first=False,
                                meta_shacl=False, debug=False)
    return _kept(rg, lambda focus: focus in owned)


def _kept(rg: Graph, keep) -> tuple[list, bool]:
    out, conforms = [], True
    for r in rg.objects(None, SH.result):      # top-level results (with their sh:detail)
        if not keep(rg.value(r, SH.focusNode)):
            continue
        if rg.value(r, SH.resultSeverity) not in _ALLOWED:
            conforms = False
        todo, done = [r], set()
        while todo:
            n = todo.pop()
            if n in done:
                continue
            done.add(n)
            for p, o in rg.predicate_objects(n):
                out.append((n, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
        out.append((None, SH.result, r))
    return out, conforms


#: how the last core validation ran: chunks, and the process id that validated each
LAST_RUN: dict = {}


def run_core(graph: Graph, core: Graph, workers: int, chunk_size: int):
    """Start validating the core shapes chunk by chunk: in this process (``workers`` <= 1) or in
    ``workers`` forked processes, worker k taking chunks k, k + workers, ... (so every worker has
    work as soon as there are as many chunks). Returns a handle for finish_core."""
    subjects = subjects_of(graph)
    chunks = [subjects[i:i + chunk_size] for i in range(0, len(subjects), chunk_size)]
    subclass = list(graph.triples((None, RDFS.subClassOf, None)))
    _SHARED.update(graph=graph, core=core, chunks=chunks, subclass=subclass)
    LAST_RUN.clear()
    LAST_RUN.update(chunks=len(chunks), pids=[])
    workers = min(workers, len(chunks))
    if workers <= 1:
        return ("done", [_run_share(0, 1)])
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    queue = ctx.SimpleQueue()
    gc.collect()
    gc.freeze()         # keep the collector from touching (and so copying) the shared graph
    procs = [ctx.Process(target=_worker_main, args=(k, workers, queue), daemon=True)
             for k in range(workers)]
    for proc in procs:
        proc.start()
    return ("procs", (procs, queue))


def _run_share(k: int, workers: int) -> tuple:
    out, conforms = [], True
    for index in range(k, len(_SHARED["chunks"]), workers):
        found, ok = validate_chunk(index)
        out.extend(found)
        conforms = conforms and ok
    return os.getpid(), out, conforms


def _worker_main(k: int, workers: int, queue) -> None:
    try:
        queue.put(("ok", _run_share(k, workers)))
    except BaseException:   # the parent raises it with the worker's traceback
        import traceback
        queue.put(("error", traceback.format_exc()))


def finish_core(handle) -> list[tuple[list, bool]]:
    """Wait for the core validation; [(report triples, conforms)] per worker."""
    kind, value = handle
    try:
        if kind == "done":
            shares = value
        else:
            procs, queue = value
            shares, errors = [], []
            for _ in procs:
                status, payload = queue.get()
                (shares if status == "ok" else errors).append(payload)
            for proc in procs:
                proc.join()
            if errors:
                raise RuntimeError("SHACL validation worker failed:\n" + errors[0])
    finally:
        if kind != "done":
            gc.unfreeze()
        _SHARED.clear()
    LAST_RUN["pids"] = sorted(pid for pid, _, _ in shares)
    return [(found, ok) for _, found, ok in shares]


def default_workers() -> int:
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:   # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, min(2, n))
