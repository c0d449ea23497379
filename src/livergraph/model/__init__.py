"""Curated data files -> records -> the RDF graph (schema-first).

``from livergraph.model import build, BuildResult`` (imported on first use, so importing a
submodule such as ``livergraph.model.load`` stays cheap)."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from livergraph.model.build import BuildResult, build, build_from
    from livergraph.model.load import Record, load_records

__all__ = ["BuildResult", "Record", "build", "build_from", "load_records"]
_WHERE = {"BuildResult": "build", "build": "build", "build_from": "build",
          "Record": "load", "load_records": "load"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"livergraph.model.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'livergraph.model' has no attribute {name!r}")
