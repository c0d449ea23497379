"""The built graph, cached as a persistent Oxigraph store, for queries.

``livergraph query`` must not rebuild, re-validate or re-reason the graph each time it runs, nor
parse it again. The first query after the ontology, the shapes, the curated data or the builder's
own code changed builds the graph once (``livergraph.build.build``, then the reasoner's inferred
types as ``livergraph build`` adds them) and writes it under ``dist/cache/``:

* ``graph-<key>-<id>/graph.nt`` — the graph as sorted N-Triples (deterministic; what the rdflib
  engine and other tools read);
* ``graph-<key>-<id>/store/`` — the same triples bulk-loaded into an on-disk Oxigraph (RocksDB)
  store, which a query opens read-only in milliseconds, with its indexes ready;
* ``meta.json`` — the key the graph was built for, the SPARQL prefixes and the name of the
  current ``graph-…`` directory. It is written last: only then does the new graph count.

Every later query only compares the key, a hash of the names, sizes and modification times of
those files, and opens the store. A build happens in a hidden temporary directory that is renamed
into place once complete, so a half-built store is never used. Builds are serialised by a lock
file (``.build.lock``): a second process waiting for a build finds the graph built and uses it.
Each query holds a shared lock on the directory it reads (``graph-…/.in-use``); a rebuild removes
an old directory only when no query holds it.

This module imports neither rdflib nor the builder unless it has to rebuild.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

#: bump when the cache layout changes, so old caches are rebuilt
CACHE_FORMAT = 2
GRAPH_FILE = "graph.nt"
STORE_DIR = "store"
META_FILE = "meta.json"
IN_USE_FILE = ".in-use"
BUILD_LOCK = ".build.lock"
GENERATION_PREFIX = "graph-"
TEMP_PREFIX = ".tmp-graph-"


@dataclass(frozen=True)
class CachedGraph:
    """Where the cached graph is and what it was built from."""

    path: Path                    # N-Triples file
    prefixes: dict[str, str]      # the SPARQL prefixes predeclared for queries
    triples: int
    key: str
    rebuilt: bool                 # True when this call (re)built it
    store: Path | None = None     # the Oxigraph store directory (open with Store.read_only)
    #: the open lock file that keeps this graph's directory from being removed by a rebuild
    #: while this process reads it (released when the object is collected or the process ends)
    hold: object = field(default=None, repr=False, compare=False)

    def release(self) -> None:
        """Let a later rebuild remove this graph's directory."""
        if self.hold is not None:
            self.hold.close()


def _walk(top: Path):
    """(relative path, size, mtime_ns) of every file under ``top``, sorted."""
    top = Path(top)
    if top.is_file():
        st = top.stat()
        yield top.name, st.st_size, st.st_mtime_ns
        return
    if not top.is_dir():
        return
    found = []
    stack = [(str(top), "")]
    while stack:
        d, rel = stack.pop()
        with os.scandir(d) as it:
            for entry in it:
                name = entry.name
                if name.startswith(".") or name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=True):
                    stack.append((entry.path, f"{rel}{name}{os.sep}"))
                elif entry.is_file(follow_symlinks=True):
                    st = entry.stat()
                    found.append((rel + name, st.st_size, st.st_mtime_ns))
    found.sort()
    yield from found


def _builder_sources() -> list[Path]:
    """The package's modules: a change to any of them invalidates the cache."""
    pkg = Path(__file__).resolve().parents[1]
    return sorted(p for p in pkg.rglob("*.py") if "__pycache__" not in p.parts)


