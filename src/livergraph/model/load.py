"""Curated data files -> records.

``data/`` holds YAML files. Files under ``data/vocabulary/`` hold the external terms and the
as-written mappings (see ``vocabulary.py``); every other ``*.yaml`` file holds one record (a
mapping) or several (a list of mappings). A record has a ``type`` (an ontology class) and an
``id``; its other keys are ontology properties.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livergraph.errors import DataError, UnreadableInput
from livergraph.model.yamlio import load_text

VOCABULARY_DIR = "vocabulary"

@dataclass
class Record:
    file: str            # path shown to users, relative to the data directory's parent
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data.get("id", "?"))

    @property
    def type(self) -> str:
        return str(self.data.get("type", "?"))


def read_yaml(path: Path, shown: str | None = None) -> Any:
    """The content of one YAML data file, read by the one strict loader
    (``livergraph.model.yamlio``); every failure is an ``UnreadableInput`` naming the file."""
    shown = shown or str(path)
    return load_text(read_text(path, shown), shown)


def read_text(path: Path, shown: str) -> str:
    """A data file's text (UTF-8), or an ``UnreadableInput`` saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if path.is_symlink():
            raise UnreadableInput("a symbolic link to a file that does not exist", file=shown,
                                  hint="remove the link or restore its target") from None
        raise UnreadableInput("file not found", file=shown) from None
    except IsADirectoryError:
        raise UnreadableInput("is a directory, not a YAML file", file=shown,
                              hint="rename the directory: names ending in .yaml are data "
                                   "files") from None
    except PermissionError:
        raise UnreadableInput("permission denied: the file cannot be read", file=shown,
                              hint="give yourself read permission (chmod u+r)") from None
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=shown,
                              hint="save the file as UTF-8") from None
    except OSError as exc:
        import errno
        if exc.errno == errno.ELOOP:
            raise UnreadableInput("a loop of symbolic links", file=shown,
                                  hint="point the link at a real file") from None
        raise UnreadableInput(f"cannot be read: {exc.strerror or exc}", file=shown) from None


def shown_path(path: Path, data_dir: Path) -> str:
    """A stable, machine-independent name for a data file: ``data/trials/NCT01220492.yaml``."""
    return (Path(data_dir.name) / path.relative_to(data_dir)).as_posix()


def require_data_dir(data_dir: Path) -> None:
    """Refuse a missing data directory before any work is done (exit 2)."""
    if not Path(data_dir).is_dir():
        raise UnreadableInput("data directory not found", file=str(data_dir),
                              hint="run from the repository root or pass --data DIR")


def yaml_files(data_dir: Path) -> list[Path]:
    """Every ``*.yaml`` file under ``data_dir``, sorted: the one listing of the data files
    (build, validate and lint read the same files). Directories reached through a symbolic link
    are read like any other (Python's ``rglob`` would skip them silently); a link that leads
    back into a directory already being read is refused (``UnreadableInput``), not followed
    forever. Names starting with ``.`` *inside* ``data_dir`` are skipped (``.git``, editor
    backups);
    where ``data_dir`` itself is (``~/.cache/x``, ``a/../data``) does not matter."""
    require_data_dir(data_dir)
    found: list[Path] = []
    top = Path(data_dir)
    stack: list[tuple[Path, tuple[tuple[int, int], ...]]] = []
    st = top.stat()
    stack.append((top, ((st.st_dev, st.st_ino),)))
    while stack:
        directory, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            raise UnreadableInput(f"directory cannot be read: {exc.strerror or exc}",
                                  file=shown_path(directory, top) if directory != top
                                  else str(top)) from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:   # a loop of links to links: reported when read
                is_dir = False
            if is_dir:
                if path.name.endswith(".yaml"):
                    found.append(path)   # reported as a directory when read
                    continue
                key = (path.stat().st_dev, path.stat().st_ino)
                if key in ancestors:
                    raise UnreadableInput("a symbolic link leads back into a directory that "
                                          "holds it (a loop)", file=shown_path(path, top),
                                          hint="remove the link, or point it elsewhere")
                stack.append((path, ancestors + (key,)))
            elif entry.name.endswith(".yaml"):
                found.append(path)
    return sorted(found)


