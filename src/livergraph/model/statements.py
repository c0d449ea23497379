"""Pass 2 of the build: the statements of every record (values read by the property's range,
references resolved, derived statements added), errors collected per record."""
from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef

from livergraph.errors import DataError, DataErrors, LivergraphError
from livergraph.model.load import Record
from livergraph.namespaces import (CTGOV_STUDY, DOI_BASE, PUBMED_BASE, RECORD_SEGMENTS,
                         expand_curie, record_iri)
from livergraph.model.schema import Property
from livergraph.model.sources import ARTICLE, source_of_file
from livergraph.model.records_index import RecordIndex, _Context, _locate, _suggest
from livergraph.model.values import LG, OWL, PROV, RDF, RDFS, XSD, DURATION_PATTERN, _UNSEEN, \
    RESERVED_KEYS, _holds_records, decimal_lexical, duration_days


def curie(iri: URIRef) -> str:
    """``trial:NCT01220492`` (the converter is imported only when a message needs it)."""
    from livergraph.io.curies import compact
    return compact(iri)


class Builder(RecordIndex):
    """Records + schema + vocabulary -> statements (``index`` then ``emit_all``)."""

    # -- pass 2: emit --------------------------------------------------------------------------
    def emit_all(self) -> None:
        """Emit every record's statements, each into the set of the source its file belongs
        to (``model.sources``): a curated trial and its imported supplement both state it."""
        for iri, (cls, rec) in sorted(self.top.items()):
            ctx = _Context(rec, iri, rec.id, self.locals[iri])
            self.use_source(source_of_file(rec.file))
            self._emit_top(iri, cls, rec, ctx)
            extra = self.supplements.get(iri)
            if extra is not None and extra[1] is not rec:
                sctx = _Context(extra[1], iri, rec.id, extra[2], skip=self._covered(rec.data))
                self.use_source(source_of_file(extra[1].file))
                self._emit_top(iri, cls, extra[1], sctx)
        self.use_source(ARTICLE)

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
        if parent is None and self.source != ARTICLE and "status" in data and \
                "statusAsOf" not in data:
            self._status_as_of(iri, ctx)
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

    def _status_as_of(self, iri: URIRef, ctx: _Context) -> None:
        """An imported status (of a trial or a registration) is as of the retrieval date of the
        record version it was read from (its ``source``), when the import recorded one
        (``lg:statusAsOf``; the article's statuses carry the seed's snapshot date): seed and
        registry statuses coexist, each dated. Documented in data/README.md."""
        nested = {target: lid for lid, (target, _) in ctx.locals.items()}
        for version in ctx.sources.get(iri, ()):
            found = self.top.get(version)
            if found is not None:
                retrieved = found[1].data.get("retrievedOn")
            else:     # a version nested in the same record
                retrieved = _nested_value(ctx.record.data, nested.get(version), "retrievedOn")
            if retrieved:
                self.emit(iri, LG.statusAsOf, Literal(str(retrieved), datatype=XSD.date))
                return

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
            iri = self.mapping_issues[iid]
            if (iri, self.source) not in self._issue_sources:   # stated in each source using it
                self._issue_sources.add((iri, self.source))
                self._emit_mapping_issue(iri, entry, target)
            return iri
        rec = Record(entry.file, {"type": "DataQualityIssue", **issue})
        where = f"entry {entry.index + 1}"
        iid = self._check_id(issue, where)
        iri = record_iri("issue", iid)
        if iri in self.top:
            raise DataError(f"issue id {iid!r} is used twice", file=entry.file, record=where)
        self.mapping_issues[iid] = iri
        self.top[iri] = (LG.DataQualityIssue, rec)
        self._issue_sources.add((iri, self.source))
        self._emit_mapping_issue(iri, entry, target)
        return iri

    def _emit_mapping_issue(self, iri: URIRef, entry, target: Property) -> None:
        rec = self.top[iri][1]
        ctx = _Context(rec, iri, rec.id, {})
        try:
            self._emit_record(iri, LG.DataQualityIssue, rec.data, ctx, None, rec.id)
        except DataErrors as many:
            raise DataErrors([_locate(e, rec) for e in many.errors]) from None
        self.emit(iri, LG.seedText, Literal(entry.text, lang=entry.lang))
        self.emit(iri, LG.onProperty, target.iri)

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
                                curie(i) for i, _ in candidates))
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


def _nested_value(data: dict, lid: str | None, key: str) -> Any:
    """``key`` of the record nested (at any depth) in ``data`` whose local id is ``lid``."""
    if lid is None:
        return None
    for value in data.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                if str(item.get("id")) == lid:
                    return item.get(key)
                found = _nested_value(item, lid, key)
                if found is not None:
                    return found
    return None
