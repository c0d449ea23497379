"""The one place livergraph reads a library's private internals (quarantine).

Everything else in the package uses the libraries' public APIs. Each hack below says what it
relies on, why it is here, what it was measured to gain (1,000 synthetic trials from
``benchmarks/generate.py``; the public alternative was adopted wherever it cost less than 1.5x),
and the upstream version it was written against. Each checks the installed version when used:
on any other version it takes the public path, which gives the same result, only slower, so an
upgrade can never silently change what livergraph produces. ``tests/test_compat.py`` fails,
naming the upstream version, when the internals these hacks read change shape.

pySHACL: the scalable validator (``livergraph.validate.plan`` and ``sparql_store``) reads
pySHACL's shape model (``ShapesGraph``, ``Shape.target()``, ``SPARQLBasedConstraint``) and
rebuilds each SPARQL result as pySHACL 0.40.1 writes it; it reads no private attribute, but
``validate.shacl.validate`` uses it only on the tested pySHACL (``scalable_engine_usable``) and
falls back to pySHACL over the whole graph otherwise.

Hacks that were measured and removed (their public path is now used everywhere):

* pySHACL ``shape.CONSTRAINT_PARAMS`` replaced by a list with a set's membership test: 1.1x on
  the chunked core validation (CPU time), under the threshold.
* pySHACL ``Shape.focus_nodes`` swapped to restrict each chunk's targets to its own subjects:
  no measurable gain; the chunk's results are filtered by focus node afterwards instead
  (``validate.scaled.validate_chunk``). pySHACL's public ``focus_nodes=`` option is not a substitute: it also
  filters the value nodes nested shapes (``sh:or`` on literals) are evaluated on, which would
  lose results.
* PyYAML: a subclass of ``CSafeLoader`` overriding ``resolve``/``construct_document`` and
  resetting ``constructed_objects``: 0.9x (slower) at 1,000 trials; ``yaml.CSafeLoader`` is used.
* rdflib in-memory store's ``__spo``/``__pos`` indexes read by the Turtle writer (public path
  1.16 s vs 1.36 s: faster), the dataset description (0.44 s more in a 7 s build: 1.06x) and the
  validator's list of subjects (one pass before a validation of tens of seconds).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from rdflib import Graph
from rdflib.term import Node

#: the upstream versions the hacks below were written against (pinned in pyproject.toml)
TESTED = {"rdflib": "7.6.0", "pyshacl": "0.40.1"}


@lru_cache(maxsize=None)
def installed(dist: str) -> str:
    """The installed version of distribution ``dist`` ("" when it is not installed)."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(dist)
    except PackageNotFoundError:
        return ""


def tested(dist: str) -> bool:
    """Whether the installed ``dist`` is the version the hacks on it were written against."""
    return installed(dist) == TESTED[dist]


def scalable_engine_usable() -> bool:
    """Whether the installed pySHACL is the one the scalable validator reproduces (0.40.1)."""
    return tested("pyshacl")


# -- rdflib: the in-memory store (rdflib.plugins.stores.memory.Memory) -------------------------

#: the private attributes of rdflib 7.6.0's Memory store the hacks read or fill
MEMORY_ATTRIBUTES = ("_Memory__spo", "_Memory__pos", "_Memory__osp", "_Memory__contextTriples",
                     "_Memory__tripleContexts", "_Memory__all_contexts",
                     "_Memory__defaultContexts", "_Memory__ctx_to_str")


def _memory_store(graph: Graph) -> Any | None:
    """``graph``'s store if it is rdflib's plain in-memory store, on the tested rdflib, with the
    attributes the hacks read; else None (take the public path)."""
    from rdflib.plugins.stores.memory import Memory
    store = graph.store
    if type(store) is not Memory or not tested("rdflib"):
        return None
    if not all(hasattr(store, name) for name in MEMORY_ATTRIBUTES):
        return None
    return store


def sole_memory_index(graph: Graph) -> dict[Node, dict[Node, dict[Node, int]]] | None:
    """The subject -> predicate -> objects index of rdflib's in-memory store when ``graph`` is
    the only graph in it (what ``Graph()`` makes), else None.

    Relies on: rdflib 7.6.0 ``Memory.__spo`` (nested dicts), ``__contextTriples`` (context key ->
    set of triples, key None for the default context), ``__all_contexts``, ``__tripleContexts``
    (empty when every statement is in the default contexts only). A key whose statements were
    all removed stays in the index with nothing under it: readers skip empty entries."""
    store = _memory_store(graph)
    if store is None:
        return None
    contexts = store._Memory__contextTriples
    ctx = f"{graph.identifier.__class__.__name__}:{graph.identifier}"
    if (set(contexts) <= {None, ctx} and store._Memory__all_contexts <= {graph}
            and not store._Memory__tripleContexts
            and len(contexts[None]) == len(contexts.get(ctx, ()))):
        index: dict[Node, dict[Node, dict[Node, int]]] = store._Memory__spo
        return index
    return None


