from __future__ import annotations

import click

from livergraph.cli.options import paths_for, root_option


@click.command("queries")
@click.argument("name", required=False)
@click.option("-l", "--long", "long_", is_flag=True,
              help="Show each query's description and parameters too.")
@root_option
def command(name, long_, root):
    """List the named queries in queries/, one line each, or show one query.

    Each file queries/NAME.rq starts with a comment header: a one-line summary, a description
    and its parameters. Run one with `livergraph query --name NAME`; `livergraph queries NAME`
    prints its text.
    """
    from livergraph.query.engine import find_named, named_queries, problems
    from livergraph.query.render import text_width

    paths = paths_for(root)
    if name:
        click.echo(find_named(paths.queries, name).text, nl=False)
        return
    found = named_queries(paths.queries)
    if not found:
        click.echo(f"no named queries in {paths.queries}", err=True)
        return
    width = max(text_width(q.name) for q in found)
    for q in found:
        summary = q.summary or "(no summary: the first line should be '# <summary>')"
        click.echo(q.name + " " * (width - text_width(q.name)) + "  " + summary)
        if long_:
            for line in q.description.splitlines():
                click.echo(" " * (width + 2) + line)
            for param in q.typed:      # name (type, required or optional): meaning
                click.echo(" " * (width + 2) + f"param {param.describe()}: {param.meaning}")
            scope = _scope(q)
            if scope:
                click.echo(" " * (width + 2) + f"scope: {scope} (--scope to ask another)")
            for problem in problems(q):
                click.echo(" " * (width + 2) + f"header problem: {problem}")
    click.echo(f"({len(found)} named queries; run one with `livergraph query --name NAME`)")


def _scope(q) -> str | None:
    """The scope a named query's header declares, or None (also when it declares a bad one)."""
    from livergraph.errors import LivergraphError
    from livergraph.publish.scopes import declared_scope
    try:
        return declared_scope(q.text, q.name)
    except LivergraphError as exc:
        return f"invalid ({exc.message})"
