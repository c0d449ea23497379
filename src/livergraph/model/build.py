"""Records + ontology -> RDF graph, schema first.

Every key of a record is a property the ontology declares (or one of the few external ones in
``schema.EXTERNAL_PROPERTIES``); its ``rdfs:range`` decides how the value is read:

* a datatype: the value becomes a typed literal (``xsd:decimal``, ``xsd:duration`` ...);
  ``rdf:langString`` values are written ``{en: ..., zh-Hant: ...}``;
* a class of controlled terms: the value is a ``skos:notation`` of one of its concepts
  (``status: RECRUITING``) or a CURIE of a verified external term;
* a record class: the value is a nested record (a mapping with an ``id``), the id of another
  record (``leadSponsor: beijing-302-hospital``), a local id inside the same file
  (``arm: treated``), or a CURIE (``trial:NCT01220492``).

Properties annotated ``lg:mappedTo`` (``statusAsWritten``) are mapped through the vocabulary
mappings to the normalised property (``status``). Errors are collected per record, so one bad
record does not hide the others, and reported with the file and record they come from.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL as _OWL, PROV as _PROV, RDF as _RDF, RDFS as _RDFS, XSD as _XSD

from livergraph.compat import fill_graph
from livergraph.errors import DataError, DataErrors, LivergraphError
from livergraph.model.load import Record, load_records, require_data_dir, paused_gc
from livergraph.namespaces import (CTGOV_STUDY, DOI_BASE, LG as _LG, PUBMED_BASE, RECORD_SEGMENTS,
                         expand_curie, record_iri)
from livergraph.model.schema import Property, Schema, load_ontology_graph, schema_from_graph
from livergraph.model.vocabulary import Vocabulary, load_vocabulary

class _Terms:
    """A namespace whose terms are made once: rdflib's namespaces make a new term on every
    access (``RDF.type``), and a graph holding one object per term is smaller and compares its
    terms by identity."""

    def __init__(self, namespace):
        self._namespace = namespace
        self._made: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        term = self._made.get(name)
        if term is None:
            term = self._made[name] = self._namespace[name]
        return term


LG, OWL, PROV, RDF, RDFS, XSD = (_Terms(ns) for ns in (_LG, _OWL, _PROV, _RDF, _RDFS, _XSD))

ID_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
DURATION_PATTERN = re.compile(
    r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
LANG_PATTERN = re.compile(r"^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$")
DAYS_PER = (Decimal("365.25"), Decimal("30.4375"), Decimal(1), Decimal(1) / 24,
            Decimal(1) / 1440, Decimal(1) / 86400)
_CACHED_TEXT = 40          # strings up to this length have their literals cached
RESERVED_KEYS = {"type", "id", "supplement"}
_UNSEEN = object()


def duration_days(text: str) -> Decimal:
    """Days in an xsd:duration, counting a year as 365.25 days and a month as 30.4375."""
    m = DURATION_PATTERN.match(text)
    if not m:
        raise ValueError(text)
    total = sum((Decimal(g) * f for g, f in zip(m.groups(), DAYS_PER) if g), Decimal(0))
    return total.quantize(Decimal("0.0001")).normalize()


def decimal_lexical(value: Decimal) -> str:
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return text


@dataclass
class _Context:
    record: Record
    top_iri: URIRef
    top_id: str
    locals: dict[str, tuple[URIRef, URIRef]]
    sources: dict[URIRef, list] = field(default_factory=dict)   # node -> its prov sources
    skip: frozenset = frozenset()   # top-level keys not emitted (a supplement's covered keys)


@dataclass
class BuildResult:
    graph: Graph
    records: int
    data_triples: int
    used_terms: set[URIRef] = field(default_factory=set)


class Builder:
    def __init__(self, schema: Schema, vocab: Vocabulary):
        self.schema = schema
        self.vocab = vocab
        self.graph = Graph()
        # statements are collected here and put into ``graph`` at once (``fill_graph``): a
        # set costs a fraction of the store's per-statement ``add``
        self.triples: set[tuple] = set()
        self._add = self.triples.add
        self.errors: list[LivergraphError] = []
        self.top: dict[URIRef, tuple[URIRef, Record]] = {}        # iri -> (class, record)
        self.by_id: dict[str, list[tuple[URIRef, URIRef]]] = {}   # id -> [(iri, class)]
        self.locals: dict[URIRef, dict[str, tuple[URIRef, URIRef]]] = {}
        # records marked ``supplement: true`` (imported registry facts, see data/README.md)
        self.supplements: dict[URIRef, tuple[URIRef, Record, dict]] = {}
        self.used_terms: set[URIRef] = set()
        self.mapping_issues: dict[str, URIRef] = {}
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
        where = f"{rec.data.get('type', '?')} {rec.data.get('id', '?')}"
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

    # -- pass 2: emit --------------------------------------------------------------------------
    def emit_all(self) -> None:
        for iri, (cls, rec) in sorted(self.top.items()):
            ctx = _Context(rec, iri, rec.id, self.locals[iri])
            self._emit_top(iri, cls, rec, ctx)
            extra = self.supplements.get(iri)
            if extra is not None and extra[1] is not rec:
                sctx = _Context(extra[1], iri, rec.id, extra[2], skip=self._covered(rec.data))
                self._emit_top(iri, cls, extra[1], sctx)

    def _emit_top(self, iri: URIRef, cls: URIRef, rec: Record, ctx: _Context) -> None:
        try:
            self._emit_record(iri, cls, rec.data, ctx, parent=None, path=rec.id)
        except DataErrors as many:
            self.errors.extend(_locate(e, rec) for e in many.errors)
        except LivergraphError as exc:
            self.errors.append(_locate(exc, rec))

    def _emit_record(self, iri: URIRef, cls: URIRef, data: dict, ctx: _Context,
                     parent: URIRef | None, path: str) -> None:
        errors: list[LivergraphError] = []
        self.emit(iri, RDF.type, cls)
        if parent is not None or not ctx.skip:   # a merged supplement: the other file names it
            self.emit(iri, LG.curatedIn, Literal(f"{ctx.record.file}#{path}"))
        # nested records last: they inherit statements (the source) from this one
        if parent is not None and "source" not in data:
            ctx.sources[iri] = ctx.sources.get(parent, [])
        skip = ctx.skip if parent is None else frozenset()
        if skip:
            data = {k: v for k, v in data.items() if k not in skip or self._nests(k, v)}
        for key in sorted(data, key=lambda k: _holds_records(data[k])):
            if key in RESERVED_KEYS:
                continue
            prop = self.schema.properties.get(key)
            try:
                if prop is None:
                    raise DataError(f"{key!r} is not a property declared in the ontology",
                                    record=path, hint=_suggest(key, self.schema))
                self._emit_values(iri, prop, data[key], ctx, path)
            except DataErrors as many:
                errors.extend(many.errors)
            except LivergraphError as exc:
                exc.record = exc.record or path
                errors.append(exc)
        try:
            self._derive(iri, cls, data, ctx, parent, path)
        except LivergraphError as exc:
            exc.record = exc.record or path
            errors.append(exc)
        if errors:
            raise DataErrors(errors)

    def _emit_values(self, s: URIRef, prop: Property, value: Any, ctx: _Context, path: str):
        values = value if isinstance(value, list) else [value]
        if prop.functional and len(values) > 1:
            raise DataError(f"{prop.key!r} takes one value, got {len(values)}", record=path)
        for v in values:
            if v is None:
                raise DataError(f"{prop.key!r} is empty", record=path,
                                hint="give a value or remove the key")
            if prop.kind == "object":
                if isinstance(v, dict):
                    lid = str(v.get("id"))
                    child, cls = ctx.locals[lid]
                    self.emit(s, prop.iri, child)
                    self._emit_record(child, cls, v, ctx, parent=s, path=f"{path}/{lid}")
                else:
                    target = self.resolve(v, prop, ctx, path)
                    self.emit(s, prop.iri, target)
                    if prop.iri == PROV.wasDerivedFrom:
                        ctx.sources.setdefault(s, []).append(target)
            else:
                for lit in self.literals(v, prop, path):
                    self.emit(s, prop.iri, lit)

    def _derive(self, iri: URIRef, cls: URIRef, data: dict, ctx: _Context,
                parent: URIRef | None, path: str) -> None:
        """Statements the builder adds from others, each documented in data/README.md."""
        if parent is not None and "source" not in data:
            for src in ctx.sources.get(iri, ()):
                self.emit(iri, PROV.wasDerivedFrom, src)
        if parent is not None and cls == LG.DataQualityIssue and "about" not in data:
            self.emit(iri, LG.about, parent)
        if self.is_subclass(cls, LG.Trial):
            nct = data.get("nctId")
            if nct:
                self.emit(iri, LG.registryRecord, URIRef(CTGOV_STUDY + str(nct)))
                if "label" not in data:
                    self.emit(iri, RDFS.label, Literal(str(nct)))
        if data.get("doi"):
            self.emit(iri, LG.doiLink, URIRef(DOI_BASE + str(data["doi"])))
        if data.get("pmid"):
            self.emit(iri, LG.pubmedLink, URIRef(PUBMED_BASE + str(data["pmid"])))
        if isinstance(data.get("timePoint"), str) and DURATION_PATTERN.match(data["timePoint"]):
            days = duration_days(str(data["timePoint"]))
            self.emit(iri, LG.timePointDays, Literal(decimal_lexical(days), datatype=XSD.decimal))
        for key in data:
            prop = self.schema.properties.get(key)
            if prop is None or prop.mapped_to is None:
                continue
            target = self._mapped[prop.mapped_to]
            if target.key in data:
                continue  # stated explicitly: the as-written text is kept as is
            self._apply_mapping(iri, data[key], target, ctx, path)

    def _apply_mapping(self, iri: URIRef, written: Any, target: Property, ctx: _Context,
                       path: str) -> None:
        table = self.vocab.mappings.get(target.key)
        mapping_file = f"data/vocabulary/mappings/{target.key}.yaml"
        for item in written if isinstance(written, list) else [written]:
            for lang, text in (item or {}).items():
                entry = table.get((str(text), str(lang))) if table else None
                if entry is None:
                    raise DataError(f"no mapping for {text!r}@{lang} to {target.key!r}",
                                    record=path,
                                    hint=f"add an entry for it to {mapping_file}")
                for value in entry.values:
                    self.emit(iri, target.iri, self.resolve(value, target, ctx, path))
                if entry.issue:
                    issue_iri = self._mapping_issue(entry, target)
                    self.emit(issue_iri, LG.about, iri)

    def _mapping_issue(self, entry, target: Property) -> URIRef:
        issue = dict(entry.issue)
        iid = str(issue.get("id", ""))
        if iid in self.mapping_issues:
            return self.mapping_issues[iid]
        rec = Record(entry.file, {"type": "DataQualityIssue", **issue})
        where = f"entry {entry.index + 1}"
        iid = self._check_id(issue, where)
        iri = record_iri("issue", iid)
        if iri in self.top:
            raise DataError(f"issue id {iid!r} is used twice", file=entry.file, record=where)
        self.mapping_issues[iid] = iri
        self.top[iri] = (LG.DataQualityIssue, rec)
        ctx = _Context(rec, iri, iid, {})
        try:
            self._emit_record(iri, LG.DataQualityIssue, rec.data, ctx, None, iid)
        except DataErrors as many:
            raise DataErrors([_locate(e, rec) for e in many.errors]) from None
        self.emit(iri, LG.seedText, Literal(entry.text, lang=entry.lang))
        self.emit(iri, LG.onProperty, target.iri)
        return iri

    # -- values --------------------------------------------------------------------------------
    def resolve(self, value: Any, prop: Property, ctx: _Context, path: str) -> URIRef:
        if not isinstance(value, str):
            raise DataError(f"{prop.key!r}: expected a reference, got {value!r}", record=path)
        rng = prop.range
        iri = None
        if ":" in value:
            iri = self._expanded.get(value, _UNSEEN)
            if iri is _UNSEEN:   # one object per term, shared by every statement naming it
                iri = self._expanded[value] = expand_curie(value)
        if iri is not None:
            return self._check_curie(value, iri, prop, path)
        if self.is_concept_class(rng):
            key = (rng, value)
            if key not in self._concept_cache:
                self._concept_cache[key] = self.schema.concept_for(rng, value)
            concept = self._concept_cache[key]
            if concept is None:
                raise DataError(f"{prop.key!r}: {value!r} is not a {rng.split('#')[-1]}",
                                record=path,
                                hint="use one of " + ", ".join(self.schema.notations_of(rng)))
            return concept
        if value in ctx.locals:
            target, cls = ctx.locals[value]
            self._check_range(cls, prop, value, path)
            return target
        candidates = [(i, c) for i, c in self.by_id.get(value, [])
                      if rng is None or self.is_subclass(c, rng)]
        if len(candidates) == 1:
            return candidates[0][0]
        if len(candidates) > 1:
            raise DataError(f"{prop.key!r}: {value!r} is ambiguous", record=path,
                            hint="write it as a CURIE, e.g. " + ", ".join(
                                _curie_of(i) for i, _ in candidates))
        raise DataError(f"{prop.key!r}: no record with id {value!r}", record=path,
                        hint="check the spelling, or add the record it refers to")

    def _check_curie(self, value: str, iri: URIRef, prop: Property, path: str) -> URIRef:
        prefix = value.split(":", 1)[0]
        rng = prop.range
        if prefix in RECORD_SEGMENTS:
            if iri in self.top:
                self._check_range(self.top[iri][0], prop, value, path)
                return iri
            for local in self.locals.values():
                for target, cls in local.values():
                    if target == iri:
                        self._check_range(cls, prop, value, path)
                        return iri
            raise DataError(f"{prop.key!r}: no record {value}", record=path,
                            hint="check the id, or add the record it refers to")
        if prefix in ("lg", "lgc"):
            g = self.schema.graph
            if (iri, None, None) not in g:
                raise DataError(f"{prop.key!r}: {value} is not declared in the ontology",
                                record=path)
            if self.is_concept_class(rng) and not any(
                    self.is_subclass(c, rng) for c in g.objects(iri, RDF.type)
                    if isinstance(c, URIRef)):
                raise DataError(f"{prop.key!r}: {value} is not a {rng.split('#')[-1]}",
                                record=path)
            return iri
        term = self.vocab.terms.get(iri)
        if term is None:
            raise DataError(f"{prop.key!r}: {value} is not a verified term", record=path,
                            hint="add it to data/vocabulary/terms.yaml with the evidence that "
                                 "it exists, or use a local lgc: term")
        if rng is not None and self.is_concept_class(rng):
            if term.type is None or not self.is_subclass(LG[term.type], rng):
                raise DataError(f"{prop.key!r}: {value} is not a {rng.split('#')[-1]}",
                                record=path,
                                hint=f"give the term 'type: {rng.split('#')[-1]}' in "
                                     "data/vocabulary/terms.yaml if it is one")
        elif rng is not None and rng != OWL.Thing:
            raise DataError(f"{prop.key!r} expects a {rng.split('#')[-1]} record, not {value}",
                            record=path)
        self.used_terms.add(iri)
        return iri

    def _check_range(self, cls: URIRef, prop: Property, value: str, path: str) -> None:
        if prop.range is not None and not self.is_subclass(cls, prop.range):
            raise DataError(f"{prop.key!r} expects a {prop.range.split('#')[-1]}, but {value!r} "
                            f"is a {cls.split('#')[-1]}", record=path)

    def literals(self, v: Any, prop: Property, path: str) -> list[Literal]:
        """The literals for value ``v`` of ``prop``; short scalar values are cached (only
        values that were accepted, so every error is still raised where it occurs)."""
        if isinstance(v, (str, int, float, Decimal, _dt.date)) and (
                not isinstance(v, str) or len(v) <= _CACHED_TEXT):
            key = (prop.key, type(v), v)
            hit = self._literal_cache.get(key)
            if hit is None:
                hit = self._literal_cache[key] = self._literals(v, prop, path)
            return hit
        return self._literals(v, prop, path)

    def _text(self, text: str, lang: str) -> Literal:
        """A language-tagged literal; short ones (labels of codes) are made once."""
        if len(text) > _CACHED_TEXT:
            return Literal(text, lang=lang)
        key = (text, lang)
        lit = self._lang_cache.get(key)
        if lit is None:
            lit = self._lang_cache[key] = Literal(text, lang=lang)
        return lit

    def _literals(self, v: Any, prop: Property, path: str) -> list[Literal]:
        rng = prop.range
        name = prop.key
        try:
            if rng == RDF.langString:
                if not isinstance(v, dict) or not v:
                    raise DataError(f"{name!r} needs a language: write {{en: ...}} or "
                                    f"{{zh-Hant: ...}}", record=path)
                out = []
                for lang, text in v.items():
                    if not LANG_PATTERN.match(str(lang)):
                        raise DataError(f"{name!r}: {lang!r} is not a language tag", record=path)
                    if not isinstance(text, str) or not text.strip():
                        raise DataError(f"{name!r}@{lang} must be non-empty text", record=path)
                    out.append(self._text(text, str(lang)))
                return out
            if isinstance(v, (dict, list)):
                raise DataError(f"{name!r} takes a single value, not a {type(v).__name__}",
                                record=path)
            if rng in (XSD.string, XSD.anyURI) or rng is None:
                if isinstance(v, bool) or isinstance(v, float):
                    raise DataError(f"{name!r} expects text, got {v!r}", record=path,
                                    hint="quote the value")
                return [Literal(str(v), datatype=rng if rng == XSD.anyURI else None)]
            if rng == XSD.decimal:
                if isinstance(v, bool):
                    raise ValueError
                d = Decimal(str(v))
                if not d.is_finite():
                    raise ValueError
                return [Literal(decimal_lexical(d), datatype=XSD.decimal)]
            if rng in (XSD.integer, XSD.nonNegativeInteger):
                if isinstance(v, bool) or not isinstance(v, int):
                    raise ValueError
                if rng == XSD.nonNegativeInteger and v < 0:
                    raise DataError(f"{name!r} must be 0 or more, got {v}", record=path)
                return [Literal(str(v), datatype=rng)]
            if rng == XSD.boolean:
                if not isinstance(v, bool):
                    raise ValueError
                return [Literal("true" if v else "false", datatype=XSD.boolean)]
            if rng == XSD.duration:
                if not isinstance(v, str) or not DURATION_PATTERN.match(v):
                    hint = None
                    if isinstance(v, str) and "W" in v:
                        hint = "xsd:duration has no weeks: write 48 weeks as P336D"
                    raise DataError(f"{name!r}: {v!r} is not an xsd:duration such as P1Y or "
                                    "P336D", record=path, hint=hint)
                return [Literal(v, datatype=XSD.duration)]
            if rng == XSD.date:
                return [Literal(_full_date(v), datatype=XSD.date)]
            if rng == LG.PartialDate:
                return [_partial_date(v)]
        except (ValueError, InvalidOperation, TypeError):
            raise DataError(f"{name!r}: {v!r} is not a valid {rng.split('#')[-1]}",
                            record=path) from None
        raise DataError(f"{name!r} has a range livergraph cannot read: {rng}", record=path)


def _holds_records(value: Any) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and any(
        isinstance(v, dict) for v in value))


def _full_date(v: Any) -> str:
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", v):
        _dt.date.fromisoformat(v)
        return v
    raise ValueError(v)


def _partial_date(v: Any) -> Literal:
    if isinstance(v, _dt.date):
        return Literal(v.isoformat(), datatype=XSD.date)
    text = str(v)
    if re.match(r"^\d{4}$", text):
        return Literal(text, datatype=XSD.gYear)
    if re.match(r"^\d{4}-(0[1-9]|1[0-2])$", text):
        return Literal(text, datatype=XSD.gYearMonth)
    return Literal(_full_date(text), datatype=XSD.date)


def _curie_of(iri: URIRef) -> str:
    head, local = str(iri).rsplit("/", 1)
    return f"{head.rsplit('/', 1)[-1]}:{local}"


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


def build(ontology_path: Path, data_dir: Path, *, include_ontology: bool = True) -> BuildResult:
    """Read the ontology and the curated data and return the graph, or raise DataErrors."""
    require_data_dir(data_dir)
    onto = load_ontology_graph(ontology_path)
    schema = schema_from_graph(onto)
    vocab = load_vocabulary(data_dir)
    add_generated_terms(vocab, data_dir)
    records = load_records(data_dir)
    with paused_gc():
        # the records are this function's own: they are let go once their statements are made
        return _build_from(schema, vocab, records, include_ontology=include_ontology,
                           release=True)


def add_generated_terms(vocab: Vocabulary, data_dir: Path) -> None:
    """Add the term lists a command generated (``data/vocabulary/terms-*.yaml``, such as the
    MeSH descriptors ``livergraph import ctgov`` read from the registry) to the vocabulary; a
    term the curated ``terms.yaml`` lists keeps its curated entry."""
    from livergraph.model.load import shown_path
    from livergraph.model.vocabulary import _terms
    folder = data_dir / "vocabulary"
    for path in sorted(folder.glob("terms-*.yaml")) if folder.is_dir() else []:
        extra = Vocabulary()
        _terms(path, shown_path(path, data_dir), extra)
        for iri, term in extra.terms.items():
            vocab.terms.setdefault(iri, term)


def build_from(schema: Schema, vocab: Vocabulary, records: list[Record], *,
               include_ontology: bool = True) -> BuildResult:
    # millions of small objects and no cycles: the cyclic garbage collector would re-scan
    # the growing graph again and again, for nothing
    with paused_gc():
        return _build_from(schema, vocab, records, include_ontology=include_ontology)


def _build_from(schema: Schema, vocab: Vocabulary, records: list[Record], *,
                include_ontology: bool, release: bool = False,
                describe: bool = True) -> BuildResult:
    """``release``: empty ``records`` (and drop the builder's references to them) once every
    statement is made, so their memory is free before the graph's indexes are built.
    ``describe=False`` leaves the description out (benchmarks/build_speed.py times it apart)."""
    b = Builder(schema, vocab)
    b.index(records)
    if not b.errors:
        b.emit_all()
    if b.errors:
        raise DataErrors(b.errors)
    n_records = len(records)
    if release:
        records.clear()
        b.top.clear()
        b.supplements.clear()
        b.locals.clear()
        b.by_id.clear()
    add = b._add
    for iri in sorted(b.used_terms):
        term = vocab.terms[iri]
        for lang, text in sorted(term.label.items()):
            add((iri, RDFS.label, Literal(text, lang=lang)))
        if term.type:
            add((iri, RDF.type, LG[term.type]))
        if term.ucum:
            add((iri, LG.ucumCode, Literal(term.ucum)))
    data_triples = len(b.triples)
    if include_ontology:
        b.triples.update(schema.graph)
    triples, b.triples = b.triples, set()
    fill_graph(b.graph, triples)
    del triples
    if include_ontology and describe:
        # the published release describes itself (VoID / DCAT); see livergraph.describe
        from livergraph import __version__
        from livergraph.model.description import add_description
        add_description(b.graph, version=__version__)
    return BuildResult(b.graph, n_records, data_triples, b.used_terms)
