"""The comment-keeping round trip ``livergraph lint`` gives a YAML file that holds comments.

ruamel.yaml reads the file's structure and comments; the *values* are the ones the strict
loader read (``livergraph.model.yamlio``, YAML 1.1 as PyYAML resolves it), grafted in by
position (ruamel reads every untagged scalar as text), so ruamel's own typing (YAML 1.2:
``no`` is text, ``0E0`` a number) never changes a value. Keys are put in canonical order (each comment moves with the key or item it follows),
flow style becomes block style, and the writer is made to write what ``lint.dump`` (libyaml)
writes: PyYAML's choice of scalar style and plain/single-quoted folding, libyaml's
double-quoted writer and printable set, PyYAML's implicit types for quoting, floats and nulls.
tests/hostile/test_loader_properties.py checks on generated content that a file without
comments comes out byte for byte as ``dump`` writes it.
"""
from __future__ import annotations

import datetime as _dt
import io
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import yaml

from livergraph.errors import UnreadableInput

_ESCAPES = {"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f",
            "\r": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_",
            "\u2028": "L", "\u2029": "P"}
_PYYAML_RESOLVER = yaml.resolver.Resolver()


def _escape(ch: str) -> str:
    """A character's escape in double-quoted YAML, as libyaml writes it."""
    code = ord(ch)
    return _ESCAPES.get(ch) or (f"x{code:02X}" if code <= 0xFF else
                                f"u{code:04X}" if code <= 0xFFFF else f"U{code:08X}")


def _libyaml_printable(ch: str) -> bool:
    """libyaml's IS_PRINTABLE: line feed, ASCII printables, U+00A0-U+D7FF, U+E000-U+FFFD but
    the byte-order mark (nothing beyond U+FFFF)."""
    return (ch == "\n" or " " <= ch <= "~" or "\xa0" <= ch <= "\ud7ff"
            or ("\ue000" <= ch <= "\ufffd" and ch != "\ufeff"))


