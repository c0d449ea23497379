"""Chinese as people type it: traditional <-> simplified with OpenCC, and one search key.

The seed writes traditional Chinese (zh-Hant), sometimes with the common variant 干 for 幹
(干細胞 for 幹細胞). :func:`search_key` folds every such spelling to one key, so 幹細胞, 干細胞
and 干细胞 all find the same entity; :func:`to_simplified` gives machine-converted zh-Hans text,
which callers must mark as machine converted.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` converted from traditional to simplified Chinese by OpenCC (t2s)."""
    return str(_t2s().convert(text))


def search_key(text: str) -> str:
    """A key that is equal for traditional, simplified and variant spellings of ``text``,
    for fullwidth and halfwidth forms, and for upper and lower case."""
    return to_simplified(unicodedata.normalize("NFKC", text)).casefold()


def matches(query: str, text: str) -> bool:
    """Whether ``query`` occurs in ``text`` under :func:`search_key`."""
    return search_key(query) in search_key(text)
