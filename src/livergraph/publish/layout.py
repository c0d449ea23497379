"""What a build directory holds: the names of its files and folders (livergraph.publish.artifact
manages the directory; livergraph.publish.generation writes one generation of it)."""
from __future__ import annotations

ARTIFACT_FORMAT = 2      # 2: a named graph per source (article, each registry)
BUILD_DIR_ENV = "LIVERGRAPH_BUILD_DIR"
CURRENT = "current"
BUILD_LOCK = ".build.lock"
IN_USE = ".in-use"
GENERATION_PREFIX = "gen-"
TEMP_PREFIX = ".tmp-gen-"
TURTLE = "livergraph.ttl"
NQUADS = "livergraph.nq"
STORE = "store"
REPORT_TTL = "validation.ttl"
REPORT_JSON = "validation.json"
GRAPH_PICKLE = "graph.pickle"
PARTS_PICKLE = "parts.pickle"
MANIFEST = "manifest.json"
#: the Python distributions whose versions the manifest records
DISTRIBUTIONS = ("livergraph", "rdflib", "pyshacl", "owlready2", "pyoxigraph", "networkx",
                 "PyYAML", "curies")
