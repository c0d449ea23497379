"""SPARQL over the knowledge graph: ad-hoc and named queries, checked before they run.

* ``analyse`` reads a query's form (SELECT, ASK, CONSTRUCT, DESCRIBE or an update), the prefixes
  it uses and whether it calls ``SERVICE``, without a full parse;
* ``check`` refuses SPARQL Update (the graph is read-only), ``SERVICE`` unless allowed, and
  prefixes that are neither predeclared nor declared in the query;
* ``run_local`` answers a query on the cached graph (``livergraph.cache``) with pyoxigraph, which
  opens the cache's on-disk store read-only (or parses an N-Triples file into memory), or with
  rdflib's engine for cross-checking, optionally in a child process stopped after a timeout;
* ``named_queries`` / ``find_named`` read the library of questions in ``queries/*.rq``.

Results come back as ``Answer``: the bytes in the format asked for (see ``livergraph.results``)
and, for ASK, the boolean.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from livergraph.errors import LivergraphError, UnreadableInput

ENGINES = ("oxigraph", "rdflib")
READ_FORMS = ("select", "ask", "construct", "describe")
UPDATE_KEYWORDS = ("insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add",
                   "with")


class QueryError(LivergraphError):
    """A query that cannot be run as given (exit 2 unless told otherwise)."""

    def __init__(self, message: str, *, exit_code: int = 2, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.exit_code = exit_code


class QueryTimeout(QueryError):
    """A query stopped because it ran past its time limit."""


# -- reading a query without parsing it -------------------------------------------------------

_TOKENS = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<comment>#[^\n\r]*)', re.S)
_PNAME = re.compile(r'(?<![\w.\-?$:@])(?P<prefix>(?:[^\W\d_][\w.\-]*)?):(?P<local>[\w.\-:%]*)')
_PREFIX_DECL = re.compile(r'(?i)\bPREFIX\s+(?P<prefix>(?:[^\W\d_][\w.\-]*)?):')
_KEYWORD = re.compile(r'(?i)(?<![\w?$:])(' + "|".join(READ_FORMS + UPDATE_KEYWORDS) +
                      r')(?![\w:])')
_SERVICE = re.compile(r'(?i)(?<![\w?$:])SERVICE(?![\w:])')


def _blank(text: str, start: int, end: int) -> str:
    return "".join(c if c in "\r\n" else " " for c in text[start:end])


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@dataclass
class QueryInfo:
    form: str | None                         # select | ask | construct | describe | update
    keyword: str | None                      # the keyword that decided the form
    declared: dict[str, tuple[int, int]] = field(default_factory=dict)
    used: list[tuple[str, int, int]] = field(default_factory=list)   # (prefix, line, column)
    service: tuple[int, int] | None = None   # where SERVICE is first used


def skeleton(text: str) -> str:
    """The query with its strings, IRIs and comments blanked out (same length and lines)."""
    parts, last = [], 0
    for m in _TOKENS.finditer(text):
        parts.append(text[last:m.start()])
        parts.append(_blank(text, m.start(), m.end()))
        last = m.end()
    parts.append(text[last:])
    return "".join(parts)


def analyse(text: str) -> QueryInfo:
    """The form, prefixes and SERVICE use of a query, read from its tokens (strings, IRIs and
    comments are skipped)."""
    skeleton_text = skeleton(text)
    info = QueryInfo(None, None)
    decl_spans = []
    for m in _PREFIX_DECL.finditer(skeleton_text):
        info.declared.setdefault(m.group("prefix"), position(text, m.start("prefix")))
        decl_spans.append((m.start(), m.end()))
    bare = list(skeleton_text)
    for m in _PNAME.finditer(skeleton_text):
        if any(a <= m.start() < b for a, b in decl_spans):
            continue
        info.used.append((m.group("prefix"), *position(text, m.start())))
        bare[m.start():m.end()] = " " * (m.end() - m.start())
    bare_text = "".join(bare)
    m = _KEYWORD.search(bare_text)
    if m:
        word = m.group(1).lower()
        info.keyword = m.group(1)
        info.form = word if word in READ_FORMS else "update"
    s = _SERVICE.search(bare_text)
    if s:
        info.service = position(text, s.start())
    return info


def check(text: str, prefixes: dict[str, str], *, allow_service: bool = False) -> QueryInfo:
    """Refuse what ``livergraph query`` does not run; return the query's ``QueryInfo``."""
    info = analyse(text)
    if info.form == "update":
        raise QueryError(f"SPARQL Update ({info.keyword.upper()}) is refused: the knowledge graph "
                         "is read-only here",
                         hint="change the curated data in data/ and run `livergraph build`; "
                              "`query` runs SELECT, ASK, CONSTRUCT and DESCRIBE")
    if info.form is None:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE found",
                         hint="for example: livergraph query 'SELECT ?trial ?status WHERE "
                              "{ ?trial lg:status ?status }'")
    known = set(prefixes) | set(info.declared)
    for prefix, line, col in info.used:
        if prefix not in known:
            shown = f"{prefix}:" if prefix else "':' (the empty prefix)"
            raise QueryError(f"unknown prefix {shown} at line {line}, column {col}",
                             hint="declare it with PREFIX, or use one of the predeclared "
                                  "prefixes: " + ", ".join(f"{p}:" for p in sorted(prefixes)))
    if info.service and not allow_service:
        line, col = info.service
        raise QueryError(f"SERVICE (a federated query to a remote endpoint) at line {line}, "
                         f"column {col} is off by default",
                         hint="pass --allow-service to let the query call remote endpoints")
    return info


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$")
_QUOTED = re.compile(r'^"(?:[^"\\\n\r]|\\.)*"(@[A-Za-z]+(-[A-Za-z0-9]+)*|\^\^\S+)?$')


