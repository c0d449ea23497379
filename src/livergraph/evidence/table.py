"""The effect estimates (and refusals) of a graph as rows: what ``livergraph effects`` prints,
``livergraph meta`` pools and the report tabulates."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from livergraph.evidence.measures import is_ratio
from livergraph.io.labels import pick_label
from livergraph.namespaces import LG

#: columns of ``livergraph effects`` (JSON keys, CSV header), in order
COLUMNS = ("study", "outcome", "timepoint", "timepoint_days", "comparison", "population",
           "measure", "estimate", "ci_lb", "ci_ub", "se", "yi", "vi", "p", "p_reported", "unit",
           "favours", "derivation", "approximate", "note", "issues", "iri")


@dataclass
class EffectRow:
    """One effect estimate, ready to print or pool (ratio measures on the natural scale,
    ``yi``/``vi``/``se`` on the analysis scale)."""

    study: str
    outcome: str
    outcome_iri: str
    timepoint: str | None
    timepoint_days: float | None
    comparison: str
    population: str | None
    measure: str
    estimate: float
    ci_lb: float | None
    ci_ub: float | None
    se: float | None
    yi: float
    vi: float | None
    p: float | None
    p_reported: str | None
    unit: str | None
    favours: str | None
    derivation: str
    approximate: bool
    note: str | None
    issues: list[str] = field(default_factory=list)
    iri: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The row with the documented keys; numbers as numbers."""
        return {c: getattr(self, c) for c in COLUMNS}


def _label(g: Graph, node: Node | None, lang: str) -> str:
    if node is None:
        return ""
    labels = [(str(o), getattr(o, "language", None) or "") for o in g.objects(node, RDFS.label)]
    return pick_label(labels, lang) or str(node).rsplit("/", 1)[-1]


def _notation(g: Graph, node: Node | None) -> str | None:
    value = g.value(node, SKOS.notation) if node is not None else None
    return str(value) if value is not None else None


def _float(g: Graph, s: Node, p: Node) -> float | None:
    value = g.value(s, p)
    return float(str(value)) if value is not None else None


def study_id(iri: Node | str) -> str:
    """The record id of a study IRI (``fu-2018``)."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def effect_rows(g: Graph, lang: str = "en") -> list[EffectRow]:
    """Every lg:EffectEstimate of the graph, sorted by study, outcome, time and measure."""
    rows = []
    for study, node in g.subject_objects(LG.hasEffectEstimate):
        measure = _notation(g, g.value(node, LG.effectMeasure)) or "?"
        outcome = g.value(node, LG.measure)
        comparison = g.value(node, LG.comparison)
        p_reported = None
        if comparison is not None:
            written = g.value(comparison, LG.pValueAsWritten)
            p_reported = str(written) if written is not None else None
        estimate = float(str(g.value(node, LG.pointEstimate)))
        yi = _float(g, node, LG.analysisEstimate)
        unit = g.value(node, LG.unit)
        favours = g.value(node, LG.benefitDirection)
        note = g.value(node, LG.derivationNote)
        rows.append(EffectRow(
            study=study_id(study), outcome=_label(g, outcome, lang),
            outcome_iri=str(outcome), timepoint=str(g.value(node, LG.timePoint))
            if g.value(node, LG.timePoint) is not None else None,
            timepoint_days=_float(g, node, LG.timePointDays),
            comparison=f"{_label(g, g.value(node, LG.arm), lang)} vs "
                       f"{_label(g, g.value(node, LG.comparatorArm), lang)}",
            population=_notation(g, g.value(node, LG.analysisPopulation)),
            measure=measure, estimate=estimate, ci_lb=_float(g, node, LG.ciLower),
            ci_ub=_float(g, node, LG.ciUpper), se=_float(g, node, LG.standardError),
            yi=yi if yi is not None else estimate, vi=_float(g, node, LG.samplingVariance),
            p=_float(g, node, LG.computedPValue), p_reported=p_reported,
            unit=_label(g, unit, lang) if unit is not None else None,
            favours=_notation(g, favours) if favours is not None else None,
            derivation=_notation(g, g.value(node, LG.derivation)) or "?",
            approximate=str(g.value(node, LG.approximate)) == "true",
            note=str(note) if note is not None else None,
            issues=sorted(study_id(i) for i in g.objects(node, LG.touchesIssue)),
            iri=str(node)))
    rows.sort(key=lambda r: (r.study, r.outcome, r.timepoint_days or 0, r.measure, r.iri))
    return rows


def refusal_rows(g: Graph, lang: str = "en") -> list[dict[str, Any]]:
    """Every recorded refusal: study, outcome, time point, reason, flagged issues."""
    rows = []
    for study, node in g.subject_objects(LG.hasEffectRefusal):
        arm, comp = g.value(node, LG.arm), g.value(node, LG.comparatorArm)
        rows.append({
            "study": study_id(study), "outcome": _label(g, g.value(node, LG.measure), lang),
            "timepoint": str(g.value(node, LG.timePoint))
            if g.value(node, LG.timePoint) is not None else None,
            "comparison": f"{_label(g, arm, lang)} vs {_label(g, comp, lang)}"
            if arm is not None and comp is not None else "",
            "reason": str(g.value(node, LG.refusalReason)),
            "issues": sorted(study_id(i) for i in g.objects(node, LG.touchesIssue)),
            "iri": str(node)})
    rows.sort(key=lambda r: (r["study"], r["outcome"], r["timepoint"] or "", r["iri"]))
    return rows


def in_window(days: float | None, window: tuple[float, float] | None) -> bool:
    """Whether a time point (days) lies in ``window`` (inclusive); no window admits all."""
    if window is None:
        return True
    return days is not None and window[0] <= days <= window[1]


def filter_rows(rows: list[EffectRow], *, outcome: str | None = None,
                study: str | None = None, window: tuple[float, float] | None = None,
                measure: str | None = None) -> list[EffectRow]:
    """Rows matching an outcome (label, notation or IRI tail, case-insensitive), a study id,
    a time window in days and a measure."""
    def outcome_ok(r: EffectRow) -> bool:
        if outcome is None:
            return True
        want = outcome.casefold()
        tail = r.outcome_iri.rsplit("/", 1)[-1].removeprefix("measure-").casefold()
        return want in (r.outcome.casefold(), tail) or want == r.outcome_iri.casefold()
    return [r for r in rows if outcome_ok(r)
            and (study is None or r.study == study)
            and in_window(r.timepoint_days, window)
            and (measure is None or r.measure == measure.upper())]


def ratio(row: EffectRow) -> bool:
    """Whether the row's measure is a ratio (pooled on the log scale)."""
    return is_ratio(row.measure)


_SHORT = {"d": 1.0, "w": 7.0, "m": 30.4375, "y": 365.25}


def _days(text: str) -> float:
    from livergraph.model.build import duration_days
    t = text.strip()
    if t[:1] in ("P", "p"):
        return float(duration_days(t.upper()))
    number, unit = t[:-1], t[-1:].lower()
    if unit not in _SHORT:
        raise ValueError(t)
    return float(number) * _SHORT[unit]


def parse_window(text: str | None) -> tuple[float, float] | None:
    """A time window in days from ``P336D``, ``48w``, ``P300D..P400D`` or ``40w..52w``
    (weeks ``w``, months ``m``, years ``y``, days ``d``); raises ValueError when unreadable."""
    if text is None:
        return None
    for sep in ("..", "/"):
        if sep in text:
            lo, hi = text.split(sep, 1)
            a, b = _days(lo), _days(hi)
            if a > b:
                raise ValueError(text)
            return a, b
    day = _days(text)
    return day, day
