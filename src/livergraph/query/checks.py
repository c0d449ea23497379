"""Reading a SPARQL query without parsing it, refusing what is not run, and binding parameters.

* ``analyse`` reads a query's form (SELECT, ASK, CONSTRUCT, DESCRIBE or an update), the prefixes
  it uses and whether it calls ``SERVICE``, without a full parse;
* ``check`` refuses SPARQL Update (the graph is read-only), ``SERVICE`` unless allowed, and
  prefixes that are neither predeclared nor declared in the query;
* ``bind_params`` binds ``?name`` to a value given as a SPARQL term (never raw text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from livergraph.errors import LivergraphError

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
    r'|(?P<comment>#[^\n\r]*)', re.DOTALL)
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


#: brackets ( { [ nested deeper than this are refused before any parser sees the query: the
#: SPARQL parsers recurse per level, and Oxigraph's overflows its stack (the process dies with
#: a segmentation fault) somewhere between 2,000 and 5,000 levels
MAX_NESTING = 256


def nesting(text: str) -> int:
    """The deepest nesting of ( { [ in a query, strings, IRIs and comments aside."""
    depth = deepest = 0
    for char in skeleton(text):
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth = max(0, depth - 1)
    return deepest


def check_nesting(text: str) -> None:
    """QueryError when the query nests brackets deeper than MAX_NESTING."""
    deepest = nesting(text)
    if deepest > MAX_NESTING:
        raise QueryError(f"the query nests brackets {deepest} levels deep; more than "
                         f"{MAX_NESTING} are refused (the SPARQL parser would run out of stack)",
                         hint="write the query with fewer nested groups or parentheses")


def check(text: str, prefixes: dict[str, str], *, allow_service: bool = False) -> QueryInfo:
    """Refuse what ``livergraph query`` does not run; return the query's ``QueryInfo``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line, col = position(text, exc.start)
        raise QueryError(f"the query holds a character that is not valid Unicode text (a lone "
                         f"surrogate, U+{ord(text[exc.start]):04X}) at line {line}, column {col}",
                         hint="save the query as UTF-8 text") from None
    check_nesting(text)
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
    if not allow_service:
        refuse_service(text, prefixes, info)
    return info


_MAY_CALL = re.compile(r"(?i)service|\\[uU]")


def service_endpoints(text: str, prefixes: dict[str, str]) -> list[str] | None:
    """The endpoints a query's SERVICE clauses call, read from its parsed algebra (rdflib's
    SPARQL parser, which also expands ``\\u`` escapes, so ``SERV\\u0049CE`` is found); a
    variable endpoint is given as ``?name``. None when the query does not parse there.

    A query without the letters ``service`` and without ``\\u``/``\\U`` escapes cannot hold
    the keyword, so it is answered without loading the parser (queries stay fast)."""
    if not _MAY_CALL.search(text):
        return []
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    try:
        algebra = translateQuery(parseQuery(text), initNs=prefixes).algebra
    except Exception:   # pyparsing's ParseException and rdflib's own errors
        return None
    found: list[str] = []
    todo: list[object] = [algebra]
    while todo:
        node = todo.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                from rdflib import Variable
                found.append(f"?{term}" if isinstance(term, Variable) else str(term))
            todo.extend(node.values())
        elif isinstance(node, (list, tuple, set)):
            todo.extend(node)
        elif isinstance(node, dict):
            todo.extend(node.values())
    return found


def offline_sparql() -> None:
    """Keep rdflib's SPARQL engine from downloading the graphs a query names with ``FROM`` /
    ``FROM NAMED`` (rdflib's documented ``SPARQL_LOAD_GRAPHS`` switch, on by default): a query
    here reads the local graph only, and a named graph it asks for must already be there."""
    import rdflib.plugins.sparql
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


def refuse_service(text: str, prefixes: dict[str, str], info: QueryInfo | None = None) -> None:
    """Raise QueryError when the query would call a remote endpoint with SERVICE (decided on
    its parsed algebra, not on its text); a query the parser cannot read is refused only when
    its text may hold the keyword."""
    endpoints = service_endpoints(text, prefixes)
    if endpoints == []:
        return
    info = info or analyse(text)
    where = ""
    if info.service:
        where = " at line {}, column {}".format(*info.service)
    if endpoints is None:
        if not info.service and not re.search(r"\\[uU]", text):
            return          # the keyword is in strings, IRIs or comments only
        what = "SERVICE (a federated query to a remote endpoint)"
    else:
        what = "SERVICE (a federated query to " + ", ".join(sorted(set(endpoints))) + ")"
    raise QueryError(f"{what}{where} is off by default: queries here do not call remote "
                     "endpoints",
                     hint="pass --allow-service to let the query call remote endpoints")


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$")
_IRI_CHARS = re.compile(r'^https?://[^<>"{}|^`\\\x00-\x20]+$')


def sparql_term(value: str, prefixes: dict[str, str]) -> str:
    """A parameter value as one SPARQL term, written from the parsed term (never the text as
    given): ``<iri>``, ``prefix:local`` with a known prefix, an http(s) IRI, a number,
    ``true``/``false``, a quoted literal (``"x"@en``, ``"1"^^xsd:integer``), or else the whole
    value as a plain string. A value that looks like an IRI or a quoted literal but is not
    exactly one is refused (QueryError), so no value can change the query's structure."""
    import pyoxigraph as ox
    value = value.strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _bad_term(value, "it holds a character that is not valid Unicode text (a lone "
                               "surrogate)") from None
    if value.startswith(("http://", "https://")):
        if not _IRI_CHARS.match(value):
            raise _bad_term(value, "an IRI cannot hold spaces or any of <>\"{}|^`\\")
        return str(ox.NamedNode(value))
    m = _PNAME.fullmatch(value)
    looks_like_term = (value.startswith(("<", '"', "'")) or _NUMBER.match(value)
                       or value in ("true", "false") or (m and m.group("prefix") in prefixes))
    if not looks_like_term:
        try:
            return str(ox.Literal(value))
        except (TypeError, ValueError) as exc:   # a lone surrogate
            raise _bad_term(value, str(exc)) from None
    term = _parse_term(value, prefixes)
    if not value.startswith(("<", '"', "'")):
        return value     # a number, boolean or prefixed name, checked above: kept as written
    return str(term)


def _parse_term(value: str, prefixes: dict[str, str]):
    """The one RDF term ``value`` writes in Turtle (with ``prefixes``), or QueryError."""
    import pyoxigraph as ox
    head = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sorted(prefixes.items())
                   if _IRI_CHARS.match(iri) or iri.startswith("urn:"))
    doc = f"{head}<urn:livergraph:s> <urn:livergraph:p> {value}\n."
    try:
        quads = list(ox.parse(doc.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError, UnicodeEncodeError) as exc:
        detail = re.sub(r"\s*\(line \d+\)$", "", " ".join(str(exc).split()).split(": ", 1)[-1])
        raise _bad_term(value, f"it does not parse as one IRI or literal ({detail[:160]})") \
            from None
    terms = [q.object for q in quads]
    if len(terms) != 1 or not isinstance(terms[0], (ox.NamedNode, ox.Literal)):
        raise _bad_term(value, "it is not exactly one IRI or literal")
    return terms[0]


def _bad_term(value: str, why: str) -> QueryError:
    shown = value if len(value) <= 80 else value[:77] + "..."
    return QueryError(f"--param value {shown!r} is not one SPARQL term: {why}",
                      hint="give an IRI as <http://...> or prefix:local, a literal as "
                           "\"text\", \"text\"@en or \"1\"^^xsd:integer; quote the value "
                           "to bind it as a string")


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
        m = re.search(r"error at (\d+):(\d+):\s*(.*)", message, re.DOTALL)
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