def sparql_term(value: str, prefixes: dict[str, str]) -> str:
    """A parameter value as a SPARQL term: ``<iri>``, ``prefix:local`` with a known prefix, an
    http(s) IRI, a number, ``true``/``false``, a quoted literal, or else a plain string."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">") and _TOKENS.fullmatch(value):
        return value
    if re.match(r"^https?://\S+$", value) and not re.search(r'[<>"{}|^`\\]', value):
        return f"<{value}>"
    m = _PNAME.fullmatch(value)
    if m and m.group("prefix") in prefixes:
        return value
    if _NUMBER.match(value) or value in ("true", "false") or _QUOTED.match(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def bind_params(text: str, params: dict[str, str], prefixes: dict[str, str],
                declared: tuple[str, ...] | None = None) -> str:
    """The query with each parameter ``name=value`` bound: the values of its ``VALUES ?name
    { ... }`` line replaced, or a ``VALUES ?name { value }`` added at the start of the WHERE
    clause. ``declared`` (a named query's ``# param:`` names) limits the names allowed."""
    for name, value in params.items():
        name = name.lstrip("?$")
        if declared is not None and name not in declared:
            raise QueryError(f"this named query has no parameter {name!r}",
                             hint=("its parameters: " + ", ".join(declared)) if declared
                             else "it takes no parameters (# param: none)")
        bare = skeleton(text)
        if not re.search(rf"[?$]{re.escape(name)}\b", bare):
            raise QueryError(f"the query has no variable ?{name} to bind",
                             hint="--param NAME=VALUE binds the variable ?NAME")
        term = sparql_term(value, prefixes)
        values = re.search(rf"(?i)\bVALUES\s+[?$]{re.escape(name)}\s*\{{([^}}]*)\}}", bare)
        if values:
            text = text[:values.start(1)] + f" {term} " + text[values.end(1):]
            continue
        where = re.search(r"(?i)\bWHERE\s*\{", bare) or re.search(r"\{", bare)
        if where is None:
            raise QueryError(f"cannot bind ?{name}: the query has no WHERE clause")
        text = text[:where.end()] + f" VALUES ?{name} {{ {term} }} " + text[where.end():]
    return text


def parse_param_options(items: tuple[str, ...]) -> dict[str, str]:
    """``--param NAME=VALUE`` options as a dict."""
    params = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {item!r} is not NAME=VALUE",
                             hint="for example --param study=study:cui-2022")
        params[name.strip()] = value
    return params


