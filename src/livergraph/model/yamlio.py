"""The one strict YAML loader: every data file livergraph reads (``build``, ``validate``,
``lint``, the registry importers reading back what they wrote) goes through ``load_text``.

On top of YAML's safe subset (PyYAML's C loader) it refuses, with the file, the record, the line
and a fix, before anything is built:

- a key written twice in one mapping ("remove one of them"), and keys that YAML reads as
  something other than text (``1:``, ``no:``, ``2024-01-01:``, ``null:``);
- aliases that expand to more than ``MAX_NODES`` nodes (the "billion laughs" shape: each alias
  is counted at each use, without expanding anything, so the check takes time and memory in
  proportion to the file), aliases that refer to themselves, merge keys (``<<``), nesting
  deeper than ``MAX_DEPTH`` and tags other than YAML's plain types (``!!set``, ``!!binary``,
  ``!!python/...``);
- text holding a control character (anything below U+0020 except tab and newline, DEL, the C1
  controls U+0080-U+009F), a lone surrogate or the non-characters U+FFFE/U+FFFF: XML 1.0
  cannot hold them, so a graph holding them could not be exported as GraphML, GEXF or RDF/XML;
- integers outside the 64-bit range SPARQL stores hold (quote identifiers that are long digit
  strings).

A plain scalar that looks like a date but is not one (``2024-02-30``) is read as the text it
is, so the property it fills reports it (``'startDate': '2024-02-30' is not a valid date``).
"""
from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from livergraph.errors import UnreadableInput

try:  # the C loader is several times faster on large data sets
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Base  # type: ignore[assignment,unused-ignore]

#: the most nodes one file may expand to, each alias counted at every use
MAX_NODES = 1_000_000
#: the deepest nesting of mappings and lists one file may hold
MAX_DEPTH = 64
#: the integers a file may hold: xsd:integer as SPARQL stores (Oxigraph) keep it, 64-bit
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
ALLOWED_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "map",
                                            "seq", "timestamp"))
#: characters no text value may hold (tab and newline are allowed)
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: the keys that name a record in messages, in order of preference
_NAME_KEYS = ("id", "curie", "property")


class YamlRefused(Exception):
    """A YAML document the loader refuses; ``read`` turns it into an ``UnreadableInput``."""

    def __init__(self, node: Node | None, message: str, hint: str, record: str | None = None):
        super().__init__(message)
        self.node, self.message, self.hint, self.record = node, message, hint, record

    def where(self) -> str:
        mark = self.node.start_mark if self.node is not None else None
        return f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""


def char_name(ch: str) -> str:
    """``U+0001`` for a character, as messages show it."""
    return f"U+{ord(ch):04X}"


def forbidden_char(text: str) -> str | None:
    """The first character of ``text`` no text value may hold, or None."""
    m = FORBIDDEN_CHARS.search(text)
    return m.group() if m else None


def printable(value: object) -> str:
    """``value`` as a message shows it: as is, or quoted with escapes when it holds a line
    break, a tab or a character ``forbidden_char`` refuses (an id with a trailing newline)."""
    text = str(value)
    return repr(text) if forbidden_char(text) or "\n" in text or "\t" in text else text


def _record_name(node: Node) -> str | None:
    if isinstance(node, MappingNode):
        keys = {k.value: v for k, v in node.value if isinstance(k, ScalarNode)
                and isinstance(v, ScalarNode)}
        for key in _NAME_KEYS:
            if key in keys:
                return printable(keys[key].value)
    return None


def _records(root: Node) -> list[tuple[Node, str | None]]:
    """The document's records (the root mapping, or each mapping of a root list) with their
    names, so that a refusal names the record it is in."""
    if isinstance(root, SequenceNode):
        return [(item, _record_name(item) or f"entry {n + 1}")
                for n, item in enumerate(root.value)]
    return [(root, _record_name(root))]


def check_document(root: Node, text: str | None = None) -> None:
    """Refuse what the module docstring lists. With aliases, each distinct node is walked
    once (an alias is the node it names, so a billion-laughs file is walked in time
    proportional to its size); ``text``, the document's source, lets a file without aliases
    (no ``*``) take a plain walk, and one without escapes or odd characters skip the scan of
    each text value (control characters can only come from escapes: YAML refuses raw ones)."""
    scan = text is None or "\\" in text or FORBIDDEN_CHARS.search(text) is not None
    plain = text is not None and "*" not in text
    sizes: dict[int, int] = {}
    total = 0
    for record, name in _records(root):
        try:
            if plain:
                _walk(record, scan)
            else:
                total += _size(record, sizes)
        except YamlRefused as exc:
            exc.record = exc.record or name
            raise
        if total > MAX_NODES:
            raise YamlRefused(record, f"its aliases expand to more than {MAX_NODES:,} values",
                              "write the values out, or use fewer aliases (*name)", name)
    return None


