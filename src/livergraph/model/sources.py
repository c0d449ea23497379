"""Where a statement came from: the article's curated facts or one registry import.

Every record file belongs to one *source*, decided by where it lies in the data directory:

* ``article``: everything the curators read from the seed article (every file under ``data/``
  except ``data/registry/``);
* ``clinicaltrials.gov``: what ``livergraph import ctgov`` wrote (``data/registry/`` outside
  ``data/registry/ictrp/``: the imported trials, their record versions and agents);
* ``ictrp``: what ``livergraph import ictrp`` wrote (``data/registry/ictrp/``).

The builder (``model.statements``) records which source emitted each statement, so the same
trial can have statements in two sources (a curated trial and its imported supplement); the
published build keeps each source in its own named graph (``export.parts.split``).
"""
from __future__ import annotations

ARTICLE = "article"
CTGOV = "clinicaltrials.gov"
ICTRP = "ictrp"
#: every source, in the order graphs are written and answers stacked
SOURCES = (ARTICLE, CTGOV, ICTRP)
#: the registry imports
REGISTRY_SOURCES = (CTGOV, ICTRP)

#: what each source is (the dcterms:source of its graph's description)
SOURCE_IRIS = {
    CTGOV: "https://clinicaltrials.gov/",
    ICTRP: "https://trialsearch.who.int/",
}
TITLES = {
    ARTICLE: ("The seed article's curated facts", "種子文章的整理事實"),
    CTGOV: ("Records imported from ClinicalTrials.gov", "自 ClinicalTrials.gov 匯入的紀錄"),
    ICTRP: ("Records imported from the WHO ICTRP", "自世界衛生組織 ICTRP 匯入的紀錄"),
}


def source_of_file(shown: str) -> str:
    """The source of a record file, given as ``Record.file`` (``data/registry/ictrp/…``: the
    first component is the data directory's name)."""
    parts = shown.replace("\\", "/").split("/")[1:]
    if parts[:1] == ["registry"]:
        return ICTRP if parts[1:2] == ["ictrp"] else CTGOV
    return ARTICLE


def graph_path(source: str) -> str:
    """The path of a source's graph under the release's graph IRI: ``article``,
    ``registry/clinicaltrials.gov``, ``registry/ictrp``."""
    return source if source == ARTICLE else f"registry/{source}"


def inferred_path(source: str) -> str:
    """The path of the graph of the statements inferred about a source's records."""
    return f"inferred/{graph_path(source)}"
