"""One generation of the published build: the graph as Turtle and N-Quads, the Oxigraph store,
the validation report, and the manifest that describes them (written into a temporary directory
that livergraph.publish.artifact then installs)."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from livergraph.publish.inputs import Inputs, sha256_file
from livergraph.publish.layout import (
    ARTIFACT_FORMAT,
    DISTRIBUTIONS,
    GRAPH_PICKLE,
    NQUADS,
    PARTS_PICKLE,
    REPORT_JSON,
    REPORT_TTL,
    STORE,
    TURTLE,
)


def write_json(path: Path, doc: dict[str, Any]) -> None:
    from livergraph.io.atomic import write_atomic
    write_atomic(path, lambda h: h.write(json.dumps(doc, indent=1, sort_keys=True,
                                                    ensure_ascii=False) + "\n"))


def versions() -> dict[str, str]:
    import platform
    from importlib.metadata import PackageNotFoundError, version
    found = {"python": platform.python_version()}
    for name in DISTRIBUTIONS:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def sources_manifest(parts: Any) -> dict[str, dict[str, Any]]:
    """Each source of the build: its graph, the graph of what was inferred about it, its
    triple counts and the date its facts are as of (from the description)."""
    from rdflib import URIRef

    from livergraph.model.sources import graph_path, inferred_path
    from livergraph.namespaces import LG
    found = {}
    for source in parts.source_names():
        name = parts.graph_name(graph_path(source))
        inferred = parts.inferred_by.get(source)
        retrieved = parts.description.value(URIRef(name), LG.retrievedOn)
        found[source] = {"graph": str(name), "triples": len(parts.sources[source]),
                         "inferred_graph": str(parts.graph_name(inferred_path(source))),
                         "inferred": len(inferred) if inferred is not None else 0,
                         "retrieved": str(retrieved) if retrieved is not None else None}
    return found


def _shared(parts: Any) -> int:
    """How many data statements are in more than one source graph (a curated trial and its
    imported supplement both state ``trial:NCT… a lg:Trial``)."""
    graphs = [g for g in parts.sources.values() if len(g)]
    if len(graphs) < 2:
        return 0
    distinct: set[Any] = set()
    for g in graphs:
        distinct.update(g)
    return sum(len(g) for g in graphs) - len(distinct)


def write_generation(target: Path, inputs: Inputs, checked: Any, hashes: dict[str, Any], *,
                      validate: bool, reason: bool) -> dict[str, Any]:
    """Write the graph, its store and its validation report into ``target``; the manifest."""
    import pickle

    import pyoxigraph as ox

    from livergraph import __version__
    from livergraph.export.formats import EXPORT_PREFIXES, split, total_quads, write_nquads
    from livergraph.io.turtle import write_turtle
    from livergraph.model.description import graph_iri, set_triple_count
    from livergraph.model.schema import load_ontology_graph
    from livergraph.namespaces import PREFIXES

    graph = checked.graph
    seconds = {k: round(v, 3) for k, v in checked.seconds.items()}
    start = time.perf_counter()
    parts = split(graph, load_ontology_graph(inputs.ontology), version=__version__,
                  sources=checked.result.sources)
    total = total_quads(parts)
    set_triple_count(parts.description, total)
    for t in parts.description:      # the source graphs' description: in the Turtle too
        graph.add(t)
    set_triple_count(graph, total)
    with open(target / TURTLE, "w", encoding="utf-8", newline="\n") as handle:
        write_turtle(graph, handle, EXPORT_PREFIXES)
    with open(target / NQUADS, "w", encoding="utf-8", newline="\n") as handle:
        write_nquads(parts, handle)
    with open(target / GRAPH_PICKLE, "wb") as handle:
        pickle.dump(graph, handle, protocol=pickle.HIGHEST_PROTOCOL)
    with open(target / PARTS_PICKLE, "wb") as handle:
        pickle.dump(parts, handle, protocol=pickle.HIGHEST_PROTOCOL)
    seconds["write"] = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    store = ox.Store(str(target / STORE))
    store.bulk_load(path=str(target / NQUADS), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    del store            # closes the database before the directory is renamed
    seconds["store"] = round(time.perf_counter() - start, 3)
    report = checked.report
    if report is not None:
        from livergraph.validate.shacl import write_json, write_report_turtle
        with open(target / REPORT_JSON, "w", encoding="utf-8") as handle:
            write_json(report, handle)
        with open(target / REPORT_TTL, "w", encoding="utf-8") as handle:
            write_report_turtle(report, handle)
    result = checked.result
    counts = {"total": total, "description": len(parts.description),
              "ontology": len(parts.ontology),
              "data": sum(len(g) for g in parts.sources.values()),
              "inferred": sum(len(g) for g in parts.inferred_by.values()),
              "shared": _shared(parts),
              **{f"graph:{path}": len(g) for path, g in
                 ((parts.graph_names()[str(name)], g) for name, g in parts.named())}}
    return {
        "format": ARTIFACT_FORMAT,
        "version": __version__,
        "root": str(inputs.root.resolve()),
        "data": str(inputs.data.resolve()),
        "options": {"validate": validate, "reason": reason,
                    "reasoned": checked.reasoning is not None},
        "inputs": hashes,
        "outputs": {name: sha256_file(target / name) for name in (TURTLE, NQUADS)},
        "versions": versions(),
        "triples": counts,
        "graphs": {"": "description", **{str(name): parts.graph_names()[str(name)]
                                         for name, _ in parts.named()}},
        "sources": sources_manifest(parts),
        "graph": str(graph_iri(__version__)),
        "records": result.records,
        "validation": None if report is None else {"conforms": report.conforms,
                                                   **report.counts},
        "inferred_types": None if checked.reasoning is None else len(checked.reasoning.inferred),
        "prefixes": dict(PREFIXES),
        "seconds": seconds,
    }
