"""The livergraph library: open the published knowledge graph and ask it questions.

``livergraph.open`` takes a data directory, a project root or a published build directory and
returns a ``KnowledgeGraph`` over the graph ``livergraph build`` published (building it first, once,
when it is missing or an input changed). Answers are Python values:

>>> import livergraph
>>> kg = livergraph.open("data")
>>> rows = kg.named_query("trials-by-status")
>>> rows.columns[:2]
('status', 'statusLabel')
>>> sum(rows.column("trials")) == kg.query("SELECT (COUNT(?t) AS ?n) WHERE { ?t a lg:Trial }")[0][0]
True
>>> kg.query("SELECT ?status WHERE { ?t lg:status ?status }", t="trial:NCT01220492")[0][0]
IRI('https://w3id.org/livergraph/concept/status-COMPLETED')
>>> kg.validate().conforms
True

Parameters are bound as RDF terms, never spliced into the query as text: a ``str`` that is an
http(s) IRI or a CURIE with a predeclared prefix is bound as that IRI, any other ``str`` as a
string literal; ``int``, ``float``, ``Decimal``, ``bool``, ``date`` as typed literals; use
``livergraph.IRI(...)`` to force an IRI.

``scope=`` (on ``query``, ``named_query``, ``answer``, ``stats``, ``network``, ``export``,
``graph_for``) chooses which sources are read: ``"article"`` (the seed article's curated facts),
``"registry"`` (the registry imports), ``"all"`` (each source apart: a SELECT's rows stacked
under a leading ``source`` column) or ``"union"`` (everything as one; see
``livergraph.publish.scopes``). ``scope`` is therefore not available as a query variable name
to bind.

The command line is a thin layer over this module: ``livergraph query`` is ``kg.answer``,
``stats`` is ``kg.stats``, ``export`` is ``kg.export``, ``viz`` draws ``kg.network``.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livergraph.errors import UnreadableInput
from livergraph.publish import artifact
from livergraph.publish.inputs import Inputs
from livergraph.query.rows import IRI, Rows, rows_from, to_term

if TYPE_CHECKING:
    import networkx as nx  # type: ignore[import-untyped]
    import pyoxigraph as ox
    from rdflib import Graph

    from livergraph.query.engine import Answer
    from livergraph.validate.shacl import Report
    from livergraph.viz.network_view import NetworkView
    from livergraph.viz.view import NetworkStats

__all__ = ["IRI", "KnowledgeGraph", "Rows", "Stats", "locate", "open"]


def _is_root(path: Path) -> bool:
    return (path / "ontology" / "livergraph.ttl").is_file() and (path / "data").is_dir()


def locate(path: str | os.PathLike[str] | None = None, *,
           root: str | os.PathLike[str] | None = None,
           build_dir: str | os.PathLike[str] | None = None) -> tuple[Inputs | None, Path]:
    """The inputs and the build directory ``path`` names: a published build directory (its
    manifest says where its inputs are; None when they are gone), a project root, or a data
    directory (the project is the nearest parent holding ontology/livergraph.ttl, else the
    one livergraph runs from, or ``root`` when given). ``build_dir`` overrides where the build
    is."""
    from livergraph.project import find_root
    given = Path(path) if path is not None else None
    if given is not None and ((given / artifact.CURRENT).is_symlink() or
                              (given / artifact.MANIFEST).is_file()):
        found = artifact.current(given) or artifact.open_generation(given)
        if found is None:
            raise UnreadableInput("not a complete livergraph build", file=str(given),
                                  hint="run `livergraph build`")
        manifest = found.manifest
        found.release()
        root, data = Path(manifest["root"]), Path(manifest["data"])
        inputs = Inputs(root, root / "ontology" / "livergraph.ttl", root / "shapes", data) \
            if _is_root(root) and data.is_dir() else None
        return inputs, Path(build_dir) if build_dir is not None else given
    if given is None:
        root = Path(root) if root is not None else find_root()
        data = root / "data"
    elif _is_root(given) and root is None:
        root, data = given, given / "data"
    elif given.is_dir():
        data = given
        root = Path(root) if root is not None else find_root(given.resolve())
    else:
        raise UnreadableInput("no such directory", file=str(given),
                              hint="pass a data directory, the project root or a build "
                                   "directory")
    inputs = Inputs(root, root / "ontology" / "livergraph.ttl", root / "shapes", data)
    directory = Path(build_dir) if build_dir is not None else \
        artifact.default_build_dir(root, data)
    return inputs, directory


def open(path: str | os.PathLike[str] | None = None, *,  # noqa: A001 - livergraph.open
         root: str | os.PathLike[str] | None = None, build_dir: str | os.PathLike[str] | None = None, rebuild: str = "auto",
         on_rebuild: Callable[[str], None] | None = None,
         on_warning: Callable[[str], None] | None = None) -> KnowledgeGraph:
    """The published knowledge graph of ``path`` (see ``locate``), built first when it is
    missing or an input changed (``rebuild="auto"``; ``"never"`` raises ``StaleBuild``, exit
    code 3, instead; ``"always"`` rebuilds). ``on_rebuild(why)`` is told before a build."""
    inputs, directory = locate(path, root=root, build_dir=build_dir)
    if inputs is None:       # a build whose inputs are not here: read it as it is
        found = artifact.current(directory) or artifact.open_generation(directory)
        if found is None:
            raise UnreadableInput("not a complete livergraph build", file=str(directory))
        return KnowledgeGraph(found, None)
    published = artifact.ensure(inputs, directory, rebuild=rebuild, on_rebuild=on_rebuild,
                                on_warning=on_warning)
    return KnowledgeGraph(published, inputs)


@dataclass
class Stats:
    """What ``kg.stats()`` counts: triples, records by class, and the network's figures."""

    triples: int
    classes: dict[str, int]
    network: NetworkStats


