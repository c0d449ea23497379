"""Helpers used by every stage: file formats, atomic writes, CURIEs, labels, HTTP."""