def record_files(data_dir: Path) -> list[Path]:
    """The record files under ``data_dir``: ``yaml_files`` outside ``vocabulary/``."""
    return [p for p in yaml_files(data_dir)
            if p.relative_to(data_dir).parts[0] != VOCABULARY_DIR]


def require_records(records: list[Record], data_dir: Path) -> None:
    """Refuse a data directory that holds no record: validating or building nothing would
    otherwise "conform" (exit 1)."""
    if not records:
        raise DataError("no records: the data directory holds no record file (*.yaml outside "
                        "vocabulary/ and hidden directories)", file=str(data_dir),
                        hint="check the --data path; the curated data is ROOT/data")


def records_in(path: Path, shown: str) -> list[Record]:
    content = read_yaml(path, shown)
    if content is None:
        return []
    items = content if isinstance(content, list) else [content]
    records = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise UnreadableInput(f"entry {n + 1} is a {type(item).__name__}, not a record",
                                  file=shown,
                                  hint="each record is a mapping with 'type' and 'id' keys")
        records.append(Record(shown, item))
    return records


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building large acyclic structures
    (parsed records, graphs): it would otherwise re-scan them over and over. Reference
    counting still frees memory as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _promote_survivors()
            gc.enable()


def _promote_survivors() -> None:
    """Move every object the collector tracks to its oldest generation, without scanning them.

    Objects made while the collector was paused are all "young"; left there, the first
    collections after it resumes would walk every one of them (the whole graph) twice, through
    the young and middle generations, only to find them alive. ``freeze`` + ``unfreeze`` moves
    them to the oldest generation at once; they are still collected when unreachable, by the
    next full collection. Nothing is done if something else keeps objects frozen."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


#: from this many record files on, they are parsed by several processes (``_read_parallel``)
PARALLEL_FILES = 2000
_CHUNK = 250


def load_records(data_dir: Path) -> list[Record]:
    """Every record under ``data_dir``, in file order; a directory without any is refused."""
    files = record_files(data_dir)
    with paused_gc():
        workers = _workers()
        if len(files) >= PARALLEL_FILES and workers > 1:
            return _read_parallel(files, data_dir, workers)   # thousands: never empty
        records: list[Record] = []
        for path in files:
            records.extend(records_in(path, shown_path(path, data_dir)))
    require_records(records, data_dir)
    return records


def _workers() -> int:
    """How many processes to parse with: the cores that are free (the pickled records cost
    the parent a fifth of the parsing, so on a machine whose cores are busy one process is
    faster)."""
    import multiprocessing
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load average
        busy = 0.0
    return max(1, min(cores, 4, int(cores - busy + 0.5)))


def _read_chunk(job: tuple[Path, list[Path]]) -> list[list[Record] | None]:
    """The records of each file (in a worker process); None for a file that cannot be read,
    which the parent reads again to report it exactly as a serial read would."""
    data_dir, paths = job
    out: list[list[Record] | None] = []
    for path in paths:
        try:
            out.append(records_in(path, shown_path(path, data_dir)))
        except UnreadableInput:
            out.append(None)
    return out


def _read_parallel(files: list[Path], data_dir: Path, workers: int) -> list[Record]:
    """The records of ``files``, in their order, parsed by ``workers`` forked processes (YAML
    parsing is CPU-bound Python; the records come back pickled, which costs a fraction of the
    parsing)."""
    import multiprocessing
    jobs = [(data_dir, files[i:i + _CHUNK]) for i in range(0, len(files), _CHUNK)]
    records: list[Record] = []
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for (_, paths), results in zip(jobs, pool.imap(_read_chunk, jobs)):
            for path, found in zip(paths, results):
                if found is None:
                    found = records_in(path, shown_path(path, data_dir))   # raises the error
                records.extend(found)
    return records
