from __future__ import annotations

from pathlib import Path

import click

from livergraph.errors import EXIT_INVALID
from livergraph.cli.options import paths_for, quiet_option, root_option


@click.group("import")
def command():
    """Import records from other sources into data/ (offline).

    \b
    livergraph import ctgov downloads/ctgov/*.json
    livergraph import ictrp ICTRP-Results.xml ChiCTR2000034346.xml
    """


def _dry_run_report(added: list[str], changed: list[str], removed: list[str],
                    unchanged: int) -> None:
    """What a --dry-run would have written (nothing was)."""
    for label, paths in (("would add", added), ("would change", changed),
                         ("would remove", removed)):
        for path in paths:
            click.echo(f"{label}: {path}")
    click.echo(f"dry run: {len(added)} file(s) would be added, {len(changed)} changed, "
               f"{len(removed)} removed, {unchanged} left alone; nothing was written")


dry_run_option = click.option(
    "--dry-run", is_flag=True,
    help="Print what would be added, changed and left alone; write nothing.")


def import_options(f):
    """--root, --data, --strict, --dry-run and --quiet: the same for every registry."""
    f = quiet_option(f)
    f = dry_run_option(f)
    f = click.option("--strict", is_flag=True,
                     help="Import nothing if any file or record is bad (default: import the "
                          "good ones and report the bad).")(f)
    f = click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
                     default=None, help="Data directory to import into (default: ROOT/data).")(f)
    return root_option(f)


@command.command("ctgov")
@import_options
@click.option("--retrieved", default=None, metavar="YYYY-MM-DD",
              help="The day the files were downloaded (the API's JSON does not say): recorded "
                   "as each record version's retrievedOn, and the date (statusAsOf) of the "
                   "statuses imported. Without it the imported statuses are undated.")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
def ctgov(root, data_dir, strict, dry_run, retrieved, files):
    """Import ClinicalTrials.gov API v2 JSON (single studies or search pages) into
    data/registry/.

    Each study's raw JSON is kept in data/registry/raw/ and mapped to a trial record in
    data/registry/trials/ with its provenance (the registry record version). Curated records
    win: every disagreement with them is recorded as a data-quality issue (query
    registry-disagreements) and listed here. Re-importing the same records changes no file.
    Exit 1 if a record is bad, 2 if a file cannot be read.
    """
    from livergraph.registry.ctgov.importer import import_files

    retrieved = _retrieval_date(retrieved)
    paths = paths_for(root)
    data_dir = data_dir or paths.data
    from livergraph.io.progress import bar
    with bar("importing", unit="bytes read") as progress:
        result = import_files(list(files), data_dir, paths.ontology, strict=strict,
                              progress=progress.update, dry_run=dry_run, retrieved=retrieved)
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
    if dry_run:
        _dry_run_report(result.added, result.changed, result.removed, len(result.unchanged))
    click.echo(f"{result.studies} record(s) read: {len(result.imported)} imported or updated, "
               f"{len(result.unchanged)} unchanged, {len(result.skipped)} skipped, "
               f"{len(result.errors)} bad; {len(result.written)} file(s) written; "
               f"{sum(len(v) for v in result.disagreements.values())} disagreement(s) with "
               "curated data")
    if result.errors:
        raise click.exceptions.Exit(result.exit_code or EXIT_INVALID)


@command.command("ictrp")
@import_options
@click.option("--retrieved", default=None, metavar="YYYY-MM-DD",
              help="Date of records that carry none (a ChiCTR record XML has no "
                   "Last_Refreshed_on): the day you downloaded them.")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
def ictrp(root, data_dir, strict, dry_run, retrieved, files):
    """Import WHO ICTRP Search Portal XML exports (2020 and 2024 element sets) and ChiCTR
    record XML into data/registry/.

    Each record is kept as a dated snapshot (data/registry/snapshots/TrialID/DATE.xml) and
    mapped to a registration (data/registry/ictrp/registrations/); registrations that name each
    other in their secondary ids, or share a EudraCT number, become one trial with the evidence
    recorded; look-alike registrations are listed as duplicate candidates (query
    registrations), never merged. Re-importing the same records changes no file. Exit 1 if a
    record is bad, 2 if a file cannot be read.
    """
    from livergraph.errors import DataError
    from livergraph.registry.ictrp.fields import parse_date
    from livergraph.registry.ictrp.importer import import_files

    if retrieved is not None:
        try:
            retrieved = parse_date(retrieved, "--retrieved")
        except DataError as exc:
            raise click.BadParameter(exc.message, param_hint="--retrieved") from None
    paths = paths_for(root)
    data_dir = data_dir or paths.data
    from livergraph.io.progress import bar
    with bar("importing", unit="files") as progress:
        result = import_files(list(files), data_dir, strict=strict, dry_run=dry_run,
                              retrieved=retrieved, progress=progress.update)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in result.errors:
        click.echo(f"error: {error}", err=True)
    if strict and result.errors:
        click.echo(f"nothing imported (--strict): {len(result.errors)} bad file(s) or "
                   f"record(s) among {result.records} record(s)", err=True)
        raise click.exceptions.Exit(result.exit_code)
    for tid in result.skipped:
        click.echo(f"skipped: {tid} is older than the snapshot already kept")
    changes = result.changes
    if dry_run and changes is not None:
        _dry_run_report(changes.added, changes.changed, changes.removed, len(changes.unchanged))
    click.echo(f"{result.records} record(s) read: {len(result.imported)} new snapshot(s), "
               f"{len(result.unchanged)} unchanged, {len(result.skipped)} skipped, "
               f"{len(result.errors)} bad; {result.trials} trial(s), {result.candidates} "
               f"duplicate candidate(s); {len(result.written)} file(s) "
               f"{'would be ' if dry_run else ''}written")
    if result.errors:
        raise click.exceptions.Exit(result.exit_code or EXIT_INVALID)


def _retrieval_date(text: str | None) -> str | None:
    """--retrieved as an ISO date (``YYYY-MM-DD``, a day that exists), or a usage error."""
    if text is None:
        return None
    import datetime
    import re
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise click.BadParameter(f"{text!r} is not a day: give YYYY-MM-DD",
                                 param_hint="--retrieved")
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a day of the calendar",
                                 param_hint="--retrieved") from None
