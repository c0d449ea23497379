"""Measurements and comparisons folded into one summary edge per study and outcome measure.

Every comparison and every measurement of a study becomes one line of the edge's details
("serum albumin 28.9 → 33.9 g/L at 48 w (hUC-MSC), P<0.05"). The edge's label is the
*headline*: the line a reader looking at the study and the measure expects, chosen by these
rules, in order:

1. a between-arm comparison of the experimental arm against its comparator, with both values;
2. the experimental arm's value against the comparator arm's value at the same time point,
   in the same analysis population and of the same statistic and unit (a pair made from two
   measurements; never of counts, since arms differ in size);
3. a between-arm comparison of the experimental arm without values ("higher, P<0.05");
4. the experimental arm against its own baseline;
5. the experimental arm's value alone;
6. a value about the whole cohort (no arm, or every arm of the study): labelled "whole
   cohort" (or the analysis population's name), never shown as one arm's;
7. anything else (a comparator arm's value alone), naming the arm.

Within a rule: the primary analysis population (none given, or "all") before subsets such as a
matched cohort; the last time point first; significant before not; values before changes;
and for counts of one arm
at one time the largest (the others are parts of it: "deaths" before "deaths after 10 years").
Arms count as comparators when their role is a control, placebo, sham, active comparator or
no intervention; every other arm is experimental.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from livergraph.namespaces import LG
from livergraph.viz.text import (UCUM_SHOWN, duration_days, human_duration, local, number, ordered,
                                 pick)

_COMPARATOR_ROLES = ("CONTROL", "COMPARATOR", "NO_INTERVENTION", "PLACEBO", "SHAM")
_PRIMARY_POPULATIONS = ("population-all",)


@dataclass(frozen=True)
class Line:
    """One summary line and where it ranks as the edge's headline (lowest first)."""
    short: str          # names no arms (the edge label)
    long: str           # with arms and population (the details)
    rank: tuple[Any, ...]


