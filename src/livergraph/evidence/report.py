"""The offline, self-contained HTML evidence report (``livergraph report``): included studies,
per-outcome effect tables and forest plots, the refused comparisons, the evidence-gap map, the
data-quality flags touching each number, the 388-patient reconciliation, and what the report
was generated from (input hashes, not the clock: two runs on the same inputs give the same
bytes)."""
from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from livergraph.namespaces import LG, PREFIXES


@dataclass(frozen=True)
class Inputs:
    """What a report is generated from: files and their combined SHA-256."""

    digest: str
    files: int
    source_date: str | None


def input_digest(paths: list[Path], base: Path) -> Inputs:
    """SHA-256 over the relative path and bytes of every file under ``paths`` (sorted), and
    SOURCE_DATE_EPOCH as a date when it is set."""
    h = hashlib.sha256()
    files = sorted({f for p in paths for f in ([p] if p.is_file() else p.rglob("*"))
                    if f.is_file() and not f.name.startswith(".")})
    for f in files:
        try:
            rel = f.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            rel = f.name
        h.update(rel.encode("utf-8") + b"\0" + f.read_bytes() + b"\0")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    date = None
    if epoch and epoch.isdigit():
        date = datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%d")
    return Inputs(h.hexdigest(), len(files), date)


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _issue_notes(g: Graph, ids: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for issue in g.subjects(RDF.type, LG.DataQualityIssue):
        local = str(issue).rsplit("/", 1)[-1]
        if local in ids:
            notes = [(str(o), getattr(o, "language", None) or "")
                     for o in g.objects(issue, LG.curatorNote)]
            from livergraph.io.labels import pick_label
            out[local] = pick_label(notes, "en") or ""
    return out


def _query(g: Graph, path: Path) -> tuple[list[str], list[list[str]]]:
    if not path.is_file():
        return [], []
    result = g.query(path.read_text(encoding="utf-8"), initNs=PREFIXES)
    head = [str(v) for v in result.vars or []]
    from rdflib.query import ResultRow

    from livergraph.io.curies import compact
    rows = [["" if v is None else compact(str(v), brackets=False) if isinstance(v, URIRef)
             else str(v) for v in row] for row in result if isinstance(row, ResultRow)]
    return head, rows


def outcome_sections(g: Graph, lang: str) -> list[dict[str, Any]]:
    """One section per outcome: its estimates and a forest plot per measure and time point."""
    from livergraph.evidence.forest import forest_svg
    from livergraph.evidence.pooling import pool
    from livergraph.evidence.table import effect_rows
    rows = effect_rows(g, lang)
    sections: dict[str, dict[str, Any]] = {}
    for r in rows:
        sec = sections.setdefault(r.outcome, {"outcome": r.outcome, "rows": [], "plots": []})
        sec["rows"].append(r)
    for sec in sections.values():
        groups: dict[tuple[str, str], list[Any]] = {}
        for r in sec["rows"]:
            if r.vi:
                groups.setdefault((r.measure, r.timepoint or "-"), []).append(r)
        for (measure, time), members in sorted(groups.items()):
            res = pool([m.study for m in members], [m.yi for m in members],
                       [float(m.vi) for m in members], measure=measure, method="REML")
            title = f"{sec['outcome']}: {measure} at {time}"
            sec["plots"].append({"title": title, "k": res.k, "uri": _data_uri(
                forest_svg(res, lang=lang, title=title))})
    return [sections[k] for k in sorted(sections)]


def render_report(g: Graph, inputs: Inputs, root: Path, *, lang: str = "en") -> str:
    """The report as one HTML document (no external resources)."""
    import jinja2

    from livergraph.evidence.gapmap import gap_cells, gap_svg
    from livergraph.evidence.studyinfo import study_facets
    from livergraph.evidence.table import effect_rows, refusal_rows
    sections = outcome_sections(g, lang)
    refusals = refusal_rows(g, lang)
    ids = {i for r in effect_rows(g, lang) for i in r.issues} | {
        i for r in refusals for i in r["issues"]}
    reconciliation = _query(g, root / "queries" / "patient-count-388.rq")
    seed_errors = _query(g, root / "queries" / "seed-errors.rq")
    try:
        lg_version = version("livergraph")
    except PackageNotFoundError:
        lg_version = "unknown"
    assets = resources.files("livergraph.evidence") / "assets"
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    template = env.from_string((assets / "report.html.j2").read_text(encoding="utf-8"))
    return template.render(
        lang="zh-Hant" if lang.startswith("zh") else "en", css=(assets / "report.css").read_text(
            encoding="utf-8"), studies=list(study_facets(g, lang).values()),
        sections=sections, refusals=refusals, issues=_issue_notes(g, ids),
        gap_uri=_data_uri(gap_svg(gap_cells(g, lang), lang=lang)),
        reconciliation=reconciliation, seed_errors=seed_errors, inputs=inputs,
        version=lg_version, estimates=sum(len(s["rows"]) for s in sections))