def syntax_error(message: str, text: str, line: int | None = None,
                 col: int | None = None) -> QueryError:
    """A QueryError for a parser's message, with the line and column and the line itself."""
    if line is None:
        m = re.search(r"error at (\d+):(\d+):\s*(.*)", message, re.S)
        if m:
            line, col, message = int(m.group(1)), int(m.group(2)), m.group(3)
    message = " ".join(message.split())
    if "Prefix not found" in message:
        message = "a prefixed name uses a prefix that is not declared"
    if len(message) > 240:
        message = message[:240].rsplit(",", 1)[0] + ", ..."
    if line is None:
        return QueryError(f"syntax error in the query: {message}")
    lines = text.splitlines() or [""]
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    caret = " " * (max(1, min(col or 1, len(shown) + 1)) - 1) + "^"
    return QueryError(f"syntax error in the query at line {line}, column {col}: {message}\n"
                      f"  {shown}\n  {caret}")


# -- named queries ------------------------------------------------------------------------------

@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    summary: str
    description: str
    params: tuple[tuple[str, str], ...]     # (name, meaning); empty for "# param: none"
    has_param_line: bool
    text: str


_PARAM = re.compile(r"^#\s*param:\s*(?P<body>.*)$")


def parse_named(path: Path) -> NamedQuery:
    """A named query file: first line ``# <summary>``, then ``#`` lines of description and
    ``# param: <name> — <meaning>`` lines (or ``# param: none``)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"cannot read the named query: {exc}", file=str(path)) from exc
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    summary, description, params, has_param = "", [], [], False
    if header and not _PARAM.match(header[0]):
        summary = header[0].lstrip("#").strip()
        header = header[1:]
    for line in header:
        m = _PARAM.match(line)
        if m:
            has_param = True
            body = m.group("body").strip()
            if body.lower() != "none":
                params.append(_split_param(body))
        else:
            description.append(line.lstrip("#").strip())
    return NamedQuery(Path(path).stem, Path(path), summary, "\n".join(description).strip(),
                      tuple(params), has_param, text)


def _split_param(body: str) -> tuple[str, str]:
    parts = re.split(r"\s+[—–-]\s+", body, maxsplit=1)
    name = parts[0].strip().lstrip("?$")
    return name, (parts[1].strip() if len(parts) > 1 else "")


def named_queries(directory: Path) -> list[NamedQuery]:
    """Every ``*.rq`` file of the named-query library, by name."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.rq")):
        try:
            found.append(parse_named(path))
        except UnreadableInput as exc:   # listed all the same, with what is wrong
            found.append(NamedQuery(path.stem, path, "", str(exc), (), False, ""))
    return found


def find_named(directory: Path, name: str) -> NamedQuery:
    """The named query ``name`` (with or without ``.rq``); an unknown name lists close ones."""
    name = name[:-3] if name.endswith(".rq") else name
    path = Path(directory) / f"{name}.rq"
    if path.is_file():
        return parse_named(path)
    import difflib
    names = [p.stem for p in sorted(Path(directory).glob("*.rq"))]
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
    close += [n for n in names if name.lower() in n.lower() and n not in close][:5 - len(close)]
    hint = ("did you mean: " + ", ".join(close) + "?" if close else
            "no name is close") + " (`livergraph queries` lists them all)"
    raise UnreadableInput(f"no named query {name!r} in {directory}", hint=hint)


def problems(nq: NamedQuery) -> list[str]:
    """What is wrong with a named query's header (empty when it is well formed)."""
    found = []
    first = nq.text.splitlines()[0] if nq.text else ""
    if not first.startswith("# ") or not nq.summary:
        found.append("the first line must be '# <one-line summary>'")
    if not nq.has_param_line:
        found.append("the header needs '# param: <name> — <meaning>' lines or '# param: none'")
    for name, meaning in nq.params:
        if not name or not meaning:
            found.append(f"param line {name!r} needs '<name> — <meaning>'")
    return found


