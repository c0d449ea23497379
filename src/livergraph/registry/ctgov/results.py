"""Posted results of an API v2 study (``resultsSection``) -> result groups, measurements and
adverse-event findings nested in the trial record."""
from __future__ import annotations

from typing import Any

from livergraph.errors import DataError

from livergraph.registry.agents import normalise_name
from livergraph.registry.ctgov.reader import (PARAM_STATISTICS, _arm_order, _decimal, _lang,
                                              _put, _Reader)

class _Results:
    """resultsSection -> measurements (participant flow, baseline, outcome measures) and safety
    findings (adverse events), each linked to an arm matched by title or created for it."""

    def __init__(self, r: _Reader, trial: dict, arms: dict[str, str]):
        self.r = r
        self.t = trial
        self.arm_by_title = dict(arms)            # normalised title -> arm id
        self.arms = {a["id"]: a for a in trial.get("hasArm", [])}
        self.measurements: list[dict] = []
        self.findings: list[dict] = []

    def map(self, results: dict) -> None:
        r = self.r
        path = "resultsSection"
        self._flow(r.obj(results, "participantFlowModule", path), f"{path}.participantFlowModule")
        self._baseline(r.obj(results, "baselineCharacteristicsModule", path),
                       f"{path}.baselineCharacteristicsModule")
        om = r.obj(results, "outcomeMeasuresModule", path)
        for opath, o in r.objs(om, "outcomeMeasures", f"{path}.outcomeMeasuresModule"):
            self._measure(o, opath, outcome=True)
        self._adverse(r.obj(results, "adverseEventsModule", path), f"{path}.adverseEventsModule")
        if self.arms:
            self.t["hasArm"] = list(self.arms.values())
        _put(self.t, "hasMeasurement", self.measurements)
        _put(self.t, "hasSafetyFinding", self.findings)

    def _groups(self, module: dict, key: str, path: str) -> dict[str, str | None]:
        """group id -> arm id (None for a 'Total' column)."""
        r = self.r
        out: dict[str, str | None] = {}
        for gpath, g in r.objs(module, key, path):
            gid = r.text(g, "id", gpath)
            if gid is None:
                raise DataError(f"{gpath} has no id")
            title = r.text(g, "title", gpath) or gid
            norm = normalise_name(title)
            if norm == "total":
                out[gid] = None
                continue
            arm = self.arm_by_title.get(norm)
            if arm is None:
                arm = f"group-{len([a for a in self.arms if a.startswith('group-')]) + 1}"
                rec: dict[str, Any] = {"id": arm, "label": {"en": title}}
                _put(rec, "description", _lang(r.text(g, "description", gpath)))
                self.arms[arm] = rec
                self.arm_by_title[norm] = arm
            out[gid] = arm
        return out

    def _new_measurement(self, **fields: Any) -> dict:
        rec: dict[str, Any] = {"id": f"result-{len(self.measurements) + 1}"}
        for k, v in fields.items():
            _put(rec, k, v)
        self.measurements.append(rec)
        return rec

    def _group_ref(self, groups: dict, gid: str | None, path: str) -> str | None:
        if gid is None:
            raise DataError(f"{path} has no groupId")
        if gid not in groups:
            raise DataError(f"{path}: groupId {gid!r} is not one of the module's groups")
        return groups[gid]

    def _flow(self, m: dict, path: str) -> None:
        if not m:
            return
        r = self.r
        groups = self._groups(m, "groups", path)
        for pn, (ppath, period) in enumerate(r.objs(m, "periods", path)):
            ptitle = r.text(period, "title", ppath) or f"period {pn + 1}"
            for mpath, ms in r.objs(period, "milestones", ppath):
                mtype = r.text(ms, "type", mpath) or "milestone"
                for apath, a in r.objs(ms, "achievements", mpath):
                    arm = self._group_ref(groups, r.text(a, "groupId", apath), apath)
                    n = r.count(a, "numSubjects", apath)
                    self._new_measurement(measureText="Participant flow", measure="participants",
                                          category=f"{ptitle}: {mtype}", arm=arm,
                                          value=n, statistic="count", unit="patients")
                    if pn == 0 and mtype == "STARTED" and arm and n is not None:
                        self.arms[arm].setdefault("participants", n)
            for dpath, dw in r.objs(period, "dropWithdraws", ppath):
                dtype = r.text(dw, "type", dpath) or "withdrawal"
                for rpath, reason in r.objs(dw, "reasons", dpath):
                    arm = self._group_ref(groups, r.text(reason, "groupId", rpath), rpath)
                    self._new_measurement(measureText="Participant flow", measure="participants",
                                          category=f"{ptitle}: not completed: {dtype}", arm=arm,
                                          value=r.count(reason, "numSubjects", rpath),
                                          statistic="count", unit="patients")

    def _baseline(self, m: dict, path: str) -> None:
        if not m:
            return
        for mpath, measure in self.r.objs(m, "measures", path):
            self._measure(measure, mpath, outcome=False, module=m, module_path=path)

    def _denoms(self, denoms: list[tuple[str, dict]]) -> dict[str, int]:
        r = self.r
        for dpath, d in denoms:
            units = r.text(d, "units", dpath)
            if units is None or units.casefold() == "participants":
                counts = {}
                for cpath, c in r.objs(d, "counts", dpath):
                    n = r.count(c, "value", cpath)
                    if n is not None:
                        counts[r.text(c, "groupId", cpath) or ""] = n
                return counts
        return {}

    def _measure(self, o: dict, path: str, *, outcome: bool, module: dict | None = None,
                 module_path: str = "") -> None:
        r = self.r
        groups = self._groups(o if outcome else module, "groups", path if outcome
                              else module_path)
        denoms = self._denoms(r.objs(o if outcome else module, "denoms",
                                     path if outcome else module_path))
        title = r.text(o, "title", path)
        param = r.text(o, "paramType", path)
        dispersion = r.text(o, "dispersionType", path)
        common: dict[str, Any] = {
            "measureText": title, "paramType": param,
            "statistic": PARAM_STATISTICS.get(param or ""),
            "dispersionType": dispersion if dispersion and dispersion != "None" else None,
            "unitText": r.text(o, "unitOfMeasure", path),
            "timeFrame": r.text(o, "timeFrame", path),
        }
        if outcome:
            common["outcomeType"] = r.enum(o, "type", path, "outcomeType")
        else:
            common["timePoint"] = "P0D"
        sd = (dispersion or "").replace(" ", "_").upper() == "STANDARD_DEVIATION"
        for cpath, cls in r.objs(o, "classes", path):
            ctitle = r.text(cls, "title", cpath)
            cdenoms = self._denoms(r.objs(cls, "denoms", cpath)) or denoms
            for kpath, cat in r.objs(cls, "categories", cpath):
                ktitle = r.text(cat, "title", kpath)
                category = ": ".join(x for x in (ctitle, ktitle) if x) or None
                for xpath, x in r.objs(cat, "measurements", kpath):
                    gid = r.text(x, "groupId", xpath)
                    arm = self._group_ref(groups, gid, xpath)
                    if arm is None:   # the 'Total' column pools the module's arms
                        arm = sorted({a for a in groups.values() if a}, key=_arm_order) or None
                    raw = x.get("value")
                    value = _decimal(raw)
                    spread = _decimal(x.get("spread"))
                    self._new_measurement(
                        **common, category=category, arm=arm, value=value,
                        valueAsWritten=None if value is not None or raw is None else str(raw),
                        sd=spread if sd else None, spread=None if sd else spread,
                        rangeLow=_decimal(x.get("lowerLimit")),
                        rangeHigh=_decimal(x.get("upperLimit")),
                        numberAnalysed=cdenoms.get(gid or ""))

    def _adverse(self, m: dict, path: str) -> None:
        if not m:
            return
        r = self.r
        groups = self._groups(m, "eventGroups", path)
        time_frame = r.text(m, "timeFrame", path)
        for gpath, g in r.objs(m, "eventGroups", path):
            arm = groups.get(r.text(g, "id", gpath) or "")
            for prefix, term, serious in (("deaths", "Deaths, all causes", False),
                                          ("serious", "Serious adverse events, total", True),
                                          ("other", "Other adverse events, total", False)):
                affected = r.count(g, f"{prefix}NumAffected", gpath)
                at_risk = r.count(g, f"{prefix}NumAtRisk", gpath)
                if affected is None and at_risk is None:
                    continue
                self._finding(eventTerm=term, arm=arm, patientsAffected=affected,
                              denominator=at_risk, timeFrame=time_frame,
                              severity="serious" if serious else None,
                              adverseEvent="lgc:ae-any" if prefix != "deaths" else None)
        for key, serious in (("seriousEvents", True), ("otherEvents", False)):
            for epath, e in r.objs(m, key, path):
                term = r.text(e, "term", epath)
                organ = r.text(e, "organSystem", epath)
                for spath, st in r.objs(e, "stats", epath):
                    self._finding(eventTerm=term, organSystem=organ,
                                  arm=self._group_ref(groups, r.text(st, "groupId", spath),
                                                      spath),
                                  patientsAffected=r.count(st, "numAffected", spath),
                                  numberOfEvents=r.count(st, "numEvents", spath),
                                  denominator=r.count(st, "numAtRisk", spath),
                                  timeFrame=time_frame,
                                  severity="serious" if serious else None)

    def _finding(self, **fields: Any) -> None:
        rec: dict[str, Any] = {"id": f"ae-{len(self.findings) + 1}"}
        for k, v in fields.items():
            _put(rec, k, v)
        self.findings.append(rec)


