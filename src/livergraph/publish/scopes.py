"""Scopes: which sources' named graphs a reader sees (``--scope``, ``scope=`` in the API).

* ``article``: the ontology, the article's graph and what was inferred about it;
* ``registry``: the ontology, every registry import's graph and what was inferred about them;
* ``all``: every source, kept apart: ``livergraph query`` runs a SELECT once per source and
  stacks the answers under a leading ``source`` column; the graph-reading commands (stats, viz,
  export, the evidence commands) read everything;
* ``union``: every graph as one (the store's union default graph, the description included),
  for joins across sources. Ad-hoc SPARQL runs on it unless told otherwise; a named query runs
  on the scope its header declares (``# scope: article``), else on the union.

The graphs come from the build's manifest (``sources``: each source's graph and inferred graph).
"""
from __future__ import annotations

import re
from typing import Any

from livergraph.errors import UnreadableInput
from livergraph.model.sources import ARTICLE, REGISTRY_SOURCES, SOURCES

SCOPES = ("article", "registry", "all", "union")
#: the column ``--scope all`` adds in front of a SELECT's answers
SOURCE_COLUMN = "source"

_SCOPE_LINE = re.compile(r"^#\s*scope:\s*(?P<scope>\S+)\s*$")


def check_scope(scope: str | None, *, where: str = "--scope") -> str | None:
    """``scope`` when it is one of ``SCOPES`` (or None); else an error listing them (exit 2)."""
    if scope is None or scope in SCOPES:
        return scope
    raise UnreadableInput(f"{where} {scope!r} is not a scope",
                          hint="use one of " + ", ".join(SCOPES) + " (article: the seed "
                               "article's curated facts; registry: the registry imports; all: "
                               "each source apart; union: everything as one graph)")


def declared_scope(text: str, name: str = "") -> str | None:
    """The scope a named query's header declares (``# scope: article``), or None."""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _SCOPE_LINE.match(line)
        if m:
            return check_scope(m.group("scope"), where=f"the named query {name} declares scope"
                               if name else "# scope:")
    return None


def sources_in(manifest: dict[str, Any], scope: str | None) -> list[str]:
    """The sources of the build that ``scope`` covers, in ``SOURCES`` order."""
    present = [s for s in SOURCES if s in manifest.get("sources", {})]
    if scope == "article":
        return [s for s in present if s == ARTICLE]
    if scope == "registry":
        return [s for s in present if s in REGISTRY_SOURCES]
    return present


def ontology_graph(manifest: dict[str, Any]) -> str | None:
    return next((iri for iri, part in manifest.get("graphs", {}).items() if part == "ontology"),
                None)


def graphs_for(manifest: dict[str, Any], sources: list[str]) -> list[str]:
    """The named graphs a query over ``sources`` reads as its default graph: the ontology,
    each source's graph and the graph of what was inferred about it."""
    found = [g for g in (ontology_graph(manifest),) if g]
    for source in sources:
        entry = manifest["sources"][source]
        found.append(entry["graph"])
        if entry.get("inferred"):
            found.append(entry["inferred_graph"])
    return found


def default_graph(manifest: dict[str, Any], scope: str | None) -> list[str] | None:
    """The default graph of a query in ``scope``: a list of named graphs, or None for the
    union of everything (``union``, ``all`` and no scope). A build without per-source graphs
    (installed from N-Triples) has only the union."""
    if scope not in ("article", "registry") or "sources" not in manifest:
        return None
    return graphs_for(manifest, sources_in(manifest, scope))


def query_graphs(manifest: dict[str, Any], scope: str | None
                 ) -> tuple[list[str] | None, list[tuple[str, list[str]]] | None]:
    """(default graphs, per-source graphs to stack) of a query in ``scope`` over the build
    ``manifest`` describes: (None, None) is the union of every graph; ``all`` stacks one
    answer per source; an unknown scope is an error listing the scopes (exit 2)."""
    check_scope(scope)
    if scope == "all" and "sources" in manifest:
        return None, [(s, graphs_for(manifest, [s])) for s in sources_in(manifest, None)]
    return default_graph(manifest, scope), None