def inputs_key(ontology_dir: Path, shapes_dir: Path, data_dir: Path) -> str:
    """A hash of every input the built graph depends on: the ontology, shapes and data files
    (names, sizes, modification times) and the builder's code."""
    h = hashlib.sha256(f"livergraph-cache-{CACHE_FORMAT}\n".encode())
    for label, top in (("ontology", ontology_dir), ("shapes", shapes_dir), ("data", data_dir)):
        h.update(f"[{label}] {Path(top).resolve()}\n".encode())
        h.update("".join(f"{rel}\t{size}\t{mtime}\n"
                         for rel, size, mtime in _walk(Path(top))).encode())
    h.update(b"[code]\n")
    for p in _builder_sources():
        st = p.stat()
        h.update(f"{p.name}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def cache_key(ontology: Path, shapes_dir: Path, data_dir: Path, *, reason: bool = True) -> str:
    """The key a cached graph of these inputs is stored under (``reason``: with inferred types)."""
    key = inputs_key(Path(ontology).parent, shapes_dir, data_dir)
    return hashlib.sha256(f"{key} reason={bool(reason)}".encode()).hexdigest()


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


# -- locks ----------------------------------------------------------------------------------------

def _flock(path: Path, shared: bool, *, wait: bool = True):
    """An open file holding a lock on ``path`` (created if missing for an exclusive lock), or
    None when ``wait`` is false and another process holds a conflicting lock. Where ``fcntl`` is
    missing (Windows), no lock is taken."""
    # a shared lock needs only read access (a cache on a read-only disk can still be queried)
    handle = open(path, "rb" if shared else "a+b")  # noqa: SIM115 - kept open to hold the lock
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return handle
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    try:
        fcntl.flock(handle.fileno(), mode if wait else mode | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    except BaseException:
        handle.close()
        raise
    return handle


def _current(directory: Path, meta: dict | None, key: str) -> CachedGraph | None:
    """The cached graph ``meta`` names when it is complete and built for ``key``, held by a
    shared lock; else None."""
    if not meta or meta.get("key") != key or meta.get("format") != CACHE_FORMAT:
        return None
    name = meta.get("generation")
    if not isinstance(name, str) or not name.startswith(GENERATION_PREFIX) or "/" in name:
        return None
    generation = directory / name
    try:
        hold = _flock(generation / IN_USE_FILE, shared=True)
    except OSError:     # the directory is gone (removed by a rebuild)
        return None
    graph_path, store = generation / GRAPH_FILE, generation / STORE_DIR
    # checked under the lock: a rebuild removes a directory only while it holds it exclusively
    if not (graph_path.is_file() and (store / "CURRENT").is_file()):
        hold.close()
        return None
    return CachedGraph(graph_path, dict(meta["prefixes"]), int(meta["triples"]), key, False,
                       store, hold)


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
    key = cache_key(ontology, shapes_dir, data_dir, reason=reason)
    meta = None if rebuild else load_meta(directory)
    found = _current(directory, meta, key)
    if found is not None:
        return found

    def make(why: str):
        from livergraph.publish.pipeline import build_checked
        if on_rebuild is not None:
            on_rebuild(why)
        checked = build_checked(Path(ontology), Path(data_dir), reason=reason,
                                missing_reasoner_ok=True,
                                on_warning=None if on_warning is None else
                                lambda m: on_warning(f"{m}; queries see the asserted graph, "
                                                     "without inferred types"))
        inferred = checked.inferred if checked.reasoning is not None else None
        return checked.graph, {"inferred": inferred, "ontology": str(Path(ontology).resolve()),
                               "data": str(Path(data_dir).resolve())}

    why = ("asked to rebuild" if rebuild else
           "no cached graph yet" if meta is None else
           "the cached graph is incomplete" if meta.get("key") == key and
           meta.get("format") == CACHE_FORMAT else
           "the ontology, shapes, data or builder changed")
    return _install(directory, key, make, why, rebuild=rebuild)


def install_ntriples(directory: Path, key: str, ntriples: Path, *, triples: int | None = None,
                     note: dict | None = None) -> CachedGraph:
    """Cache an already built graph, given as an N-Triples file, under ``key`` (for benchmarks
    and tools that built the graph themselves): copied into place and bulk-loaded."""
    def make(_why):
        return Path(ntriples), dict(note or {})
    return _install(Path(directory), key, make, "given N-Triples", rebuild=True,
                    triples=triples)


def _install(directory: Path, key: str, make, why: str, *, rebuild: bool,
             triples: int | None = None) -> CachedGraph:
    """Build the graph with ``make(why)`` -> (rdflib graph or N-Triples path, extra meta), write
    it and its store into a temporary directory, rename that into place, write the meta file and
    remove the directories no query holds any more. Serialised by the build lock."""
    from livergraph.errors import UnreadableInput
    from livergraph.namespaces import PREFIXES
    from livergraph.io.atomic import write_atomic

    try:
        directory.mkdir(parents=True, exist_ok=True)
        lock = _flock(directory / BUILD_LOCK, shared=False)
    except OSError as exc:
        raise UnreadableInput(f"cannot write the graph cache: {exc.strerror or exc}",
                              file=str(directory),
                              hint="pass --cache-dir DIR with a directory you can write") from None
    try:
        if not rebuild:   # another process may have built it while this one waited
            found = _current(directory, load_meta(directory), key)
            if found is not None:
                return found
        source, extra = make(why)
        tmp = None
        try:
            _remove_unused(directory, keep=None)     # leftovers of interrupted builds
            tmp = Path(_mkdtemp(directory))
            count, seconds = _write_generation(tmp, source, triples)
            name = f"{GENERATION_PREFIX}{key[:16]}-{tmp.name[len(TEMP_PREFIX):]}"
            os.replace(tmp, directory / name)
            tmp = None
            hold = _flock(directory / name / IN_USE_FILE, shared=True)
            meta = {"format": CACHE_FORMAT, "key": key, "triples": count, "generation": name,
                    "prefixes": dict(PREFIXES), "store_seconds": seconds, **extra}
            # the meta file is written last: it is what makes the new graph count as current
            write_atomic(directory / META_FILE,
                         lambda h: h.write(json.dumps(meta, indent=1, sort_keys=True) + "\n"))
            _remove_unused(directory, keep=name)
        except OSError as exc:
            raise UnreadableInput(f"cannot write the graph cache: {exc.strerror or exc}",
                                  file=str(directory),
                                  hint="pass --cache-dir DIR with a directory you can write "
                                       "(and room on its disk)") from None
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
        generation = directory / name
        return CachedGraph(generation / GRAPH_FILE, dict(PREFIXES), count, key, True,
                           generation / STORE_DIR, hold)
    finally:
        lock.close()


def _mkdtemp(directory: Path) -> str:
    import tempfile
    return tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=directory)


def _write_generation(target: Path, source, triples: int | None) -> tuple[int, dict]:
    """Write ``graph.nt`` (sorted N-Triples) and bulk-load ``store/`` in ``target``; the number
    of triples and the seconds the bulk load and the compaction took."""
    import pyoxigraph as ox

    graph_path = target / GRAPH_FILE
    if isinstance(source, Path):
        shutil.copyfile(source, graph_path)
        count = triples
    else:
        body = source.serialize(format="nt", encoding="utf-8")
        lines = sorted(line for line in body.split(b"\n") if line.strip())
        del body
        with open(graph_path, "wb") as handle:
            handle.write(b"\n".join(lines) + b"\n")
        count = len(source)
        del lines
    started = time.perf_counter()
    store = ox.Store(str(target / STORE_DIR))
    # lenient: the cache is N-Triples written by rdflib from the validated build
    store.bulk_load(path=str(graph_path), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    loaded = time.perf_counter()
    if count is None:
        count = len(store)
    store.optimize()    # compacts the freshly written files: fewer to open, faster reads
    del store           # closes the database before the directory is renamed
    (target / IN_USE_FILE).touch()
    os.chmod(target, 0o777 & ~_umask())   # mkdtemp makes 0700; give the usual permissions
    seconds = {"bulk_load": round(loaded - started, 3),
               "compact": round(time.perf_counter() - loaded, 3)}
    return count, seconds


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _remove_unused(directory: Path, *, keep: str | None) -> None:
    """Only called under the build lock. With ``keep`` None, remove the leftovers of interrupted
    builds; else remove the graph directories other than ``keep`` that no query holds, and the
    file of the previous cache format."""
    for entry in list(os.scandir(directory)):
        name = entry.name
        if keep is None:
            if name.startswith(TEMP_PREFIX) and entry.is_dir():
                shutil.rmtree(entry.path, ignore_errors=True)
            continue
        if name.startswith(GENERATION_PREFIX) and name != keep and entry.is_dir():
            try:
                hold = _flock(Path(entry.path) / IN_USE_FILE, shared=False, wait=False)
            except OSError:
                continue
            if hold is None:      # a query is reading it: a later rebuild removes it
                continue
            try:
                shutil.rmtree(entry.path, ignore_errors=True)
            finally:
                hold.close()
    legacy = directory / GRAPH_FILE          # format 1 kept the N-Triples at the top
    if keep is not None and legacy.is_file():
        legacy.unlink(missing_ok=True)
