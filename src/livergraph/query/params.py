"""Checking a named query's parameter values against their declared types, before binding.

``resolve`` takes the values given (``-p study=fu-2018`` on the command line, keyword arguments
of ``KnowledgeGraph.named_query``) and returns each as an RDF term (pyoxigraph), or raises a
``QueryError`` (exit 2) that says what is wrong and what would be right:

* an unknown parameter name, or a required one left out: the declared parameters are listed;
* a record type (a class such as ``lg:PublishedStudy``) or a concept scheme: the value must be a
  record of that class (a term of that scheme) in the published graph; an unprefixed id
  (``fu-2018``) is resolved to the one record whose CURIE ends in it (``study:fu-2018``) and a
  note says so; an unknown one gets "did you mean ...?" (difflib) and the valid values;
* ``number``, ``integer``, ``date``: the text must be one; ``text`` is always a string literal.

The terms are bound by ``livergraph.query.checks.bind_params`` as SPARQL terms, never as text
spliced into the query.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from livergraph.io.curies import compact, expand
from livergraph.query.checks import QueryError
from livergraph.query.named import NamedQuery, Param

XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS_SCHEME = "http://www.w3.org/2004/02/skos/core#ConceptScheme"
#: how many valid values an error message lists
SHOWN = 12


def resolve(nq: NamedQuery, given: dict[str, Any], store: Any,
            prefixes: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """({name: pyoxigraph term}, notes to show the user) for the values ``given`` to the named
    query ``nq``; ``store`` is the published pyoxigraph store the record values are looked up
    in (None: a remote endpoint, where only CURIEs and IRIs are accepted for records)."""
    declared = {p.name: p for p in nq.typed}
    listing = ", ".join(p.describe() for p in nq.typed) or "none (# param: none)"
    for name in given:
        if name.lstrip("?$") not in declared:
            close = difflib.get_close_matches(name, list(declared), n=1)
            raise QueryError(
                f"the named query {nq.name!r} has no parameter {name!r}"
                + (f"; did you mean {close[0]!r}?" if close else ""),
                hint=("its parameters: " + listing) if declared else
                "it takes no parameters (# param: none)")
    missing = [p for p in nq.typed if p.required and p.name not in
               {n.lstrip("?$") for n in given}]
    if missing:
        raise QueryError(f"the named query {nq.name!r} needs the parameter"
                         f"{'s' if len(missing) > 1 else ''} "
                         + ", ".join(repr(p.name) for p in missing),
                         hint=f"give -p {missing[0].name}=VALUE; its parameters: {listing}")
    terms: dict[str, Any] = {}
    notes: list[str] = []
    for name, value in given.items():
        param = declared[name.lstrip("?$")]
        terms[param.name] = term_for(param, value, store, prefixes, notes)
    return terms, notes


def text_note(name: str, value: str, store: Any, prefixes: dict[str, str]) -> str | None:
    """For a parameter of an ad-hoc query (no declared type) bound as plain text: a note when the
    text is the id of records in the graph, which a CURIE would have named (``-p
    trial=NCT01220492`` matches no IRI; ``trial:NCT01220492`` does)."""
    import pyoxigraph as ox

    from livergraph.namespaces import RECORD_SEGMENTS
    from livergraph.query.checks import sparql_term
    if store is None or not sparql_term(value, prefixes).startswith('"') or \
            not re.fullmatch(r"[\w.\-]+", value):
        return None
    found = [f"{seg}:{value}" for seg in RECORD_SEGMENTS if seg in prefixes and any(
        True for _ in store.quads_for_pattern(ox.NamedNode(prefixes[seg] + value), None, None))]
    if not found:
        return None
    return (f"-p {name}={value} is bound as the text \"{value}\", which names no record; "
            f"did you mean {' or '.join(found)}?")


def term_for(param: Param, value: Any, store: Any, prefixes: dict[str, str],
             notes: list[str]) -> Any:
    """The RDF term for one value of ``param`` (see the module docstring)."""
    import pyoxigraph as ox

    from livergraph.query.rows import IRI
    kind = param.type
    if kind is None:
        return _given_term(value, prefixes)
    if kind == "text":
        return ox.Literal(str(value))
    if kind == "iri":
        term = _given_term(value, prefixes)
        if not isinstance(term, ox.NamedNode):
            raise QueryError(f"-p {param.name}={value}: not an IRI or a CURIE with a known "
                             "prefix", hint="for example trial:NCT01220492 or https://...")
        return term
    if kind in ("number", "integer", "date"):
        return _literal(param, value)
    if isinstance(value, (int, float, Decimal, bool, dt.date)):
        raise QueryError(f"-p {param.name}={value}: a {kind} is named by its id, not a "
                         f"{type(value).__name__}")
    type_iri = expand(kind) or prefixes.get(kind.split(":")[0], "") + kind.split(":", 1)[-1]
    text = str(value).strip()
    wanted = _given_term(text if isinstance(value, str) else IRI(value), prefixes)
    if store is None:      # a remote endpoint: no list of records to check against
        if isinstance(wanted, ox.NamedNode):
            return wanted
        raise QueryError(f"-p {param.name}={text}: give the {_noun(kind)} as a CURIE or an "
                         f"IRI (with --endpoint the records are not looked up)")
    valid = _members(store, type_iri)
    curies = {compact(i, brackets=False): i for i in valid}
    if isinstance(wanted, ox.NamedNode) and wanted.value in valid:
        return wanted
    if not isinstance(wanted, ox.NamedNode):
        matches = sorted(c for c in curies if c.split(":", 1)[-1] == text)
        if not matches:
            matches = sorted(c for c in curies if c.split(":", 1)[-1].lower() == text.lower())
        if len(matches) == 1:
            notes.append(f"-p {param.name}={text}: read as {matches[0]} (a {_noun(kind)})")
            return ox.NamedNode(curies[matches[0]])
    shown = compact(wanted.value, brackets=False) if isinstance(wanted, ox.NamedNode) else text
    close = _closest(shown, sorted(curies))
    names = sorted(curies)
    listed = ", ".join(names[:SHOWN]) + (f", ... ({len(names)} in all)"
                                         if len(names) > SHOWN else "")
    message = f"no {_noun(kind)} {shown!r} in the published graph"
    if close:
        message += f"; did you mean {' or '.join(close[:3])}?"
    raise QueryError(message, hint=(f"valid values of {param.name}: {listed}" if names else
                                    f"the published graph has no {_noun(kind)}"))


def _closest(given: str, curies: list[str]) -> list[str]:
    """The CURIEs closest to ``given`` (compared whole, and by local part when ``given`` has no
    prefix): those within a whisker of the best match, at most three."""
    local = given.split(":", 1)[-1]
    scored = []
    for curie in curies:
        whole = difflib.SequenceMatcher(None, given, curie).ratio()
        part = difflib.SequenceMatcher(None, local, curie.split(":", 1)[-1]).ratio()
        scored.append((max(whole, part), curie))
    best = max((score for score, _ in scored), default=0.0)
    if best < 0.6:
        return []
    return [c for score, c in sorted(scored, key=lambda x: (-x[0], x[1]))
            if score >= best - 0.05][:3]


def _given_term(value: Any, prefixes: dict[str, str]) -> Any:
    """A value as the term it names: a Python value by its type, text as the command line
    reads it (``<iri>``, a CURIE, a number, a quoted literal, or else a plain string)."""
    import pyoxigraph as ox

    from livergraph.query.checks import sparql_term
    from livergraph.query.rows import to_term
    if not isinstance(value, str):
        return to_term(value, prefixes)
    text = sparql_term(value, prefixes)
    if text.startswith("<") and text.endswith(">"):
        return ox.NamedNode(text[1:-1])
    prefix, sep, local = text.partition(":")
    if sep and prefix in prefixes and not text.startswith('"'):
        return ox.NamedNode(prefixes[prefix] + local)
    return _parse_literal(text) or ox.Literal(value)


def _parse_literal(text: str) -> Any:
    """A SPARQL literal's text (a number, true/false, a quoted literal) as a term, or None."""
    import pyoxigraph as ox
    try:
        found = list(ox.parse(f"<urn:s> <urn:p> {text} .".encode(),
                              format=ox.RdfFormat.TURTLE))
    except SyntaxError:
        return None
    return found[0].object if found else None


