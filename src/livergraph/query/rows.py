"""Query answers as Python values: ``Rows`` (what ``KnowledgeGraph.query`` returns) and the
conversions between Python values and RDF terms used to bind parameters safely.

A value comes back as the Python type of its datatype: ``xsd:integer`` (and its subtypes) as
``int``, ``xsd:decimal`` as ``Decimal``, ``xsd:double``/``xsd:float`` as ``float``,
``xsd:boolean`` as ``bool``, ``xsd:date`` as ``date``, ``xsd:dateTime`` as ``datetime``, IRIs as
``IRI`` (a ``str``), every other literal as its text (``str``), and an unbound variable as None.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, overload

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + n for n in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                               "positiveInteger", "negativeInteger", "nonPositiveInteger",
                               "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_IRI_TEXT = re.compile(r'^[^<>"{}|^`\\\x00-\x20]+$')

#: a value a row can hold
Value = Any
#: labels(iris) -> {iri: [(text, language tag or "")]}
LabelLookup = Callable[[list[str]], dict[str, list[tuple[str, str]]]]


class IRI(str):
    """An IRI (a ``str`` whose ``repr`` shows it is one)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


def to_python(term: Any) -> Value:
    """A pyoxigraph term as a Python value (see the module docstring)."""
    import pyoxigraph as ox
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    text, datatype = term.value, term.datatype.value
    try:
        if datatype in _INTEGERS:
            return int(text)
        if datatype == XSD + "decimal":
            return Decimal(text)
        if datatype in (XSD + "double", XSD + "float"):
            return float(text)
        if datatype == XSD + "boolean":
            return text.strip() in ("true", "1")
        if datatype == XSD + "date":
            return dt.date.fromisoformat(text)
        if datatype == XSD + "dateTime":
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, InvalidOperation):
        pass     # an ill-typed literal keeps its text
    return text


