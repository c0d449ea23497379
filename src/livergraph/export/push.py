"""Load the built graph into a triple store over the SPARQL 1.1 Graph Store Protocol.

Any store that speaks the protocol works (Oxigraph ``/store``, Apache Jena Fuseki
``/DATASET/data``, Virtuoso ``/sparql-graph-crud-auth``). One release goes to one named graph,
``https://w3id.org/livergraph/graph/<version>`` by default:

* ``replace`` sends one HTTP PUT: the store swaps the graph's content for the body in a single
  request, so a failure leaves the old content, never half of the new one;
* ``append`` sends one HTTP POST, which adds to what the graph holds. RDF statements are a set, so
  appending the same release twice adds nothing, except the blank nodes of the ontology's
  axioms, which a store cannot tell from the ones it holds: use ``replace`` for releases.

Credentials come from the environment only, never from the command line (where they would end
up in the shell history and the process list): ``LIVERGRAPH_TOKEN`` (sent as a bearer token) or
``LIVERGRAPH_USER`` and ``LIVERGRAPH_PASSWORD`` (HTTP Basic, or Digest when the server asks for
it, as Virtuoso does). They are never sent over plain http to another machine (loopback is
fine) unless ``LIVERGRAPH_ALLOW_INSECURE_AUTH=1``, and never to another host a redirect points
at; the exchange is bounded in time and size (livergraph.io.http). Errors say whether the server could not be reached or refused, with the
HTTP status and the start of its answer, and exit 2.
"""
from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from typing import Mapping

from livergraph.errors import UnreadableInput
from livergraph.io.http import (Credentials, HttpStatusError, HttpUnreachable, Limits,
                                auth_header, check_timeout, check_url, insecure_auth_allowed,
                                request, safe_text)

TOKEN_ENV = "LIVERGRAPH_TOKEN"
USER_ENV = "LIVERGRAPH_USER"
PASSWORD_ENV = "LIVERGRAPH_PASSWORD"
USER_AGENT = "livergraph (SPARQL 1.1 Graph Store Protocol client)"
DEFAULT_TIMEOUT = 300.0
MODES = ("replace", "append")
EXCERPT = 300


@dataclass(frozen=True)
class PushResult:
    method: str
    url: str
    status: int
    graph: str
    bytes_sent: int


