"""`fetch` and its state file (issue 17, items 10 and 11): a damaged state file is a clear message
(exit 2, names the file, says --restart), never a traceback, and no request is sent; `--restart`
removes the old pages and the old state before it asks for anything, so a restart that fails
leaves nothing a later run could mix in."""
from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner

from livergraph.cli import cli
from livergraph.registry.ctgov.fetch import STATE_FILE


def _closed_port() -> int:
    """A 127.0.0.1 port nothing listens on (connections are refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(out, *extra: str):
    return CliRunner().invoke(cli, [
        "fetch", "ctgov", "--condition", "cirrhosis", "-o", str(out), "--retries", "0",
        "--delay", "0", "--timeout", "2",
        "--base-url", f"http://127.0.0.1:{_closed_port()}/api/v2", *extra])


QUERY = {"format": "json", "query.cond": "cirrhosis", "pageSize": "100"}
DAMAGED = {
    "not-json": b"{ not json",
    "empty": b"",
    "binary": b"\xff\xfe\x00\x01garbage",
    "a-list": b"[]",
    "a-number": b"42",
    "no-page": json.dumps({"query": QUERY}).encode(),
    "page-text": json.dumps({"query": QUERY, "page": "3"}).encode(),
    "page-negative": json.dumps({"query": QUERY, "page": -1}).encode(),
    "page-bool": json.dumps({"query": QUERY, "page": True}).encode(),
    "studies-text": json.dumps({"query": QUERY, "page": 1, "studies": "x"}).encode(),
    "tokens-objects": json.dumps({"query": QUERY, "page": 1, "tokens": [{}]}).encode(),
    "tokens-text": json.dumps({"query": QUERY, "page": 1, "tokens": "abc"}).encode(),
    "token-number": json.dumps({"query": QUERY, "page": 1, "nextPageToken": 5}).encode(),
    "total-text": json.dumps({"query": QUERY, "page": 1, "totalCount": "many"}).encode(),
    "complete-text": json.dumps({"query": QUERY, "page": 1, "complete": "yes"}).encode(),
    "deeply-nested": b"[" * 200_000 + b"]" * 200_000,
}


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_a_damaged_state_file_is_a_clear_message(tmp_path, case):
    (tmp_path / STATE_FILE).write_bytes(DAMAGED[case])
    result = fetch(tmp_path)
    assert result.exit_code == 2, result.output
    assert "the fetch state file is damaged" in result.output
    assert STATE_FILE in result.output and "--restart" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / STATE_FILE).read_bytes() == DAMAGED[case]      # left as it was


def test_a_state_directory_is_a_clear_message(tmp_path):
    (tmp_path / STATE_FILE).mkdir()
    result = fetch(tmp_path)
    assert result.exit_code == 2 and "damaged" in result.output
    assert "Traceback" not in result.output


def test_restart_removes_old_pages_and_state_even_when_it_then_fails(tmp_path):
    for n in (1, 2, 7):
        (tmp_path / f"page-{n:04d}.json").write_text('{"studies": []}\n', encoding="utf-8")
    (tmp_path / STATE_FILE).write_text(json.dumps({"query": QUERY, "page": 7,
                                                   "nextPageToken": "t7"}), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = fetch(tmp_path, "--restart")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]   # only what is not ours
