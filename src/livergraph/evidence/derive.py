"""Derive every between-arm effect estimate the data supports, and nothing it does not.

``derive_effects(graph)`` reads a built (and reasoned) graph and adds, per published study:

- from two arms' means, SDs and group sizes at the same time point (same measure, unit and
  analysis population): the mean difference (MD) and Hedges' g (SMD);
- from two arms' events and group sizes: the risk ratio, odds ratio and risk difference
  (0.5 added to every cell only when a cell is zero, and stated);
- a hazard ratio the source reports: kept as reported, with its sentence;
- for every other between-arm comparison, a recorded refusal with the reason (whole-cohort or
  matched-cohort percentages, Kaplan-Meier percentages without counts, values without a spread,
  a group without a size, comparisons reported without numbers).

An estimate whose input carries a data-quality flag, or whose count is recomputed from a
percentage, says so (``lg:approximate``, ``lg:derivationNote``, ``lg:touchesIssue``). Nothing
is derived from a value that describes several arms together.
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF
from rdflib.term import Node

from livergraph.evidence import measures as M
from livergraph.evidence.graphio import (
    COHORT_POPULATIONS,
    Arm,
    Deriver,
    Meas,
    kind,
    local,
    pairs,
)
from livergraph.namespaces import LG, LGC


def _events(d: Deriver, m: Meas, arms: dict[Node, Arm]) -> tuple[float, int, list[str]] | str:
    """(events, patients, notes) of one arm's proportion, or the reason it is not a count."""
    if m.population in COHORT_POPULATIONS:
        return ("the percentages are over the whole or the propensity-matched cohort (analysis "
                "population all/matched), partly with derived denominators; livergraph derives "
                "nothing from them until the data give each arm's own analysis population")
    notes: list[str] = []
    if m.statistic is not None and local(m.statistic) == "statistic-count":
        if m.value is None or m.n is None:
            return "a count without the arm's size"
        return m.value, m.n, notes
    if m.numerator is not None and m.denominator is not None:
        events, n = float(m.numerator), m.denominator
    elif m.denominator is not None and m.value is not None:
        exact = m.value * m.denominator / 100
        if abs(exact - round(exact)) > 0.05:
            return (f"{m.value}% of {m.denominator} is {exact:.2f}, not a whole number of "
                    "patients: a Kaplan-Meier or otherwise estimated percentage, not a count")
        events, n = float(round(exact)), m.denominator
        notes.append(f"{local(m.iri)}: the number of patients ({int(events)}) is recomputed "
                     f"from {m.value}% of {n}; the source does not write it")
    else:
        return ("a percentage without its numerator and denominator (a Kaplan-Meier or rate "
                "estimate), which is not a count of patients")
    arm = arms[m.arm]
    if arm.participants is not None and n < arm.participants:
        notes.append(f"{local(m.iri)}: {n} of the arm's {arm.participants} patients are "
                     "analysed (the others were lost to follow-up or excluded)")
    return events, n, notes


def derive_study(d: Deriver, study: Node) -> None:
    """Estimates and refusals for one study."""
    arms = d.arms(study)
    handled: set[Node] = set()
    groups: dict[tuple[Node, str | None, str], list[Meas]] = {}
    for m in d.measurements(study, arms):
        if m.days is not None and float(m.days) == 0:
            continue                        # baseline: a difference there is no effect
        if local(m.measure) == "measure-participants":
            continue
        if kind(m) == "hazard-ratio":
            _reported_ratio(d, study, m, arms)
            continue
        key = (m.measure, m.time, kind(m))
        groups.setdefault(key, []).append(m)
    for key in sorted(groups, key=lambda k: tuple(str(x) for x in k)):
        what = key[2]
        group = groups[key]
        d.distinct_ids = len({m.arm for m in group}) < len(group)
        for first, second in pairs(group, arms):
            if not _same_population(first, second):
                continue
            comparison = d.reported_comparison(study, first, second)
            if comparison is not None:
                handled.add(comparison)
            if what == "continuous":
                _continuous(d, study, first, second)
            elif what in ("rate", "count"):
                _proportion(d, study, first, second, arms)
            else:
                d.add_refusal(study, first, second,
                              f"both arms are reported as a single {what} without a spread "
                              "(SD) or a group size it applies to; no effect with a "
                              "confidence interval can be computed")
    for c in sorted(d.g.objects(study, LG.hasComparison), key=str):
        if c in handled or d.g.value(c, LG.comparisonKind) != LGC["comparison-between-arms"]:
            continue
        if d.g.value(c, LG.subjectMeasurement) is not None:
            continue            # paired through its measurements above (or a whole cohort)
        sig = d.g.value(c, LG.significant)
        said = "no test reported"
        if isinstance(sig, Literal):
            said = "significant" if sig.toPython() is True else "not significant"
        d.refuse_comparison(study, c, f"the source reports only the direction of this "
                                      f"comparison ({said}), with no per-arm values an "
                                      "effect could be computed from")


