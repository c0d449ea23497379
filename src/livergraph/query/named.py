"""The library of named queries: ``queries/*.rq``, each with a comment header (a one-line
summary, a description, and ``# param:`` lines naming its parameters)."""
from __future__ import annotations

import re
from dataclasses import dataclass
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


_PARAM = re.compile(r"^#\s*param:\s*(?P<body>.*)$")
_SCOPE = re.compile(r"^#\s*scope:")


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
    if header and not _PARAM.match(header[0]):
        summary = header[0].lstrip("#").strip()
        header = header[1:]
    for line in header:
        m = _PARAM.match(line)
        if _SCOPE.match(line):     # the scope it runs in (livergraph.publish.scopes)
            continue
        if m:
            has_param = True
            body = m.group("body").strip()
            if body.lower() != "none":
                params.append(_split_param(body))
        else:
            description.append(line.lstrip("#").strip())
    return NamedQuery(Path(path).stem, Path(path), summary, "\n".join(description).strip(),
                      tuple(params), has_param, text)


def _split_param(body: str) -> tuple[str, str]:
    parts = re.split(r"\s+[—–-]\s+", body, maxsplit=1)
    name = parts[0].strip().lstrip("?$")
    return name, (parts[1].strip() if len(parts) > 1 else "")


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
    return found
