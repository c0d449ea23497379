"""p-values stated as bounds ("P<0.05") become numeric bounds a filter can use (issue 19)."""
from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import XSD

from conftest import ROOT
from livergraph.model.pvalues import add_p_bounds
from livergraph.namespaces import LG, LGC, PREFIXES

EX = Namespace("http://example.org/")
QUERY = (ROOT / "queries" / "significant-comparisons.rq").read_text(encoding="utf-8")


def comparisons() -> Graph:
    g = Graph()
    for name, p, relation, written in (("lt", "0.05", "bound-lt", "P<0.05"),
                                       ("eq", "0.03", "bound-eq", "P=0.03"),
                                       ("eq05", "0.05", "bound-eq", "P=0.05"),
                                       ("gt", "0.05", "bound-gt", "P>0.05"),
                                       ("le", "0.01", "bound-le", "P≤0.01"),
                                       ("bare", "0.2", None, "0.2")):
        c = EX[name]
        g.add((EX.study, LG.hasComparison, c))
        g.add((c, LG.pValue, Literal(p, datatype=XSD.decimal)))
        g.add((c, LG.pValueAsWritten, Literal(written)))
        if relation:
            g.add((c, LG.pValueRelation, LGC[relation]))
    return g


def test_bounds_follow_the_stated_relation():
    g = comparisons()
    assert add_p_bounds(g) == 14 and add_p_bounds(g) == 0          # idempotent
    upper = {s: o.toPython() for s, o in g.subject_objects(LG.pValueUpperBound)}
    lower = {s: o.toPython() for s, o in g.subject_objects(LG.pValueLowerBound)}
    strict = {s: o.toPython() for s, o in g.subject_objects(LG.pValueUpperBoundStrict)}
    assert upper == {EX.lt: Decimal("0.05"), EX.eq: Decimal("0.03"), EX.eq05: Decimal("0.05"),
                     EX.le: Decimal("0.01"), EX.bare: Decimal("0.2")}
    assert lower == {EX.eq: Decimal("0.03"), EX.eq05: Decimal("0.05"), EX.gt: Decimal("0.05"),
                     EX.bare: Decimal("0.2")}
    assert strict[EX.lt] is True and strict[EX.eq05] is False


def test_the_named_query_finds_what_the_naive_filter_misses():
    g = comparisons()
    naive = {r[0] for r in g.query("SELECT ?c WHERE { ?c lg:pValue ?p FILTER(?p < 0.05) }",
                                   initNs={"lg": LG})}
    assert EX.lt not in naive                     # "P<0.05" is lost by the naive filter
    add_p_bounds(g)
    found = {r.comparison for r in g.query(QUERY, initNs=PREFIXES)}
    assert found == {EX.lt, EX.eq, EX.le}         # not P=0.05, P>0.05 or 0.2
