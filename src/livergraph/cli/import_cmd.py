from __future__ import annotations

import sys
from pathlib import Path

import click

from livergraph.errors import EXIT_INVALID
from livergraph.cli.options import paths_for, root_option


class StudyProgress:
    """A progress bar on stderr, in bytes of input read (created at the first report)."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr,
                                         show_percent=True)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@click.group("import")
def command():
    """Import records from other sources into data/ (offline).

    \b
    livergraph import ctgov downloads/ctgov/*.json
    """


@command.command("ctgov")
@root_option
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Data directory to import into (default: ROOT/data).")
@click.option("--strict", is_flag=True,
              help="Import nothing if any file or record is bad (default: import the good "
                   "ones and report the bad).")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
def ctgov(root, data_dir, strict, files):
    """Import ClinicalTrials.gov API v2 JSON (single studies or search pages) into
    data/registry/.

    Each study's raw JSON is kept in data/registry/raw/ and mapped to a trial record in
    data/registry/trials/ with its provenance (the registry record version). Curated records
    win: every disagreement with them is recorded as a data-quality issue (query
    registry-disagreements) and listed here. Re-importing the same records changes no file.
    Exit 1 if a record is bad, 2 if a file cannot be read.
    """
    from livergraph.registry.ctgov.importer import import_files

    paths = paths_for(root)
    data_dir = data_dir or paths.data
    with StudyProgress("importing") as progress:
        result = import_files(list(files), data_dir, paths.ontology, strict=strict,
                              progress=progress)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in result.errors:
        click.echo(f"error: {error}", err=True)
    if strict and result.errors:
        click.echo(f"nothing imported (--strict): {len(result.errors)} bad file(s) or "
                   f"record(s) among {result.studies} record(s)", err=True)
        raise click.exceptions.Exit(result.exit_code)
    for nct, issues in sorted(result.disagreements.items()):
        for issue in issues:
            click.echo(f"disagreement: {nct} {issue['onProperty']}: curated "
                       f"{issue['curatedValue']!r}, registry {issue['registryValue']!r} "
                       "(curated kept)")
    for nct in result.skipped:
        click.echo(f"skipped: {nct} is older than the version already in data/registry/raw/")
    click.echo(f"{result.studies} record(s) read: {len(result.imported)} imported or updated, "
               f"{len(result.unchanged)} unchanged, {len(result.skipped)} skipped, "
               f"{len(result.errors)} bad; {len(result.written)} file(s) written; "
               f"{sum(len(v) for v in result.disagreements.values())} disagreement(s) with "
               "curated data")
    if result.errors:
        raise click.exceptions.Exit(result.exit_code or EXIT_INVALID)
