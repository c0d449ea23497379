"""Curated data files -> records -> the RDF graph (schema-first)."""