def subject_objects(graph: Graph, predicate: Node) -> Iterator[tuple[Node, Node]]:
    """(subject, object) pairs of ``predicate`` in ``graph``.

    Hack: read from rdflib 7.6.0 ``Memory.__pos`` (predicate -> object -> subjects) when
    ``graph`` is alone in its store (see ``sole_memory_index``). Why: rdflib's own
    ``subject_objects`` spends ~9 µs a statement working out named graphs; the reasoner's input
    (``reason.modules.modular_input``) reads every rdf:type and link this way. Measured at 1,000
    trials: modular_input 0.69 s with the index, 1.27 s through rdflib (1.8x). Public path:
    ``graph.subject_objects``, same pairs."""
    if sole_memory_index(graph) is None:
        yield from graph.subject_objects(predicate)
        return
    pos: dict[Node, dict[Node, dict[Node, int]]] = graph.store._Memory__pos  # type: ignore[attr-defined]
    for o, subjects in list(pos.get(predicate, {}).items()):
        for s in list(subjects):
            yield s, o


def _fresh(store: Any) -> bool:
    return (not store._Memory__spo and store._Memory__defaultContexts is None
            and store._Memory__contextTriples == {None: set()}
            and not store._Memory__tripleContexts and not store._Memory__all_contexts)


def fill_graph(graph: Graph, triples: set[tuple[Node, Node, Node]]) -> None:
    """Add ``triples`` (a set, which ``graph`` then owns: do not use it afterwards) to ``graph``.

    Hack: for a new graph on rdflib 7.6.0's in-memory store, fill the store's private indexes
    (``__spo``, ``__pos``, ``__osp``, ``__contextTriples``, ``__all_contexts``,
    ``__defaultContexts``, via ``__ctx_to_str``) directly, leaving them exactly as ``graph.add``
    would one statement at a time (tests/test_compat.py compares the two). Why: ``add`` hashes
    every term about ten times and announces every statement to the store's listeners. Measured
    at 1,000 trials (65,562 triples): 1.9 s filled directly, 5.6 s by ``addN`` (2.9x; the whole
    build 1.5x). Public path (any other store, graph or rdflib version): ``graph.addN``."""
    store = _memory_store(graph)
    if store is None or not _fresh(store):
        graph.addN((s, p, o, graph) for s, p, o in triples)
        return
    if not triples:
        return
    spo, pos, osp = store._Memory__spo, store._Memory__pos, store._Memory__osp
    for s, p, o in triples:
        po = spo.get(s)
        if po is None:
            po = spo[s] = {}
        objs = po.get(p)
        if objs is None:
            po[p] = {o: 1}
        else:
            objs[o] = 1
        os_ = pos.get(p)
        if os_ is None:
            os_ = pos[p] = {}
        subjs = os_.get(o)
        if subjs is None:
            os_[o] = {s: 1}
        else:
            subjs[s] = 1
        sp = osp.get(o)
        if sp is None:
            osp[o] = {s: {p: 1}}
        else:
            preds = sp.get(s)
            if preds is None:
                sp[s] = {p: 1}
            else:
                preds[p] = 1
    ctx = store._Memory__ctx_to_str(graph)   # also records the graph as the context's object
    store._Memory__all_contexts.add(graph)
    # every statement is in the graph's context and the default one, not quoted: the store
    # keeps that as its default and stores no per-statement context entry
    store._Memory__defaultContexts = {ctx: False, None: False}
    store._Memory__contextTriples[ctx] = set(triples)   # copies the stored hashes
    store._Memory__contextTriples[None] = triples


# -- library loggers ----------------------------------------------------------------------------

class _Collect(logging.Handler):
    """Keeps the first line of each message, once; never prints."""

    def __init__(self, notes: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.notes = notes

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage().strip().splitlines()
        line = text[0] if text else record.levelname
        m = _ILL_TYPED.search(line)
        if m is not None:
            line = f"a literal is not a valid {m.group(1)} (rdflib keeps it as text)"
        if line not in self.notes:
            self.notes.append(line)


_ILL_TYPED = re.compile(r"Failed to convert Literal lexical form to value\. Datatype=(\S+?),")


@contextmanager
def library_warnings(names: tuple[str, ...] = ("rdflib",)) -> Iterator[list[str]]:
    """Keep the libraries' loggers from printing while the block runs (rdflib logs a whole
    traceback, "Failed to convert Literal lexical form", for every ill-typed literal it reads,
    though the SHACL report names the value); yields the list their warnings are collected in,
    as one line each ("a literal is not a valid ...#decimal ..."), for the caller to show or not.
    Uses only the public ``logging`` API."""
    notes: list[str] = []
    handler = _Collect(notes)
    loggers = [logging.getLogger(name) for name in names]
    saved = [lg.propagate for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
    try:
        yield notes
    finally:
        for lg, propagate in zip(loggers, saved):
            lg.removeHandler(handler)
            lg.propagate = propagate
