"""The one HTTP client (livergraph.io.http), against local servers on 127.0.0.1 only: body size
limit, total time limit (a slow drip ends), redirects that drop credentials across hosts, no
credentials over plain http off loopback, checked timeouts and URLs, safe server text, Digest;
and fetch's page limit and repeated-page-token detection."""
from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import pytest
from click.testing import CliRunner

from livergraph.cli import cli
from livergraph.errors import UnreadableInput
from livergraph.io import http as H
from conftest import ROOT

Handler = Callable[[BaseHTTPRequestHandler], None]


class Local:
    """A local HTTP server whose every request is answered by ``handle`` and recorded."""

    def __init__(self, handle: Handler):
        self.seen: list[dict] = []
        local = self

        class Req(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                local.seen.append({"method": self.command, "path": self.path, "body": body,
                                   "auth": self.headers.get("Authorization")})
                handle(self)

            do_GET = do_PUT = do_POST = _any     # noqa: N815 - http.server's API

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Req)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def serve():
    servers: list[Local] = []

    def start(handle: Handler) -> Local:
        servers.append(Local(handle))
        return servers[-1]
    yield start
    for s in servers:
        s.close()


def send(req: BaseHTTPRequestHandler, status: int, body: bytes = b"",
         headers: dict[str, str] | None = None) -> None:
    req.send_response(status)
    for k, v in (headers or {}).items():
        req.send_header(k, v)
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    req.wfile.write(body)


BEARER = H.Credentials("bearer", "s3cret-token")


# -- limits ----------------------------------------------------------------------------------

def test_a_body_over_the_size_limit_is_refused(serve):
    srv = serve(lambda r: send(r, 200, b"x" * 5000))
    with pytest.raises(H.HttpTooLarge, match="sent more than 1000 bytes"):
        H.request("GET", srv.url, limits=H.Limits(max_bytes=1000))
    assert H.request("GET", srv.url, limits=H.Limits(max_bytes=5000)).body == b"x" * 5000


def test_an_endless_body_without_length_is_cut_at_the_limit(serve):
    def endless(r):
        r.send_response(200)
        r.send_header("Connection", "close")
        r.end_headers()
        try:
            for _ in range(10_000):
                r.wfile.write(b"y" * 4096)
        except OSError:
            pass
    srv = serve(endless)
    with pytest.raises(H.HttpTooLarge):
        H.request("GET", srv.url, limits=H.Limits(max_bytes=100_000))


def test_a_slow_drip_ends_at_the_total_time_limit(serve):
    def drip(r):
        r.send_response(200)
        r.send_header("Content-Length", "1000")
        r.end_headers()
        try:
            for _ in range(1000):
                r.wfile.write(b"z")
                r.wfile.flush()
                time.sleep(0.2)         # each byte well within any per-read timeout
        except OSError:
            pass
    srv = serve(drip)
    start = time.monotonic()
    with pytest.raises(H.HttpTimeout, match="did not finish answering within 1 s"):
        H.request("GET", srv.url, limits=H.Limits(timeout=1.0))
    assert time.monotonic() - start < 3.0


# -- redirects and credentials ---------------------------------------------------------------

def test_a_redirect_to_another_host_drops_the_credentials(serve):
    other = serve(lambda r: send(r, 200, b"ok"))
    other_host = other.url.replace("127.0.0.1", "localhost")      # another origin
    first = serve(lambda r: send(r, 302, headers={"Location": other_host + "/landing"}))
    resp = H.request("GET", first.url + "/start", credentials=BEARER)
    assert resp.body == b"ok" and resp.redirects == [other_host + "/landing"]
    assert first.seen[0]["auth"] == "Bearer s3cret-token"
    assert other.seen[0]["auth"] is None and other.seen[0]["path"] == "/landing"


def test_a_redirect_on_the_same_origin_keeps_them_and_307_keeps_the_body(serve):
    def handle(r):
        if r.path == "/old":
            send(r, 307, headers={"Location": "/new"})
        else:
            send(r, 204)
    srv = serve(handle)
    resp = H.request("PUT", srv.url + "/old", body=b"<a> <b> <c> .", credentials=BEARER)
    assert resp.status == 204
    assert [(s["method"], s["path"], s["body"], s["auth"]) for s in srv.seen] == [
        ("PUT", "/old", b"<a> <b> <c> .", "Bearer s3cret-token"),
        ("PUT", "/new", b"<a> <b> <c> .", "Bearer s3cret-token")]


def test_a_301_for_a_put_is_refused_not_turned_into_a_get(serve):
    other = serve(lambda r: send(r, 200))
    srv = serve(lambda r: send(r, 301, headers={"Location": other.url + "/elsewhere"}))
    with pytest.raises(H.HttpError, match="redirected the PUT to http://127.0.0.1"):
        H.request("PUT", srv.url, body=b"data", credentials=BEARER)
    assert other.seen == []


def test_too_many_redirects(serve):
    srv = serve(lambda r: send(r, 302, headers={"Location": "/again"}))
    with pytest.raises(H.HttpError, match="more than 3 redirects"):
        H.request("GET", srv.url, limits=H.Limits(max_redirects=3))
    assert len(srv.seen) == 4


