"""SHACL shapes -> a validation report; the scaled engine beside the pySHACL reference.

``from livergraph.validate import validate, load_shapes, Report`` (imported on first use)."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from livergraph.validate.report import Report, Result, WRITERS
    from livergraph.validate.shacl import (load_shapes, read_graph, validate, validate_paths,
                                           validate_plain)

__all__ = ["Report", "Result", "WRITERS", "load_shapes", "read_graph", "validate",
           "validate_paths", "validate_plain"]
_WHERE = {"Report": "report", "Result": "report", "WRITERS": "report"}


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module(f"livergraph.validate.{_WHERE.get(name, 'shacl')}"), name)
    raise AttributeError(f"module 'livergraph.validate' has no attribute {name!r}")