def _float_text(value: float) -> str:
    """A float as PyYAML writes it (``1.0e-05``, ``.inf``)."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text


def _yaml(width: int, *, writer: bool) -> Any:
    """A ruamel.yaml round-trip instance: the reader as ruamel makes it, or the writer made
    to write as ``lint.dump`` does."""
    from ruamel.yaml import YAML
    from ruamel.yaml.emitter import Emitter
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.tag import Tag

    rt = YAML(typ="rt")
    if not writer:
        class AllText(VersionedResolver):   # type: ignore[misc,unused-ignore]
            """Every untagged scalar read as text: the values come from the strict loader,
            and ruamel's own typing (YAML 1.2) could disagree with it, or fail."""

            def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
                if kind is ScalarNode and implicit[0]:
                    return self.DEFAULT_SCALAR_TAG
                return super().resolve(kind, value, implicit)

        rt.Resolver = AllText
        return rt

    class PyYAMLTypes(VersionedResolver):   # type: ignore[misc,unused-ignore]
        """Text is quoted where PyYAML would read it as another type (``'no'``, ``'1_000'``)
        and left plain where PyYAML would not (``0E0``)."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode and implicit[0]:
                return Tag(suffix=_PYYAML_RESOLVER.resolve(yaml.nodes.ScalarNode, value,
                                                           implicit))
            return super().resolve(kind, value, implicit)

    class LibyamlStyle(Emitter):   # type: ignore[misc,unused-ignore]
        """ruamel's emitter writing scalars as libyaml does (see the module docstring)."""

        choose_scalar_style = yaml.emitter.Emitter.choose_scalar_style
        write_plain = yaml.emitter.Emitter.write_plain
        write_single_quoted = yaml.emitter.Emitter.write_single_quoted

        def analyze_scalar(self, scalar: str) -> Any:
            """PyYAML's analysis, with libyaml's difference: characters beyond U+FFFF are not
            printable, so text holding one is written double-quoted, escaped."""
            analysis = yaml.emitter.Emitter.analyze_scalar(self, scalar)
            if any(ch > "\uffff" for ch in scalar):
                analysis.allow_flow_plain = analysis.allow_block_plain = False
                analysis.allow_single_quoted = analysis.allow_block = False
            return analysis

        def write_double_quoted(self, text: str, split: bool = True) -> None:
            """libyaml's writer: escape what is not printable, fold only at a single space
            past the width (PyYAML's also folds at escapes, with a trailing backslash)."""
            self.write_indicator('"', True)
            spaces = False
            for n, ch in enumerate(text):
                if ch == " ":
                    if (split and not spaces and self.column > self.best_width
                            and 0 < n < len(text) - 1):
                        self.write_indent()
                        if text[n + 1] == " ":
                            self._put("\\")
                    else:
                        self._put(ch)
                    spaces = True
                    continue
                if not _libyaml_printable(ch) or ch in '"\\\ufeff\r\n\x85\u2028\u2029' \
                        or (not self.allow_unicode and not ch.isascii()):
                    self._put("\\" + _escape(ch))
                else:
                    self._put(ch)
                spaces = False
            self.write_indicator('"', False)

        def _put(self, data: str) -> None:
            self.column += len(data)
            self.stream.write(data.encode(self.encoding) if self.encoding else data)

    rt.Resolver = PyYAMLTypes
    rt.Emitter = LibyamlStyle
    rt.indent(mapping=2, sequence=2, offset=0)
    rt.width = width
    rt.allow_unicode = True
    rep = rt.representer
    rep.add_representer(type(None),
                        lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    rep.add_representer(float, lambda r, d: r.represent_scalar("tag:yaml.org,2002:float",
                                                               _float_text(d)))
    rep.add_representer(_dt.datetime, lambda r, d: r.represent_scalar(
        "tag:yaml.org,2002:timestamp", d.isoformat(" ")))
    return rt


class _Mismatch(Exception):
    """ruamel read a different structure than the strict loader."""


def _rename(node: Any, old: Any, new: str) -> None:
    """Give a key ruamel read as another type (``0E0:``) the text the strict loader read,
    keeping its comment."""
    comment = node.ca.items.pop(old, None)
    value = node[old]
    OrderedDict.__delitem__(node, old)
    OrderedDict.__setitem__(node, new, value)
    if comment is not None:
        node.ca.items[new] = comment


def _graft(node: Any, value: Any, order: Callable[[str], Any]) -> Any:
    """``node`` (ruamel's reading) holding ``value`` (the strict loader's) in canonical
    order, block style, its comments kept; values are set past ruamel's ``__setitem__``,
    which would keep a replaced text's old quoting."""
    if isinstance(value, dict):
        if not isinstance(node, dict) or len(node) != len(value):
            raise _Mismatch
        for old, new in zip(list(node), list(value)):
            if type(old) is not str or old != new:
                _rename(node, old, new)
        for key in sorted(value, key=lambda k: order(str(k))):
            OrderedDict.__setitem__(node, key, _graft(node[key], value[key], order))
            keep: Any = node   # a ruamel CommentedMap
            keep.move_to_end(key)
    elif isinstance(value, list):
        if not isinstance(node, list) or len(node) != len(value):
            raise _Mismatch
        for n, item in enumerate(value):
            list.__setitem__(node, n, _graft(node[n], item, order))
    else:
        return value
    if hasattr(node, "fa"):
        node.fa.set_block_style()
    return node


def round_trip(text: str, content: Any, order: Callable[[str], Any], *,
               width: int = 100, shown: str = "the file") -> str:
    """The canonical form of ``text`` (whose ``content`` the strict loader read) with its
    comments kept; ``order`` sorts keys. A file whose comments cannot be kept is refused
    (``UnreadableInput``), never rewritten without them."""
    from ruamel.yaml.error import YAMLError
    try:
        document = _yaml(width, writer=False).load(text)
        if document is None:   # comments only: they are kept, nothing else is
            return "".join(line.rstrip() + "\n" for line in text.split("\n")
                           if line.lstrip().startswith("#"))
        document = _graft(document, content, order)
        buf = io.StringIO()
        _yaml(width, writer=True).dump(document, buf)
        return buf.getvalue()
    except (YAMLError, ValueError, TypeError, _Mismatch):
        raise UnreadableInput("lint cannot keep this file's comments (ruamel.yaml reads its "
                              "structure differently)", file=shown,
                              hint="move the comments or simplify the YAML, then lint "
                                   "again") from None
