"""Curated data files -> records.

``data/`` holds YAML files. Files under ``data/vocabulary/`` hold the external terms and the
as-written mappings (see ``vocabulary.py``); every other ``*.yaml`` file holds one record (a
mapping) or several (a list of mappings). A record has a ``type`` (an ontology class) and an
``id``; its other keys are ontology properties.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import UnreadableInput

try:  # the C loader is several times faster on large data sets
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

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
    shown = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnreadableInput("file not found", file=shown) from None
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=shown,
                              hint="save the file as UTF-8") from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise UnreadableInput(f"not valid YAML: {where}{exc.problem}", file=shown,
                              hint="fix the YAML syntax at that position (livergraph lint "
                                   "rewrites valid files in canonical form)") from None
    except yaml.YAMLError as exc:
        raise UnreadableInput(f"not valid YAML: {exc}", file=shown) from None


def shown_path(path: Path, data_dir: Path) -> str:
    """A stable, machine-independent name for a data file: ``data/trials/NCT01220492.yaml``."""
    return (Path(data_dir.name) / path.relative_to(data_dir)).as_posix()


def require_data_dir(data_dir: Path) -> None:
    """Refuse a missing data directory before any work is done (exit 2)."""
    if not Path(data_dir).is_dir():
        raise UnreadableInput("data directory not found", file=str(data_dir),
                              hint="run from the repository root or pass --data DIR")


def record_files(data_dir: Path) -> list[Path]:
    require_data_dir(data_dir)
    vocab = data_dir / VOCABULARY_DIR
    return sorted(p for p in data_dir.rglob("*.yaml")
                  if vocab not in p.parents and not any(part.startswith(".") for part in p.parts))


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
def paused_gc():
    """Pause Python's cyclic garbage collector while building large acyclic structures
    (parsed records, graphs): it would otherwise re-scan them over and over. Reference
    counting still frees memory as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_records(data_dir: Path) -> list[Record]:
    records: list[Record] = []
    with paused_gc():
        for path in record_files(data_dir):
            records.extend(records_in(path, shown_path(path, data_dir)))
    return records