class KnowledgeGraph:
    """The published graph, read-only. Open one with ``livergraph.open``."""

    def __init__(self, published: artifact.Published, inputs: Inputs | None):
        self.published = published
        self.inputs = inputs
        self._store: ox.Store | None = None
        self._graph: Graph | None = None
        self._scoped: dict[str, Graph] = {}
        self._sources_of: dict[str, list[str]] | None = None
        self._parts: Any = None

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.published.directory} ({self.published.triples} triples)>"

    # -- what was published --------------------------------------------------------------------

    @property
    def manifest(self) -> dict[str, Any]:
        """The build's manifest: input hashes, versions, triple counts, options, timings."""
        return self.published.manifest

    @property
    def directory(self) -> Path:
        """The published generation's directory (livergraph.ttl, store/, manifest.json ...)."""
        return self.published.directory

    @property
    def prefixes(self) -> dict[str, str]:
        """The prefixes predeclared for queries."""
        return self.published.prefixes

    @property
    def store(self) -> ox.Store:
        """The published Oxigraph store, opened read-only. The ontology, each source's
        statements and the inferred ones are in named graphs (``livergraph.export.parts``);
        pass ``use_default_graph_as_union=True`` to queries, or ``default_graph`` (see
        ``livergraph.publish.scopes.query_graphs``)."""
        if self._store is None:
            import pyoxigraph as ox
            self._store = ox.Store.read_only(str(self.published.store_path))
        return self._store

    @property
    def graph(self) -> Graph:
        """The published graph as an rdflib Graph, loaded on first use (from the build's pickle
        when the installed rdflib wrote it, else parsed from the Turtle)."""
        if self._graph is None:
            graph = self._pickled(artifact.GRAPH_PICKLE)
            if graph is None:
                from rdflib import Graph
                graph = Graph()
                graph.parse(self.published.turtle, format="turtle")
            self._graph = graph
        return self._graph

    def _pickled(self, name: str) -> Any:
        """An object the build pickled, when the installed rdflib is the one that wrote it and
        the file is this user's own and writable by no one else (a pickle can run code: one
        from a build directory someone else could have written is never loaded; the Turtle /
        N-Quads are parsed instead)."""
        import rdflib

        from livergraph.io.pickles import load_own
        if self.manifest.get("versions", {}).get("rdflib") != rdflib.__version__:
            return None
        return load_own(self.directory / name)

    def close(self) -> None:
        """Let a later build remove this generation (the object is unusable afterwards)."""
        self._store = None
        self.published.release()

    # -- questions -----------------------------------------------------------------------------

    def _bound(self, text: str, params: dict[str, Any],
               declared: tuple[str, ...] | None = None) -> str:
        if not params:
            return text
        from livergraph.query.checks import bind_params
        terms = {name: str(to_term(value, self.prefixes)) for name, value in params.items()}
        return bind_params(text, terms, self.prefixes, declared)

    def query(self, sparql: str, *, scope: str | None = None, **params: Any) -> Rows:
        """Answer a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) as ``Rows``; each
        keyword argument binds the variable of its name (see the module docstring).

        ``scope`` (``livergraph.publish.scopes``): ``"article"`` or ``"registry"`` answer over
        those sources' graphs (with the ontology and what was inferred about them); ``"all"``
        runs a SELECT once per source and stacks the rows under a leading ``source`` column;
        ``"union"`` or None (the default) answer over every graph as one."""
        from livergraph.query.checks import check
        info = check(sparql, self.prefixes)
        text = self._bound(sparql, params)
        return self._run(text, scope, info.form)

    def _run(self, text: str, scope: str | None, form: str | None) -> Rows:
        from livergraph.publish.scopes import query_graphs
        from livergraph.query.checks import syntax_error
        from livergraph.query.engine import check_stackable, query_store, store_labels
        graphs, stacked = query_graphs(self.manifest, scope)
        check_stackable(stacked, form)
        try:
            result = query_store(self.store, text, self.prefixes, graphs, stacked)
        except SyntaxError as exc:
            raise syntax_error(str(exc), text) from None
        return rows_from(result, self.prefixes, store_labels(self.store))

    def named_query(self, name: str, *, scope: str | None = None, **params: Any) -> Rows:
        """Answer the named query ``queries/NAME.rq`` (``livergraph queries`` lists them), in
        ``scope`` (see ``query``), else in the scope its header declares (``# scope:
        article``), else over every graph. Each keyword argument is checked against the
        parameter's declared type as on the command line (``study="fu-2018"`` is read as
        ``study:fu-2018``; an unknown, missing or ill-formed value raises a LivergraphError
        saying what is valid)."""
        nq = self._named(name)
        from livergraph.publish.scopes import check_scope, declared_scope
        from livergraph.query.checks import bind_params, check
        from livergraph.query.params import resolve
        check_scope(scope)
        info = check(nq.text, self.prefixes)
        terms, _notes = resolve(nq, params, self.store, self.prefixes)
        text = bind_params(nq.text, {n: str(t) for n, t in terms.items()}, self.prefixes,
                           tuple(p for p, _ in nq.params))
        return self._run(text, scope or declared_scope(nq.text, name), info.form)

    def _named(self, name: str) -> Any:
        from livergraph.query.named import find_named
        return find_named(self.queries_dir, name)

    @property
    def queries_dir(self) -> Path:
        """Where the named queries are (read when a query runs, not part of the build)."""
        root = self.inputs.root if self.inputs is not None else Path(self.manifest["root"])
        return root / "queries"

    def answer(self, sparql: str, *, fmt: str = "table", lang: str = "en",
               params: dict[str, str] | None = None, declared: tuple[str, ...] | None = None,
               engine: str = "oxigraph", allow_service: bool = False,
               timeout: float | None = None, layout: Any = None,
               scope: str | None = None) -> Answer:
        """The answer rendered in a result format (what ``livergraph query`` prints):
        ``params`` are given as text, as on the command line, and bound as SPARQL terms;
        ``layout`` (``livergraph.query.render.Layout``) shapes the tables for people;
        ``scope`` as in ``query``."""
        from livergraph.query.checks import bind_params
        from livergraph.query.engine import run_local
        from livergraph.publish.scopes import query_graphs
        graphs, stacked = query_graphs(self.manifest, scope)
        if params:
            sparql = bind_params(sparql, params, self.prefixes, declared)
        return run_local(sparql, self.published.store_path, self.prefixes, fmt=fmt, lang=lang,
                         engine=engine, allow_service=allow_service, timeout=timeout,
                         layout=layout, graphs=graphs, stacked=stacked)

    # -- checks, views, exports ------------------------------------------------------------------

    def validate(self) -> Report:
        """The SHACL validation report of the published graph (as the build made it; the
        shapes are run now when the build skipped validation)."""
        import json

        from livergraph.validate.shacl import Report, Result
        path = self.published.report_json
        if path.is_file():
            doc = json.loads(path.read_text(encoding="utf-8"))
            return Report([Result(**r) for r in doc["results"]], int(doc["triples"]), 0.0,
                          list(doc.get("shapes", [])))
        if self.inputs is None:
            raise UnreadableInput("this build was not validated and its shapes are not here",
                                  file=str(self.directory))
        from livergraph.validate.shacl import load_shapes, validate
        shapes, files = load_shapes(self.inputs.shapes)
        return validate(self.graph, shapes, files)

    def network(self, lang: str = "en", *, scope: str | None = None) -> nx.MultiDiGraph:
        """The network the viewer draws (``livergraph viz``): records and terms as nodes;
        ``scope`` ``"article"`` or ``"registry"`` keeps those sources' records only. A new
        graph each call (change it freely)."""
        return self.network_view(lang, scope=scope).graph.copy()

    def network_view(self, lang: str = "en", *, scope: str | None = None) -> NetworkView:
        """The network with what the viewer needs besides (the node each collapsed resource
        was folded into, the kinds' names), of the graph of ``scope`` (see ``graph_for``).
        Projected once per build, language and scope and kept in the build (see
        :mod:`livergraph.viz.network_view`)."""
        from livergraph.publish.scopes import check_scope
        from livergraph.viz.network_view import cached_view
        check_scope(scope)
        scoped = scope if scope in ("article", "registry") and "sources" in self.manifest \
            else None
        return cached_view(self.directory, lang, lambda: self.graph_for(scoped),
                           extra=scoped or "")

    def stats(self, *, top: int = 5, lang: str = "en", scope: str | None = None) -> Stats:
        """Triples, records by class and the network's figures (``livergraph stats``), over
        the graphs of ``scope`` (``"article"``, ``"registry"``; everything by default)."""
        from livergraph.viz.view import counts_by_class, network_stats
        graph = self.graph_for(scope)
        classes = dict(counts_by_class(graph))
        return Stats(len(graph), classes,
                     network_stats(self.network_view(lang, scope=scope).graph, top=top))

    def graph_for(self, scope: str | None) -> Graph:
        """The rdflib graph of ``scope``: for ``"article"`` or ``"registry"`` the ontology,
        those sources' statements and what was inferred about them; else ``graph`` (every
        statement). An unknown scope is an error listing the scopes (exit 2)."""
        from livergraph.publish.scopes import check_scope, sources_in
        check_scope(scope)
        if scope not in ("article", "registry") or "sources" not in self.manifest:
            return self.graph
        if scope not in self._scoped:
            sources = sources_in(self.manifest, scope)
            self._scoped[scope] = self.parts().scoped(sources).graph()
        return self._scoped[scope]

    def sources_of(self) -> dict[str, list[str]]:
        """Record IRI -> the sources (``article``, ``clinicaltrials.gov``, ``ictrp``) whose
        graphs state it (as the subject of a statement)."""
        if self._sources_of is None:
            found: dict[str, list[str]] = {}
            parts = self.parts()
            for source in parts.source_names():
                for s in set(parts.sources[source].subjects()):
                    found.setdefault(str(s), []).append(source)
            self._sources_of = found
        return self._sources_of

    def parts(self) -> Any:
        """The published statements split into their named graphs (``export.formats.Parts``)."""
        if self._parts is None:
            parts = self._pickled(artifact.PARTS_PICKLE)
            if parts is None:
                from livergraph.export.formats import parts_from_nquads
                parts = parts_from_nquads(self.published.nquads, self.manifest["version"])
            self._parts = parts
        return self._parts

    def export(self, format: str, path: str | os.PathLike[str] | None = None,  # noqa: A002
               *, lang: str = "en", scope: str | None = None) -> str | None:
        """The graph in an export format (``livergraph.io.formats``: turtle, nt, json-ld, trig,
        nquads, xml, graphml, gexf): written atomically to ``path``, or returned as text.
        ``scope`` ``"article"`` or ``"registry"`` exports those sources' graphs only (with the
        ontology, what was inferred about them and their description)."""
        from livergraph.export.formats import export_text
        from livergraph.io.formats import export_format
        from livergraph.publish.scopes import check_scope, sources_in
        check_scope(scope)
        fmt = export_format(format)
        scoped = scope in ("article", "registry") and "sources" in self.manifest
        if fmt.name in ("graphml", "gexf"):
            from livergraph.export.formats import network_text
            text = network_text(self.graph_for(scope), fmt.name, lang)
        elif scoped:
            text = export_text(self.parts().scoped(sources_in(self.manifest, scope)), fmt.name)
        elif fmt.name == "nquads":      # the published file is this export, byte for byte
            text = self.published.nquads.read_text(encoding="utf-8")
        elif fmt.name == "turtle":      # so is the published Turtle
            text = self.published.turtle.read_text(encoding="utf-8")
        else:
            text = export_text(self.parts(), fmt.name)
        if path is None:
            return text
        from livergraph.io.atomic import write_atomic
        write_atomic(Path(path), lambda h: h.write(text))
        return None
