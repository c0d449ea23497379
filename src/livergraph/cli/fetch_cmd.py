from __future__ import annotations

from pathlib import Path

import click

from livergraph.cli.options import paths_for, quiet_option, root_option


def _seconds(value: float) -> float:
    """--timeout checked (nan, inf and numbers not above 0 refused)."""
    from livergraph.errors import UnreadableInput
    from livergraph.io.http import check_timeout
    try:
        return check_timeout(value) or 60.0
    except UnreadableInput as exc:
        raise click.BadParameter(exc.message, param_hint="--timeout") from None


@click.group("fetch")
def command():
    """Download records from online registries (the only command that goes online).

    \b
    livergraph fetch ctgov --condition "liver cirrhosis" --intervention "stem cell"
    """


@command.command("ctgov")
@root_option
@quiet_option
@click.option("--condition", help="Condition search (the API's query.cond).")
@click.option("--intervention", help="Intervention search (the API's query.intr).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Directory for the pages and the resume state "
                                 "(default: ROOT/dist/ctgov, which git ignores).")
@click.option("--base-url", default=None, metavar="URL",
              help="API v2 root (default: https://clinicaltrials.gov/api/v2).")
@click.option("--page-size", type=click.IntRange(1, 1000), default=100, show_default=True,
              help="Studies per page.")
@click.option("--max-pages", type=click.IntRange(1), default=None,
              help="Stop after this many pages (run again to continue).")
@click.option("--delay", type=click.FloatRange(0), default=1.0, show_default=True,
              help="Seconds between requests (be polite to the registry).")
@click.option("--retries", type=click.IntRange(0), default=5, show_default=True,
              help="Retries per page on HTTP 429/5xx or a dropped connection, with "
                   "exponential back-off (Retry-After is honoured).")
@click.option("--restart", is_flag=True,
              help="Ignore the saved state, remove the pages saved, and start again from the "
                   "first page.")
@click.option("--timeout", type=float, default=60.0, show_default=True, metavar="SECONDS",
              callback=lambda ctx, param, value: _seconds(value),
              help="Give up on a page when the registry has not finished answering after "
                   "this long (then retry).")
def ctgov(root, condition, intervention, out_dir, base_url, page_size, max_pages, delay,
          retries, restart, timeout):
    """Page through the ClinicalTrials.gov API v2 search and save each page as JSON.

    Pages are written atomically to OUTPUT/page-0001.json …; OUTPUT/.fetch-state.json keeps
    the next page token, so an interrupted run resumes where it stopped when the same command
    is run again. Import the pages with `livergraph import ctgov --retrieved DAY OUTPUT/*.json`
    (DAY: the day they were fetched, which dates the imported statuses).
    Exit 2 if the registry cannot be reached or answers with an error.
    """
    from livergraph import __version__
    from livergraph.registry.ctgov.fetch import DEFAULT_BASE_URL, Fetcher, fetch

    out_dir = out_dir or paths_for(root).dist / "ctgov"
    fetcher = Fetcher(base_url=base_url or DEFAULT_BASE_URL, delay=delay, retries=retries,
                      timeout=timeout, user_agent=f"livergraph/{__version__}")
    from livergraph.io.progress import bar
    try:
        with bar("fetching", unit="studies") as progress:
            result = fetch(condition, intervention, out_dir, fetcher=fetcher,
                           page_size=page_size, max_pages=max_pages, restart=restart,
                           progress=lambda page, studies, total: progress.update(studies,
                                                                                 total))
    except KeyboardInterrupt:
        click.echo("\ninterrupted: the pages saved so far are kept; run the same command to "
                   "resume", err=True)
        raise click.exceptions.Exit(130) from None
    if result.resumed_at:
        click.echo(f"resumed at page {result.resumed_at}")
    state = "complete" if result.complete else "incomplete: run the same command to continue"
    total = f" of {result.total_count}" if result.total_count is not None else ""
    click.echo(f"{len(result.pages)} page(s), {result.studies} stud(ies) saved to {out_dir}"
               f" ({result.retries} retried request(s)); search{total} {state}")
    if result.pages:
        import datetime
        today = datetime.date.today().isoformat()
        click.echo(f"next: livergraph import ctgov --retrieved {today} {out_dir}/page-*.json")
