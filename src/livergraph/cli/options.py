"""Options shared by several commands, defined once, and how a command opens the published graph.

Every reading command (query, stats, viz, export, push) takes the same ``--root``, ``--data``,
``--build-dir`` and ``--no-rebuild`` options and opens the graph ``livergraph build`` published
through ``open_graph``; the output, format and language options are spelled the same everywhere.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from livergraph.project import Paths, find_root

if TYPE_CHECKING:
    from livergraph.api import KnowledgeGraph

F = Callable[..., Any]

#: --lang choices: English, Chinese (zh: the curated traditional script; zh-Hans: simplified,
#: converted by OpenCC where the source had none; see livergraph.io.labels.LANGS)
LANG_CHOICES = ("en", "zh", "zh-Hans")


def root_option(f: F) -> F:
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


def output_option(default_help: str) -> Callable[[F], F]:
    def deco(f: F) -> F:
        return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                            default=None, help=f"File to write ({default_help}).")(f)
    return deco


def data_option(f: F) -> F:
    """--data: the curated data directory (default: ROOT/data)."""
    return click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help="Curated data directory (default: ROOT/data).")(f)


def lang_option(help_text: str = "Language of the labels shown") -> Callable[[F], F]:
    """--lang en|zh|zh-Hans, the same in every command."""
    def deco(f: F) -> F:
        return click.option("--lang", type=click.Choice(LANG_CHOICES, case_sensitive=False),
                            default="en", show_default=True, callback=_canonical_lang,
                            metavar="[" + "|".join(LANG_CHOICES) + "]",
                            help=f"{help_text}: English (en), traditional Chinese (zh) or "
                                 "simplified Chinese (zh-Hans).")(f)
    return deco


def _canonical_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """The --lang choice as spelled in LANG_CHOICES (zh-hans -> zh-Hans)."""
    return next((c for c in LANG_CHOICES if c.lower() == str(value).lower()), value)


def quiet_option(f: F) -> F:
    """--quiet: no progress bar (bars are drawn on stderr only when it is a terminal)."""
    def configure(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        from livergraph.io.progress import configure as configure_progress
        configure_progress(quiet=value)
        return value
    return click.option("-q", "--quiet", is_flag=True, callback=configure, expose_value=False,
                        is_eager=True,
                        help="No progress bar (one is drawn on stderr only when it is a "
                             "terminal).")(f)


def format_option(names: tuple[str, ...], default: str, help_text: str, *,
                  without_aliases: tuple[str, ...] = ()) -> Callable[[F], F]:
    """--format NAME over names of ``livergraph.io.formats`` (their aliases accepted too; the
    command receives the canonical name)."""
    from livergraph.io.formats import choices

    def canonical(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        from livergraph.io.formats import ALIASES
        name = ALIASES.get(value, value)
        return name if name in names else value

    def deco(f: F) -> F:
        return click.option("--format", "fmt",
                            type=click.Choice(choices(names, without_aliases=without_aliases)),
                            default=default, show_default=True, callback=canonical,
                            help=help_text)(f)
    return deco


def build_dir_option(f: F) -> F:
    """--build-dir: where the published build is."""
    return click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, envvar="LIVERGRAPH_BUILD_DIR",
                        help="The published build directory (default: ROOT/build, or build/ "
                             "beside another --data directory; $LIVERGRAPH_BUILD_DIR).")(f)


def graph_source_options(f: F) -> F:
    """--root, --data, --build-dir and --no-rebuild: where a reading command's graph is."""
    f = click.option("--no-rebuild", is_flag=True,
                     help="Fail (exit 3) instead of rebuilding when an input changed since "
                          "the build.")(f)
    f = build_dir_option(f)
    f = data_option(f)
    return root_option(f)


def check_options(f: F) -> F:
    """--no-validate and --no-reason: the checks `livergraph build` runs."""
    f = click.option("--no-reason", is_flag=True,
                     help="Skip OWL reasoning: no consistency check, no inferred types "
                          "(no Java needed).")(f)
    return click.option("--no-validate", is_flag=True,
                        help="Skip the SHACL validation that refuses a graph with "
                             "violations.")(f)


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the current directory when under it."""
    try:
        text = str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        text = str(path)
    return text.rstrip(os.sep) + os.sep


def open_graph(root: Path | None, data_dir: Path | None, build_dir: Path | None,
               no_rebuild: bool = False, *, rebuild: bool = False) -> KnowledgeGraph:
    """The published graph for a reading command: rebuilt once (one line on stderr) when an
    input changed, or StaleBuild (exit 3) with ``--no-rebuild``."""
    from livergraph.api import open as open_kg
    from livergraph.errors import UnreadableInput
    paths = paths_for(root)
    data = data_dir or paths.data
    if not Path(data).is_dir():
        raise UnreadableInput("data directory not found", file=str(data),
                              hint="pass --data DIR or run from the repository")
    from livergraph.publish.artifact import default_build_dir
    directory = build_dir or default_build_dir(paths.root, Path(data))

    def rebuilding(why: str) -> None:
        click.echo(f"livergraph: {why}; rebuilding {shown(directory)} ...", err=True)

    def warn(text: str) -> None:
        click.echo(f"warning: {text}", err=True)
    from livergraph.errors import DataError, GraphDoesNotConform
    try:
        return open_kg(data, root=paths.root, build_dir=directory,
                       rebuild="never" if no_rebuild else "always" if rebuild else "auto",
                       on_rebuild=rebuilding, on_warning=warn)
    except GraphDoesNotConform as exc:
        raise DataError("the graph does not conform to the shapes, so it is not published:\n"
                        + exc.violations_text().rstrip(), hint=exc.hint) from None


#: where ``scope_option(expose=False)`` keeps the value (``click.Context.meta``)
SCOPE_META = "livergraph.scope"


def scope_option(help_text: str, *, expose: bool = True) -> Callable[[F], F]:
    """--scope article|registry|all|union (``livergraph.publish.scopes``); an unknown value is
    an error listing the scopes (exit 2). With ``expose=False`` the command does not receive it:
    ``current_scope()`` reads it (for the commands sharing ``viz_cmd.graph_options``)."""
    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        from livergraph.publish.scopes import check_scope
        check_scope(value)
        ctx.meta[SCOPE_META] = value
        return value

    def deco(f: F) -> F:
        return click.option("--scope", default=None, metavar="article|registry|all|union",
                            callback=check, expose_value=expose, is_eager=True,
                            help=help_text)(f)
    return deco


def current_scope() -> str | None:
    """The --scope of the running command (None when not given, or outside a command)."""
    ctx = click.get_current_context(silent=True)
    return None if ctx is None else ctx.meta.get(SCOPE_META)
