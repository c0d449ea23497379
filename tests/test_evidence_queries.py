"""The reviewer's named queries (queries/study-outcome-table.rq, effects-by-outcome.rq,
studies-by-design.rq) on the bundled data with its derived effect estimates, against golden
answers in tests/golden/evidence/ (regenerate with
`python tests/test_evidence_queries.py --update` after checking the differences)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from conftest import DATA, GOLDEN, ONTOLOGY, ROOT

QUERIES = ("study-outcome-table", "effects-by-outcome", "studies-by-design")
GOLDEN_DIR = GOLDEN / "evidence"


def derived_graph():
    from livergraph.evidence import derive_effects
    from livergraph.model.build import build
    graph = build(ONTOLOGY, DATA).graph
    derive_effects(graph)
    return graph


def term(value) -> str | None:
    from livergraph.io.curies import compact
    if value is None:
        return None
    if isinstance(value, URIRef):
        return compact(str(value), brackets=False)
    if isinstance(value, Literal) and isinstance(value.value, bool):
        return str(value.value).lower()
    if isinstance(value, Literal) and isinstance(value.value, int):
        return str(value.value)
    if isinstance(value, Literal) and str(value.datatype or "").endswith(("#decimal", "#double")):
        text = repr(round(float(value), 6))        # numbers in their shortest decimal form
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def answer(graph, name: str) -> list[dict[str, str | None]]:
    from livergraph.namespaces import PREFIXES
    text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    result = graph.query(text, initNs=PREFIXES)
    names = [str(v) for v in result.vars]
    return [dict(zip(names, (term(v) for v in row))) for row in result]


def canonical(rows):
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))


@pytest.fixture(scope="module")
def graph():
    return derived_graph()


@pytest.mark.parametrize("name", QUERIES)
def test_named_query_matches_its_golden_answer(graph, name):
    golden = json.loads((GOLDEN_DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert canonical(answer(graph, name)) == canonical(golden)


def test_study_outcome_table_covers_every_study_and_never_shows_a_cohort_as_an_arm(graph):
    rows = answer(graph, "study-outcome-table")
    assert {r["study"] for r in rows} == {f"study:{s}" for s in (
        "fu-2018", "cui-2022", "li-2023", "shi-2021")}   # zhang-2012 reports no values
    ldh = [r for r in rows if r["study"] == "study:fu-2018" and r["outcome"] == "lgc:measure-ldh"]
    assert {(r["arm"], r["value"], r["sd"], r["n"], r["p"]) for r in ldh} == {
        ("arm:fu-2018-hucmsc", "191.4", "63.7", "17", "P<0.05"),
        ("arm:fu-2018-control", "272.2", "105.3", "17", None)}
    cohort = [r for r in rows if r["scope"] == "several arms together"]
    assert cohort and all(r["arm"] is None for r in cohort)
    assert {r["value"] for r in cohort} >= {"80.1", "74.1", "33.3", "32.4"}


def test_effects_by_outcome_lists_the_derived_estimates(graph):
    rows = answer(graph, "effects-by-outcome")
    keys = {(r["study"], r["outcome"], r["measure"]) for r in rows}
    assert ("study:fu-2018", "lgc:measure-ldh", "MD") in keys
    assert ("study:cui-2022", "lgc:measure-transplant-free-survival", "RR") in keys
    assert not any(r["study"] == "study:li-2023" for r in rows)


def test_studies_by_design(graph):
    rows = answer(graph, "studies-by-design")
    controlled = {r["study"] for r in rows if r["design"] == "lgc:design-controlled"}
    assert len(controlled) == 5 and {r["studies"] for r in rows
                                     if r["design"] == "lgc:design-controlled"} == {"5"}
    assert {r["study"] for r in rows if r["design"] == "lgc:design-randomized"} == {
        "study:shi-2021"}


if __name__ == "__main__" and "--update" in sys.argv:
    g = derived_graph()
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for q in QUERIES:
        Path(GOLDEN_DIR / f"{q}.json").write_text(json.dumps(
            canonical(answer(g, q)), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
