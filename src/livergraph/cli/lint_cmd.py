from __future__ import annotations

import click

from livergraph.cli.options import data_option, paths_for, root_option
from livergraph.errors import EXIT_INVALID


@click.command("lint")
@root_option
@data_option
@click.option("--check", is_flag=True,
              help="Only report files that are not canonical (exit 1 if any).")
def command(root, data_dir, check):
    """Rewrite the curated YAML files in canonical form (key order, quoting, indentation).

    With --check nothing is written: the command lists the files that would change and exits 1
    if there are any.
    """
    from livergraph.model.lint import lint

    data_dir = data_dir or paths_for(root).data
    result = lint(data_dir, check=check)
    for name in result.changed:
        click.echo(("not canonical: " if check else "rewrote ") + name)
    click.echo(f"{len(result.checked)} files checked, {len(result.changed)} "
               + ("not canonical" if check else "rewritten"))
    if check and result.changed:
        raise click.exceptions.Exit(EXIT_INVALID)
