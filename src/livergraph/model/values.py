"""Values of curated records -> RDF terms: typed literals by the property's ``rdfs:range``
(``xsd:decimal``, ``xsd:duration``, dates and partial dates, language-tagged text), cached for
the short values that recur (codes, numbers, dates)."""
from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import OWL as _OWL, PROV as _PROV, RDF as _RDF, RDFS as _RDFS, XSD as _XSD

from livergraph.errors import DataError
from livergraph.namespaces import (LG as _LG)
from livergraph.model.schema import Property
class _Terms:
    """A namespace whose terms are made once: rdflib's namespaces make a new term on every
    access (``RDF.type``), and a graph holding one object per term is smaller and compares its
    terms by identity."""

    def __init__(self, namespace):
        self._namespace = namespace
        self._made: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        term = self._made.get(name)
        if term is None:
            term = self._made[name] = self._namespace[name]
        return term


LG, OWL, PROV, RDF, RDFS, XSD = (_Terms(ns) for ns in (_LG, _OWL, _PROV, _RDF, _RDFS, _XSD))

#: ids become IRIs: ASCII letters, digits, '.', '_', '-' (``\Z``: no trailing newline)
ID_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")
DURATION_PATTERN = re.compile(
    r"^P(?!\Z)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?!\Z)(?:(\d+)H)?(?:(\d+)M)?"
    r"(?:(\d+(?:\.\d+)?)S)?)?\Z", re.ASCII)
#: a decimal written as text: ASCII digits only (Python's Decimal would also take fullwidth
#: digits, "NaN", "Infinity" and underscores, which no other tool reads as the same number)
DECIMAL_TEXT = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z", re.ASCII)
#: xsd:decimal as SPARQL stores (Oxigraph: 128-bit, 18 decimals) hold it: under 10^20
DECIMAL_DIGITS = 20
#: xsd:integer as SPARQL stores (Oxigraph) hold it: 64-bit
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z", re.ASCII)
LANG_PATTERN = re.compile(r"^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$")
DAYS_PER = (Decimal("365.25"), Decimal("30.4375"), Decimal(1), Decimal(1) / 24,
            Decimal(1) / 1440, Decimal(1) / 86400)
_CACHED_TEXT = 40          # strings up to this length have their literals cached
RESERVED_KEYS = {"type", "id", "supplement"}
_UNSEEN = object()


def duration_days(text: str) -> Decimal:
    """Days in an xsd:duration, counting a year as 365.25 days and a month as 30.4375."""
    m = DURATION_PATTERN.match(text)
    if not m:
        raise ValueError(text)
    total = sum((Decimal(g) * f for g, f in zip(m.groups(), DAYS_PER) if g), Decimal(0))
    return total.quantize(Decimal("0.0001")).normalize()


def decimal_lexical(value: Decimal) -> str:
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return text


