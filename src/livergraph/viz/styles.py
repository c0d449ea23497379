"""What the viewer's nodes look like and the words its summaries use: node kinds (with the
ontology class naming each, colours and vis shapes), trial status colours, and the words of the
measurement summaries in English and Chinese."""
from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDFS

from livergraph.namespaces import LG
from livergraph.viz.text import pick

#: node kind -> (ontology class giving its name, English name, Chinese name, colour, vis shape)
KINDS: dict[str, tuple[URIRef | None, str, str, str, str]] = {
    "trial": (LG.Trial, "registered trial", "註冊試驗", "#1f77b4", "dot"),
    "study": (LG.PublishedStudy, "published study", "已發表研究", "#7b3fa0", "star"),
    "sponsor": (LG.Agent, "sponsor or institution", "贊助者或機構", "#a0522d", "square"),
    "publication": (LG.Publication, "publication", "文獻", "#d4a017", "triangleDown"),
    "source": (LG.SourceDocument, "source document", "來源文件", "#7f7f7f", "image"),
    "cell-type": (None, "cell type", "細胞類型", "#2ca02c", "hexagon"),
    "tissue": (None, "tissue or site", "組織或部位", "#8fbc5a", "diamond"),
    "condition": (None, "condition", "疾病", "#d62728", "ellipse"),
    "route": (None, "route", "給藥途徑", "#17becf", "triangle"),
    "outcome": (None, "outcome measure", "結局指標", "#ff7f0e", "box"),
}

#: trial status notation -> colour (trials are coloured by status; unknown notations are grey)
STATUS_COLOURS: dict[str, str] = {
    "RECRUITING": "#2ca02c",
    "NOT_YET_RECRUITING": "#98df8a",
    "ENROLLING_BY_INVITATION": "#bcbd22",
    "ACTIVE_NOT_RECRUITING": "#17becf",
    "COMPLETED": "#1f77b4",
    "SUSPENDED": "#ffbb78",
    "TERMINATED": "#e377c2",
    "WITHDRAWN": "#393b79",
    "UNKNOWN": "#9e9e9e",
}
NO_STATUS = "none"
NO_STATUS_COLOUR = "#c7c7c7"

#: kinds left out of centrality, components and neighbourhood walks (see the module docstring)
PROVENANCE_KINDS = frozenset({"source"})
#: kinds of the study-like nodes the page filters by sponsor and cell source
STUDY_KINDS = ("trial", "study")
WORDS = {  # words of the summaries, by language
    "en": {"at": "at", "more": "more", "baseline": "baseline", "vs": "vs",
           "intervention": "intervention", "arm": "arm", "result": "result",
           "safety": "safety", "issue": "data-quality issue", "participants": "participants",
           "identifier": "identifier", "patients": "patients", "source": "source",
           "claim": "claim", "cohort": "whole cohort", "registration": "registration"},
    "zh": {"at": "於", "more": "項", "baseline": "基線", "vs": "對比",
           "intervention": "干預措施", "arm": "組別", "result": "結果",
           "safety": "安全性", "issue": "資料品質問題", "participants": "人",
           "identifier": "識別碼", "patients": "例", "source": "來源", "claim": "論述", "cohort": "全體受試者",
           "registration": "註冊"},
}
LANGS = ("en", "zh")


def kind_name(kind: str, lang: str = "en", rdf_graph: Graph | None = None) -> str:
    """The readable name of a node kind, from the ontology class label where there is one."""
    cls, en, zh, _, _ = KINDS[kind]
    if rdf_graph is not None and cls is not None and kind not in ("sponsor", "source"):
        text = pick(rdf_graph.objects(cls, RDFS.label), lang)
        if text:
            return text
    return in_language(en, zh, lang)


def in_language(en: str, zh: str, lang: str) -> str:
    """A fixed UI string in ``lang``: English, traditional Chinese (zh), or zh converted to
    simplified (zh-Hans)."""
    if lang == "zh-Hans":
        from livergraph.io.chinese import to_simplified
        return to_simplified(zh)
    return zh if lang == "zh" else en


def node_colour(data: dict[str, object]) -> str:
    """The fill colour of a node: trials by status, everything else by kind."""
    if data.get("kind") == "trial":
        return STATUS_COLOURS.get(str(data.get("status", NO_STATUS)), NO_STATUS_COLOUR)
    return KINDS.get(str(data.get("kind")), (None, "", "", "#999999", "dot"))[3]

#: the order of a node's facts in the side panel, by property name
FACT_ORDER = ("nctId", "title", "officialTitle", "acronym", "name", "status", "lastKnownStatus",
               "phase", "studyType", "enrollment", "enrollmentType", "totalParticipants",
               "startDate", "primaryCompletionDate", "completionDate", "followUp",
               "diseaseStage", "etiology", "designFeature", "allocation", "masking",
               "citation", "journal", "publicationDate", "doi", "pmid")
#: names of relations the ontology does not label (en, zh)
FALLBACK_RELATIONS = {
    str(PROV.wasDerivedFrom): ("derived from", "來源"),
    str(RDFS.label): ("label", "標籤"),
}
