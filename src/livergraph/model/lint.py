"""Canonical form of the curated data: the same content is always written the same way, so
diffs show only real changes. ``livergraph lint`` rewrites files; ``--check`` only reports."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable

import yaml

from livergraph.model.load import read_yaml, shown_path
from livergraph.io.atomic import write_atomic

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment,unused-ignore]

#: Keys written first, in this order; all other keys follow alphabetically.
LEADING_KEYS = ("type", "id", "curie", "property", "text", "value")


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
                     default_flow_style=False, indent=2, width=100))


@dataclass
class LintResult:
    checked: list[str]
    changed: list[str]


def lint(data_dir: Path, *, check: bool = False) -> LintResult:
    """Rewrite every YAML file under ``data_dir`` in canonical form (or, with ``check``, only
    list the files that are not)."""
    checked, changed = [], []
    for path in sorted(data_dir.rglob("*.yaml")):
        shown = shown_path(path, data_dir)
        content = read_yaml(path, shown)
        text = dump(content) if content is not None else ""
        checked.append(shown)
        if path.read_text(encoding="utf-8") != text:
            changed.append(shown)
            if not check:
                write_atomic(path, _writer(text))
    return LintResult(checked, changed)
