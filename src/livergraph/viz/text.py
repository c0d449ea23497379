"""Reading RDF terms as text for the viewer: a literal in a language, a CURIE, a local name,
a number without trailing zeros, an ISO 8601 duration as people write it ("48 w")."""
from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Literal

from livergraph.io.curies import compact

#: UCUM codes shown in a more familiar form
UCUM_SHOWN = {"a": "y", "mo": "mo", "wk": "w", "Cel": "°C", "10*9/L": "×10⁹/L",
              "10*12/L": "×10¹²/L", "umol/L": "µmol/L"}
_BASELINE = {"en": "baseline", "zh": "基線"}


def lang_code(lang: str) -> str:
    """'zh' for any Chinese tag (zh, zh-Hant, zh-Hans), else 'en'."""
    return "zh" if str(lang).lower().startswith("zh") else "en"


def pick(values: Iterable[Any], lang: str) -> str | None:
    """The literal to show for ``lang`` (en, zh = zh-Hant, zh-Hans), by the one label picker
    (livergraph.io.labels: the language asked for, then its fallbacks; deterministic)."""
    from livergraph.io.labels import LANGS, pick_label
    labels = [(str(v), v.language or "") for v in values if isinstance(v, Literal)]
    return pick_label(labels, lang if lang in LANGS else lang_code(lang))


def ordered(terms: Iterable[Any]) -> list[Any]:
    """RDF terms in rdflib's order (deterministic output)."""
    return sorted(terms)


def curie(iri: Any) -> str:
    """``prefix:local`` for an IRI under a known namespace, else the IRI as is."""
    return compact(str(iri), brackets=False)


def local(iri: Any) -> str:
    """The last path or fragment segment of an IRI."""
    s = str(iri)
    return re.split(r"[#/]", s)[-1] or s


_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
                       r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_DURATION_UNITS = {"en": ("y", "mo", "w", "d", "h", "min", "s"),
                   "zh": ("年", "個月", "週", "天", "小時", "分鐘", "秒")}
_DAYS = (365.25, 30.44, 7, 1, 1 / 24, 1 / 1440, 1 / 86400)


def human_duration(text: str, lang: str = "en") -> str:
    """P336D -> '48 w', P1Y -> '1 y', P6M -> '6 mo', PT6H -> '6 h', P0D -> 'baseline';
    other text unchanged."""
    m = _DURATION.match(str(text))
    if not m or not any(g is not None for g in m.groups()):
        return str(text)
    values = [float(g) if g else 0 for g in m.groups()]
    if values[3] and not any(values[:3]) and values[3] % 7 == 0:
        values[2], values[3] = values[3] // 7, 0
    units = _DURATION_UNITS[lang_code(lang)]
    parts = [f"{n:g} {u}" for n, u in zip(values, units) if n]
    return " ".join(parts) if parts else _BASELINE[lang_code(lang)]


def duration_days(text: str) -> float | None:
    """An ISO 8601 duration in (approximate) days, for ordering time points; None if not one."""
    m = _DURATION.match(str(text))
    if not m or not any(g is not None for g in m.groups()):
        return None
    return sum(float(g) * d for g, d in zip(m.groups(), _DAYS) if g)


def number(lit: Any) -> str:
    """A number as written, without an exponent or trailing zeros for whole numbers."""
    try:
        d = Decimal(str(lit))
    except (InvalidOperation, ValueError):
        return str(lit)
    return format(d.normalize(), "f") if d == d.to_integral_value() else str(lit)


def registrations(g: Any, trial: Any, lang: str) -> list[tuple[Any, str]]:
    """A trial's registrations (one per register) as ``(registration, "Register: id (the field
    that said they are one trial)")``, sorted."""
    from rdflib import URIRef

    from livergraph.namespaces import LG
    out = []
    for reg in sorted(r for r in g.subjects(LG.registrationOf, trial) if isinstance(r, URIRef)):
        register = pick(g.objects(reg, LG.register), lang) or "?"
        rid = pick(g.objects(reg, LG.registrationId), lang) or curie(reg)
        evidence = pick(g.objects(reg, LG.sameTrialEvidence), lang)
        out.append((reg, f"{register}: {rid}" + (f" ({evidence})" if evidence else "")))
    return out
