"""Canonical form of the curated data: the same content is always written the same way, so
diffs show only real changes. ``livergraph lint`` rewrites files; ``--check`` only reports.

The canonical form is PyYAML's block style (two-space indents, lists flush with their key,
lines folded at 100 columns, text unescaped) with the keys of every mapping in
``LEADING_KEYS`` order, then alphabetical. ``dump`` writes it (the registry importers use it).

``lint`` reads every file through the one strict loader first (``model.yamlio``), so a file it
would have to guess about — a key written twice, an alias bomb, a control character — is
refused, never "fixed". A file holding comments is rewritten by ruamel.yaml's round trip,
which keeps each comment beside the key or item it follows; its emitter is given PyYAML's
scalar style and line folding, so a file without comments comes out byte for byte as ``dump``
writes it (tests/hostile/test_loader_properties.py checks this on generated content).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable

import yaml

from livergraph.io.atomic import write_atomic
from livergraph.model.load import read_text, require_data_dir, shown_path, yaml_files
from livergraph.model.yamlio import load_text

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment,unused-ignore]

#: Keys written first, in this order; all other keys follow alphabetically.
LEADING_KEYS = ("type", "id", "curie", "property", "text", "value")
WIDTH = 100


def _key_order(key: str) -> tuple[int, str]:
    return (LEADING_KEYS.index(key), "") if key in LEADING_KEYS else (len(LEADING_KEYS), key)


def _writer(text: str) -> Callable[[IO[str]], None]:
    def write(handle: IO[str]) -> None:
        handle.write(text)
    return write


def canonical(value: Any) -> Any:
    """``value`` with every mapping's keys in canonical order."""
    if isinstance(value, dict):
        return {k: canonical(value[k]) for k in sorted(value, key=lambda k: _key_order(str(k)))}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    return value


def dump(content: Any) -> str:
    """``content`` as canonical YAML text (leading keys first, then sorted)."""
    return str(yaml.dump(canonical(content), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                         default_flow_style=False, indent=2, width=WIDTH))


def canonical_text(text: str, content: Any, *, shown: str = "the file",
                   round_trip: bool | None = None) -> str:
    """The canonical form of a file whose ``text`` holds ``content`` (as the strict loader
    read it): ``dump(content)``, or, when the file may hold comments (or ``round_trip`` is
    true), ruamel.yaml's round trip that keeps them (``livergraph.model.roundtrip``)."""
    if round_trip is None:
        round_trip = "#" in text
    if not round_trip:
        return dump(content) if content is not None else ""
    from livergraph.model.roundtrip import round_trip as keep_comments
    return keep_comments(text, content, _key_order, width=WIDTH, shown=shown)


@dataclass
class LintResult:
    checked: list[str]
    changed: list[str]


def lint(data_dir: Path, *, check: bool = False) -> LintResult:
    """Rewrite every YAML file under ``data_dir`` in canonical form (or, with ``check``, only
    list the files that are not). Comments are kept; a file the strict loader refuses stops
    the run before anything is written (``UnreadableInput``, exit 2)."""
    require_data_dir(data_dir)
    checked, changed, rewrites = [], [], []
    for path in yaml_files(data_dir):
        shown = shown_path(path, data_dir)
        text = read_text(path, shown)
        content = load_text(text, shown)
        canonical_form = canonical_text(text, content, shown=shown)
        checked.append(shown)
        if text != canonical_form:
            changed.append(shown)
            rewrites.append((path, canonical_form))
    if not check:
        for path, canonical_form in rewrites:
            write_atomic(path, _writer(canonical_form))
    return LintResult(checked, changed)
