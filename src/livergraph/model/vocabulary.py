"""Vocabulary files: the external identifiers curated data may use, and the mappings from text as
written in a source to identifiers. Each mapping lives in one reviewable file.

``data/vocabulary/terms.yaml``: a list of ``{curie, label: {en, zh-Hant}, evidence, type?,
ucumCode?}``. A CURIE that is not listed here cannot be used in data: identifiers are never
invented, and each listed one names the evidence it was checked against.

``data/vocabulary/mappings/<property>.yaml``: ``{property, entries: [{text: {lang: text},
value, issue?}]}``. ``value`` is what the normalised property gets (a notation, a CURIE, or a
list of them; an empty list means "maps to nothing"); ``issue`` flags a data-quality problem
with that wording, attached to every record that uses it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from livergraph.errors import DataError, UnreadableInput
from livergraph.model.load import VOCABULARY_DIR, read_yaml, shown_path
from livergraph.namespaces import expand_curie

TERM_KEYS = {"curie", "label", "evidence", "type", "ucumCode", "note"}
MAPPING_ENTRY_KEYS = {"text", "value", "issue", "note"}


@dataclass
class Term:
    curie: str
    iri: URIRef
    label: dict[str, str]
    evidence: str
    type: str | None = None
    ucum: str | None = None


@dataclass
class MappingEntry:
    text: str
    lang: str
    values: list[Any]
    issue: dict[str, Any] | None
    file: str
    index: int


@dataclass
class Vocabulary:
    terms: dict[URIRef, Term] = field(default_factory=dict)
    mappings: dict[str, dict[tuple[str, str], MappingEntry]] = field(default_factory=dict)
    mapping_files: dict[str, str] = field(default_factory=dict)


def _terms(path: Path, shown: str, vocab: Vocabulary) -> None:
    content = read_yaml(path, shown)
    if not isinstance(content, list):
        raise UnreadableInput("expected a list of terms", file=shown)
    for n, item in enumerate(content):
        rec = f"term {n + 1}"
        if not isinstance(item, dict) or "curie" not in item:
            raise DataError("each term needs a 'curie'", file=shown, record=rec)
        rec = str(item["curie"])
        unknown = set(item) - TERM_KEYS
        if unknown:
            raise DataError(f"unknown key(s) {sorted(unknown)}", file=shown, record=rec,
                            hint=f"a term has only {sorted(TERM_KEYS)}")
        iri = expand_curie(rec)
        if iri is None:
            raise DataError(f"unknown CURIE prefix in {rec!r}", file=shown, record=rec)
        label = item.get("label")
        if not isinstance(label, dict) or "en" not in label:
            raise DataError("a term needs label: {en: ..., zh-Hant: ...}", file=shown, record=rec)
        if not item.get("evidence"):
            raise DataError("a term needs the evidence it was verified against", file=shown,
                            record=rec, hint="copy the evidence column of the reference table")
        if iri in vocab.terms:
            raise DataError("term listed twice", file=shown, record=rec)
        vocab.terms[iri] = Term(rec, iri, {str(k): str(v) for k, v in label.items()},
                                str(item["evidence"]), item.get("type"), item.get("ucumCode"))


def _mappings(path: Path, shown: str, vocab: Vocabulary) -> None:
    content = read_yaml(path, shown)
    if not isinstance(content, dict) or "property" not in content or "entries" not in content:
        raise UnreadableInput("expected a mapping with 'property' and 'entries'", file=shown)
    prop = str(content["property"])
    if prop in vocab.mappings:
        raise DataError(f"a second mapping file for {prop!r} (the first is "
                        f"{vocab.mapping_files[prop]})", file=shown)
    table: dict[tuple[str, str], MappingEntry] = {}
    for n, entry in enumerate(content["entries"] or []):
        rec = f"entry {n + 1}"
        if not isinstance(entry, dict):
            raise DataError("an entry must be a mapping", file=shown, record=rec)
        unknown = set(entry) - MAPPING_ENTRY_KEYS
        if unknown:
            raise DataError(f"unknown key(s) {sorted(unknown)}", file=shown, record=rec,
                            hint=f"an entry has only {sorted(MAPPING_ENTRY_KEYS)}")
        text = entry.get("text")
        if not isinstance(text, dict) or len(text) != 1:
            raise DataError("text must be one {language: text} pair", file=shown, record=rec)
        (lang, words), = text.items()
        if "value" not in entry:
            raise DataError("an entry needs a value (use [] for 'maps to nothing')",
                            file=shown, record=rec)
        values = entry["value"] if isinstance(entry["value"], list) else [entry["value"]]
        key = (str(words), str(lang))
        if key in table:
            raise DataError(f"{words!r}@{lang} is mapped twice", file=shown, record=rec)
        table[key] = MappingEntry(str(words), str(lang), values, entry.get("issue"), shown, n)
    vocab.mappings[prop] = table
    vocab.mapping_files[prop] = shown


def load_vocabulary(data_dir: Path) -> Vocabulary:
    vocab = Vocabulary()
    vdir = data_dir / VOCABULARY_DIR
    terms = vdir / "terms.yaml"
    if terms.exists():
        _terms(terms, shown_path(terms, data_dir), vocab)
    mdir = vdir / "mappings"
    if mdir.is_dir():
        for path in sorted(mdir.glob("*.yaml")):
            _mappings(path, shown_path(path, data_dir), vocab)
    return vocab
