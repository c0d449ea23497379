"""The published build: the one artifact every reading command opens.

``livergraph build`` (and a reader that finds its build missing or stale) publishes the graph
once into a build directory (default ``build/`` under the project root; ``--build-dir`` or
``$LIVERGRAPH_BUILD_DIR``)::

    build/
      current -> gen-<id>        the published generation (a symlink, swapped atomically)
      gen-<id>/
        livergraph.ttl           the asserted + inferred graph, canonical Turtle
        livergraph.nq            the same statements as N-Quads: the dataset description in
                                 the default graph; the ontology, each source (the article,
                                 each registry import) and what was inferred about each in
                                 named graphs (livergraph.export.parts)
        store/                   an on-disk Oxigraph store loaded from livergraph.nq
        validation.ttl           the SHACL validation report (when validated)
        validation.json          the same report as JSON (conforms, counts, results)
        graph.pickle             the graph as an rdflib Graph, and parts.pickle its named
                                 graphs (export.formats.Parts): loading them is ~6x faster than
                                 parsing the Turtle. Only read when the installed rdflib is the
                                 version that wrote them, and only when they belong to the user
                                 and no one else can write them (else the Turtle / N-Quads are
                                 parsed: a pickle can run code)
        manifest.json            sha256 of every input file, versions, triple counts per named
                                 graph, the build's options and stage timings
      .build.lock

A generation is written in a hidden temporary directory, renamed into place when complete, and
only then made current by replacing the ``current`` symlink: a half-written build is never
read. Builds are serialised by ``.build.lock`` (a process that waited finds the build fresh and
uses it). A reader holds a shared lock on its generation's ``.in-use`` file; a later build
removes an old generation only once no reader holds it, so readers keep working on the old one.

Whether a build is current is decided by content: ``livergraph.publish.inputs`` hashes every
input file and compares with the manifest. This module imports neither rdflib nor the builder
unless it has to build.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from livergraph.errors import EXIT_STALE, LivergraphError, UnreadableInput
from livergraph.publish.inputs import Inputs, changes, describe_changes

#: bump when the layout changes: an older build is then rebuilt
from livergraph.publish.layout import (  # noqa: F401  (the names readers use, re-exported)
    ARTIFACT_FORMAT,
    BUILD_DIR_ENV,
    BUILD_LOCK,
    CURRENT,
    DISTRIBUTIONS,
    GENERATION_PREFIX,
    GRAPH_PICKLE,
    IN_USE,
    MANIFEST,
    NQUADS,
    PARTS_PICKLE,
    REPORT_JSON,
    REPORT_TTL,
    STORE,
    TEMP_PREFIX,
    TURTLE,
)
from livergraph.publish.generation import versions as _versions
from livergraph.publish.generation import write_generation as _write_generation
from livergraph.publish.generation import write_json as _write_json


class StaleBuild(LivergraphError):
    """The build is missing or older than its inputs, and rebuilding was not allowed (exit 3)."""

    exit_code = EXIT_STALE


@dataclass
class Published:
    """One published generation, held open (a rebuild will not remove it) until ``release``."""

    directory: Path
    manifest: dict[str, Any]
    rebuilt: bool = False
    hold: IO[bytes] | None = field(default=None, repr=False, compare=False)

    @property
    def store_path(self) -> Path:
        return self.directory / STORE

    @property
    def path(self) -> Path:
        """The Oxigraph store directory (what ``query.engine.run_local`` opens)."""
        return self.store_path

    @property
    def turtle(self) -> Path:
        return self.directory / TURTLE

    @property
    def nquads(self) -> Path:
        return self.directory / NQUADS

    @property
    def report_json(self) -> Path:
        return self.directory / REPORT_JSON

    @property
    def prefixes(self) -> dict[str, str]:
        return dict(self.manifest["prefixes"])

    @property
    def triples(self) -> int:
        return int(self.manifest["triples"]["total"])

    def release(self) -> None:
        """Let a later build remove this generation."""
        if self.hold is not None:
            self.hold.close()
            self.hold = None


def default_build_dir(root: Path, data: Path) -> Path:
    """``$LIVERGRAPH_BUILD_DIR``, else ``ROOT/build`` for the project's own data, and beside any
    other data directory: ``build/`` next to a directory named ``data``, ``build-NAME/`` next to
    one named otherwise (so a data directory's build goes away with it)."""
    env = os.environ.get(BUILD_DIR_ENV)
    if env:
        return Path(env)
    data = Path(data)
    if data.resolve() == (Path(root) / "data").resolve():
        return Path(root) / "build"
    return data.parent / ("build" if data.name == "data" else f"build-{data.name}")


# -- locks ----------------------------------------------------------------------------------------

def _flock(path: Path, shared: bool, *, wait: bool = True) -> IO[bytes] | None:
    """An open file holding a lock on ``path`` (created for an exclusive lock), or None when
    ``wait`` is false and another process holds a conflicting lock. No lock without fcntl."""
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


# -- reading ------------------------------------------------------------------------------------

def current(build_dir: Path) -> Published | None:
    """The current generation of ``build_dir``, held by a shared lock; None when there is none
    (or it is incomplete, or of an older layout)."""
    build_dir = Path(build_dir)
    try:
        name = os.readlink(build_dir / CURRENT)
    except OSError:
        return None
    if not name.startswith(GENERATION_PREFIX) or "/" in name:
        return None
    return open_generation(build_dir / name)


def open_generation(directory: Path) -> Published | None:
    """A generation directory held by a shared lock, or None when it is not a complete one."""
    try:
        hold = _flock(directory / IN_USE, shared=True)
    except OSError:      # removed by a build meanwhile
        return None
    try:
        with open(directory / MANIFEST, encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != ARTIFACT_FORMAT or \
            not (directory / STORE / "CURRENT").is_file():
        if hold is not None:
            hold.close()
        return None
    return Published(directory, manifest, False, hold)


def stale_reasons(published: Published, inputs: Inputs) -> list[str]:
    """How the inputs differ from what ``published`` was built from (empty: it is current).
    Files whose stat signature is the recorded one are not hashed again (see
    ``livergraph.publish.inputs``)."""
    recorded = published.manifest.get("inputs", {})
    current_hashes, _ = inputs.scan(recorded, published.manifest.get("signatures"))
    return changes(recorded, current_hashes)


def ensure(inputs: Inputs, build_dir: Path, *, rebuild: str = "auto",
           on_rebuild: Callable[[str], None] | None = None,
           on_warning: Callable[[str], None] | None = None) -> Published:
    """The published build of ``inputs`` in ``build_dir``, (re)built when missing or stale.

    ``rebuild``: ``"auto"`` builds once when an input changed (``on_rebuild(why)`` is told
    first), ``"never"`` raises StaleBuild (exit 3) naming the changed input instead, ``"always"``
    rebuilds. A rebuild keeps the options (validate, reason) the previous build was made with."""
    if rebuild not in ("auto", "never", "always"):
        raise ValueError(f"rebuild must be auto, never or always, not {rebuild!r}")
    found = current(build_dir)
    options = {"validate": True, "reason": True}
    why = "no build yet"
    if found is not None:
        options = {k: bool(found.manifest.get("options", {}).get(k, True)) for k in options}
        if rebuild == "always":
            why = "asked to rebuild"
        else:
            diff = stale_reasons(found, inputs)
            if not diff:
                return found
            why = describe_changes(diff)
        found.release()
    if rebuild == "never":
        raise StaleBuild(f"the build is out of date: {why}", file=str(build_dir),
                         hint="run `livergraph build`, or leave out --no-rebuild")
    return publish(inputs, build_dir, validate=options["validate"], reason=options["reason"],
                   missing_reasoner_ok=True, on_rebuild=on_rebuild, why=why,
                   on_warning=on_warning, only_if_stale=rebuild == "auto")[0]


# -- publishing ---------------------------------------------------------------------------------

def publish(inputs: Inputs, build_dir: Path, *, validate: bool = True, reason: bool = True,
            missing_reasoner_ok: bool = False, on_rebuild: Callable[[str], None] | None = None,
            why: str = "", on_warning: Callable[[str], None] | None = None,
            only_if_stale: bool = False) -> tuple[Published, Any]:
    """Build the graph (``pipeline.build_checked``) and publish it into ``build_dir``; the new
    generation (held open) and the ``Checked`` result (None when ``only_if_stale`` found that
    another process had published it meanwhile). Build errors propagate; nothing is published
    then."""
    build_dir = Path(build_dir)
    try:
        build_dir.mkdir(parents=True, exist_ok=True)
        lock = _flock(build_dir / BUILD_LOCK, shared=False)
    except OSError as exc:
        raise UnreadableInput(f"cannot write the build directory: {exc.strerror or exc}",
                              file=str(build_dir),
                              hint="pass --build-dir DIR with a directory you can write") from None
    assert lock is not None
    try:
        if only_if_stale:   # another process may have built it while this one waited
            found = current(build_dir)
            if found is not None and not stale_reasons(found, inputs):
                return found, None
            if found is not None:
                found.release()
        if on_rebuild is not None:
            on_rebuild(why)
        # before building: a file changed meanwhile shows later
        hashes, signatures = inputs.scan()
        from livergraph.publish.pipeline import build_checked
        started = time.perf_counter()
        checked = build_checked(inputs.ontology, inputs.data,
                                shapes_dir=inputs.shapes if validate else None, reason=reason,
                                missing_reasoner_ok=missing_reasoner_ok, on_warning=on_warning)

        def write(tmp: Path) -> dict[str, Any]:
            manifest = _write_generation(tmp, inputs, checked, hashes, validate=validate,
                                         reason=reason)
            manifest["signatures"] = signatures
            manifest["seconds"]["total"] = round(time.perf_counter() - started, 3)
            return manifest
        return _install(build_dir, write), checked
    finally:
        lock.close()


def _install(build_dir: Path, write: Callable[[Path], dict[str, Any]]) -> Published:
    """Under the build lock: ``write(tmp)`` fills a temporary directory and gives its manifest;
    the directory is renamed into place, made current, and the unused generations removed."""
    tmp: Path | None = None
    try:
        _remove_unused(build_dir, keep=None)
        tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=build_dir))
        manifest = write(tmp)
        _write_json(tmp / MANIFEST, manifest)
        (tmp / IN_USE).touch()
        os.chmod(tmp, 0o777 & ~_umask())    # mkdtemp makes 0700
        name = GENERATION_PREFIX + tmp.name[len(TEMP_PREFIX):]
        os.replace(tmp, build_dir / name)
        tmp = None
        hold = _flock(build_dir / name / IN_USE, shared=True)
        link = build_dir / f".{CURRENT}-{os.getpid()}"
        link.unlink(missing_ok=True)
        os.symlink(name, link)
        os.replace(link, build_dir / CURRENT)     # the new generation counts from here
        _remove_unused(build_dir, keep=name)
    except OSError as exc:
        raise UnreadableInput(f"cannot write the build: {exc.strerror or exc}",
                              file=str(build_dir),
                              hint="pass --build-dir DIR with a directory you can write "
                                   "(and room on its disk)") from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return Published(build_dir / name, manifest, True, hold)


