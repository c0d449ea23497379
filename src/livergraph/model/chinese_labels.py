"""Simplified-Chinese labels generated from the traditional ones, marked as machine converted.

The curated data is written in traditional Chinese (zh-Hant). :func:`add_simplified_labels` adds,
for every ``rdfs:label`` tagged ``@zh-Hant``, the OpenCC (t2s) conversion as ``rdfs:label``
``@zh-Hans`` -- so label lookups in simplified Chinese find the resource -- and the same literal
as ``lg:machineConverted``, which marks it as generated rather than written by a curator. A
resource that already has a curated ``@zh-Hans`` label is left alone.
"""
from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.term import Node
from rdflib.namespace import RDFS

from livergraph.io.chinese import to_simplified
from livergraph.namespaces import LG


def add_simplified_labels(graph: Graph) -> int:
    """Add an ``@zh-Hans`` label (and its ``lg:machineConverted`` mark) for each ``@zh-Hant``
    label of a resource that has no ``@zh-Hans`` label; return how many labels were added."""
    additions: list[tuple[Node, Literal]] = []
    for subject, label in graph.subject_objects(RDFS.label):
        if not isinstance(label, Literal) or (label.language or "").lower() != "zh-hant":
            continue
        if any(isinstance(o, Literal) and (o.language or "").lower() == "zh-hans"
               for o in graph.objects(subject, RDFS.label)):
            continue
        additions.append((subject, Literal(to_simplified(str(label)), lang="zh-Hans")))
    for subject, simplified in sorted(set(additions), key=lambda a: (str(a[0]), str(a[1]))):
        graph.add((subject, RDFS.label, simplified))
        graph.add((subject, LG.machineConverted, simplified))
    return len(set(additions))