def _walk(root: Node, scan: bool) -> None:
    """``_check_node`` on every node of a tree without aliases (iteratively, any depth)."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise YamlRefused(node, f"values are nested more than {MAX_DEPTH} levels deep",
                              "flatten the structure")
        kind = type(node)
        if kind is ScalarNode and node.tag == _STR:
            if scan:
                _check_chars(node)
            continue
        _check_node(node)
        if kind is MappingNode:
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif kind is SequenceNode:
            stack.extend((child, depth + 1) for child in node.value)


def _size(root: Node, sizes: dict[int, int]) -> int:
    """How many nodes ``root`` expands to; every node is checked once (iteratively: no
    recursion limit reached, whatever the nesting)."""
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    open_nodes: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > MAX_NODES:
                raise YamlRefused(node, f"its aliases expand to more than {MAX_NODES:,} values",
                                  "write the values out, or use fewer aliases (*name)")
            sizes[key] = total
            open_nodes.discard(key)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise YamlRefused(node, "an alias refers to the value that holds it",
                              "remove the alias (*name) from inside its own anchor (&name)")
        if depth > MAX_DEPTH:
            raise YamlRefused(node, f"values are nested more than {MAX_DEPTH} levels deep",
                              "flatten the structure")
        _check_node(node)
        open_nodes.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))
    return sizes[id(root)]


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _check_node(node: Node) -> None:
    if node.tag not in ALLOWED_TAGS:
        if node.tag == _TAG + "merge":
            raise YamlRefused(node, "merge keys ('<<') are not supported",
                              "write the keys out in each mapping")
        raise YamlRefused(node, f"the tag {node.tag!r} is not supported",
                          "remove the tag: values are text, numbers, true/false, dates, "
                          "lists and mappings")
    if isinstance(node, ScalarNode):
        _check_chars(node)
        if node.tag == _TAG + "int":
            _check_int(node)
    elif isinstance(node, MappingNode):
        _check_keys(node)


def _check_chars(node: ScalarNode) -> None:
    bad = forbidden_char(node.value)
    if bad is not None:
        raise YamlRefused(node, f"the text {_clip(node.value)!r} holds the control "
                                f"character {char_name(bad)}",
                          "remove the character (XML and RDF exports cannot hold it)")


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "…"


def _check_keys(node: MappingNode) -> None:
    seen: dict[str, Node] = {}
    for key_node, _ in node.value:
        if key_node.tag == _TAG + "merge":
            raise YamlRefused(key_node, "merge keys ('<<') are not supported",
                              "write the keys out in each mapping")
        if not isinstance(key_node, ScalarNode) or key_node.tag != _TAG + "str":
            shown = key_node.value if isinstance(key_node, ScalarNode) else "a list or mapping"
            kind = key_node.tag.rsplit(":", 1)[-1]
            raise YamlRefused(key_node, f"the key {shown!r} is read as {kind}, not text",
                              f"quote the key: '{shown}'" if isinstance(key_node, ScalarNode)
                              else "keys are property names or language tags")
        first = seen.get(key_node.value)
        if first is not None:
            raise YamlRefused(key_node, f"duplicate key {key_node.value!r} (first at line "
                                        f"{first.start_mark.line + 1})",
                              "remove one of them")
        seen[key_node.value] = key_node


class _ScalarText:
    """What ``SafeConstructor.construct_yaml_int`` needs of its loader: a scalar's text."""

    @staticmethod
    def construct_scalar(node: ScalarNode) -> str:
        return str(node.value)


_SCALAR_TEXT = _ScalarText()


def _check_int(node: ScalarNode) -> None:
    digits = node.value.replace("_", "").lstrip("+-")
    if len(digits) > 25:   # far beyond 64 bits in any base YAML allows, decided without parsing
        too_big = True
    else:
        try:
            value = yaml.constructor.SafeConstructor.construct_yaml_int(
                _SCALAR_TEXT, node)   # type: ignore[arg-type,unused-ignore]
        except ValueError:
            return
        too_big = not INT_MIN <= value <= INT_MAX
    if too_big:
        raise YamlRefused(node, f"the integer {_clip(node.value)} is too large (64-bit "
                                "integers only)",
                          "quote it if it is an identifier: '...'")


class StrictLoader(_Base):  # type: ignore[misc,valid-type,unused-ignore]
    """PyYAML's safe loader with ``check_document`` run on every document before it is built,
    and impossible dates read as text."""

    #: the text being read (set by ``load_text``): lets ``check_document`` take short cuts
    source_text: str | None = None

    def construct_document(self, node: Node) -> Any:
        check_document(node, self.source_text)
        return super().construct_document(node)

    def construct_yaml_timestamp(self, node: Node) -> Any:   # type: ignore[override,unused-ignore]
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)   # type: ignore[arg-type,unused-ignore]


StrictLoader.add_constructor(_TAG + "timestamp", StrictLoader.construct_yaml_timestamp)


def load_text(text: str, shown: str) -> Any:
    """The content of one YAML file's ``text`` (named ``shown`` in messages), or an
    ``UnreadableInput`` (exit 2) saying where and what is wrong and how to fix it."""
    loader = StrictLoader(text)
    loader.source_text = text
    try:
        return loader.get_single_data()
    except YamlRefused as exc:
        raise UnreadableInput(exc.where() + exc.message, file=shown, record=exc.record,
                              hint=exc.hint) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise UnreadableInput(f"not valid YAML: {where}{exc.problem}", file=shown,
                              hint="fix the YAML syntax at that position (livergraph lint "
                                   "rewrites valid files in canonical form)") from None
    except yaml.YAMLError as exc:
        raise UnreadableInput(f"not valid YAML: {exc}", file=shown) from None
    except RecursionError:
        raise UnreadableInput(f"values are nested more than {MAX_DEPTH} levels deep",
                              file=shown, hint="flatten the structure") from None
    finally:
        loader.dispose()
