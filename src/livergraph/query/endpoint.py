"""The same queries against any SPARQL 1.1 endpoint over HTTP (the SPARQL 1.1 Protocol).

The query is checked locally first (form, prefixes, SERVICE, syntax), sent with the predeclared
prefixes written out, and asked for in the format wanted through the ``Accept`` header. SELECT
results in that format are passed on as the endpoint sent them (converted if it chose another
format); CONSTRUCT and DESCRIBE results are re-written sorted and with prefixes, as the local
graph writes them; the table is drawn from the JSON results, with labels looked up on the
endpoint.
"""
from __future__ import annotations

import re
import urllib.parse
from typing import Any

from livergraph.errors import UnreadableInput
from livergraph.io.http import (
    HttpError,
    HttpStatusError,
    HttpTimeout,
    HttpUnreachable,
    Limits,
    check_timeout,
    check_url,
    redact,
    request,
    safe_text,
)
from livergraph.query.engine import (
    Answer,
    QueryError,
    QueryTimeout,
    check,
    check_format,
    graph_form,
    syntax_error,
)
from livergraph.query.render import GRAPH_FORMATS, RESULT_FORMATS

USER_AGENT = "livergraph (SPARQL 1.1 Protocol client)"
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


def with_prefixes(text: str, prefixes: dict[str, str]) -> str:
    """The query with the predeclared prefixes written out in front (its own declarations, which
    come later, still win)."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items()) + text


def post(url: str, text: str, accept: str, timeout: float | None,
         max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, bytes]:
    """POST a query (form-encoded, as every SPARQL 1.1 endpoint accepts); (media type, body).
    The whole exchange is bounded by ``timeout`` seconds and ``max_bytes`` (livergraph.io.http)."""
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    limit = DEFAULT_TIMEOUT if timeout is None else timeout
    try:
        response = request("POST", url, body=body, headers={
            "Accept": accept, "User-Agent": USER_AGENT,
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            limits=Limits(timeout=limit, max_bytes=max_bytes), what="SPARQL endpoint")
    except HttpStatusError as exc:
        detail = safe_text(exc.body, 2000)
        raise QueryError(f"the SPARQL endpoint {redact(url)} answered HTTP {exc.status} "
                         f"{exc.reason}" + (f": {detail}" if detail else "")) from None
    except HttpTimeout:
        raise QueryTimeout(f"the SPARQL endpoint {redact(url)} did not answer within "
                           f"{limit:g} s", hint="allow more time with --timeout SECONDS") \
            from None
    except HttpUnreachable as exc:
        raise QueryError(f"cannot reach the SPARQL endpoint {redact(url)}: "
                         f"{exc.message.rsplit(': ', 1)[-1]}",
                         hint="check the URL and that the server is running") from None
    except HttpError as exc:
        raise QueryError(exc.message, hint=exc.hint) from None
    return response.media_type, response.body


def _syntax_check(text: str, prefixes: dict[str, str]) -> None:
    """Parse the query locally (on an empty store) so syntax errors read the same everywhere."""
    import pyoxigraph as ox
    try:
        ox.Store().query(text, prefixes=prefixes)
    except SyntaxError as exc:
        raise syntax_error(str(exc), text) from None
    except OSError:
        pass


_NOT_IRIREF = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_NAMES_GRAPHS = re.compile(r"\b(GRAPH|FROM|SERVICE)\b", re.IGNORECASE)


def _check_default_graph(url: str, text: str, timeout: float | None) -> None:
    """Refuse to answer from an empty default graph while the store's named graphs hold data
    (an Oxigraph server started without --union-default-graph, where `livergraph push` put the
    graph in a named graph): every query would silently answer nothing. Queries that name their
    graphs (GRAPH, FROM) are left alone."""
    if _NAMES_GRAPHS.search(text):
        return
    ask = RESULT_FORMATS["json"]
    _, body = post(url, "ASK { ?s ?p ?o }", ask, timeout)
    if b"true" in body:
        return
    _, body = post(url, "ASK { GRAPH ?g { ?s ?p ?o } }", ask, timeout)
    if b"true" in body:
        raise QueryError(
            f"the default graph of {url} is empty, but its named graphs hold data: every "
            "query would answer nothing",
            hint="start the store with its default graph as the union of the named graphs "
                 "(oxigraph serve --union-default-graph; Fuseki: tdb:unionDefaultGraph true), "
                 "or name the graph in the query (FROM <...> or GRAPH <...> { ... })")


def run_endpoint(url: str, text: str, prefixes: dict[str, str], *, fmt: str = "table",
                 lang: str = "en", allow_service: bool = False,
                 timeout: float | None = None, layout: Any = None) -> Answer:
    """Answer ``text`` on the endpoint at ``url`` in ``fmt`` (a table for people, ``layout``
    shaping it, is drawn from the JSON results with labels looked up on the endpoint)."""
    import pyoxigraph as ox

    from livergraph.query import render as results
    try:
        check_url(url, "endpoint URL")
        timeout = check_timeout(timeout)
    except UnreadableInput as exc:
        raise QueryError(exc.message if "malformed" not in exc.message else
                         f"not an HTTP URL: {exc.message}",
                         hint=exc.hint or "give the endpoint's URL, e.g. "
                                          "http://127.0.0.1:7878/query") from None
    info = check(text, prefixes, allow_service=allow_service)
    fmt = check_format(info.form, fmt)
    if not info.service:
        _syntax_check(text, prefixes)
    full = with_prefixes(text, prefixes)
    _check_default_graph(url, text, timeout)

    if graph_form(info.form):
        want = GRAPH_FORMATS[fmt]
        media, body = post(url, full, f"{want}, application/n-triples;q=0.5", timeout)
        # re-written as the local graph writes it (sorted, with prefixes), so that the same
        # query gives the same bytes from an endpoint as from the local graph
        got = _rdf_format(media, url)
        try:
            triples = [q.triple for q in ox.parse(body, format=got)]
        except SyntaxError as exc:
            raise QueryError(f"the SPARQL endpoint {url} sent {media} that does not parse: "
                             f"{exc}") from None
        return Answer(info.form, results.render_triples(triples, fmt, prefixes))

    if info.form == "ask" or fmt in results.PEOPLE_FORMATS:
        media, body = post(url, full, RESULT_FORMATS["json"] + ", "
                           + RESULT_FORMATS["xml"] + ";q=0.8", timeout)
        parsed = _parse_results(media, body, url)
        if info.form == "ask":
            value = bool(parsed)
            return Answer(info.form, results.render_boolean(value, parsed, fmt), value)
        done = results.render_answer(parsed, fmt, _endpoint_labels(url, timeout), prefixes,
                                     lang, layout or results.Layout())
        return Answer(info.form, done.data, hint=done.hint)

    want = RESULT_FORMATS[fmt]
    media, body = post(url, full, f"{want}, {RESULT_FORMATS['json']};q=0.5", timeout)
    if media == want:
        return Answer(info.form, body if body.endswith(b"\n") else body + b"\n")
    parsed = _parse_results(media, body, url)
    return Answer(info.form, results.render_solutions(parsed, fmt, None, prefixes, lang))


def _parse_results(media: str, body: bytes, url: str):
    import pyoxigraph as ox
    fmt = ox.QueryResultsFormat.from_media_type(media)
    if fmt not in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML):
        raise QueryError(f"the SPARQL endpoint {url} answered in {media}, not SPARQL JSON or "
                         "XML results")
    try:
        return ox.parse_query_results(body, format=fmt)
    except SyntaxError as exc:
        raise QueryError(f"the SPARQL endpoint {url} sent results that do not parse: "
                         f"{exc}") from None


def _rdf_format(media: str, url: str):
    import pyoxigraph as ox
    fmt = ox.RdfFormat.from_media_type(media)
    if fmt is None:
        raise QueryError(f"the SPARQL endpoint {url} answered in {media}, not RDF")
    return fmt


def _endpoint_labels(url: str, timeout: float | None):
    """Look labels up on the endpoint, in one query; none when the endpoint cannot say."""
    def lookup(iris: list[str]) -> dict[str, list[tuple[str, str]]]:
        import pyoxigraph as ox
        # only IRIs that are IRIREFs as they stand (nothing a server sent can end the term)
        values = " ".join(f"<{i}>" for i in iris if not _NOT_IRIREF.search(i))
        text = ("SELECT ?s ?l WHERE { VALUES ?s { " + values + " } "
                "?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
        try:
            media, body = post(url, text, RESULT_FORMATS["json"], timeout)
            parsed = _parse_results(media, body, url)
        except QueryError:
            return {}
        found: dict[str, list[tuple[str, str]]] = {}
        for sol in parsed:
            s, label = sol["s"], sol["l"]
            if isinstance(s, ox.NamedNode) and isinstance(label, ox.Literal):
                found.setdefault(s.value, []).append((label.value, label.language or ""))
        return found
    return lookup
