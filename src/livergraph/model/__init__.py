"""Curated data files -> records -> the RDF graph (schema-first).

``from livergraph.model import BuildResult, build_from, load_records, Record`` (imported on first
use, so importing a submodule such as ``livergraph.model.load`` stays cheap). The build itself is
``from livergraph.model.build import build``: ``livergraph.model.build`` is the module (a package
attribute cannot be both the submodule and the function, and scripts use it as the module)."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from livergraph.model.build import BuildResult, build_from
    from livergraph.model.load import Record, load_records

__all__ = ["BuildResult", "Record", "build_from", "load_records"]
_WHERE = {"BuildResult": "build", "build_from": "build", "Record": "load", "load_records": "load"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"livergraph.model.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'livergraph.model' has no attribute {name!r}")
