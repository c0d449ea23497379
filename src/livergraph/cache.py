"""The built graph, cached in a form that loads fast, for queries.

``livergraph query`` must not rebuild, re-validate or re-reason the graph each time it runs. The
first query after the ontology, the shapes, the curated data or the builder's own code changed
builds the graph once (``livergraph.build.build``, then the reasoner's inferred types as
``livergraph build`` adds them) and writes it under ``dist/cache/`` as
N-Triples (which pyoxigraph loads at several hundred thousand triples a second), with a small
JSON file holding the key it was built for and the SPARQL prefixes. Every later query only
compares the key, a hash of the names, sizes and modification times of those files, and loads the
N-Triples.

This module imports neither rdflib nor the builder unless it has to rebuild.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

#: bump when the cache layout changes, so old caches are rebuilt
CACHE_FORMAT = 1
GRAPH_FILE = "graph.nt"
META_FILE = "meta.json"


@dataclass(frozen=True)
class CachedGraph:
    """Where the cached graph is and what it was built from."""

    path: Path                    # N-Triples file
    prefixes: dict[str, str]      # the SPARQL prefixes predeclared for queries
    triples: int
    key: str
    rebuilt: bool                 # True when this call (re)built it


def _walk(top: Path):
    """(relative path, size, mtime_ns) of every file under ``top``, sorted."""
    if top.is_file():
        st = top.stat()
        yield top.name, st.st_size, st.st_mtime_ns
        return
    if not top.is_dir():
        return
    stack = [top]
    found = []
    while stack:
        d = stack.pop()
        with os.scandir(d) as it:
            for entry in it:
                if entry.name.startswith(".") or entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=True):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=True):
                    st = entry.stat()
                    found.append((os.path.relpath(entry.path, top), st.st_size, st.st_mtime_ns))
    yield from sorted(found)


_RELATIVE_IMPORT = re.compile(r"^\s*from \.(\w*) import ([\w, ()]+)", re.M)


def _builder_sources() -> list[Path]:
    """The modules that make the graph (``build.py`` and what it imports from the package, found
    by reading their import lines): a change to one of them invalidates the cache."""
    pkg = Path(__file__).resolve().parent
    todo, seen = ["__init__", "build", "cache"], set()
    while todo:
        name = todo.pop()
        path = pkg / f"{name}.py"
        if name in seen or not path.is_file():
            continue
        seen.add(name)
        for module, names in _RELATIVE_IMPORT.findall(path.read_text(encoding="utf-8")):
            todo.extend([module] if module else re.findall(r"\w+", names))
    return [pkg / f"{name}.py" for name in sorted(seen)]


def inputs_key(ontology_dir: Path, shapes_dir: Path, data_dir: Path) -> str:
    """A hash of every input the built graph depends on: the ontology, shapes and data files
    (names, sizes, modification times) and the builder's code."""
    h = hashlib.sha256(f"livergraph-cache-{CACHE_FORMAT}\n".encode())
    for label, top in (("ontology", ontology_dir), ("shapes", shapes_dir), ("data", data_dir)):
        h.update(f"[{label}] {Path(top).resolve()}\n".encode())
        for rel, size, mtime in _walk(Path(top)):
            h.update(f"{rel}\t{size}\t{mtime}\n".encode())
    h.update(b"[code]\n")
    for p in _builder_sources():
        st = p.stat()
        h.update(f"{p.name}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def cache_dir_for(base: Path, data_dir: Path, default_data: Path) -> Path:
    """The cache directory of one data directory: ``base`` for the project's own data, a
    subdirectory named by a hash of the path for any other (``--data``)."""
    data_dir, default_data = Path(data_dir).resolve(), Path(default_data).resolve()
    if data_dir == default_data:
        return Path(base)
    digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]
    return Path(base) / f"data-{digest}"


def load_meta(directory: Path) -> dict | None:
    try:
        with open(Path(directory) / META_FILE, encoding="utf-8") as handle:
            meta = json.load(handle)
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def cached_graph(ontology: Path, shapes_dir: Path, data_dir: Path, directory: Path, *,
                 rebuild: bool = False, reason: bool = True, on_rebuild=None,
                 on_warning=None) -> CachedGraph:
    """The cached graph for these inputs, built (and written under ``directory``) only when it is
    missing, stale, or ``rebuild`` is asked for. ``on_rebuild(why)`` is called before a build.

    With ``reason`` (the default) the build is followed, as ``livergraph build`` does, by the
    HermiT reasoner: its inferred types are added, each marked ``lg:inferredType``, so queries
    see the same graph as dist/livergraph.ttl; when Java is missing, ``on_warning(message)`` is
    told and the asserted graph is cached. Build errors (unreadable, non-conforming or
    inconsistent data) propagate as the builder and reasoner raise them."""
    directory = Path(directory)
    key = inputs_key(Path(ontology).parent, shapes_dir, data_dir)
    key = hashlib.sha256(f"{key} reason={bool(reason)}".encode()).hexdigest()
    meta = None if rebuild else load_meta(directory)
    graph_path = directory / GRAPH_FILE
    if meta and meta.get("key") == key and graph_path.is_file():
        return CachedGraph(graph_path, dict(meta["prefixes"]), int(meta["triples"]), key, False)
    if on_rebuild is not None:
        on_rebuild("asked to rebuild" if rebuild else
                   "no cached graph yet" if meta is None else
                   "the ontology, shapes, data or builder changed")
    return _rebuild(ontology, data_dir, directory, key, reason, on_warning)


def _rebuild(ontology: Path, data_dir: Path, directory: Path, key: str, reason: bool,
             on_warning) -> CachedGraph:
    from .errors import UnreadableInput
    from .namespaces import PREFIXES
    from .pipeline import build_checked
    from .serialize import write_atomic

    checked = build_checked(Path(ontology), Path(data_dir), reason=reason,
                            missing_reasoner_ok=True,
                            on_warning=None if on_warning is None else
                            lambda m: on_warning(f"{m}; queries see the asserted graph, "
                                                 "without inferred types"))
    graph = checked.graph
    inferred = checked.inferred if checked.reasoning is not None else None
    body = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in body.splitlines() if line.strip())
    meta = {"format": CACHE_FORMAT, "key": key, "triples": len(graph),
            "inferred": inferred, "prefixes": dict(PREFIXES),
            "ontology": str(Path(ontology).resolve()), "data": str(Path(data_dir).resolve())}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # the meta file is written last: it is what makes the graph file count as current
        write_atomic(directory / GRAPH_FILE, lambda h: h.write("\n".join(lines) + "\n"))
        write_atomic(directory / META_FILE,
                     lambda h: h.write(json.dumps(meta, indent=1, sort_keys=True) + "\n"))
    except OSError as exc:
        raise UnreadableInput(f"cannot write the graph cache: {exc.strerror or exc}",
                              file=str(directory),
                              hint="pass --cache-dir DIR with a directory you can write") from None
    return CachedGraph(directory / GRAPH_FILE, dict(PREFIXES), len(graph), key, True)
