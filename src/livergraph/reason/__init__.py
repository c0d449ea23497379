"""OWL reasoning with HermiT -> inferred statements.

``from livergraph.reason import reason, add_inferred`` (imported on first use)."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from livergraph.reason.hermit import (ReasonerUnavailable, ReasoningResult, add_inferred,
                                          reason)

__all__ = ["ReasonerUnavailable", "ReasoningResult", "add_inferred", "reason"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module("livergraph.reason.hermit"), name)
    raise AttributeError(f"module 'livergraph.reason' has no attribute {name!r}")