def store_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol URL of a named graph: ``ENDPOINT?graph=<IRI>`` (indirect
    identification, which every store supports)."""
    sep = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{sep}{urllib.parse.urlencode({'graph': graph})}"


def check_endpoint(endpoint: str) -> None:
    """A usable http(s) URL without credentials in it, or UnreadableInput saying why not."""
    try:
        check_url(endpoint, "endpoint URL")
    except UnreadableInput as exc:
        if "user name or password" in exc.message:
            raise UnreadableInput("the endpoint URL holds a user name or password",
                                  hint=f"remove it from the URL and set {USER_ENV} and "
                                       f"{PASSWORD_ENV} (or {TOKEN_ENV}) in the environment") \
                from None
        raise UnreadableInput(exc.message.replace("malformed endpoint URL", "not an http(s) "
                                                  "URL (malformed)"),
                              hint="give the store's Graph Store Protocol URL, e.g. "
                                   "http://127.0.0.1:7878/store (Oxigraph)") from None


def probe(endpoint: str, timeout: float = 10.0) -> None:
    """Fail fast, before the graph is built, when nothing listens at the endpoint's host and
    port (the push itself reports every other failure)."""
    import socket
    parts = urllib.parse.urlsplit(endpoint)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            pass
    except OSError as exc:
        raise unreachable(endpoint, exc) from None


def credentials(env: Mapping[str, str] | None = None) -> tuple[str, str | None, str | None]:
    """("bearer", token, None), ("basic", user, password) or ("none", None, None)."""
    env = os.environ if env is None else env
    token = env.get(TOKEN_ENV) or None
    user = env.get(USER_ENV) or None
    password = env.get(PASSWORD_ENV)
    if token and user:
        raise UnreadableInput(f"both {TOKEN_ENV} and {USER_ENV} are set",
                              hint="set one way of signing in, not both")
    if token:
        return "bearer", token, None
    if user:
        if password is None:
            raise UnreadableInput(f"{USER_ENV} is set but {PASSWORD_ENV} is not",
                                  hint=f"set {PASSWORD_ENV} too")
        return "basic", user, password
    if password:
        raise UnreadableInput(f"{PASSWORD_ENV} is set but {USER_ENV} is not",
                              hint=f"set {USER_ENV} too")
    return "none", None, None


def _as_credentials(creds: tuple[str, str | None, str | None]) -> Credentials | None:
    kind, who, secret = creds
    return None if kind == "none" or who is None else Credentials(kind, who, secret)


def _opener(endpoint: str, creds: tuple[str, str | None, str | None]) \
        -> tuple[None, dict[str, str]]:
    """The pre-emptive Authorization header for ``creds`` (kept for callers of the old API;
    the request itself goes through livergraph.io.http)."""
    return None, auth_header(_as_credentials(creds))


def push(body: bytes, *, endpoint: str, graph: str, mode: str = "replace",
         content_type: str = "text/turtle; charset=utf-8", timeout: float | None = None,
         env: Mapping[str, str] | None = None, allow_insecure_auth: bool = False,
         max_bytes: int = 16 * 1024 * 1024) -> PushResult:
    """Send ``body`` (RDF in ``content_type``) to the named graph ``graph`` of the store at
    ``endpoint``: one PUT to replace the graph, or one POST to add to it. Credentials are never
    sent over plain http to another machine unless ``allow_insecure_auth`` (or
    LIVERGRAPH_ALLOW_INSECURE_AUTH=1), nor to another host a redirect points at."""
    if mode not in MODES:
        raise ValueError(mode)
    check_endpoint(endpoint)
    seconds = check_timeout(timeout) or DEFAULT_TIMEOUT
    method = "PUT" if mode == "replace" else "POST"
    url = store_url(endpoint, graph)
    creds = _as_credentials(credentials(env))
    try:
        response = request(method, url, body=body, headers={
            "Content-Type": content_type, "User-Agent": USER_AGENT}, credentials=creds,
            limits=Limits(timeout=seconds, max_bytes=max_bytes),
            allow_insecure_auth=insecure_auth_allowed(allow_insecure_auth, env), what="store")
    except HttpStatusError as exc:
        raise refused(endpoint, method, exc.status, exc.reason, exc.body) from None
    except HttpUnreachable as exc:
        raise unreachable(endpoint, exc.message.rsplit(": ", 1)[-1]) from None
    return PushResult(method, url, response.status, graph, len(body))


def excerpt(body: bytes, limit: int = EXCERPT) -> str:
    """The start of a server's answer, safe to print (no control or escape characters)."""
    return safe_text(body, limit)


def refused(endpoint: str, method: str, status: int, reason, body: bytes) -> UnreadableInput:
    text = f"the store at {endpoint} refused the {method}: HTTP {status} {reason or ''}".rstrip()
    said = excerpt(body)
    if said:
        text += f"\n  it said: {said}"
    if status in (401, 403):
        hint = (f"sign in: set {TOKEN_ENV}, or {USER_ENV} and {PASSWORD_ENV}, in the "
                "environment (and check the account may write)")
    elif status in (404, 405):
        hint = ("is this the Graph Store Protocol URL? Oxigraph: http://HOST:7878/store; "
                "Fuseki: http://HOST:3030/DATASET/data; Virtuoso: "
                "http://HOST:8890/sparql-graph-crud-auth")
    elif status == 413:
        hint = "the graph is larger than the server accepts in one request; raise its limit"
    else:
        hint = "nothing was loaded by this request; see the server's log"
    return UnreadableInput(text, hint=hint)


def unreachable(endpoint: str, reason) -> UnreadableInput:
    reason = getattr(reason, "strerror", None) or reason
    return UnreadableInput(f"cannot reach the store at {endpoint}: {reason}",
                           hint="is the server running, and is the URL right? "
                                "Nothing was loaded.")
