"""The library of named queries: ``queries/*.rq``, each with a comment header (a one-line
summary, a description, and ``# param:`` lines naming its parameters).

A parameter line is ``# param: NAME (TYPE) — meaning``; the type is optional:

* a class, as a CURIE (``lg:PublishedStudy``, ``lg:Trial``, ``lg:Organization``): the value is a
  record of that class in the published graph (``study:fu-2018``, or just ``fu-2018``);
* a SKOS concept scheme (``lgc:scheme-status``): the value is one of its terms;
* ``number``, ``integer``, ``date``, ``text`` (always a string literal) or ``iri``.

A parameter is optional when the query gives it a default in a ``VALUES ?NAME { ... }`` line,
required otherwise. Other ``# key: value`` header lines (``# scope: ...``) are kept in
``NamedQuery.fields`` and do not count as description; checking a value against its type is
``livergraph.query.params``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from livergraph.errors import UnreadableInput

# -- named queries ------------------------------------------------------------------------------

@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    summary: str
    description: str
    params: tuple[tuple[str, str], ...]     # (name, meaning); empty for "# param: none"
    has_param_line: bool
    text: str
    #: the parameters with their types (the same names as ``params``)
    typed: tuple[Param, ...] = ()
    #: other ``# key: value`` header lines (``scope`` ...), read leniently
    fields: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> Param | None:
        """The declared parameter ``name``, or None."""
        return next((p for p in self.typed if p.name == name), None)


#: the value types a parameter can declare besides a class or a concept scheme (CURIEs)
VALUE_TYPES = ("number", "integer", "date", "text", "iri")


@dataclass(frozen=True)
class Param:
    """A declared parameter: its name, meaning, type (a class or scheme CURIE, one of
    :data:`VALUE_TYPES`, or None for any term) and whether the query needs it."""

    name: str
    meaning: str
    type: str | None = None
    required: bool = False

    def describe(self) -> str:
        """``study (lg:PublishedStudy, optional)``: how an error message lists it."""
        bits = [b for b in (self.type, "required" if self.required else "optional") if b]
        return f"{self.name} ({', '.join(bits)})"


_PARAM = re.compile(r"^#\s*param:\s*(?P<body>.*)$")
_FIELD = re.compile(r"^#\s*(?P<key>[a-z][a-z-]*):\s+(?P<value>.*)$")
_TYPE = re.compile(r"^(?P<name>[?$]?[\w-]+)\s*(?:\((?P<type>[^)]*)\))?\s*$")


def parse_named(path: Path) -> NamedQuery:
    """A named query file: first line ``# <summary>``, then ``#`` lines of description and
    ``# param: <name> — <meaning>`` lines (or ``# param: none``)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"cannot read the named query: {exc}", file=str(path)) from exc
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    summary, description, params, has_param = "", [], [], False
    fields: dict[str, str] = {}
    if header and not _PARAM.match(header[0]):
        summary = header[0].lstrip("#").strip()
        header = header[1:]
    for line in header:
        m = _PARAM.match(line)
        f = _FIELD.match(line)
        if m:
            has_param = True
            body = m.group("body").strip()
            if body.lower() != "none":
                params.append(_split_param(body))
        elif f:
            fields[f.group("key")] = f.group("value").strip()
        else:
            description.append(line.lstrip("#").strip())
    typed = tuple(Param(name, meaning, kind, not _has_default(text, name))
                  for name, meaning, kind in params)
    return NamedQuery(Path(path).stem, Path(path), summary, "\n".join(description).strip(),
                      tuple((n, m) for n, m, _ in params), has_param, text, typed, fields)


def _split_param(body: str) -> tuple[str, str, str | None]:
    parts = re.split(r"\s+[—–-]\s+", body, maxsplit=1)
    head = parts[0].strip()
    m = _TYPE.match(head)
    name, kind = (m.group("name"), m.group("type")) if m else (head, None)
    kind = kind.strip() if kind and kind.strip() else None
    return name.lstrip("?$"), (parts[1].strip() if len(parts) > 1 else ""), kind


def _has_default(text: str, name: str) -> bool:
    """Whether the query gives ``?name`` a default value in a ``VALUES ?name { ... }`` line."""
    from livergraph.query.checks import skeleton
    return re.search(rf"(?i)\bVALUES\s+[?$]{re.escape(name)}\s*\{{", skeleton(text)) is not None


def named_queries(directory: Path) -> list[NamedQuery]:
    """Every ``*.rq`` file of the named-query library, by name."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.rq")):
        try:
            found.append(parse_named(path))
        except UnreadableInput as exc:   # listed all the same, with what is wrong
            found.append(NamedQuery(path.stem, path, "", str(exc), (), False, ""))
    return found


def find_named(directory: Path, name: str) -> NamedQuery:
    """The named query ``name`` (with or without ``.rq``); an unknown name lists close ones."""
    name = name[:-3] if name.endswith(".rq") else name
    path = Path(directory) / f"{name}.rq"
    if path.is_file():
        return parse_named(path)
    import difflib
    names = [p.stem for p in sorted(Path(directory).glob("*.rq"))]
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
    close += [n for n in names if name.lower() in n.lower() and n not in close][:5 - len(close)]
    hint = ("did you mean: " + ", ".join(close) + "?" if close else
            "no name is close") + " (`livergraph queries` lists them all)"
    raise UnreadableInput(f"no named query {name!r} in {directory}", hint=hint)


def problems(nq: NamedQuery) -> list[str]:
    """What is wrong with a named query's header (empty when it is well formed)."""
    found = []
    first = nq.text.splitlines()[0] if nq.text else ""
    if not first.startswith("# ") or not nq.summary:
        found.append("the first line must be '# <one-line summary>'")
    if not nq.has_param_line:
        found.append("the header needs '# param: <name> — <meaning>' lines or '# param: none'")
    for name, meaning in nq.params:
        if not name or not meaning:
            found.append(f"param line {name!r} needs '<name> — <meaning>'")
    for p in nq.typed:
        if p.type and p.type not in VALUE_TYPES and not re.fullmatch(r"[A-Za-z][\w-]*:[\w.-]+",
                                                                      p.type):
            found.append(f"param {p.name!r}: type {p.type!r} is not a class or scheme CURIE "
                         f"nor one of {', '.join(VALUE_TYPES)}")
    return found
