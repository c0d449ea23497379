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
writes it (tests/test_lint.py checks this on generated content).
"""
from __future__ import annotations

import datetime as _dt
import io
from collections import OrderedDict
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


# ---------------------------------------------------------------------------------------------
# The comment-keeping round trip (ruamel.yaml)
# ---------------------------------------------------------------------------------------------

def _round_trip() -> Any:
    """A ruamel.yaml round-trip reader and writer whose output matches ``dump``'s."""
    from ruamel.yaml import YAML
    from ruamel.yaml.emitter import Emitter

    class PyYAMLStyle(Emitter):   # type: ignore[misc]
        """ruamel's emitter with PyYAML's choice of scalar style and its line folding (ruamel
        folds before a word that would pass the width, PyYAML after the width is reached)."""

        analyze_scalar = yaml.emitter.Emitter.analyze_scalar
        choose_scalar_style = yaml.emitter.Emitter.choose_scalar_style
        write_plain = yaml.emitter.Emitter.write_plain
        write_single_quoted = yaml.emitter.Emitter.write_single_quoted
        write_double_quoted = yaml.emitter.Emitter.write_double_quoted

    rt = YAML(typ="rt")
    rt.Emitter = PyYAMLStyle
    rt.indent(mapping=2, sequence=2, offset=0)
    rt.width = WIDTH
    rt.allow_unicode = True
    rt.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return rt


def _plain_scalar(value: Any) -> Any:
    """A scalar as the plain Python value it stands for: ruamel keeps how it was written (hex
    integers, ``1.50``, block text, quotes), which the canonical form does not."""
    from ruamel.yaml.scalarbool import ScalarBoolean
    if isinstance(value, ScalarBoolean):
        return bool(value)
    if isinstance(value, bool) or value is None:
        return value
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    if isinstance(value, _dt.datetime):
        return _dt.datetime(value.year, value.month, value.day, value.hour, value.minute,
                            value.second, value.microsecond, value.tzinfo)
    return value


def _canonical_in_place(value: Any) -> Any:
    """Put a round-tripped document in canonical order without losing its comments: mapping
    keys are moved (their comments move with them), flow style (``{en: x}``) becomes block
    style, scalars are made plain (set past ruamel's ``__setitem__``, which would keep a
    replaced text's quoting)."""
    if isinstance(value, dict):
        for key in sorted(value, key=lambda k: _key_order(str(k))):
            OrderedDict.__setitem__(value, key, _canonical_in_place(value[key]))
            value.move_to_end(key)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            list.__setitem__(value, n, _canonical_in_place(item))
    else:
        return _plain_scalar(value)
    if hasattr(value, "fa"):
        value.fa.set_block_style()
    return value


def canonical_text(text: str, content: Any) -> str:
    """The canonical form of a file whose ``text`` holds ``content`` (as the strict loader
    read it): ``dump(content)``, or, when the file may hold comments, the round trip that
    keeps them."""
    if "#" not in text:
        return dump(content) if content is not None else ""
    return round_trip(text)


def round_trip(text: str) -> str:
    """The canonical form of a YAML text (already accepted by the strict loader) with its
    comments kept: a comment stays after the key or item it follows."""
    rt = _round_trip()
    document = rt.load(text)
    if document is None:   # comments only: they are kept, nothing else is
        return "".join(line.rstrip() + "\n" for line in text.splitlines()
                       if line.lstrip().startswith("#"))
    buf = io.StringIO()
    rt.dump(_canonical_in_place(document), buf)
    return buf.getvalue()


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
        canonical_form = canonical_text(text, content)
        checked.append(shown)
        if text != canonical_form:
            changed.append(shown)
            rewrites.append((path, canonical_form))
    if not check:
        for path, canonical_form in rewrites:
            write_atomic(path, _writer(canonical_form))
    return LintResult(checked, changed)
