from __future__ import annotations

from pathlib import Path

import click

from livergraph.cli.options import check_options, data_option, output_option, paths_for, root_option

#: RDF formats (livergraph.export.FORMATS) and the network formats (livergraph.network)
RDF_FORMATS = ("turtle", "nt", "jsonld", "trig", "nquads", "xml")
NETWORK_FORMATS = ("graphml", "gexf")
#: the JSON-LD @context alone, generated from the ontology (published as ontology/context.jsonld)
CONTEXT_FORMAT = "context"


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(RDF_FORMATS + NETWORK_FORMATS + (CONTEXT_FORMAT,)),
              default="turtle", show_default=True,
              help="turtle, nt (N-Triples), jsonld (JSON-LD with the livergraph @context), trig "
                   "and nquads (the ontology, the data and inferred statements in named graphs, "
                   "the dataset description in the default graph), xml (RDF/XML); graphml and "
                   "gexf write the network view for Gephi, Cytoscape or yEd; context writes the "
                   "JSON-LD @context generated from the ontology.")
@output_option("default: standard output")
@click.option("--lang", type=click.Choice(("en", "zh")), default="en", show_default=True,
              help="Language of the node labels in graphml and gexf.")
@root_option
@data_option
@check_options
def command(fmt, output, lang, root, data_dir, no_validate, no_reason):
    """Write the knowledge graph in a format other linked-data tools read.

    \b
    livergraph export --format jsonld -o livergraph.jsonld
    livergraph export --format trig > livergraph.trig
    livergraph export --format graphml -o livergraph.graphml

    The graph is built as `livergraph build` builds it: validated against the SHACL shapes
    (violations exit 1, nothing is written), reasoned over by HermiT (inferred types are added,
    in their own named graph in TriG and N-Quads), with its VoID / DCAT description. Every
    format is deterministic (the same inputs give the same bytes) and -o writes atomically.
    """
    from livergraph.export.formats import FORMATS, build_parts, to_string, write
    from livergraph.io.atomic import write_atomic

    paths = paths_for(root)
    if fmt == CONTEXT_FORMAT:
        _context(paths.ontology, output)
        return
    data = data_dir or paths.data
    parts = build_parts(paths.ontology, data,
                        shapes_dir=None if no_validate else paths.shapes,
                        reason=not no_reason)
    if fmt in NETWORK_FORMATS:
        _network(fmt, parts.merged(), output, lang)
        return
    if output is None:
        click.echo(to_string(parts, fmt), nl=False)
        return
    write_atomic(output, lambda h: write(parts, fmt, h))
    click.echo(f"wrote {output}: {len(parts.merged())} triples as {FORMATS[fmt].summary}",
               err=True)


def _context(ontology: Path, output: Path | None) -> None:
    from livergraph.export.formats import context_text
    from livergraph.model.schema import load_ontology_graph, schema_from_graph
    from livergraph.io.atomic import write_atomic
    text = context_text(schema_from_graph(load_ontology_graph(ontology)))
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, lambda h: h.write(text))
        click.echo(f"wrote {output}: the JSON-LD @context of {ontology.name}", err=True)


def _network(fmt: str, graph, output: Path | None, lang: str) -> None:
    import tempfile

    from livergraph.viz import view as network
    writer = network.write_graphml if fmt == "graphml" else network.write_gexf
    if output is not None:
        H = writer(graph, output, lang)
        click.echo(f"wrote {output}: {H.number_of_nodes()} nodes, {H.number_of_edges()} edges "
                   f"({fmt})", err=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"graph.{fmt}"
        writer(graph, path, lang)
        click.echo(path.read_text(encoding="utf-8"), nl=False)
