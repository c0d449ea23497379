"""The evidence-gap map: cell source x route (rows) against outcomes (columns). A bubble's
size is the number of published studies (circles, coloured by design) or registered trials
(squares, coloured by status) in that cell. Trials appear under the outcomes they plan to
measure where the registry record says so, else under "outcomes not recorded"."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from livergraph.evidence.plotting import effective_lang, style, svg_text
from livergraph.evidence.studyinfo import design_of
from livergraph.io.labels import pick_label
from livergraph.namespaces import LG, LGC

SKIP_MEASURES = {LGC["measure-participants"], LGC["measure-body-temperature"]}
NOT_RECORDED = {"en": "outcomes not recorded", "zh": "未記錄結局"}
NOT_STATED = {"en": "not stated", "zh": "未說明"}
TEXT = {"en": {"studies": "published studies (colour: design)",
               "trials": "registered trials (colour: status)", "title": "Evidence-gap map"},
        "zh": {"studies": "已發表研究（顏色：設計）", "trials": "註冊試驗（顏色：狀態）",
               "title": "證據缺口圖"}}


@dataclass(frozen=True)
class Cell:
    """One bubble: a row (cell source x route), an outcome, a kind and a category."""

    row: str
    outcome: str
    kind: str          # "study" or "trial"
    category: str      # design (studies) or status (trials)
    count: int
    records: tuple[str, ...]


def _label(g: Graph, node: Any, lang: str) -> str:
    labels = [(str(o), getattr(o, "language", None) or "") for o in g.objects(node, RDFS.label)]
    return pick_label(labels, lang) or str(node).rsplit("/", 1)[-1]


def _rows(g: Graph, record: Node, lang: str) -> set[str]:
    out: set[str] = set()
    for i in g.objects(record, LG.hasIntervention):
        if (i, RDF.type, LG.CellTherapy) not in g:
            continue
        sources = sorted({_label(g, s, lang) for s in g.objects(i, LG.tissueSource)}) or \
            sorted({_label(g, c, lang) for c in g.objects(i, LG.cellType)}) or [NOT_STATED[lang]]
        routes = sorted({_label(g, r, lang) for r in g.objects(i, LG.route)}) or [
            NOT_STATED[lang]]
        out.update(f"{src} \u00d7 {rte}" for src in sources for rte in routes)
    return out


def gap_cells(g: Graph, lang: str = "en") -> list[Cell]:
    """Every bubble of the map, sorted."""
    lang = "zh" if lang.startswith("zh") else "en"
    found: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for study in g.subjects(RDF.type, LG.PublishedStudy):
        outcomes = {m for p in (LG.hasMeasurement, LG.hasComparison)
                    for x in g.objects(study, p) for m in g.objects(x, LG.measure)}
        design = design_of(g, study)
        for row in _rows(g, study, lang):
            for m in outcomes - SKIP_MEASURES:
                found[(row, _label(g, m, lang), "study", design)].add(str(study))
    for trial in g.subjects(RDF.type, LG.Trial):
        status = g.value(trial, LG.status)
        category = str(g.value(status, SKOS.notation)) if status is not None else "UNKNOWN"
        planned = {m for o in g.objects(trial, LG.hasOutcome) for m in g.objects(o, LG.measure)}
        names = [_label(g, m, lang) for m in planned - SKIP_MEASURES] or [NOT_RECORDED[lang]]
        for row in _rows(g, trial, lang):
            for name in names:
                found[(row, name, "trial", category)].add(str(trial))
    cells = [Cell(r, o, k, c, len(ids), tuple(sorted(i.rsplit("/", 1)[-1] for i in ids)))
             for (r, o, k, c), ids in found.items()]
    return sorted(cells, key=lambda c: (c.row, c.outcome, c.kind, c.category))


PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


def gap_figure(cells: list[Cell], *, lang: str = "en") -> Any:
    """The map as a matplotlib Figure."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    lang = effective_lang(lang)
    rows = sorted({c.row for c in cells})
    not_recorded = {NOT_RECORDED["en"], NOT_RECORDED["zh"]}
    outcomes = sorted({c.outcome for c in cells} - not_recorded) + sorted(
        {c.outcome for c in cells} & not_recorded)
    categories = {k: sorted({c.category for c in cells if c.kind == k}) for k in ("study", "trial")}
    colours = {(k, cat): PALETTE[(i + (0 if k == "study" else 5)) % len(PALETTE)]
               for k in categories for i, cat in enumerate(categories[k])}
    with plt.rc_context(style(lang)):  # type: ignore[arg-type]
        fig = plt.figure(figsize=(6.5 + 0.5 * max(len(outcomes), 1),
                                  3.2 + 0.55 * max(len(rows), 1)))
        ax = fig.add_axes((0.25, 0.33, 0.55, 0.6))
        slots: dict[tuple[str, str], int] = defaultdict(int)
        for c in cells:
            x, y = outcomes.index(c.outcome), rows.index(c.row)
            slot = slots[(c.row, c.outcome + "\0" + c.kind)]
            slots[(c.row, c.outcome + "\0" + c.kind)] += 1
            # studies left of the outcome's line, trials right; several categories in a grid
            offset = (-0.2 if c.kind == "study" else 0.2) + 0.16 * (slot % 2) * (
                -1 if c.kind == "study" else 1)
            nudge = -0.3 * (slot // 2)
            ax.scatter([x + offset], [y + nudge], s=30 + 30 * c.count,
                       marker="o" if c.kind == "study" else "s",
                       color=colours[(c.kind, c.category)], alpha=0.8, edgecolors="black",
                       linewidths=0.5)
            ax.annotate(str(c.count), (x + offset, y + nudge), ha="center", va="center",
                        fontsize=7, color="white")
        ax.set_xticks(range(len(outcomes)))
        ax.set_xticklabels(outcomes, rotation=60, ha="right")
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(rows)
        ax.set_xlim(-0.6, len(outcomes) - 0.1)
        ax.set_ylim(-0.9, len(rows) - 0.4)
        ax.grid(True, color="#dddddd", lw=0.5)
        ax.set_axisbelow(True)
        handles = [Line2D([], [], marker="o" if k == "study" else "s", ls="none",
                          color=colours[(k, cat)], label=cat) for k in categories
                   for cat in categories[k]]
        t = TEXT[lang]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  ncol=1, fontsize=7, frameon=False,
                  title=f"\u25cf {t['studies']}\n\u25a0 {t['trials']}", title_fontsize=8)
        fig.suptitle(t["title"], x=0.02, ha="left", weight="bold")
    return fig


def gap_svg(cells: list[Cell], *, lang: str = "en") -> str:
    """The map as an SVG document (for the report)."""
    import matplotlib.pyplot as plt
    fig = gap_figure(cells, lang=lang)
    try:
        return svg_text(fig)
    finally:
        plt.close(fig)
