"""Where the project's files are: the repository root holds ontology/, data/, shapes/, queries/."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from livergraph.errors import UnreadableInput

ROOT_ENV = "LIVERGRAPH_ROOT"


def _is_root(path: Path) -> bool:
    return (path / "ontology" / "livergraph.ttl").is_file() and (path / "data").is_dir()


def find_root(start: Path | None = None) -> Path:
    """The project root: $LIVERGRAPH_ROOT, else the nearest parent of the current directory
    holding ontology/livergraph.ttl and data/, else the source checkout livergraph runs from."""
    env = os.environ.get(ROOT_ENV)
    if env:
        root = Path(env)
        if not _is_root(root):
            raise UnreadableInput(f"{ROOT_ENV}={env} does not hold ontology/livergraph.ttl "
                                  "and data/", hint=f"unset {ROOT_ENV} or point it at a "
                                                    "livergraph checkout")
        return root
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _is_root(candidate):
            return candidate
    checkout = Path(__file__).resolve().parents[2]
    if _is_root(checkout):
        return checkout
    raise UnreadableInput("cannot find the livergraph project (ontology/livergraph.ttl and data/)",
                          hint=f"run from the repository, or set {ROOT_ENV}")


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology" / "livergraph.ttl"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def graph(self) -> Path:
        return self.dist / "livergraph.ttl"
