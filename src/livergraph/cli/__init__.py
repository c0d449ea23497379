"""The ``livergraph`` command: one group, one module per command, each imported only when it
runs (start-up stays fast). Commands parse arguments and print; the work is in the library.

Exit codes, the same for every command: 0 ok; 1 the data does not conform or a check failed;
2 the input could not be read or the command was misused; 3 the published build is out of date
and --no-rebuild forbade rebuilding it.
"""
from __future__ import annotations

import importlib
import sys

import click

from livergraph.errors import EXIT_INTERRUPTED, LivergraphError

#: command name -> module under livergraph.cli defining a click command called ``command``
COMMANDS: dict[str, str] = {
    "build": "build_cmd",
    "effects": "effects_cmd",
    "export": "export_cmd",
    "site": "site_cmd",
    "push": "push_cmd",
    "fetch": "fetch_cmd",
    "import": "import_cmd",
    "history": "history_cmd",
    "lint": "lint_cmd",
    "meta": "meta_cmd",
    "query": "query_cmd",
    "queries": "queries_cmd",
    "reason": "reason_cmd",
    "report": "report_cmd",
    "stats": "stats_cmd",
    "validate": "validate_cmd",
    "viz": "viz_cmd",
}

EPILOG = ("Exit codes: 0 ok; 1 the data does not conform or a check failed; "
          "2 the input could not be read or the command was misused; 3 the build is out of "
          "date and --no-rebuild was given.")


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        module = COMMANDS.get(name)
        if module is None:
            return None
        command = importlib.import_module(f"{__name__}.{module}").command
        if name not in EDITS_DATA:
            _guard_outputs(command)
        return command

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except LivergraphError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted: nothing half-written was kept", err=True)
            ctx.exit(EXIT_INTERRUPTED)


#: commands whose job is to write into data/ (they keep their own journal and checks)
EDITS_DATA = frozenset({"import", "lint", "fetch"})


def _guard_outputs(command: click.Command) -> None:
    """Run ``command`` with the project's inputs protected from its outputs (once per command
    object; see livergraph.io.atomic.protect)."""
    callback = command.callback
    if callback is None or getattr(callback, "_livergraph_guarded", False):
        return
    from functools import wraps

    @wraps(callback)
    def guarded(*args, **kwargs):
        from livergraph.io.atomic import protect
        with protect(_inputs()):
            return callback(*args, **kwargs)
    guarded._livergraph_guarded = True   # type: ignore[attr-defined]
    command.callback = guarded


def _inputs() -> list:
    """The project files every command may read, which no output may replace: the ontology,
    the shapes, the curated data and the named queries (see livergraph.io.atomic.protect)."""
    from livergraph.project import Paths, find_root
    try:
        paths = Paths(find_root())
    except LivergraphError:
        return []
    return [paths.ontology, paths.shapes, paths.data, paths.queries]


@click.group(cls=LazyGroup, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "--version", package_name="livergraph", prog_name="livergraph")
def cli():
    """livergraph: a knowledge graph of stem-cell therapy trials for liver cirrhosis.

    Build the graph from the curated data, query it with SPARQL, validate it, explore it in a
    browser and export it for other linked-data tools. Run `livergraph COMMAND --help` for
    each command.
    """


def main() -> None:
    sys.exit(cli.main(prog_name="livergraph", standalone_mode=True))
