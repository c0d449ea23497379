"""Fetching search pages from the API v2, against a local HTTP server on 127.0.0.1 (never the
real registry): paging, 429 and 503 with back-off and Retry-After, a malformed answer, resuming
after an interruption, atomic writes, and the command."""
from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from livergraph.cli import cli
from livergraph.errors import UnreadableInput
from livergraph.registry.ctgov.fetch import STATE_FILE, Fetcher, fetch, retry_after
from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "ctgov"
CONDITION, INTERVENTION = "liver cirrhosis", "stem cell"


def _study(nct: str) -> dict:
    return {"protocolSection": {"identificationModule": {"nctId": nct, "briefTitle": nct},
                                "statusModule": {"overallStatus": "RECRUITING"}},
            "derivedSection": {"miscInfoModule": {"versionHolder": "2024-06-01"}}}


PAGES = {  # page token ("" = first page) -> (studies, next token)
    "": (["NCT09999911", "NCT09999912"], "tok-2"),
    "tok-2": (["NCT09999913", "NCT09999914"], "tok-3"),
    "tok-3": (["NCT09999915"], None),
}


class Registry:
    """A scripted API v2: ``script[token]`` is a list of answers given in turn ('429', '503',
    'garbage', 'ok'); the last one repeats."""

    def __init__(self, script: dict[str, list[str]] | None = None):
        self.script = script or {}
        self.requests: list[dict[str, str]] = []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's API
                url = urllib.parse.urlsplit(self.path)
                params = dict(urllib.parse.parse_qsl(url.query))
                registry.requests.append({"path": url.path, **params})
                token = params.get("pageToken", "")
                answers = registry.script.get(token, ["ok"])
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                if url.path != "/api/v2/studies" or token not in PAGES:
                    return self._send(400, b'{"error": "bad request"}')
                if answer == "429":
                    return self._send(429, b"slow down", {"Retry-After": "7"})
                if answer == "503":
                    return self._send(503, b"unavailable")
                if answer == "garbage":
                    return self._send(200, b'{"studies": [ {"protocolSection": ')
                ids, nxt = PAGES[token]
                body: dict = {"studies": [_study(i) for i in ids]}
                if nxt:
                    body["nextPageToken"] = nxt
                if not token and params.get("countTotal") == "true":
                    body["totalCount"] = 5
                self._send(200, json.dumps(body).encode())

            def _send(self, code, body, headers=None):
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/v2"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def fetcher_for(registry: Registry, sleeps: Sleeps, **kw) -> Fetcher:
    return Fetcher(base_url=registry.base_url, delay=kw.pop("delay", 0.0), sleep=sleeps,
                   backoff=kw.pop("backoff", 0.5), **kw)


def saved_ids(out: Path) -> list[str]:
    return [s["protocolSection"]["identificationModule"]["nctId"]
            for p in sorted(out.glob("page-*.json"))
            for s in json.loads(p.read_text())["studies"]]


def test_pages_through_every_page_with_the_query(tmp_path):
    sleeps = Sleeps()
    with Registry() as reg:
        result = fetch(CONDITION, INTERVENTION, tmp_path, fetcher=fetcher_for(reg, sleeps),
                       page_size=2)
    assert result.complete and result.total_count == 5 and result.studies == 5
    assert [p.name for p in result.pages] == ["page-0001.json", "page-0002.json",
                                              "page-0003.json"]
    assert saved_ids(tmp_path) == [f"NCT0999991{i}" for i in range(1, 6)]
    first, second, _ = reg.requests
    assert first == {"path": "/api/v2/studies", "format": "json", "pageSize": "2",
                     "query.cond": CONDITION, "query.intr": INTERVENTION, "countTotal": "true"}
    assert second["pageToken"] == "tok-2" and "countTotal" not in second
    state = json.loads((tmp_path / STATE_FILE).read_text())
    assert state["complete"] is True and state["nextPageToken"] is None and state["page"] == 3
    assert sleeps == []


def test_429_and_503_are_retried_with_back_off_and_retry_after(tmp_path):
    sleeps = Sleeps()
    with Registry({"tok-2": ["429", "503", "ok"]}) as reg:
        result = fetch(CONDITION, None, tmp_path, fetcher=fetcher_for(reg, sleeps))
    assert result.complete and result.retries == 2
    assert sleeps == [7.0, 1.0]          # Retry-After: 7, then 0.5 * 2**1
    assert [r.get("pageToken", "") for r in reg.requests] == ["", "tok-2", "tok-2", "tok-2",
                                                              "tok-3"]
    assert saved_ids(tmp_path)[-1] == "NCT09999915"


def test_requests_are_spaced_by_the_delay(tmp_path):
    sleeps, now = Sleeps(), [100.0]
    with Registry() as reg:
        f = fetcher_for(reg, sleeps, delay=1.5, clock=lambda: now[0])
        fetch(CONDITION, None, tmp_path, fetcher=f)
    assert sleeps == [1.5, 1.5]          # the clock never moves: a full delay before pages 2, 3


