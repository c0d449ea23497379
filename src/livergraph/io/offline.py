"""No parser reaches the network: checks run on an RDF file before rdflib reads it.

rdflib's JSON-LD parser downloads a remote ``@context`` (and a context's ``@import``) while
parsing; a DOCTYPE in RDF/XML can name external entities. livergraph never fetches either:
``refuse_remote_references`` reads the file first and refuses, with a message naming the file,
the reference and how to inline it. ``owl:imports`` needs no check: neither rdflib's parsers nor
pySHACL (``do_owl_imports`` off) follow it.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from livergraph.errors import UnreadableInput

#: JSON-LD keys whose string values name a document the JSON-LD processor would load
_LOADS = ("@context", "@import")


def refuse_remote_references(path: Path, fmt: str) -> None:
    """Raise UnreadableInput when the RDF file at ``path`` (in rdflib format ``fmt``) refers to
    a remote document its parser would fetch; other formats are left alone."""
    if fmt == "json-ld":
        remote_contexts(path)
    elif fmt == "xml":
        external_entities(path)


def remote_contexts(path: Path) -> None:
    """Refuse a JSON-LD file with a remote ``@context`` or ``@import`` (local paths, relative to
    the file, are allowed: they are read from disk)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"cannot read the JSON-LD file: {exc}", file=str(path)) from None
    try:
        document = json.loads(text)
    except RecursionError:
        raise UnreadableInput("the JSON is nested too deeply to read",
                              file=str(path), hint="flatten the document") from None
    except ValueError as exc:
        raise UnreadableInput(f"not valid JSON: {exc}", file=str(path)) from None
    todo = [document]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key in _LOADS:
                for ref in value if isinstance(value, list) else [value]:
                    if isinstance(ref, str) and _remote(ref):
                        raise UnreadableInput(
                            f"the JSON-LD {key} {ref!r} is remote, and remote contexts are not "
                            "fetched (livergraph reads no network while parsing)", file=str(path),
                            hint="inline it: download the context yourself and put its "
                                 f"object in place of the URL (\"{key}\": {{...}}), or save "
                                 "it beside the file and name it by a relative path")
            todo.append(value)


def _remote(ref: str) -> bool:
    scheme = urlsplit(ref).scheme.lower()
    return scheme not in ("", "file") and len(scheme) > 1   # "C:\..." is a local path


def external_entities(path: Path) -> None:
    """Refuse RDF/XML declaring entities (external ones would be fetched, internal ones can
    expand without bound), read with defusedxml."""
    import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped]
    from defusedxml import DefusedXmlException
    from xml.etree.ElementTree import ParseError
    try:
        SafeET.parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnreadableInput(f"the XML declares entities ({type(exc).__name__}), which are "
                              "not expanded or fetched", file=str(path),
                              hint="remove the <!DOCTYPE ...> declaration and write the values "
                                   "in place") from None
    except ParseError as exc:
        raise UnreadableInput(f"not valid XML: {exc}", file=str(path)) from None
    except OSError as exc:
        raise UnreadableInput(f"cannot read the file: {exc}", file=str(path)) from None