def _same_population(a: Meas, b: Meas) -> bool:
    """Values over the same patients: the same analysis population, or one unstated while the
    other is not a whole or matched cohort."""
    if a.population == b.population:
        return True
    if a.population is None or b.population is None:
        return not {a.population, b.population} & set(COHORT_POPULATIONS)
    return False


def _reported_ratio(d: Deriver, study: Node, m: Meas, arms: dict[Node, Arm]) -> None:
    """A hazard ratio the source reports, kept as reported (its CI when the data give one)."""
    controls = [a for a in arms.values() if not a.experimental]
    if len(controls) != 1 or arms[m.arm].experimental is False or m.value is None:
        return
    comparator = Meas(**{**m.__dict__, "arm": controls[0].iri, "iri": m.iri})
    lo, hi = d.g.value(m.iri, LG.ciLower), d.g.value(m.iri, LG.ciUpper)
    d.add_reported(study, m, comparator, "HR", m.value,
                   (float(str(lo)), float(str(hi))) if lo is not None and hi is not None
                   else None)


def _continuous(d: Deriver, study: Node, a: Meas, b: Meas) -> None:
    if a.unit != b.unit:
        d.add_refusal(study, a, b, "the arms' values are in different units")
        return
    missing = [f"{local(m.iri)} has no {what}" for m in (a, b)
               for what, v in (("SD", m.sd), ("group size", m.n), ("value", m.value))
               if v is None]
    if missing:
        d.add_refusal(study, a, b, "; ".join(missing) + ": no effect with a confidence "
                                                         "interval can be computed")
        return
    sizes = sorted((i for m in (a, b) for i in m.issues
                    if d.g.value(i, LG.onProperty) == LG.numberAnalysed), key=str)
    if a.n_stated != b.n_stated or sizes:
        d.add_refusal(study, a, b, "the number of patients behind one arm's value is not "
                                   "reported (" + ", ".join(local(i) for i in sizes)
                      + "); the arm's size is not it, so no effect is computed")
        return
    assert a.value is not None and a.sd is not None and a.n is not None
    assert b.value is not None and b.sd is not None and b.n is not None
    notes = [f"{local(i)} flags an input" for i in sorted(a.issues | b.issues, key=str)]
    for measure in M.CONTINUOUS:
        es = M.continuous(measure, a.value, a.sd, a.n, b.value, b.sd, b.n)
        d.add_estimate(study, a, b, es, inputs={"totalTreated": float(a.n),
                                                "totalComparator": float(b.n)},
                       notes=notes, approximate=bool(a.issues | b.issues))


def _proportion(d: Deriver, study: Node, a: Meas, b: Meas, arms: dict[Node, Arm]) -> None:
    got_a, got_b = _events(d, a, arms), _events(d, b, arms)
    if isinstance(got_a, str) or isinstance(got_b, str):
        reasons = [f"{local(m.iri)}: {r}" for m, r in ((a, got_a), (b, got_b))
                   if isinstance(r, str)]
        d.add_refusal(study, a, b, "; ".join(reasons))
        return
    (e1, n1, notes1), (e2, n2, notes2) = got_a, got_b
    notes = notes1 + notes2
    issues = a.issues | b.issues
    notes += [f"{local(i)} is flagged on a value read from the same sentence"
              for i in sorted(issues, key=str)]
    for measure in M.BINARY:
        try:
            es = M.binary(measure, e1, n1 - e1, e2, n2 - e2)
        except M.EffectSizeError as exc:
            d.add_refusal(study, a, b, str(exc))
            return
        d.add_estimate(study, a, b, es, inputs={"eventsTreated": e1, "eventsComparator": e2,
                                                "totalTreated": float(n1),
                                                "totalComparator": float(n2)},
                       notes=notes, approximate=bool(notes1 or notes2 or issues))


def derive_effects(graph: Graph) -> int:
    """Add the effect estimates (and refusals) the data support; the number of estimates."""
    d = Deriver(graph)
    for study in sorted(graph.subjects(RDF.type, LG.PublishedStudy), key=str):
        derive_study(d, study)
    return d.count