# -- answering ------------------------------------------------------------------------------------

@dataclass
class Answer:
    form: str                 # select | ask | construct | describe
    data: bytes               # the result in the format asked for
    boolean: bool | None = None


def graph_form(form: str) -> bool:
    return form in ("construct", "describe")


def check_format(form: str, fmt: str) -> str:
    """The format to write a ``form`` result in: the table becomes Turtle for graph results; a
    graph format for SELECT/ASK (or the reverse) is a misuse."""
    from livergraph.query.render import GRAPH_FORMATS, RESULT_FORMATS
    if graph_form(form):
        if fmt == "table":
            return "turtle"
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"a {form.upper()} query gives RDF, not a table: --format {fmt} "
                             "does not apply", hint="use --format turtle, nt or json-ld")
    elif fmt not in RESULT_FORMATS:
        raise QueryError(f"a {form.upper()} query gives results, not RDF: --format {fmt} does "
                         "not apply", hint="use --format table, csv, tsv, json or xml")
    return fmt


#: file suffix of -o -> format, when --format is not given (graph results, then the others)
SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".csv": "csv",
                  ".tsv": "tsv", ".json": "json", ".srj": "json", ".xml": "xml", ".srx": "xml",
                  ".txt": "table"}


def format_for_output(path: Path, text: str) -> str | None:
    """The format an output file's suffix asks for (``answer.csv`` -> csv), or None."""
    fmt = SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if fmt == "json" and graph_form(analyse(text).form or ""):
        return "json-ld"
    return fmt


def run_local(text: str, graph_path: Path, prefixes: dict[str, str], *, fmt: str = "table",
              lang: str = "en", engine: str = "oxigraph", allow_service: bool = False,
              timeout: float | None = None) -> Answer:
    """Answer ``text`` on the graph at ``graph_path`` in ``fmt``: an Oxigraph store directory
    (the cache's, opened read-only in milliseconds) or an N-Triples file (parsed into memory)."""
    info = check(text, prefixes, allow_service=allow_service)
    fmt = check_format(info.form, fmt)
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}", hint="use one of " + ", ".join(ENGINES))
    args = (text, str(graph_path), prefixes, info.form, fmt, lang, engine)
    if timeout is None:
        return _answer(*args)
    return call_with_timeout(_answer, args, timeout)


def _answer(text, graph_path, prefixes, form, fmt, lang, engine) -> Answer:
    if engine == "rdflib":
        return _answer_rdflib(text, graph_path, prefixes, form, fmt, lang)
    import pyoxigraph as ox

    from livergraph.query import render as results
    store = open_store(graph_path)
    try:
        result = store.query(text, prefixes=prefixes)
    except SyntaxError as exc:
        raise syntax_error(str(exc), text) from None
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from None
    try:
        if isinstance(result, ox.QueryBoolean):
            return Answer(form, results.render_boolean(bool(result), result, fmt), bool(result))
        if isinstance(result, ox.QuerySolutions):
            return Answer(form, results.render_solutions(
                result, fmt, _store_labels(store), prefixes, lang))
        return Answer(form, results.render_triples(result, fmt, prefixes))
    except OSError as exc:   # raised while evaluating lazily (SERVICE, ...)
        raise QueryError(f"the query failed: {exc}") from None