def _literal(param: Param, value: Any) -> Any:
    import pyoxigraph as ox
    kind, text = param.type, str(value).strip()
    try:
        if kind == "integer":
            if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d+", text):
                raise ValueError
            return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
        if kind == "number":
            if isinstance(value, bool):
                raise ValueError
            if re.fullmatch(r"[+-]?\d+", text):
                return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
            Decimal(text)
            if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
                return ox.Literal(repr(float(text)), datatype=ox.NamedNode(XSD + "double"))
            return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(text)
        return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    except (ValueError, InvalidOperation):
        example = {"integer": "48", "number": "0.05", "date": "2018-06-30"}[kind or "number"]
        raise QueryError(f"-p {param.name}={text}: not {'an' if kind == 'integer' else 'a'} "
                         f"{kind}", hint=f"for example -p {param.name}={example}") from None


def _members(store: Any, type_iri: str) -> set[str]:
    """The IRIs of the instances of a class, or the terms of a concept scheme."""
    import pyoxigraph as ox
    node = ox.NamedNode(type_iri)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    is_scheme = any(True for _ in store.quads_for_pattern(node, rdf_type,
                                                          ox.NamedNode(SKOS_SCHEME)))
    if is_scheme:
        in_scheme = ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")
        quads = store.quads_for_pattern(None, in_scheme, node)
    else:
        quads = store.quads_for_pattern(None, rdf_type, node)
    return {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}


def _noun(kind: str) -> str:
    """``lg:PublishedStudy`` -> "published study"; ``lgc:scheme-status`` -> "status"."""
    local = kind.split(":", 1)[-1]
    if local.startswith("scheme-"):
        return local[len("scheme-"):].replace("-", " ")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()
