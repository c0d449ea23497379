"""Evidence synthesis: effect estimates in the graph, meta-analysis, forest plots, the
evidence-gap map and the HTML evidence report.

``derive_effects(graph)`` adds every effect estimate the data supports (and a recorded refusal
for every between-arm comparison it does not) to a built, reasoned graph.
"""
from __future__ import annotations

from typing import Any


def derive_effects(graph: Any) -> int:
    """Add the effect estimates the data supports to ``graph``; the number of estimates."""
    from livergraph.evidence.derive import derive_effects as _derive
    return _derive(graph)


__all__ = ["derive_effects"]
