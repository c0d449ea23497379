"""Reading arms and measurements from the graph, and writing effect estimates, their PROV
computations and recorded refusals into it (the rules are in ``derive``)."""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from livergraph.evidence import measures as M
from livergraph.namespaces import LG, LGC, record_iri

#: outcome measure (concept local name) -> the direction that is better for patients
BENEFIT: dict[str, str] = {
    "measure-albumin": "higher", "measure-prealbumin": "higher", "measure-cholinesterase":
    "higher", "measure-prothrombin-activity": "higher", "measure-overall-survival": "higher",
    "measure-transplant-free-survival": "higher", "measure-hcc-free-survival": "higher",
    "measure-total-bilirubin": "lower", "measure-ldh": "lower", "measure-alp": "lower",
    "measure-meld": "lower", "measure-meld-na": "lower", "measure-child-pugh": "lower",
    "measure-mortality": "lower", "measure-hcc-incidence": "lower", "measure-inr": "lower",
    "measure-pt": "lower", "measure-aptt": "lower", "measure-ascites": "lower",
    "measure-creatinine": "lower", "measure-adverse-events": "lower"}

#: analysis populations whose percentages are not derived from until the data model gives
#: each arm's own denominator within them (the analysis-population model is pending)
COHORT_POPULATIONS = (LGC["population-all"], LGC["population-matched"])
CONTROL_ROLES = {LGC[f"arm-{r}"] for r in ("CONTROL", "ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR",
                                           "SHAM_COMPARATOR", "NO_INTERVENTION")}


def software() -> str:
    """The software versions recorded on every computation."""
    parts = []
    for dist in ("livergraph", "statsmodels", "scipy"):
        try:
            parts.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist} (version unknown)")
    return "; ".join(parts)


def _literal(value: Node | None) -> Literal | None:
    return value if isinstance(value, Literal) else None


def _dec(value: float) -> Literal:
    return Literal(Decimal(repr(float(value))), datatype=XSD.decimal)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"


def local(iri: Node) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


@dataclass
class Arm:
    iri: Node
    experimental: bool
    participants: int | None
    analysed: int | None


@dataclass
class Meas:
    """One measurement of one arm, with what pairing needs."""

    iri: Node
    arm: Node
    measure: Node
    statistic: Node | None
    value: float | None
    sd: float | None
    n: int | None
    n_stated: bool
    numerator: int | None
    denominator: int | None
    time: str | None
    days: Literal | None
    unit: Node | None
    population: Node | None
    source_text: Literal | None
    issues: set[Node] = field(default_factory=set)


