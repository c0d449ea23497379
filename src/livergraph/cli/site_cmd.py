"""``livergraph site``: the files that make livergraph's w3id.org IRIs resolve."""
from __future__ import annotations

from pathlib import Path

import click

from livergraph.cli.options import graph_source_options, open_graph, paths_for


@click.command("site")
@click.option("-o", "--output", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=Path("site-w3id"), show_default=True,
              help="Directory to write: w3id/livergraph/.htaccess and site/.")
@click.option("--base-url", required=True, metavar="https://…/",
              help="Where the files of site/ will be hosted (an https:// address).")
@click.option("--with-graph", is_flag=True,
              help="Also put the published graph (livergraph.ttl) and the network view "
                   "(index.html) in site/, so record IRIs resolve too.")
@graph_source_options
def command(directory, base_url, with_graph, root, data_dir, build_dir, no_rebuild):
    """Write what publishing livergraph's persistent IRIs needs.

    \b
    livergraph site --base-url https://example.org/livergraph/ -o site-w3id
    livergraph site --base-url https://example.org/livergraph/ --with-graph

    w3id/livergraph/.htaccess holds redirect rules in w3id.org's format (propose it to the
    w3id.org repository, as the directory livergraph/): browsers asking for
    https://w3id.org/livergraph/ontology get the ontology's documentation page, RDF clients
    (Accept: text/turtle) the Turtle; concepts go to their entry in the page; records to the
    published graph or the network view. site/ holds those files, to host at --base-url.
    """
    from livergraph.export.w3id import htaccess, write_site
    htaccess(base_url)          # refuse an unusable URL before any work
    import tempfile
    paths = paths_for(root)
    with tempfile.TemporaryDirectory() as tmp:
        graph = viewer = None
        if with_graph:
            from livergraph.viz.draw import draw
            kg = open_graph(root, data_dir, build_dir, no_rebuild)
            graph = kg.published.turtle
            viewer = Path(tmp) / "index.html"
            viewer.write_text(draw(kg.graph).page, encoding="utf-8")
        written = write_site(directory, base_url, paths.ontology,
                             paths.root / "ontology" / "context.jsonld", graph, viewer)
    for path in written:
        click.echo(f"wrote {path}")
