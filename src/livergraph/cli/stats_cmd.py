from __future__ import annotations

import json
from dataclasses import asdict

import click

from livergraph.cli.options import format_option, open_graph
from livergraph.cli.viz_cmd import graph_options, load_graph


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@click.command("stats")
@graph_options
@click.option("--top", type=click.IntRange(1, 100), default=5, show_default=True,
              help="How many hubs to list per kind.")
@format_option(("text", "json"), "text", "Output format.", without_aliases=("json",))
def command(root, data_dir, build_dir, no_rebuild, graph_file, lang, top, fmt):
    """What the graph holds, and its hubs.

    Counts the records by class, the network's nodes by kind, trials by status and edges by
    relation; lists the connected components and the hubs among sponsors, cell sources,
    conditions, routes and outcome measures by degree and betweenness centrality. Centrality
    and components leave out the source documents (every record links to the article it was
    read from, which would otherwise be the hub of everything).
    """
    from livergraph.viz.view import (
        KINDS,
        counts_by_class,
        kind_name,
        network_stats,
        to_networkx,
    )

    if graph_file is not None:
        rdf_graph = load_graph(root, data_dir, graph_file)
        G = to_networkx(rdf_graph, lang)
        names = {k: kind_name(k, lang, rdf_graph) for k in KINDS}
    else:   # the published build's network, projected once per build, language and scope
        from livergraph.cli.options import current_scope
        scope = current_scope()
        kg = open_graph(root, data_dir, build_dir, no_rebuild)
        rdf_graph = kg.graph_for(scope)
        view = kg.network_view(lang, scope=scope)
        G, names = view.graph, view.kind_names
    classes = counts_by_class(rdf_graph)
    stats = network_stats(G, top=top)
    if fmt == "json":
        out = {"triples": len(rdf_graph),
               "classes": dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
               **asdict(stats)}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    w = click.echo
    w(f"graph: {len(rdf_graph)} triples")
    w("records by class:")
    for cls, n in sorted(classes.items(), key=lambda kv: (-kv[1], kv[0])):
        w(f"  {cls:<28} {n:>6}")
    w(f"network: {stats.nodes} nodes, {stats.edges} edges")
    w("  nodes by kind:")
    for kind, n in stats.by_kind.items():
        w(f"    {names[kind]:<26} {n:>6}")
    if stats.by_status:
        w("  trials by status:")
        for status, n in stats.by_status.items():
            w(f"    {status:<26} {n:>6}")
    w("  edges by relation:")
    for rel, n in stats.by_relation.items():
        w(f"    {rel:<26} {n:>6}")
    sizes = stats.components
    shown = ", ".join(str(s) for s in sizes[:10]) + (" …" if len(sizes) > 10 else "")
    w(f"connected components (without source documents): {len(sizes)}"
      + (f"; sizes {shown}" if sizes else ""))
    w("hubs (degree, betweenness):")
    for kind, hubs in stats.hubs.items():
        w(f"  {names[kind]}:")
        for h in hubs:
            w(f"    {_short(h.label):<48} {h.degree:>4}  {h.betweenness:.4f}")
    w("bridges (highest betweenness):")
    for h in stats.top_betweenness:
        w(f"    {_short(h.label):<48} {h.degree:>4}  {h.betweenness:.4f}  "
          f"({names.get(h.kind, h.kind)})")