class Deriver:
    """Adds effect estimates and refusals for one graph."""

    def __init__(self, graph: Graph):
        self.g = graph
        self.count = 0
        self.software = software()
        self.distinct_ids = False   # name estimates by measurement when an arm has several

    # -- reading ---------------------------------------------------------------------------
    def _num(self, s: Node, p: Node) -> float | None:
        v = self.g.value(s, p)
        return float(str(v)) if v is not None else None

    def _int(self, s: Node, p: Node) -> int | None:
        v = self.g.value(s, p)
        return int(str(v)) if v is not None else None

    def arms(self, study: Node) -> dict[Node, Arm]:
        out: dict[Node, Arm] = {}
        for arm in self.g.objects(study, LG.hasArm):
            role = self.g.value(arm, LG.armRole)
            out[arm] = Arm(arm, role not in CONTROL_ROLES and role is not None,
                           self._int(arm, LG.participants), self._int(arm, LG.analysed))
        return out

    def measurements(self, study: Node, arms: dict[Node, Arm]) -> list[Meas]:
        out = []
        for m in self.g.objects(study, LG.hasMeasurement):
            arm_list = list(self.g.objects(m, LG.arm))
            if len(arm_list) != 1 or arm_list[0] not in arms:
                continue            # a whole-cohort value (several arms): never an arm's value
            arm = arms[arm_list[0]]
            n = self._int(m, LG.numberAnalysed)
            n_stated = n is not None
            if n is None:
                n = arm.analysed if arm.analysed is not None else arm.participants
            tp = self.g.value(m, LG.timePoint)
            measure = self.g.value(m, LG.measure)
            if measure is None:
                continue
            out.append(Meas(
                m, arm.iri, measure, self.g.value(m, LG.statistic),
                self._num(m, LG.value), self._num(m, LG.sd), n, n_stated,
                self._int(m, LG.numerator),
                self._int(m, LG.denominator), str(tp) if tp is not None else None,
                _literal(self.g.value(m, LG.timePointDays)), self.g.value(m, LG.unit),
                self.g.value(m, LG.analysisPopulation),
                _literal(self.g.value(m, LG.sourceText))))
        by_text: dict[tuple[Node, str], set[Node]] = {}
        for meas in out:
            meas.issues = set(self.g.objects(meas.iri, LG.hasIssue))
            if meas.source_text is not None:
                by_text.setdefault((meas.arm, str(meas.source_text)), set()).update(meas.issues)
        for meas in out:   # flags on values read from the same sentence touch this value too
            if meas.source_text is not None:
                meas.issues |= by_text[(meas.arm, str(meas.source_text))]
        return out

    def reported_comparison(self, study: Node, a: Meas, b: Meas) -> Node | None:
        for c in self.g.objects(study, LG.hasComparison):
            pair = {self.g.value(c, LG.subjectMeasurement), self.g.value(c, LG.referenceMeasurement)}
            if pair == {a.iri, b.iri}:
                return c
        return None

    # -- writing ---------------------------------------------------------------------------
    def _common(self, node: Node, study: Node, first: Meas, second: Meas) -> None:
        g = self.g
        g.add((node, LG.measure, first.measure))
        g.add((node, LG.arm, first.arm))
        g.add((node, LG.comparatorArm, second.arm))
        if first.time is not None:
            g.add((node, LG.timePoint, Literal(first.time, datatype=XSD.duration)))
        if first.days is not None:
            g.add((node, LG.timePointDays, first.days))
        if first.population is not None:
            g.add((node, LG.analysisPopulation, first.population))
        for m in (first, second):
            g.add((node, PROV.wasDerivedFrom, m.iri))
        for issue in sorted(first.issues | second.issues, key=str):
            g.add((node, LG.touchesIssue, issue))

    def _node_id(self, study: Node, first: Meas, second: Meas, tail: str) -> str:
        notation = self.g.value(first.measure, SKOS.notation)
        parts = [local(study), str(notation or local(first.measure)),
                 first.time or "whole-follow-up"]
        if first.population is not None:
            parts.append(local(first.population).removeprefix("population-"))
        if kind(first) not in ("continuous", "rate"):
            parts.append(kind(first))
        prefix = local(study) + "-"
        if self.distinct_ids:
            parts += [local(first.iri).removeprefix(prefix), "vs",
                      local(second.iri).removeprefix(prefix)]
        else:
            parts += [local(first.arm).removeprefix(prefix), "vs",
                      local(second.arm).removeprefix(prefix)]
        return _slug("-".join(parts + [tail]))

    def add_estimate(self, study: Node, first: Meas, second: Meas, es: M.EffectSize, *,
                     inputs: dict[str, float], notes: list[str], approximate: bool) -> None:
        g = self.g
        node = record_iri("effect", self._node_id(study, first, second, es.measure))
        activity = record_iri("effect", self._node_id(study, first, second, es.measure)
                              + "-computation")
        lo, hi = es.ci()
        g.add((study, LG.hasEffectEstimate, node))
        g.add((node, RDF.type, LG.EffectEstimate))
        g.add((node, RDF.type, PROV.Entity))
        self._common(node, study, first, second)
        g.add((node, LG.effectMeasure, LGC[f"effect-{es.measure}"]))
        g.add((node, LG.derivation, LGC["derivation-computed"]))
        g.add((node, LG.pointEstimate, _dec(M.back_transform(es.measure, es.yi))))
        g.add((node, LG.analysisEstimate, _dec(es.yi)))
        g.add((node, LG.standardError, _dec(es.se)))
        g.add((node, LG.samplingVariance, _dec(es.vi)))
        g.add((node, LG.ciLower, _dec(M.back_transform(es.measure, lo))))
        g.add((node, LG.ciUpper, _dec(M.back_transform(es.measure, hi))))
        g.add((node, LG.ciLevel, Literal(Decimal("0.95"), datatype=XSD.decimal)))
        g.add((node, LG.computedPValue, _dec(es.p_value())))
        g.add((node, LG.approximate, Literal(approximate)))
        if es.continuity:
            g.add((node, LG.continuityCorrection, _dec(es.continuity)))
            notes = notes + [f"{es.continuity} added to every cell (a cell is zero)"]
        if es.measure == "MD" and first.unit is not None:
            g.add((node, LG.unit, first.unit))
        benefit = BENEFIT.get(local(first.measure))
        if benefit:
            g.add((node, LG.benefitDirection, LGC[f"direction-{benefit}"]))
        comparison = self.reported_comparison(study, first, second)
        if comparison is not None:
            g.add((node, LG.comparison, comparison))
        for key, value in inputs.items():
            g.add((node, LG[key], Literal(int(value)) if key.startswith("total")
                   else _dec(value)))
        if notes:
            g.add((node, LG.derivationNote, Literal("; ".join(notes), lang="en")))
        g.add((node, RDFS.label, Literal(
            f"{local(study)}: {es.measure} of {local(first.measure).removeprefix('measure-')}"
            f" at {first.time or 'end of follow-up'}", lang="en")))
        g.add((node, PROV.wasGeneratedBy, activity))
        g.add((activity, RDF.type, LG.EffectComputation))
        g.add((activity, RDF.type, PROV.Activity))
        g.add((activity, RDFS.label, Literal(f"computation of {local(node)}", lang="en")))
        g.add((activity, LG.formula, Literal(M.FORMULAS[es.measure])))
        g.add((activity, LG.softwareVersion, Literal(self.software)))
        for m in (first, second):
            g.add((activity, PROV.used, m.iri))
        self.count += 1

    def add_reported(self, study: Node, first: Meas, second: Meas, measure: str,
                     value: float, ci: tuple[float, float] | None) -> None:
        """An estimate the source reports: value (and CI) as written, with its sentence."""
        g = self.g
        node = record_iri("effect", self._node_id(study, first, second, measure))
        g.add((study, LG.hasEffectEstimate, node))
        g.add((node, RDF.type, LG.EffectEstimate))
        g.add((node, RDF.type, PROV.Entity))
        self._common(node, study, first, second)
        g.add((node, LG.effectMeasure, LGC[f"effect-{measure}"]))
        g.add((node, LG.derivation, LGC["derivation-reported"]))
        g.add((node, LG.pointEstimate, _dec(value)))
        g.add((node, LG.analysisEstimate, _dec(math.log(value) if M.is_ratio(measure)
                                               else value)))
        if ci is not None:
            lo, hi = ci
            g.add((node, LG.ciLower, _dec(lo)))
            g.add((node, LG.ciUpper, _dec(hi)))
            g.add((node, LG.ciLevel, Literal(Decimal("0.95"), datatype=XSD.decimal)))
            if M.is_ratio(measure) and lo > 0:
                se = (math.log(hi) - math.log(lo)) / (2 * 1.959963984540054)
                g.add((node, LG.standardError, _dec(se)))
                g.add((node, LG.samplingVariance, _dec(se * se)))
                g.add((node, LG.derivationNote, Literal(
                    "standard error recomputed from the reported 95% CI on the log scale",
                    lang="en")))
        if first.source_text is not None:
            g.add((node, LG.sourceText, first.source_text))
        g.add((node, LG.approximate, Literal(False)))
        benefit = BENEFIT.get(local(first.measure))
        if benefit:
            g.add((node, LG.benefitDirection, LGC[f"direction-{benefit}"]))
        g.add((node, RDFS.label, Literal(f"{local(study)}: reported {measure} of "
                                         f"{local(first.measure).removeprefix('measure-')}",
                                         lang="en")))
        self.count += 1

    def add_refusal(self, study: Node, first: Meas, second: Meas, reason: str) -> None:
        g = self.g
        node = record_iri("effect-refusal", self._node_id(study, first, second, "not-derived"))
        g.add((study, LG.hasEffectRefusal, node))
        g.add((node, RDF.type, LG.EffectRefusal))
        self._common(node, study, first, second)
        g.add((node, LG.refusalReason, Literal(reason, lang="en")))
        g.add((node, RDFS.label, Literal(
            f"{local(study)}: no effect of {local(first.measure).removeprefix('measure-')} "
            f"at {first.time or 'end of follow-up'}", lang="en")))

    def refuse_comparison(self, study: Node, comparison: Node, reason: str) -> None:
        g = self.g
        node = record_iri("effect-refusal", _slug(local(comparison)) + "-not-derived")
        g.add((study, LG.hasEffectRefusal, node))
        g.add((node, RDF.type, LG.EffectRefusal))
        for p in (LG.measure, LG.arm, LG.comparatorArm, LG.timePoint, LG.timePointDays,
                  LG.analysisPopulation):
            v = g.value(comparison, p)
            if v is not None:
                g.add((node, p, v))
        g.add((node, LG.comparison, comparison))
        g.add((node, PROV.wasDerivedFrom, comparison))
        g.add((node, LG.refusalReason, Literal(reason, lang="en")))
        g.add((node, RDFS.label, Literal(f"{local(comparison)}: not derived", lang="en")))


def pairs(group: list[Meas], arms: dict[Node, Arm]) -> Iterable[tuple[Meas, Meas]]:
    treated = [m for m in group if arms[m.arm].experimental]
    controls = [m for m in group if not arms[m.arm].experimental]
    for t in sorted(treated, key=lambda m: str(m.iri)):
        for c in sorted(controls, key=lambda m: str(m.iri)):
            yield t, c



def kind(m: Meas) -> str:
    name = local(m.statistic) if m.statistic is not None else ""
    if name == "statistic-mean":
        return "continuous"
    return name.removeprefix("statistic-") or "value"