class LiteralValues:
    """The literal-making part of the builder: ``literals(v, prop, path)`` with its caches."""

    _literal_cache: dict[tuple[Any, ...], list[Literal]]
    _lang_cache: dict[tuple[str, str], Literal]

    def literals(self, v: Any, prop: Property, path: str) -> list[Literal]:
        """The literals for value ``v`` of ``prop``; short scalar values are cached (only
        values that were accepted, so every error is still raised where it occurs)."""
        if isinstance(v, (str, int, float, Decimal, _dt.date)) and (
                not isinstance(v, str) or len(v) <= _CACHED_TEXT):
            key = (prop.key, type(v), v)
            hit = self._literal_cache.get(key)
            if hit is None:
                hit = self._literal_cache[key] = self._literals(v, prop, path)
            return hit
        return self._literals(v, prop, path)

    def _text(self, text: str, lang: str) -> Literal:
        """A language-tagged literal; short ones (labels of codes) are made once."""
        if len(text) > _CACHED_TEXT:
            return Literal(text, lang=lang)
        key = (text, lang)
        lit = self._lang_cache.get(key)
        if lit is None:
            lit = self._lang_cache[key] = Literal(text, lang=lang)
        return lit

    def _literals(self, v: Any, prop: Property, path: str) -> list[Literal]:
        rng = prop.range
        name = prop.key
        try:
            if rng == RDF.langString:
                if not isinstance(v, dict) or not v:
                    raise DataError(f"{name!r} needs a language: write {{en: ...}} or "
                                    f"{{zh-Hant: ...}}", record=path)
                out = []
                for lang, text in v.items():
                    if not LANG_PATTERN.match(str(lang)):
                        raise DataError(f"{name!r}: {lang!r} is not a language tag", record=path)
                    if not isinstance(text, str) or not text.strip():
                        raise DataError(f"{name!r}@{lang} must be non-empty text", record=path)
                    out.append(self._text(text, str(lang)))
                return out
            if isinstance(v, (dict, list)):
                raise DataError(f"{name!r} takes a single value, not a {type(v).__name__}",
                                record=path)
            if rng in (XSD.string, XSD.anyURI) or rng is None:
                if isinstance(v, bool) or isinstance(v, float):
                    raise DataError(f"{name!r} expects text, got {v!r}", record=path,
                                    hint="quote the value")
                return [Literal(str(v), datatype=rng if rng == XSD.anyURI else None)]
            if rng == XSD.decimal:
                if isinstance(v, bool) or (isinstance(v, str) and not DECIMAL_TEXT.match(v)):
                    raise ValueError
                d = Decimal(str(v))
                if not d.is_finite():
                    raise ValueError
                if d.adjusted() >= DECIMAL_DIGITS:
                    raise DataError(f"{name!r}: {_clipped(v)} is beyond the decimals SPARQL "
                                    f"stores hold (under 10^{DECIMAL_DIGITS})", record=path)
                return [Literal(decimal_lexical(d), datatype=XSD.decimal)]
            if rng in (XSD.integer, XSD.nonNegativeInteger):
                if isinstance(v, bool) or not isinstance(v, int):
                    raise ValueError
                if not INT_MIN <= v <= INT_MAX:
                    raise DataError(f"{name!r}: {v} is beyond the 64-bit integers SPARQL "
                                    "stores hold", record=path)
                if rng == XSD.nonNegativeInteger and v < 0:
                    raise DataError(f"{name!r} must be 0 or more, got {v}", record=path)
                return [Literal(str(v), datatype=rng)]
            if rng == XSD.boolean:
                if not isinstance(v, bool):
                    raise ValueError
                return [Literal("true" if v else "false", datatype=XSD.boolean)]
            if rng == XSD.duration:
                if not isinstance(v, str) or not DURATION_PATTERN.match(v):
                    hint = None
                    if isinstance(v, str) and "W" in v:
                        hint = "xsd:duration has no weeks: write 48 weeks as P336D"
                    raise DataError(f"{name!r}: {v!r} is not an xsd:duration such as P1Y or "
                                    "P336D", record=path, hint=hint)
                return [Literal(v, datatype=XSD.duration)]
            if rng == XSD.date:
                return [Literal(_full_date(v), datatype=XSD.date)]
            if rng == LG.PartialDate:
                return [_partial_date(v)]
        except (ValueError, InvalidOperation, TypeError):
            raise DataError(f"{name!r}: {v!r} is not a valid {rng.split('#')[-1]}",
                            record=path) from None
        raise DataError(f"{name!r} has a range livergraph cannot read: {rng}", record=path)


def _clipped(v: Any, width: int = 30) -> str:
    text = repr(v)
    return text if len(text) <= width else text[:width] + "…"


def _holds_records(value: Any) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and any(
        isinstance(v, dict) for v in value))


def _full_date(v: Any) -> str:
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, str) and _FULL_DATE.match(v):
        _dt.date.fromisoformat(v)
        return v
    raise ValueError(v)


def _partial_date(v: Any) -> Literal:
    if isinstance(v, _dt.date):
        return Literal(v.isoformat(), datatype=XSD.date)
    text = str(v)
    if re.match(r"^\d{4}\Z", text, re.ASCII):
        return Literal(text, datatype=XSD.gYear)
    if re.match(r"^\d{4}-(0[1-9]|1[0-2])\Z", text, re.ASCII):
        return Literal(text, datatype=XSD.gYearMonth)
    return Literal(_full_date(text), datatype=XSD.date)