def to_term(value: Value, prefixes: dict[str, str]) -> Any:
    """A Python value as a pyoxigraph term, for binding a parameter: ``IRI`` (or a str that is an
    http(s) IRI or a CURIE with a known prefix) -> IRI; bool, int, float, Decimal, date,
    datetime -> typed literals; any other str -> a plain string literal. Never spliced as text."""
    import pyoxigraph as ox
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    if isinstance(value, Decimal):
        return ox.Literal(format(value, "f"), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if not isinstance(value, str):
        raise TypeError(f"cannot bind a {type(value).__name__} as a query parameter")
    if isinstance(value, IRI) or re.match(r"^https?://", value):
        if not _IRI_TEXT.match(value):
            raise ValueError(f"not an IRI: {value!r}")
        return ox.NamedNode(value)
    prefix, sep, local = value.partition(":")
    if sep and prefix in prefixes and re.fullmatch(r"[\w.\-%]*", local):
        return ox.NamedNode(prefixes[prefix] + local)
    return ox.Literal(value)


class Rows(Sequence[tuple[Value, ...]]):
    """The rows of an answer: a sequence of tuples, one value per column.

    ``rows.columns`` names the columns; ``rows.to_records()`` gives a dict per row;
    ``rows.to_csv()`` the CSV text of the values (full IRIs), ``rows.to_csv(lang="en")`` the
    table for people ``livergraph query --format csv`` writes (labels); ``print(rows)`` shows a
    table. An ASK answer is one row with one column ``boolean`` (also ``rows.boolean``)."""

    def __init__(self, columns: Sequence[str], rows: Sequence[tuple[Value, ...]], *,
                 boolean: bool | None = None, prefixes: dict[str, str] | None = None,
                 labels: LabelLookup | None = None):
        self.columns: tuple[str, ...] = tuple(columns)
        self._rows: list[tuple[Value, ...]] = [tuple(r) for r in rows]
        self.boolean = boolean
        #: the prefixes ``str(rows)`` writes IRIs with (``trial:NCT01220492``)
        self.prefixes: dict[str, str] = dict(prefixes or {})
        #: looks up the labels of IRIs (the published graph's), for ``to_csv(lang=...)``
        self.labels = labels

    @overload
    def __getitem__(self, index: int) -> tuple[Value, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Value, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Value, ...] | list[tuple[Value, ...]]:
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[tuple[Value, ...]]:
        return iter(self._rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            return self.columns == other.columns and self._rows == other._rows
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def column(self, name: str) -> list[Value]:
        """The values of one column."""
        i = self.columns.index(name)
        return [r[i] for r in self._rows]

    def to_records(self) -> list[dict[str, Value]]:
        """One dict per row, column name -> value."""
        return [dict(zip(self.columns, r)) for r in self._rows]

    def to_csv(self, path: str | Path | None = None, *, lang: str | None = None,
               ids: bool = False, excel: bool = False) -> str:
        """The rows as CSV, written atomically to ``path`` when given; returns the text.

        Without ``lang``: the values themselves (full IRIs, a header line, ``\\n`` line ends),
        for programs. With ``lang`` (``en``, ``zh``, ``zh-Hans``): the table for people that
        ``livergraph query --format csv --lang LANG`` writes, byte for byte: each IRI by its
        label in that language (its CURIE where it has none, or always with ``ids``), RFC 4180
        CRLF line ends, a UTF-8 byte-order mark with ``excel``."""
        if lang is not None or ids or excel:
            from livergraph.io.tables import to_csv
            data = to_csv(self.columns, self._people(lang or "en", ids), excel=excel)
            text = data.decode("utf-8")
            if path is not None:
                from livergraph.io.atomic import write_bytes
                write_bytes(Path(path), data)
            return text
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self._rows:
            writer.writerow(["" if v is None else _text(v) for v in row])
        text = buf.getvalue()
        if path is not None:
            from livergraph.io.atomic import write_atomic
            write_atomic(Path(path), lambda h: h.write(text))
        return text

    def _people(self, lang: str, ids: bool) -> list[list[Any]]:
        """The cells of the table for people (labels or CURIEs, values as text)."""
        from livergraph.io.curies import compact
        from livergraph.io.labels import pick_label
        iris = sorted({str(v) for row in self._rows for v in row if isinstance(v, IRI)})
        labels = self.labels(iris) if (self.labels and iris and not ids) else {}

        def cell(v: Value) -> Any:
            if v is None:
                return None
            if isinstance(v, IRI):
                label = None if ids else pick_label(labels.get(str(v), []), lang)
                return label if label is not None else compact(str(v), brackets=False)
            return _text(v)
        return [[cell(v) for v in row] for row in self._rows]

    def __str__(self) -> str:
        from livergraph.query.render import compact, text_width

        def shown(v: Value) -> str:
            if v is None:
                return ""
            if isinstance(v, IRI) and self.prefixes:
                return compact(v, self.prefixes)
            return _text(v)
        cells = [list(self.columns)] + [[shown(v) for v in r] for r in self._rows]
        widths = [max(text_width(row[i]) for row in cells) for i in range(len(self.columns))]

        def line(row: list[str]) -> str:
            return "  ".join(c + " " * (w - text_width(c)) for c, w in zip(row, widths)).rstrip()
        out = [line(cells[0]), "  ".join("-" * w for w in widths)]
        out += [line(r) for r in cells[1:]]
        out.append(f"({len(self._rows)} row{'' if len(self._rows) == 1 else 's'})")
        return "\n".join(out)

    def __repr__(self) -> str:
        return f"<Rows columns={list(self.columns)} rows={len(self._rows)}>\n{self}"


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def rows_from(result: Any, prefixes: dict[str, str] | None = None,
              labels: LabelLookup | None = None) -> Rows:
    """``Rows`` of a pyoxigraph query result (solutions, a boolean, or triples); ``labels``
    looks up the labels ``Rows.to_csv(lang=...)`` shows."""
    import pyoxigraph as ox
    if isinstance(result, ox.QueryBoolean):
        return Rows(("boolean",), [(bool(result),)], boolean=bool(result), prefixes=prefixes)
    if isinstance(result, ox.QuerySolutions):
        variables = list(result.variables)
        names = [v.value for v in variables]
        return Rows(names, [tuple(to_python(s[v]) for v in variables) for s in result],
                    prefixes=prefixes, labels=labels)
    return Rows(("subject", "predicate", "object"),
                [(to_python(t.subject), to_python(t.predicate), to_python(t.object))
                 for t in result], prefixes=prefixes, labels=labels)
