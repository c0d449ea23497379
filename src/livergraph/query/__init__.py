"""SPARQL over the published graph: named queries, parameters, result rows and rendering."""