def test_no_credentials_over_plain_http_off_loopback():
    # 192.0.2.1 (TEST-NET-1) is never contacted: the refusal comes before any connection
    with pytest.raises(H.HttpError, match="refusing to send credentials over plain http to "
                                          "192.0.2.1") as caught:
        H.request("GET", "http://192.0.2.1/store", credentials=BEARER,
                  limits=H.Limits(timeout=0.5))
    assert "--allow-insecure-auth" in (caught.value.hint or "")
    with pytest.raises(H.HttpError, match="refusing to send credentials"):
        H.request("GET", "http://example.invalid/", credentials=H.Credentials("basic", "u", "p"))
    assert H.insecure_auth_allowed(False, {"LIVERGRAPH_ALLOW_INSECURE_AUTH": "1"})
    assert not H.insecure_auth_allowed(False, {})


def test_push_sends_no_credentials_to_a_plain_http_remote_host():
    from livergraph.export.push import push
    with pytest.raises(UnreadableInput, match="refusing to send credentials"):
        push(b"", endpoint="http://192.0.2.1/store", graph="urn:g",
             env={"LIVERGRAPH_TOKEN": "abc"}, timeout=0.5)


def test_digest_is_answered_when_the_server_asks(serve):
    def handle(r):
        auth = r.headers.get("Authorization") or ""
        if auth.startswith("Digest ") and 'username="u"' in auth and "response=" in auth:
            send(r, 201)
        else:
            send(r, 401, b"sign in", {"WWW-Authenticate":
                                      'Digest realm="r", nonce="n0", qop="auth"'})
    srv = serve(handle)
    resp = H.request("PUT", srv.url + "/store", body=b"x",
                     credentials=H.Credentials("basic", "u", "p"))
    assert resp.status == 201
    assert srv.seen[0]["auth"].startswith("Basic ") and srv.seen[1]["auth"].startswith("Digest ")


# -- checks and safe text --------------------------------------------------------------------

@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0, 0, "soon"])
def test_bad_timeouts_are_refused(value):
    with pytest.raises(UnreadableInput, match="not a number of seconds"):
        H.check_timeout(value)


@pytest.mark.parametrize("url,message", [
    ("http://[::1", "malformed URL"), ("http://h:99999/", "malformed URL"),
    ("ftp://h/x", "not an http:// or https:// URL"), ("http:///nohost", "with a host"),
    ("http://h /x", "spaces or control characters"), ("", "empty"),
    ("http://admin:pw@h/", "holds a user name or password")])
def test_malformed_urls_are_refused(url, message):
    with pytest.raises(UnreadableInput, match=message.replace("(", r"\(")) as caught:
        H.check_url(url)
    assert "pw" not in str(caught.value)


def test_server_error_text_is_printed_without_escapes(serve):
    nasty = b"\x1b[31mdisk\x1b[0m full\x07\x1b]0;pwned\x07 \x00again\r\n"
    srv = serve(lambda r: send(r, 500, nasty))
    with pytest.raises(H.HttpStatusError) as caught:
        H.request("GET", srv.url)
    text = str(caught.value)
    assert "HTTP 500" in text and "disk full again" in text
    assert not any(c in text for c in "\x1b\x07\x00\r")


def test_cli_timeout_and_url_errors_exit_2(tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["fetch", "ctgov", "--root", str(ROOT), "--condition", "x",
                              "-o", str(tmp_path), "--timeout", "nan"])
    assert res.exit_code == 2 and "not a number of seconds above 0" in res.output
    res = runner.invoke(cli, ["fetch", "ctgov", "--root", str(ROOT), "--condition", "x",
                              "-o", str(tmp_path), "--base-url", "http://[::1"])
    assert res.exit_code == 2 and "malformed --base-url" in res.output
    assert "Traceback" not in res.output


# -- fetch: page limit and repeated page tokens ----------------------------------------------

def _pages(repeat: bool):
    def handle(r):
        params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r.path).query))
        n = int(params.get("pageToken", "t0")[1:])
        token = "t1" if repeat else f"t{n + 1}"
        body = {"studies": [{"protocolSection": {"identificationModule": {
            "nctId": f"NCT{n:08d}"}}}], "nextPageToken": token}
        send(r, 200, json.dumps(body).encode(), {"Content-Type": "application/json"})
    return handle


def test_fetch_stops_when_the_server_repeats_its_page_token(serve, tmp_path):
    from livergraph.registry.ctgov.fetch import Fetcher, fetch
    srv = serve(_pages(repeat=True))
    with pytest.raises(UnreadableInput, match="sent the page token 't1' a second time"):
        fetch("x", None, tmp_path, fetcher=Fetcher(base_url=srv.url + "/api/v2", delay=0))
    assert len(srv.seen) == 2


def test_fetch_has_a_page_limit(serve, tmp_path):
    from livergraph.registry.ctgov.fetch import Fetcher, fetch
    srv = serve(_pages(repeat=False))
    with pytest.raises(UnreadableInput, match="stopped after 3 pages in one run"):
        fetch("x", None, tmp_path, fetcher=Fetcher(base_url=srv.url + "/api/v2", delay=0,
                                                   page_limit=3))
    assert len(srv.seen) == 3 and len(list(tmp_path.glob("page-*.json"))) == 3


def test_ctrl_c_in_fetch_exits_130(tmp_path, monkeypatch):
    import livergraph.registry.ctgov.fetch as fetch_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(fetch_module, "fetch", interrupted)
    res = CliRunner().invoke(cli, ["fetch", "ctgov", "--root", str(ROOT), "--condition", "x",
                                   "-o", str(tmp_path)])
    assert res.exit_code == 130 and "run the same command to resume" in res.output
