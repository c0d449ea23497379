"""The viewer's network of a published build, projected once per language and kept beside it.

Projecting the RDF graph into the network the viewer draws (:mod:`livergraph.viz.view`) is
most of what ``livergraph viz`` and ``livergraph stats`` do, and its input — the published
build — does not change between calls. So the first reader of a build in a language projects
it and keeps the result in the build's own directory (``views/network-<lang>-<key>.pickle``);
later readers load that file instead of the whole RDF graph. A new build is a new directory,
so a view never outlives the graph it was projected from. The ``key`` covers everything else
the projection depends on: livergraph's own code (a hash of the package's source files),
networkx's version and Python's. A view file is loaded only when it is this user's own and no
one else may write it (:mod:`livergraph.io.pickles`); when the build directory cannot be
written, the network is projected every time.
"""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from livergraph.io.pickles import dump_own, load_own

if TYPE_CHECKING:
    from rdflib import Graph

    from livergraph.viz.view import Projection

VIEWS_DIR = "views"


@dataclass
class NetworkView:
    """The network (``graph``), the node each collapsed RDF node was folded into
    (``aliases``), and the readable name of each node kind (``kind_names``) in one language."""
    graph: nx.MultiDiGraph
    aliases: dict[str, str] = field(default_factory=dict)
    kind_names: dict[str, str] = field(default_factory=dict)

    def projection(self) -> Projection:
        """The same network as a :class:`livergraph.viz.view.Projection`."""
        from livergraph.viz.view import Projection
        return Projection(self.graph, self.aliases)


def project_view(rdf_graph: Graph, lang: str = "en") -> NetworkView:
    """Project ``rdf_graph`` (read only) into the viewer's network in ``lang``."""
    from livergraph.viz.styles import KINDS, kind_name
    from livergraph.viz.view import project
    projection = project(rdf_graph, lang)
    return NetworkView(projection.graph, dict(projection.aliases),
                       {k: kind_name(k, lang, rdf_graph) for k in KINDS})


@lru_cache(maxsize=1)
def code_key() -> str:
    """A short hash of what a view depends on besides the graph: livergraph's source files,
    networkx's version and Python's."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{nx.__version__}|{sys.version_info[:2]}".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_view(directory: Path, lang: str, rdf_graph: Callable[[], Graph],
                extra: str = "") -> NetworkView:
    """The view of the build in ``directory`` in ``lang``: loaded from the build's views when
    one was projected before by this code, else projected from ``rdf_graph()`` (called only
    then) and kept there for the next reader. ``extra`` distinguishes views of the same build
    that differ in something else (such as a scope)."""
    view = kept_view(directory, lang, extra)
    if view is not None:
        return view
    view = project_view(rdf_graph(), lang)
    dump_own(_path(directory, lang, extra), view)
    return view


def kept_view(directory: Path, lang: str, extra: str = "") -> NetworkView | None:
    """The view kept in the build in ``directory`` (see ``cached_view``), or None when none
    was projected yet (or it cannot be trusted)."""
    view: Any = load_own(_path(directory, lang, extra))
    return view if isinstance(view, NetworkView) else None


def _path(directory: Path, lang: str, extra: str) -> Path:
    tag = f"{lang}-{extra}" if extra else lang
    return Path(directory) / VIEWS_DIR / f"network-{tag}-{code_key()}.pickle"
