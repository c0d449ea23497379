"""livergraph: a knowledge graph of stem-cell therapy trials for liver cirrhosis.

The library (``livergraph.api``, loaded on first use so ``import livergraph`` stays cheap)::

    import livergraph
    kg = livergraph.open("data")          # a data dir, a project root or a build dir
    print(kg.named_query("trials-by-status"))
    rows = kg.query("SELECT ?t WHERE { ?t lg:status ?s }", s="lgc:status-RECRUITING")
    report = kg.validate()

The version lives in pyproject.toml only; ``livergraph.__version__`` reads the installed
package's metadata on first use (importing importlib.metadata costs every command ~30 ms)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from livergraph.api import IRI, KnowledgeGraph, Rows, Stats, open

__all__ = ["IRI", "KnowledgeGraph", "Rows", "Stats", "open"]

_API = frozenset(__all__)


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version
        try:
            return version("livergraph")
        except PackageNotFoundError:  # running from a source tree that was not installed
            return "0+unknown"
    if name in _API:
        from livergraph import api
        return getattr(api, name)
    raise AttributeError(f"module 'livergraph' has no attribute {name!r}")