def test_gives_up_after_the_retries_and_resumes_later(tmp_path):
    sleeps = Sleeps()
    with Registry({"tok-2": ["503"]}) as reg:
        with pytest.raises(UnreadableInput, match="page 2: the registry answered HTTP 503"):
            fetch(CONDITION, None, tmp_path, fetcher=fetcher_for(reg, sleeps, retries=2))
    assert sleeps == [0.5, 1.0]
    assert saved_ids(tmp_path) == ["NCT09999911", "NCT09999912"]
    assert json.loads((tmp_path / STATE_FILE).read_text())["nextPageToken"] == "tok-2"
    with Registry() as reg:
        result = fetch(CONDITION, None, tmp_path, fetcher=fetcher_for(reg, Sleeps()))
    assert result.resumed_at == 2 and result.complete
    assert [r.get("pageToken") for r in reg.requests] == ["tok-2", "tok-3"]   # page 1 not again
    assert saved_ids(tmp_path) == [f"NCT0999991{i}" for i in range(1, 6)]


def test_a_malformed_answer_stops_cleanly_and_keeps_what_was_saved(tmp_path):
    with Registry({"tok-2": ["garbage"]}) as reg:
        with pytest.raises(UnreadableInput, match="page 2: the registry's answer is not JSON"):
            fetch(CONDITION, None, tmp_path, fetcher=fetcher_for(reg, Sleeps()))
    assert sorted(p.name for p in tmp_path.iterdir()) == [STATE_FILE, "page-0001.json"]
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))
    assert json.loads((tmp_path / "page-0001.json").read_text())["nextPageToken"] == "tok-2"


def test_a_finished_fetch_is_not_repeated_and_another_query_is_refused(tmp_path):
    with Registry() as reg:
        fetch(CONDITION, None, tmp_path, fetcher=fetcher_for(reg, Sleeps()))
        again = fetch(CONDITION, None, tmp_path, fetcher=fetcher_for(reg, Sleeps()))
        assert again.complete and again.pages == [] and len(reg.requests) == 3
        with pytest.raises(UnreadableInput, match="another query"):
            fetch("hepatitis", None, tmp_path, fetcher=fetcher_for(reg, Sleeps()))
        restarted = fetch(CONDITION, None, tmp_path, fetcher=fetcher_for(reg, Sleeps()),
                          restart=True)
        assert len(restarted.pages) == 3


def test_a_client_error_is_not_retried(tmp_path):
    sleeps = Sleeps()
    with Registry() as reg:
        f = fetcher_for(reg, sleeps)
        f.base_url = reg.base_url.replace("/api/v2", "/wrong")
        with pytest.raises(UnreadableInput, match="HTTP 400"):
            fetch(CONDITION, None, tmp_path, fetcher=f)
    assert sleeps == [] and len(reg.requests) == 1


def test_retry_after_reads_seconds_and_dates():
    assert retry_after("3") == 3.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0       # in the past
    assert retry_after(None) is None and retry_after("soon") is None


def test_fetched_pages_import(tmp_path, mini_data):
    from livergraph.registry.ctgov.importer import import_files
    from conftest import ONTOLOGY
    out = tmp_path / "pages"
    with Registry() as reg:
        fetch(CONDITION, None, out, fetcher=fetcher_for(reg, Sleeps()))
    result = import_files(sorted(out.glob("page-*.json")), mini_data, ONTOLOGY)
    assert result.errors == [] and len(result.imported) == 5


def test_cli_fetch_against_the_local_server(tmp_path):
    out = tmp_path / "pages"
    with Registry() as reg:
        res = CliRunner().invoke(cli, [
            "fetch", "ctgov", "--root", str(ROOT), "--condition", CONDITION, "--intervention",
            INTERVENTION, "--base-url", reg.base_url, "-o", str(out), "--delay", "0",
            "--page-size", "2", "--max-pages", "2"])
        assert res.exit_code == 0, res.output
        assert "2 page(s), 4 stud(ies) saved" in res.output and "incomplete" in res.output
        res = CliRunner().invoke(cli, [
            "fetch", "ctgov", "--root", str(ROOT), "--condition", CONDITION, "--intervention",
            INTERVENTION, "--base-url", reg.base_url, "-o", str(out), "--delay", "0",
            "--page-size", "2"])
    assert res.exit_code == 0, res.output
    assert "resumed at page 3" in res.output and "search of 5 complete" in res.output
    assert saved_ids(out) == [f"NCT0999991{i}" for i in range(1, 6)]


def test_cli_fetch_errors_exit_2_without_a_traceback(tmp_path):
    with Registry({"": ["garbage"]}) as reg:
        res = CliRunner().invoke(cli, ["fetch", "ctgov", "--root", str(ROOT), "--condition",
                                       CONDITION, "--base-url", reg.base_url, "-o",
                                       str(tmp_path), "--delay", "0"])
    assert res.exit_code == 2 and "error:" in res.output and "not JSON" in res.output
    assert "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["fetch", "ctgov", "--root", str(ROOT), "-o", str(tmp_path)])
    assert res.exit_code == 2 and "give --condition, --intervention or both" in res.output


def test_an_unreachable_registry_is_retried_then_reported(tmp_path):
    import socket
    with socket.socket() as s:             # a free port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sleeps = Sleeps()
    f = Fetcher(base_url=f"http://127.0.0.1:{port}/api/v2", delay=0, sleep=sleeps, backoff=0.5,
                retries=2, timeout=5)
    with pytest.raises(UnreadableInput, match="page 1: cannot reach the registry"):
        fetch(CONDITION, None, tmp_path, fetcher=f)
    assert sleeps == [0.5, 1.0] and not (tmp_path / STATE_FILE).exists()
