from __future__ import annotations

from pathlib import Path

import click

from livergraph.cli.options import (
    build_dir_option,
    check_options,
    data_option,
    output_option,
    paths_for,
    quiet_option,
    root_option,
    shown,
)
from livergraph.errors import EXIT_INVALID


@click.command("build")
@root_option
@data_option
@build_dir_option
@output_option("a copy of the published Turtle; default: none")
@check_options
@quiet_option
def command(root: Path | None, data_dir: Path | None, build_dir: Path | None,
            output: Path | None, no_validate: bool, no_reason: bool) -> None:
    """Build the knowledge graph and publish it into the build directory.

    Refuses classes and properties the ontology does not declare, and reports every bad
    record with its file. Then validates the graph against the SHACL shapes (shapes/) and
    refuses to publish it if there are violations (warnings are allowed; `livergraph validate`
    shows them), and runs the HermiT reasoner: an inconsistent graph is refused, and the
    inferred types of the defined classes are added, each marked `lg:inferredType`.

    \b
    The build directory (default ROOT/build, or --build-dir) then holds, in current/:
      livergraph.ttl    the asserted + inferred graph (canonical Turtle)
      livergraph.nq     the same in named graphs (ontology, data, inferred)
      store/            an Oxigraph store of it, which `query` opens read-only
      validation.ttl    the SHACL report, and validation.json its summary
      manifest.json     the sha256 of every input, versions, triple counts, timings

    Every reading command (query, stats, viz, export, push) opens this build; when an input
    changed since, it rebuilds once first (or, with --no-rebuild, exits 3). The same inputs
    always give byte-identical Turtle; the build is published atomically (readers keep the
    previous one until the new one is complete, and nothing is published when a check fails).
    """
    from livergraph.publish.artifact import default_build_dir, publish
    from livergraph.publish.inputs import Inputs
    from livergraph.publish.pipeline import GraphDoesNotConform

    paths = paths_for(root)
    data = data_dir or paths.data
    directory = build_dir or default_build_dir(paths.root, data)
    inputs = Inputs(paths.root, paths.ontology, paths.shapes, data)
    try:
        published, checked = publish(inputs, directory, validate=not no_validate,
                                     reason=not no_reason)
    except GraphDoesNotConform as exc:
        click.echo(exc.violations_text(), err=True, nl=False)
        what = (f"{output} not written and nothing published to {shown(directory)}"
                if output is not None else f"nothing published to {shown(directory)}")
        click.echo(f"error: {what}: the graph has violations (above); `livergraph validate` "
                   "shows the whole report", err=True)
        raise click.exceptions.Exit(EXIT_INVALID) from None
    try:
        if output is not None:
            from livergraph.io.atomic import write_atomic
            turtle = published.turtle
            write_atomic(output, lambda h: h.write(turtle.read_text(encoding="utf-8")))
        counts = published.manifest["triples"]
        result = checked.result
        derived = counts["data"] - counts.get("shared", 0) - result.data_triples
        what = (f"{counts['total']} triples ({result.data_triples} from {result.records} "
                f"records, {derived} derived, {counts['ontology']} from the ontology, "
                f"{counts['description']} describing the dataset, {checked.inferred} "
                f"inferred, {counts['inferred'] - checked.inferred} schema.org/PROV "
                f"statements the alignments entail)")
        if output is not None:
            click.echo(f"wrote {output}: {what}")
            click.echo(f"published {shown(directory)}current/")
        else:
            click.echo(f"published {shown(directory)}current/: {what}")
        sources = published.manifest.get("sources", {})
        if len(sources) > 1:     # the article and registry imports: a named graph each
            click.echo("sources: " + ", ".join(
                f"{name} {entry['triples']} triples" + (
                    f" (as of {entry['retrieved']})" if entry.get("retrieved") else "")
                for name, entry in sources.items()))
        if checked.report is not None:
            n = checked.report.counts
            click.echo(f"validated: {n['warning']} warning(s), {n['info']} info")
        if checked.reasoning is not None:
            click.echo(f"reasoned: consistent, {len(checked.reasoning.inferred)} inferred "
                       "type(s)")
        seconds = published.manifest["seconds"]
        click.echo("took " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()
                                       if k != "total"))
    finally:
        published.release()