class ResultSummaries:
    """Mixed into the projector: reads a study's measurements and comparisons."""
    g: Graph
    lang: str
    words: dict[str, str]
    aliases: dict[str, str]
    facts: dict[str, list[tuple[str, str]]]
    G: nx.MultiDiGraph

    def label(self, node: Any) -> str:  # pragma: no cover - provided by the projector
        raise NotImplementedError

    def add_node(self, node: Any, kind: str) -> str:  # pragma: no cover - the projector's
        raise NotImplementedError

    def add_edge(self, u: str, v: str, p: Any, lines: Any = (),
                 label: str | None = None) -> None:  # pragma: no cover - the projector's
        raise NotImplementedError

    # small readers ---------------------------------------------------------------------
    def _one(self, s: Any, p: Any) -> Any:
        return next(iter(ordered(self.g.objects(s, p))), None)

    def _measure_of(self, x: Any) -> Any:
        return self._one(x, LG.measure)

    def arm_name(self, arm: Any) -> str:
        """The arm's label, else its id without the study's prefix."""
        name = pick(self.g.objects(arm, RDFS.label), self.lang)
        if name:
            return name
        text = local(arm)
        for study in self.g.subjects(LG.hasArm, arm):
            prefix = local(study) + "-"
            if text.startswith(prefix):
                return text[len(prefix):]
        return text

    def _value(self, m: Any) -> str:
        value, low, high = (self._one(m, p) for p in (LG.value, LG.rangeLow, LG.rangeHigh))
        num, den = self._one(m, LG.numerator), self._one(m, LG.denominator)
        span = f"{number(low)}–{number(high)}" if low is not None and high is not None \
            else None
        if value is not None:
            return number(value) + (f" ({span})" if span else "")
        if span:
            return span
        if num is not None and den is not None:
            return f"{num}/{den}"
        if num is not None:
            return str(num)
        return "?"

    def _unit(self, m: Any, measure: Any = None) -> str:
        unit = self._one(m, LG.unit)
        text = ""
        if unit is not None:
            code = self._one(unit, LG.ucumCode)
            text = str(code) if code is not None else self.label(unit)
        elif self._one(m, LG.unitText) is not None:
            text = str(self._one(m, LG.unitText))
        if text.startswith("{") and text.endswith("}"):      # UCUM annotation: {patients}
            text = text[1:-1]
            if measure is not None and text.lower() in self.label(measure).lower():
                return ""                                      # {score} of "MELD score"
        return UCUM_SHOWN.get(text, text)

    def _time(self, *things: Any) -> str:
        for x in things:
            if x is None:
                continue
            tp = self._one(x, LG.timePoint)
            if tp is not None:
                start = self._one(x, LG.windowStart)
                end = human_duration(str(tp), self.lang)
                if start is not None:
                    first = human_duration(str(start), self.lang)
                    if first == self.words["baseline"]:
                        first = "0"
                    a, b = first.split(), end.split()
                    if len(a) == 2 and len(b) == 2 and a[1] == b[1]:    # 2 h, 6 h -> 2–6 h
                        return f"{a[0]}–{end}"
                    return f"{first}–{end}"
                return end
        return ""

    def _days(self, *things: Any) -> float | None:
        for x in things:
            if x is None:
                continue
            days = self._one(x, LG.timePointDays)
            if days is not None:
                return float(days)
            tp = self._one(x, LG.timePoint)
            if tp is not None:
                return duration_days(str(tp))
        return None

    def _with_unit_time(self, values: str, m: Any, measure: Any, *time_from: Any) -> str:
        unit = self._unit(m, measure) if m is not None else ""
        text = values + (("" if unit == "%" else " ") + unit if unit else "")
        time = self._time(*time_from)
        if time and time != self.words["baseline"]:
            text += f" {self.words['at']} {time}"
        return text

    def _p_text(self, c: Any) -> str | None:
        pv, rel = self._one(c, LG.pValue), self._one(c, LG.pValueRelation)
        if pv is not None:
            op = "="
            if rel is not None:
                op = {"lt": "<", "le": "≤", "eq": "=", "gt": ">", "ge": "≥"}.get(
                    local(rel).removeprefix("bound-"), "=")
            return f"P{op}{number(pv)}"
        written = self._one(c, LG.pValueAsWritten)
        return str(written) if written is not None else None

    def _population_of(self, *things: Any) -> Any:
        for x in things:
            if x is not None:
                pop = self._one(x, LG.analysisPopulation)
                if pop is not None:
                    return pop
        return None

    def _population_rank(self, pop: Any) -> int:
        return 0 if pop is None or local(pop) in _PRIMARY_POPULATIONS else 1

    # the lines ---------------------------------------------------------------------------
    def _rank(self, tier: int, pop: Any, days: float | None, significant: bool,
              count: float = 0.0, statistic: Any = None) -> tuple[Any, ...]:
        change = 1 if statistic is not None and local(statistic) == "statistic-change" else 0
        return (tier, self._population_rank(pop), -(days if days is not None else -1.0),
                0 if significant else 1, change, -count)

    def _comparison_line(self, c: Any, measure: Any, multi_arm: bool,
                         experimental: set[Any]) -> Line:
        w = self.words
        subj, ref = self._one(c, LG.subjectMeasurement), self._one(c, LG.referenceMeasurement)
        kind = self._one(c, LG.comparisonKind)
        vs_baseline = kind is not None and str(kind).endswith("vs-baseline")
        arm = self._one(c, LG.arm) or (self._one(subj, LG.arm) if subj is not None else None)
        other = self._one(c, LG.comparatorArm) or (
            self._one(ref, LG.arm) if ref is not None else None)
        name = self.label(measure)
        with_values = subj is not None and ref is not None
        if with_values:
            values = (f"{self._value(ref)} → {self._value(subj)}" if vs_baseline
                      else f"{self._value(subj)} {w['vs']} {self._value(ref)}")
            body = f"{name} {self._with_unit_time(values, subj, measure, c, subj)}"
        else:
            direction = self._one(c, LG.direction)
            body = name + (f" {self.label(direction)}" if direction is not None else "")
            if vs_baseline:
                body += f" {w['vs']} {w['baseline']}"
            time = self._time(c, subj)
            if time and time != w["baseline"]:
                body += f" {w['at']} {time}"
        arms = []
        if vs_baseline:
            if arm is not None and multi_arm:
                arms.append(self.arm_name(arm))
        elif arm is not None and other is not None:
            arms.append(f"{self.arm_name(arm)} {w['vs']} {self.arm_name(other)}")
        pop = self._population_of(c, subj)
        if pop is not None:
            arms.append(self.label(pop))
        p_text = self._p_text(c)
        tail = f", {p_text}" if p_text else ""
        significant = self._one(c, LG.significant)
        is_significant = significant is not None and significant.toPython() is True
        exp = arm is None or arm in experimental
        if vs_baseline:
            tier = 3 if exp else 7
        else:
            tier = (0 if with_values else 2) if exp else 7
        return Line(body + tail, body + (f" ({'; '.join(arms)})" if arms else "") + tail,
                    self._rank(tier, pop, self._days(c, subj), is_significant))

    def _measurement_line(self, m: Any, measure: Any, arms: list[Any],
                          experimental: set[Any]) -> Line:
        measured = ordered(self.g.objects(m, LG.arm))
        short = f"{self.label(measure)} {self._with_unit_time(self._value(m), m, measure, m)}"
        pop = self._population_of(m)
        whole = len(arms) > 1 and (not measured or set(measured) >= set(arms))
        notes = []
        if whole:
            notes.append(self.label(pop) if pop is not None else self.words["cohort"])
        elif measured and len(arms) > 1:
            notes.append(" + ".join(self.arm_name(a) for a in measured))
        if pop is not None and not whole:
            notes.append(self.label(pop))
        value = self._one(m, LG.value)
        count = float(value) if value is not None and local(
            self._one(m, LG.statistic) or "") == "statistic-count" else 0.0
        if whole:
            tier = 6
        elif measured and all(a in experimental for a in measured):
            tier = 5
        else:
            tier = 8
        if tier in (6, 8) and notes:      # the label itself says whose value it is
            short += f" ({notes.pop(0)})"
        return Line(short, short + (f" ({'; '.join(notes)})" if notes else ""),
                    self._rank(tier, pop, self._days(m), False, count,
                               self._one(m, LG.statistic)))

    def _pairs(self, measurements: list[Any], measure: Any, experimental: set[Any],
               comparators: set[Any]) -> list[Line]:
        """Experimental vs comparator values of one measure at one time in one population."""
        def key(m: Any) -> tuple[Any, ...]:
            return (self._one(m, LG.timePoint), self._population_of(m),
                    self._one(m, LG.statistic), self._one(m, LG.unit))
        mine = [m for m in measurements if self._measure_of(m) == measure]
        by_arm: dict[Any, list[Any]] = defaultdict(list)
        for m in mine:
            measured = list(self.g.objects(m, LG.arm))
            counted = local(self._one(m, LG.statistic) or "") == "statistic-count"
            if len(measured) == 1 and not counted:   # counts of arms of unequal size: no pair
                by_arm[measured[0]].append(m)
        out = []
        for e in sorted(experimental):
            for c in sorted(comparators):
                for me in by_arm.get(e, ()):
                    for mc in by_arm.get(c, ()):
                        if key(me) != key(mc):
                            continue
                        w = self.words
                        values = f"{self._value(me)} {w['vs']} {self._value(mc)}"
                        short = (f"{self.label(measure)} "
                                 f"{self._with_unit_time(values, me, measure, me)}")
                        pop = self._population_of(me)
                        notes = [f"{self.arm_name(e)} {w['vs']} {self.arm_name(c)}"]
                        if pop is not None:
                            notes.append(self.label(pop))
                        out.append(Line(short, f"{short} ({'; '.join(notes)})",
                                        self._rank(1, pop, self._days(me), False, 0.0,
                                                   self._one(me, LG.statistic))))
        return out

    def arm_sides(self, arms: list[Any]) -> tuple[set[Any], set[Any]]:
        """(experimental, comparator) arms by role (see the module docstring)."""
        experimental, comparators = set(), set()
        for arm in arms:
            role = self._one(arm, LG.armRole)
            if role is not None and any(r in local(role).upper() for r in _COMPARATOR_ROLES):
                comparators.add(arm)
            else:
                experimental.add(arm)
        return experimental, comparators

    def results(self, s: Any, key: str, arms: list[Any]) -> None:
        """Add the study-to-measure summary edges of ``s`` (its node ``key``)."""
        g, w = self.g, self.words
        measurements = sorted(o for o in g.objects(s, LG.hasMeasurement)
                              if isinstance(o, URIRef))
        comparisons = sorted(o for o in g.objects(s, LG.hasComparison) if isinstance(o, URIRef))
        experimental, comparators = self.arm_sides(arms)
        multi_arm = len(arms) > 1
        used: set[Any] = set()
        by_measure: dict[Any, list[Line]] = defaultdict(list)
        for c in comparisons:
            self.aliases[str(c)] = key
            subj = self._one(c, LG.subjectMeasurement)
            measure = self._measure_of(c) or (self._measure_of(subj) if subj is not None
                                              else None)
            if measure is None:
                continue
            used.update(x for x in (subj, self._one(c, LG.referenceMeasurement)) if x is not None)
            by_measure[measure].append(self._comparison_line(c, measure, multi_arm,
                                                             experimental))
        for m in measurements:
            self.aliases[str(m)] = key
            measure = self._measure_of(m)
            if m in used or measure is None:
                continue
            by_measure[measure].append(self._measurement_line(m, measure, arms, experimental))
        for measure in sorted(by_measure):
            lines = by_measure[measure] + self._pairs(measurements, measure, experimental,
                                                      comparators)
            head = min(lines, key=lambda x: (x.rank, x.long))
            ordered = [head] + sorted((x for x in by_measure[measure] if x is not head),
                                      key=lambda x: (x.rank[3], x.rank, x.long))
            longs = list(dict.fromkeys(x.long for x in ordered))
            label = head.short + (f" (+{len(longs) - 1} {w['more']})" if len(longs) > 1
                                  else "")
            target = self.add_node(measure, "outcome")
            self.add_edge(key, target, LG.hasMeasurement, longs, label=label)
            for line in longs:
                self.facts[key].append((w["result"], line))

