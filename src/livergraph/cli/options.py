"""Options shared by several commands, defined once."""
from __future__ import annotations

from pathlib import Path

import click

from livergraph.project import Paths, find_root


def root_option(f):
    """--root: the project directory (default: found from the current directory)."""
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path),
                        default=None, envvar="LIVERGRAPH_ROOT",
                        help="Project directory holding ontology/ and data/ "
                             "(default: found from the current directory).")(f)


def paths_for(root: Path | None) -> Paths:
    return Paths(find_root() if root is None else find_root_at(root))


def find_root_at(root: Path) -> Path:
    from livergraph.errors import UnreadableInput
    if not (root / "ontology" / "livergraph.ttl").is_file():
        raise UnreadableInput("no ontology/livergraph.ttl here", file=str(root),
                              hint="pass the livergraph repository as --root")
    return root


def output_option(default_help: str):
    def deco(f):
        return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                            default=None, help=f"File to write ({default_help}).")(f)
    return deco


def data_option(f):
    """--data: the curated data directory (default: ROOT/data)."""
    return click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help="Curated data directory (default: ROOT/data).")(f)


def check_options(f):
    """--no-validate and --no-reason: the checks every command that publishes the graph runs."""
    f = click.option("--no-reason", is_flag=True,
                     help="Skip OWL reasoning: no consistency check, no inferred types "
                          "(no Java needed).")(f)
    return click.option("--no-validate", is_flag=True,
                        help="Skip the SHACL validation that refuses a graph with "
                             "violations.")(f)
