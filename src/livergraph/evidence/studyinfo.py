"""What the report and subgroup analyses need to know about each published study: design,
size, cells (type, tissue source, donor), route, dose and follow-up."""
from __future__ import annotations

from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from livergraph.evidence.table import study_id
from livergraph.io.labels import pick_label
from livergraph.namespaces import LG

#: design features, strongest first: the first a study has names its design
DESIGN_ORDER = ("randomized", "propensity-score-matched", "retrospective", "prospective",
                "placebo-controlled", "controlled", "single-arm")


def _label(g: Graph, node: Any, lang: str) -> str:
    if node is None:
        return ""
    if not isinstance(node, Node):
        return str(node)
    labels = [(str(o), getattr(o, "language", None) or "") for o in g.objects(node, RDFS.label)]
    return pick_label(labels, lang) or str(node).rsplit("/", 1)[-1]


def design_of(g: Graph, study: Node) -> str:
    """One word for the design: the strongest design feature the study records."""
    features = {str(g.value(f, SKOS.notation)) for f in g.objects(study, LG.designFeature)}
    if "randomized" in features and "controlled" in features:
        return "randomized controlled"
    for name in DESIGN_ORDER:
        if name in features:
            return name if name != "retrospective" else "retrospective cohort"
    return "not stated"


def study_facets(g: Graph, lang: str = "en") -> dict[str, dict[str, Any]]:
    """Per study id: design, n, cells, cell_source, donor, route, dose, follow-up, title."""
    out: dict[str, dict[str, Any]] = {}
    for study in sorted(g.subjects(RDF.type, LG.PublishedStudy), key=str):
        cells = [i for i in g.objects(study, LG.hasIntervention)
                 if (i, RDF.type, LG.CellTherapy) in g]
        def join(prop: Node, cells: list[Node] = cells) -> str:
            return "; ".join(sorted({_label(g, v, lang) for c in cells
                                     for v in g.objects(c, prop)})) or "not stated"
        follow = g.value(study, LG.followUp)
        out[study_id(study)] = {
            "study": study_id(study),
            "title": _label(g, g.value(study, LG.title), lang)
            if g.value(study, LG.title) is None else pick_label(
                [(str(t), getattr(t, "language", None) or "")
                 for t in g.objects(study, LG.title)], lang),
            "design": design_of(g, study),
            "n": int(str(g.value(study, LG.totalParticipants)))
            if g.value(study, LG.totalParticipants) is not None else None,
            "cells": join(LG.cellType),
            "cell_source": join(LG.tissueSource),
            "donor": join(LG.donorType),
            "route": join(LG.route),
            "dose": "; ".join(sorted({str(v) for c in cells for p in (LG.doseText, LG.dose)
                                      for v in g.objects(c, p)})) or "not stated",
            "follow_up": str(follow) if follow is not None else "not stated",
        }
    return out