def install_ntriples(inputs: Inputs, build_dir: Path, ntriples: Path) -> Published:
    """Publish a graph built elsewhere, given as N-Triples, as the build of ``inputs`` (for
    benchmarks on graphs too large to build each time): the store is bulk-loaded from it (all
    in the default graph), the manifest records the inputs' hashes and ``"installed": true``;
    no Turtle, no validation report."""
    import pyoxigraph as ox

    from livergraph.namespaces import PREFIXES
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    lock = _flock(build_dir / BUILD_LOCK, shared=False)
    assert lock is not None
    try:
        hashes, signatures = inputs.scan()

        def write(tmp: Path) -> dict[str, Any]:
            start = time.perf_counter()
            store = ox.Store(str(tmp / STORE))
            store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES, lenient=True)
            loaded = time.perf_counter()
            total = len(store)
            store.optimize()
            del store
            return {"format": ARTIFACT_FORMAT, "installed": str(Path(ntriples).resolve()),
                    "root": str(inputs.root.resolve()), "data": str(inputs.data.resolve()),
                    "options": {"validate": False, "reason": False, "reasoned": False},
                    "inputs": hashes, "signatures": signatures, "versions": _versions(),
                    "triples": {"total": total},
                    "prefixes": dict(PREFIXES), "version": "installed",
                    "seconds": {"bulk_load": round(loaded - start, 3),
                                "compact": round(time.perf_counter() - loaded, 3)}}
        return _install(build_dir, write)
    finally:
        lock.close()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_unused(build_dir: Path, *, keep: str | None) -> None:
    """Under the build lock. With ``keep`` None remove leftovers of interrupted builds; else
    remove the generations other than ``keep`` that no reader holds."""
    for entry in list(os.scandir(build_dir)):
        name = entry.name
        if keep is None:
            if name.startswith(TEMP_PREFIX) and entry.is_dir():
                shutil.rmtree(entry.path, ignore_errors=True)
            continue
        if name.startswith(GENERATION_PREFIX) and name != keep and entry.is_dir():
            try:
                hold = _flock(Path(entry.path) / IN_USE, shared=False, wait=False)
            except OSError:
                continue
            if hold is None:      # a reader holds it: a later build removes it
                continue
            try:
                shutil.rmtree(entry.path, ignore_errors=True)
            finally:
                hold.close()
