from __future__ import annotations

import click

from livergraph.cli.options import graph_source_options, open_graph


@click.command("push")
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL 1.1 Graph Store Protocol URL, e.g. "
                   "http://127.0.0.1:7878/store (Oxigraph), http://HOST:3030/DATASET/data "
                   "(Fuseki), http://HOST:8890/sparql-graph-crud-auth (Virtuoso).")
@click.option("--graph", "graph_name", metavar="IRI", default=None,
              help="Named graph to load into (default: "
                   "https://w3id.org/livergraph/graph/VERSION).")
@click.option("--replace/--append", "replace", default=True, show_default=True,
              help="Replace the named graph's content in one PUT (nothing is ever half-loaded), "
                   "or add to it with one POST.")
@click.option("--timeout", type=float, default=None, metavar="SECONDS",
              help="Give up when the server has not answered after this long (default 300).")
@click.option("--allow-insecure-auth", is_flag=True,
              help="Send credentials over plain http to another machine (they would travel "
                   "unencrypted; by default only https or 127.0.0.1 gets them).")
@graph_source_options
def command(endpoint, graph_name, replace, timeout, allow_insecure_auth, root, data_dir,
            build_dir, no_rebuild):
    """Load the knowledge graph into a triple store (SPARQL 1.1 Graph Store Protocol).

    \b
    livergraph push --endpoint http://127.0.0.1:7878/store
    LIVERGRAPH_USER=admin LIVERGRAPH_PASSWORD=... livergraph push \\
        --endpoint http://localhost:3030/livergraph/data

    The graph is the one `livergraph build` published (rebuilt once first when an input changed;
    --no-rebuild: exit 3 instead); a graph with violations is never published, so never pushed. Credentials are read from the environment only: LIVERGRAPH_TOKEN (a bearer token), or
    LIVERGRAPH_USER and LIVERGRAPH_PASSWORD. Exit 2 when the store cannot be reached or refuses,
    with the HTTP status and what the server said.
    """
    from livergraph.export.formats import FORMATS
    from livergraph.export.push import check_endpoint, credentials, probe, push
    from livergraph.io.http import check_timeout

    check_timeout(timeout)
    check_endpoint(endpoint)
    credentials()  # refuse a half-set environment before building
    probe(endpoint)  # and an endpoint where nothing listens
    kg = open_graph(root, data_dir, build_dir, no_rebuild)
    graph = graph_name or kg.manifest["graph"]
    text = kg.export("turtle")
    assert text is not None
    body = text.encode("utf-8")
    result = push(body, endpoint=endpoint, graph=graph,
                  mode="replace" if replace else "append",
                  content_type=FORMATS["turtle"].media_type + "; charset=utf-8", timeout=timeout,
                  allow_insecure_auth=allow_insecure_auth)
    verb = "replaced" if replace else "added to"
    click.echo(f"{verb} <{graph}> at {endpoint}: {kg.published.triples} triples "
               f"({result.bytes_sent} bytes of Turtle; HTTP {result.status})")
