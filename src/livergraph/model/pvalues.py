"""p-values as bounds: what "P<0.05" says about the number, in a form a filter can use.

A reported p-value is kept as written (lg:pValueAsWritten) and as a number with its relation
(lg:pValue 0.05, lg:pValueRelation lgc:bound-lt). A query that filters ``?p < 0.05`` on the number
drops every "P<0.05" — exactly the comparisons reported as significant. :func:`add_p_bounds`
derives, for every comparison, the bounds its statement implies: lg:pValueUpperBound (and whether
it is strict) and lg:pValueLowerBound, so ``FILTER(?upper <= 0.05)`` finds the comparisons reported
significant at 5 % (queries/significant-comparisons.rq). A derivation step of the build.
"""
from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from livergraph.namespaces import LG, LGC

#: relation -> (gives an upper bound, gives a lower bound, the upper bound is strict)
RELATIONS = {
    LGC["bound-eq"]: (True, True, False),
    LGC["bound-lt"]: (True, False, True),
    LGC["bound-le"]: (True, False, False),
    LGC["bound-gt"]: (False, True, False),
    LGC["bound-ge"]: (False, True, False),
}


def add_p_bounds(graph: Graph) -> int:
    """Add lg:pValueUpperBound / lg:pValueLowerBound / lg:pValueUpperBoundStrict for every
    subject with lg:pValue; a p-value without a relation counts as stated exactly. Returns the
    number of statements added."""
    added = []
    for subject, value in sorted(graph.subject_objects(LG.pValue)):
        relation = graph.value(subject, LG.pValueRelation) or LGC["bound-eq"]
        upper, lower, strict = RELATIONS.get(relation, (False, False, False))
        number = Literal(value.toPython(), datatype=XSD.decimal) \
            if isinstance(value, Literal) else None
        if number is None:
            continue
        if upper:
            added.append((subject, LG.pValueUpperBound, number))
            added.append((subject, LG.pValueUpperBoundStrict, Literal(strict)))
        if lower:
            added.append((subject, LG.pValueLowerBound, number))
    new = [t for t in added if t not in graph]
    graph.addN((s, p, o, graph) for s, p, o in new)
    return len(new)
