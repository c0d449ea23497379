"""Server text is printed sanitised (issue 17, item 9): a 127.0.0.1 server answers every request
with an error whose body, reason phrase and headers carry terminal escape sequences (clear screen,
set the window title, colours, carriage return, backspace, bidi overrides). `query --endpoint`,
`push` and `fetch` report the error, exit 2, show the readable part of the text, and print no
control character."""
from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_DATA
from livergraph.cli import cli

HOSTILE = ("\x1b[2J\x1b[H\x1b]0;pwned-title\x07\x1b[31mboom-marker\x1b[0m\r\x08\x08"
           "\u202eevil\x9b31m\x00tail")
#: what may reach the terminal: printable text, newline and tab only
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class _Hostile(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = HOSTILE.encode("utf-8")
        self.send_response(500, "Bad\x1b[31m Thing")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("X-Note", "\x1b]0;hdr\x07")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def url():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("server-text-build")


def _assert_sanitised(result) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not CONTROL.search(result.output), repr(result.output)
    assert "pwned-title" not in result.output    # an OSC title sequence is removed whole


def test_query_endpoint_error_body_is_sanitised(url, build_dir):
    result = CliRunner().invoke(cli, ["query", "--endpoint", f"{url}/query",
                                      "SELECT * WHERE { ?s ?p ?o }"])
    _assert_sanitised(result)
    assert "500" in result.output


def test_push_error_body_is_sanitised(url, build_dir):
    result = CliRunner().invoke(cli, ["push", "--endpoint", f"{url}/store", "--data",
                                      str(FIXTURE_DATA), "--build-dir", str(build_dir)])
    _assert_sanitised(result)
    assert "500" in result.output and "boom-marker" in result.output


def test_fetch_error_body_is_sanitised(url, tmp_path):
    result = CliRunner().invoke(cli, ["fetch", "ctgov", "--base-url", f"{url}/api/v2",
                                      "--condition", "cirrhosis", "-o", str(tmp_path / "out"),
                                      "--retries", "0", "--delay", "0"])
    _assert_sanitised(result)
    assert "500" in result.output