def open_store(graph_path):
    """A pyoxigraph store of the graph at ``graph_path``: a store directory opened read-only
    (queries never write, and any number of them may read it at once), or an N-Triples file
    bulk-loaded into memory."""
    import os

    import pyoxigraph as ox
    if os.path.isdir(graph_path):
        try:
            return ox.Store.read_only(str(graph_path))
        except OSError as exc:
            raise UnreadableInput(f"cannot open the graph store: {exc}", file=str(graph_path),
                                  hint="rebuild the cache with `livergraph query --rebuild`"
                                  ) from None
    store = ox.Store()
    # lenient: the cache is N-Triples written by rdflib from the validated build
    store.bulk_load(path=str(graph_path), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return store


def _store_labels(store):
    import pyoxigraph as ox
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")

    def lookup(iris: list[str]) -> dict[str, list[tuple[str, str]]]:
        found = {}
        for iri in iris:
            values = [(q.object.value, q.object.language or "")
                      for q in store.quads_for_pattern(ox.NamedNode(iri), label, None)
                      if isinstance(q.object, ox.Literal)]
            if values:
                found[iri] = values
        return found
    return lookup


def _rdflib_graph(path: str):
    """The graph parsed by rdflib, kept for the process (it is read-only): from an N-Triples
    file, or dumped from a store directory."""
    import os
    st = os.stat(path)
    key = (str(path), st.st_mtime_ns, st.st_size)
    if _RDFLIB_GRAPHS.get("key") != key:
        from rdflib import Graph
        graph = Graph()
        if os.path.isdir(path):
            import pyoxigraph as ox
            graph.parse(data=open_store(path).dump(format=ox.RdfFormat.N_TRIPLES,
                                                   from_graph=ox.DefaultGraph()),
                        format="nt")
        else:
            graph.parse(path, format="nt")
        _RDFLIB_GRAPHS.update(key=key, graph=graph)
    return _RDFLIB_GRAPHS["graph"]


_RDFLIB_GRAPHS: dict = {}


def _answer_rdflib(text, graph_path, prefixes, form, fmt, lang) -> Answer:
    """The same answer through rdflib's SPARQL engine (slower; for cross-checking)."""
    import pyoxigraph as ox
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    from livergraph.query import render as results
    graph = _rdflib_graph(graph_path)
    try:
        res = graph.query(text, initNs=prefixes)
    except Exception as exc:   # pyparsing's ParseException and rdflib's own errors
        line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
        msg = getattr(exc, "msg", None) or str(exc)
        if line is not None or "Expected" in str(exc):
            raise syntax_error(str(msg), text, line, col) from None
        raise QueryError(f"the query failed: {exc}") from None
    if graph_form(form):
        nt = res.graph.serialize(format="nt", encoding="utf-8")
        triples = [q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
        return Answer(form, results.render_triples(triples, fmt, prefixes))
    parsed = ox.parse_query_results(res.serialize(format="json"),
                                    format=ox.QueryResultsFormat.JSON)
    if form == "ask":
        return Answer(form, results.render_boolean(bool(parsed), parsed, fmt), bool(parsed))

    def lookup(iris):
        found = {}
        for iri in iris:
            values = [(str(o), o.language or "") for o in graph.objects(URIRef(iri), RDFS.label)]
            if values:
                found[iri] = values
        return found
    return Answer(form, results.render_solutions(parsed, fmt, lookup, prefixes, lang))


# -- time limits ----------------------------------------------------------------------------------

def call_with_timeout(fn, args: tuple, timeout: float):
    """``fn(*args)`` in a forked child process, stopped after ``timeout`` seconds. Neither
    SPARQL engine can be interrupted from Python, so the query runs where it can be killed."""
    import multiprocessing

    if timeout <= 0:
        raise QueryError("--timeout must be a positive number of seconds")
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, fn, args), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            child.kill()
            raise QueryTimeout(f"the query was stopped after {timeout:g} s (--timeout)",
                               hint="simplify the query, add a LIMIT, or allow more time "
                                    "with --timeout SECONDS")
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise QueryError("the query process ended without an answer") from None
    finally:
        child.join(5)
        receiver.close()
    if status == "ok":
        return payload
    exit_code, message = payload
    raise QueryError(message, exit_code=exit_code)


def _child(sender, fn, args):
    try:
        sender.send(("ok", fn(*args)))
    except LivergraphError as exc:
        sender.send(("error", (exc.exit_code, str(exc))))
    except BaseException as exc:  # report, never hang the parent
        sender.send(("error", (2, f"the query failed: {type(exc).__name__}: {exc}")))
    finally:
        sender.close()
