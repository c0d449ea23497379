"""The one label picker: which of a resource's labels to show for a language choice.

``--lang en`` prefers English, then untagged text, then traditional Chinese; ``--lang zh``
prefers traditional Chinese (the seed's language); ``--lang zh-Hans`` prefers simplified
Chinese (machine converted by OpenCC where the source had none), then traditional. Ties are
broken by sorting, so the same labels always give the same answer.
"""
from __future__ import annotations

#: --lang choices -> language tags to prefer, best first (compared case-insensitively;
#: a trailing ``*`` matches any tag that starts with the rest)
LANGS: dict[str, tuple[str, ...]] = {
    "en": ("en", "", "en-*", "zh-hant", "zh*"),
    "zh": ("zh-hant", "zh-tw", "zh*", "", "en", "en-*"),
    "zh-Hans": ("zh-hans", "zh-cn", "zh-hant", "zh*", "", "en", "en-*"),
}

#: Properties that name a resource, in the order they are tried.
LABEL_PROPERTIES: tuple[str, ...] = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "https://w3id.org/livergraph/ontology#title",
    "https://w3id.org/livergraph/ontology#name",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)


def pick_label(labels: list[tuple[str, str]], lang: str = "en") -> str | None:
    """The label in the preferred language of ``lang`` from ``(text, language tag)`` pairs
    (tag ``""`` for untagged text), falling back to the others; None when there is none."""
    if not labels:
        return None
    ordered = sorted(labels)
    for want in LANGS.get(lang, LANGS["en"]):
        for text, tag in ordered:
            tag = tag.lower()
            if want.endswith("*"):
                if tag and tag.startswith(want[:-1]):
                    return text
            elif tag == want:
                return text
    return ordered[0][0]
