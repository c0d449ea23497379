from __future__ import annotations

from pathlib import Path

import click

from livergraph.cli.options import paths_for, root_option


@click.command("history")
@root_option
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Data directory (default: ROOT/data).")
@click.argument("registration")
def command(root: Path | None, data_dir: Path | None, registration: str) -> None:
    """Show how a registration changed across its imported snapshots: status, enrolment,
    dates, sponsors and planned primary outcomes (outcome switching).

    \b
    livergraph history NCT01220492
    livergraph history ChiCTR2000030116

    Every import of a changed registry record keeps a dated snapshot; query registry-history
    lists the changes of all registrations. Exit 2 if the registration was never imported.
    """
    from livergraph.registry.history import history, render

    data_dir = data_dir or paths_for(root).data
    click.echo(render(registration, history(data_dir, registration)), nl=False)
