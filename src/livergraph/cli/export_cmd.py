from __future__ import annotations

from pathlib import Path

import click

from livergraph.cli.options import (
    format_option,
    graph_source_options,
    lang_option,
    open_graph,
    output_option,
    paths_for,
    scope_option,
)
from livergraph.io.formats import EXPORT_FORMATS


@click.command("export")
@format_option(EXPORT_FORMATS, "turtle",
               "turtle (ttl), nt (N-Triples), json-ld (jsonld: JSON-LD with the livergraph "
               "@context), trig and nquads (the ontology, each source's statements and what was "
               "inferred about them in named graphs, the dataset description in the default graph), xml (RDF/XML); "
               "graphml and gexf write the network view for Gephi, Cytoscape or yEd; context "
               "writes the JSON-LD @context generated from the ontology.")
@output_option("default: standard output")
@lang_option("Language of the node labels in graphml and gexf")
@scope_option("Which sources to export: article (the seed article's curated facts and what was "
              "inferred about them), registry (the registry imports'), all or union "
              "(everything; the default). The ontology is always included.")
@graph_source_options
def command(fmt: str, output: Path | None, lang: str, scope: str | None, root: Path | None,
            data_dir: Path | None, build_dir: Path | None, no_rebuild: bool) -> None:
    """Write the knowledge graph in a format other linked-data tools read.

    \b
    livergraph export --format json-ld -o livergraph.jsonld
    livergraph export --format trig > livergraph.trig
    livergraph export --format graphml -o livergraph.graphml

    The graph is the one `livergraph build` published (validated against the SHACL shapes,
    reasoned over by HermiT, with its VoID / DCAT description; inferred statements in their own
    named graph in TriG and N-Quads); when an input changed since, it is rebuilt once first
    (--no-rebuild: exit 3 instead). Every format is deterministic (the same inputs give the same
    bytes) and -o writes atomically.
    """
    from livergraph.io.formats import BY_NAME

    if fmt == "context":
        _context(paths_for(root).ontology, output)
        return
    kg = open_graph(root, data_dir, build_dir, no_rebuild)
    text = kg.export(fmt, lang=lang, scope=scope)
    assert text is not None
    if output is None:
        click.echo(text, nl=False)
        return
    from livergraph.io.atomic import write_atomic
    write_atomic(output, lambda h: h.write(text))
    what = (f"{kg.published.triples} triples" if BY_NAME[fmt].kind != "network"
            else "the network view")
    if scope in ("article", "registry"):
        what = f"the {scope} scope" if BY_NAME[fmt].kind != "network" else what + f" ({scope})"
    click.echo(f"wrote {output}: {what} as {BY_NAME[fmt].summary}", err=True)


def _context(ontology: Path, output: Path | None) -> None:
    from livergraph.export.jsonld import context_text
    from livergraph.io.atomic import write_atomic
    from livergraph.model.schema import load_ontology_graph, schema_from_graph
    text = context_text(schema_from_graph(load_ontology_graph(ontology)))
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, lambda h: h.write(text))
        click.echo(f"wrote {output}: the JSON-LD @context of {ontology.name}", err=True)
