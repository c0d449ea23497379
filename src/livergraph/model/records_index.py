"""Pass 1 of the build: index every record and nested record (ids, classes, IRIs, supplements),
so pass 2 (``model.statements``) can resolve references in any order."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef

from livergraph.errors import DataError, LivergraphError
from livergraph.model.load import Record
from livergraph.model.sources import ARTICLE
from livergraph.namespaces import (RECORD_SEGMENTS,
                         record_iri)
from livergraph.model.schema import Property, Schema
from livergraph.model.vocabulary import Vocabulary
from livergraph.model.yamlio import printable
from livergraph.model.values import LG, RDF, ID_PATTERN, LiteralValues, \
    RESERVED_KEYS, _holds_records


@dataclass
class _Context:
    record: Record
    top_iri: URIRef
    top_id: str
    locals: dict[str, tuple[URIRef, URIRef]]
    sources: dict[URIRef, list] = field(default_factory=dict)   # node -> its prov sources
    skip: frozenset = frozenset()   # top-level keys not emitted (a supplement's covered keys)



class RecordIndex(LiteralValues):
    """The builder's state and pass 1 (indexing); ``model.statements.Builder`` adds pass 2."""

    def __init__(self, schema: Schema, vocab: Vocabulary):
        self.schema = schema
        self.vocab = vocab
        self.graph = Graph()
        # statements are collected here and put into ``graph`` at once (``fill_graph``): a
        # set costs a fraction of the store's per-statement ``add``
        self.triples: set[tuple] = set()
        self._add = self.triples.add
        # the statements of each registry source (``model.sources``); ``triples`` holds the
        # article's. ``use_source`` directs ``emit`` to one of them
        self.source_triples: dict[str, set[tuple]] = {}
        self.source = ARTICLE
        self.errors: list[LivergraphError] = []
        self.top: dict[URIRef, tuple[URIRef, Record]] = {}        # iri -> (class, record)
        self.by_id: dict[str, list[tuple[URIRef, URIRef]]] = {}   # id -> [(iri, class)]
        self.locals: dict[URIRef, dict[str, tuple[URIRef, URIRef]]] = {}
        # records marked ``supplement: true`` (imported registry facts, see data/README.md)
        self.supplements: dict[URIRef, tuple[URIRef, Record, dict]] = {}
        self.used_terms: set[URIRef] = set()
        self.mapping_issues: dict[str, URIRef] = {}
        self._issue_sources: set[tuple[URIRef, str]] = set()   # (issue, source) stated
        self._declared = schema.property_iris | {RDF.type}
        # caches: the same value of the same property gives the same (immutable) terms, so
        # they are made once and shared, which saves time and memory on large data sets
        self._literal_cache: dict[tuple, list[Literal]] = {}
        self._lang_cache: dict[tuple[str, str], Literal] = {}
        self._concept_cache: dict[tuple, URIRef | None] = {}
        self._subclass: dict[tuple, bool] = {}
        self._classes: dict[str, URIRef | None] = {}
        self._expanded: dict[str, URIRef | None] = {}   # CURIE -> IRI
        self._mapped: dict[URIRef, Property] = {}
        for p in schema.properties.values():
            self._mapped.setdefault(p.iri, p)

    def is_subclass(self, cls: URIRef, ancestor: URIRef | None) -> bool:
        """``schema.is_subclass``, remembered (asked for nearly every value)."""
        key = (cls, ancestor)
        hit = self._subclass.get(key)
        if hit is None:
            hit = self._subclass[key] = self.schema.is_subclass(cls, ancestor)
        return hit

    def is_concept_class(self, cls: URIRef | None) -> bool:
        return cls is not None and self.is_subclass(cls, LG.Term)

    # -- emitting ---------------------------------------------------------------------------
    def use_source(self, source: str) -> None:
        """Send the statements emitted from now on to ``source``'s set."""
        self.source = source
        target = self.triples if source == ARTICLE else \
            self.source_triples.setdefault(source, set())
        self._add = target.add

    def emit(self, s: URIRef, p: URIRef, o) -> None:
        if p not in self._declared:  # pragma: no cover - guarded by key lookup, kept as a net
            raise DataError(f"predicate {p} is not declared in the ontology")
        self._add((s, p, o))

    # -- pass 1: index every record and nested record ------------------------------------------
    def _class_of(self, data: dict, default: URIRef | None, where: str) -> URIRef:
        name = data.get("type")
        if name is None:
            if default is None:
                raise DataError("record has no 'type'", record=where,
                                hint="add type: Trial (or another class of the ontology)")
            return default
        key = str(name)
        cls = self._classes.get(key)
        if cls is None:   # one object per class, shared by every statement naming it
            cls = self._classes[key] = self.schema.class_by_key(key)
        if cls is None:
            raise DataError(f"type {name!r} is not a class of the ontology", record=where,
                            hint="use a class declared in ontology/livergraph.ttl, e.g. Trial, "
                                 "PublishedStudy, Organization")
        if default is not None and not self.is_subclass(cls, default):
            raise DataError(f"type {name!r} is not a kind of {default.split('#')[-1]}",
                            record=where)
        return cls

    def _check_id(self, data: dict, where: str) -> str:
        rid = data.get("id")
        if rid is None:
            raise DataError("record has no 'id'", record=where)
        rid = str(rid)
        if not ID_PATTERN.match(rid):
            raise DataError(f"id {rid!r} may only hold letters, digits, '.', '_' and '-'",
                            record=where, hint="ids become IRIs; rename it, e.g. "
                                               + re.sub(r"[^A-Za-z0-9_.-]+", "-", rid).strip("-."))
        return rid

    def index(self, records: list[Record]) -> None:
        for rec in records:
            try:
                self._index_record(rec)
            except LivergraphError as exc:
                self.errors.append(_locate(exc, rec))
        self._merge_supplements()

    def _index_record(self, rec: Record) -> None:
        where = f"{printable(rec.data.get('type', '?'))} {printable(rec.data.get('id', '?'))}"
        cls = self._class_of(rec.data, None, where)
        rid = self._check_id(rec.data, where)
        segment = self.schema.segment_of(cls)
        if segment is None or segment not in RECORD_SEGMENTS:
            raise DataError(f"{cls.split('#')[-1]} records cannot stand alone", record=where,
                            hint="nest them inside the record they belong to")
        iri = record_iri(segment, rid)
        if rec.data.get("supplement") is not None:
            self._index_supplement(rec, iri, cls, rid, where)
            return
        if iri in self.top:
            other = self.top[iri][1]
            raise DataError(f"id {rid!r} is already used by a {segment} record in {other.file}",
                            record=where, hint="ids must be unique within their type")
        self.top[iri] = (cls, rec)
        self.by_id.setdefault(rid, []).append((iri, cls))
        local: dict[str, tuple[URIRef, URIRef]] = {}
        self.locals[iri] = local
        self._index_nested(rec.data, rid, local, where)

    def _index_supplement(self, rec: Record, iri: URIRef, cls: URIRef, rid: str,
                          where: str) -> None:
        """A supplement adds statements to the record with the same type and id (or stands
        alone when there is none); the other record wins for every property it states."""
        if rec.data["supplement"] is not True:
            raise DataError("'supplement' takes the value true", record=where)
        if iri in self.supplements:
            other = self.supplements[iri][1]
            raise DataError(f"a second supplement for {rid!r} (the first is in {other.file})",
                            record=where, hint="keep one imported record per trial")
        local: dict[str, tuple[URIRef, URIRef]] = {}
        self._index_nested(rec.data, rid, local, where)
        self.supplements[iri] = (cls, rec, local)

    def _merge_supplements(self) -> None:
        for iri, (cls, rec, local) in sorted(self.supplements.items()):
            where = f"{rec.type} {rec.id}"
            if iri not in self.top:
                self.top[iri] = (cls, rec)
                self.by_id.setdefault(rec.id, []).append((iri, cls))
                self.locals[iri] = local
                continue
            other_cls, other = self.top[iri]
            if other_cls != cls:
                self.errors.append(_locate(DataError(
                    f"supplements a {other_cls.split('#')[-1]} but is a {cls.split('#')[-1]}",
                    record=where), rec))
            taken = {t for t, _ in self.locals[iri].values()}
            for lid, (target, _) in local.items():
                if target in taken:
                    self.errors.append(_locate(DataError(
                        f"local id {lid!r} is also used in {other.file}", record=where,
                        hint="the two records' nested ids must differ"), rec))

    def _nests(self, key: str, value: Any) -> bool:
        prop = self.schema.properties.get(key)
        return prop is not None and prop.kind == "object" and _holds_records(value)

    def _covered(self, data: dict) -> frozenset:
        """Keys of a supplement that ``data`` states itself, directly or as written."""
        keys = set(data)
        for key in data:
            prop = self.schema.properties.get(key)
            if prop is not None and prop.mapped_to is not None:
                keys.update(p.key for p in self.schema.properties.values()
                            if p.iri == prop.mapped_to)
        return frozenset(keys - RESERVED_KEYS - {"source"})

    def _index_nested(self, data: dict, top_id: str, local: dict, where: str) -> None:
        for key, value in data.items():
            prop = self.schema.properties.get(key)
            if prop is None or prop.kind != "object":
                continue
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, dict):
                    continue
                inner = f"{where} / {key}"
                cls = self._class_of(item, prop.range, inner)
                lid = self._check_id(item, inner)
                segment = self.schema.segment_of(cls)
                if segment is None:
                    raise DataError(f"{cls.split('#')[-1]} has no IRI segment", record=inner)
                if lid in local:
                    raise DataError(f"local id {lid!r} is used twice in this record",
                                    record=inner, hint="local ids must be unique within a file's record")
                local[lid] = (record_iri(segment, f"{top_id}-{lid}"), cls)
                self._index_nested(item, top_id, local, f"{where} / {lid}")

def _suggest(key: str, schema: Schema) -> str:
    import difflib
    close = difflib.get_close_matches(key, list(schema.properties), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "declare the property in ontology/livergraph.ttl first, or remove the key"


def _locate(exc: LivergraphError, rec: Record) -> LivergraphError:
    exc.file = exc.file or rec.file
    if exc.record is None:
        exc.record = f"{rec.type} {rec.id}"
    return exc


