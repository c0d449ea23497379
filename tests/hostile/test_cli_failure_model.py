"""docs/failure-model.md states the limits the code has (issue 17, item 11): each number on the
page is read here from the constant or default it describes, so a changed limit fails this test
until the page says the new value."""
from __future__ import annotations

import dataclasses
import inspect

from conftest import ROOT

PAGE = ROOT / "docs" / "failure-model.md"


def _mib(n: int) -> str:
    assert n % (1024 * 1024) == 0
    return f"{n // (1024 * 1024)} MiB"


def _row(text: str, start: str) -> str:
    rows = [line for line in text.splitlines() if line.startswith(f"| {start}")]
    assert len(rows) == 1, f"no single row starting {start!r}"
    return rows[0]


def test_the_limits_table_matches_the_code():
    from livergraph.errors import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_STALE, EXIT_UNREADABLE
    from livergraph.export import push
    from livergraph.io import http
    from livergraph.query import checks, endpoint
    from livergraph.registry.ctgov.fetch import Fetcher
    text = PAGE.read_text(encoding="utf-8")
    fetcher = {f.name: f.default for f in dataclasses.fields(Fetcher)}
    limits = {f.name: f.default for f in dataclasses.fields(http.Limits)}
    push_max = inspect.signature(push.push).parameters["max_bytes"].default

    assert _mib(endpoint.DEFAULT_MAX_BYTES) in _row(text, "SPARQL endpoint answer")
    assert f"{endpoint.DEFAULT_TIMEOUT:g} s" in _row(text, "SPARQL endpoint time")
    assert _mib(push_max) in _row(text, "Store answer to `push`")
    assert f"{push.DEFAULT_TIMEOUT:g} s" in _row(text, "`push` time")
    assert _mib(fetcher["max_bytes"]) in _row(text, "`fetch` page size")
    assert f"{fetcher['timeout']:g} s" in _row(text, "`fetch` time per page")
    assert str(fetcher["page_limit"]) in _row(text, "`fetch` pages per run")
    row = _row(text, "any HTTP exchange")
    assert _mib(http.DEFAULT_MAX_BYTES) in row and f"{limits['timeout']:g} s" in row
    assert f"{limits['max_redirects']} redirects" in row
    assert f"{checks.MAX_NESTING} levels" in _row(text, "query nesting")
    assert f"cut to {http.EXCERPT} characters" in " ".join(text.split())
    for code in (EXIT_INVALID, EXIT_UNREADABLE, EXIT_STALE, EXIT_INTERRUPTED):
        assert f"| {code} |" in text


def test_the_names_the_page_gives_exist():
    from livergraph.export import push
    from livergraph.io import http
    from livergraph.registry import common
    text = PAGE.read_text(encoding="utf-8")
    for name in (http.INSECURE_AUTH_ENV, push.TOKEN_ENV, push.USER_ENV, push.PASSWORD_ENV,
                 common.FAULT_ENV, "--allow-service", "--allow-insecure-auth", "--restart"):
        assert name in text, name
    assert "(exit-codes.md)" in text
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "failure-model.md" in nav
