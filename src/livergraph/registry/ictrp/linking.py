"""One trial, many registrations.

Registrations are joined into one trial only on evidence a register gives: one names the other
in its ``Secondary_ID``, or two share a EudraCT number (an EU trial's per-country records
``EUCTR<EudraCT>-<CC>``, or a record that gives the EudraCT number as a secondary id). Each
registration keeps the evidence (``sameTrialEvidence``). Registrations that look alike without
such evidence (near-same titles, same sponsor, close registration dates) are only proposed as
``DuplicateCandidate`` records with a score, for a curator to confirm; they are never merged.

Why one ``Trial`` with several ``TrialRegistration`` records rather than ``owl:sameAs`` between
trials: counts of trials then count trials without any query having to collapse equivalence
classes, each registration keeps its own (possibly disagreeing) facts instead of having them
merged by sameAs semantics, and the link carries its evidence.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

STOPWORDS = frozenset(
    "a an and are as at by for from in into is of on or the to with without versus vs study "
    "trial clinical randomized randomised controlled phase patients patient efficacy safety "
    "evaluate evaluation effect effects treatment".split())
CANDIDATE_MIN_TITLE = 0.7
CANDIDATE_MIN_SCORE = 0.7
BLOCK_MAX = 40           # a title word shared by more registrations than this is not a key


@dataclass
class Cluster:
    id: str
    members: list[str]
    evidence: dict[str, list[str]] = field(default_factory=dict)   # registration -> lines
    primary: str = ""


def _alias(tid: str) -> list[str]:
    out = [tid]
    if tid.startswith("JPRN-"):
        out.append(tid[5:])
    return out


def clusters(entries: dict[str, dict[str, Any]], known_trials: set[str]) -> list[Cluster]:
    """Group registrations (``entries``: id -> index entry with ``links`` and ``eudract``)."""
    parent = {tid: tid for tid in entries}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    alias = {a: tid for tid in entries for a in _alias(tid)}
    evidence: dict[str, list[str]] = {tid: [] for tid in entries}
    by_eudract: dict[str, list[str]] = {}
    named_nct: dict[str, set[str]] = {}
    for tid in sorted(entries):
        e = entries[tid]
        if e.get("eudract"):
            by_eudract.setdefault(e["eudract"], []).append(tid)
        for other, why in sorted(e.get("links", {}).items()):
            if other.startswith("EUDRACT:"):
                by_eudract.setdefault(other[8:], []).append(tid)
                continue
            target = alias.get(other)
            if target is not None and target != tid:
                union(tid, target)
                evidence[tid].append(why)
                evidence[target].append(why)
            elif target is None and other in known_trials:
                named_nct.setdefault(tid, set()).add(other)
                evidence[tid].append(why + " (a trial already in data/)")
    for number, members in sorted(by_eudract.items()):
        members = sorted(set(members))
        if len(members) < 2:
            continue
        for tid in members[1:]:
            union(members[0], tid)
        for tid in members:
            own = entries[tid].get("eudract") == number
            why = (f"TrialID {tid} is EU register record of EudraCT {number}" if own else
                   f"Secondary_ID of {tid} gives EudraCT {number}")
            others = ", ".join(m for m in members if m != tid)
            evidence[tid].append(f"{why}, shared with {others}")
    groups: dict[str, list[str]] = {}
    for tid in entries:
        groups.setdefault(find(tid), []).append(tid)
    out = []
    for members in groups.values():
        members.sort()
        ncts = sorted({m for m in members if m.startswith("NCT")} |
                      {n for m in members for n in named_nct.get(m, ())})
        eudracts = sorted({entries[m]["eudract"] for m in members if entries[m].get("eudract")})
        cid = ncts[0] if ncts else (f"EUCTR{eudracts[0]}" if eudracts else members[0])
        primary = next((m for m in members if m == cid), None) or min(
            members, key=lambda m: (entries[m]["record"].get("registrationDate", "9999"), m))
        out.append(Cluster(cid, members, {m: sorted(set(evidence[m])) for m in members},
                           primary))
    out.sort(key=lambda c: c.id)
    return out


# -- near-duplicates -----------------------------------------------------------------------------

def _words(text: str) -> frozenset[str]:
    text = unicodedata.normalize("NFKD", text).casefold()
    text = re.sub(r"^cancell?ed\W+(by the investigator|due to [^a-z]*\w+( \w+)?)?", "", text)
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text)
                     if len(w) > 2 and w not in STOPWORDS)


def _titles(rec: dict[str, Any]) -> list[frozenset[str] | None]:
    """Word sets of the public and the scientific title (None when too short to compare)."""
    out: list[frozenset[str] | None] = []
    for key in ("title", "officialTitle"):
        words = _words((rec.get(key) or {}).get("en") or "")
        out.append(words if len(words) >= 3 else None)
    return out


def _similarity(a: list[frozenset[str] | None], b: list[frozenset[str] | None],
                weight: dict[str, float]) -> float:
    """Mean word overlap of public with public and scientific with scientific title, each word
    weighted by its rarity among all titles (weighted Jaccard, idf weights), so that words every
    title of a search shares ("coronavirus") count little."""
    def overlap(x: frozenset[str], y: frozenset[str]) -> float:
        return sum(weight[w] for w in x & y) / sum(weight[w] for w in x | y)
    scores = [overlap(x, y) for x, y in zip(a, b) if x and y]
    return sum(scores) / len(scores) if scores else 0.0


def _days(a: str | None, b: str | None) -> int | None:
    if not a or not b or len(a) != 10 or len(b) != 10:
        return None
    return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)


def _sponsor(rec: dict[str, Any]) -> str:
    return " ".join(sorted(_words(rec.get("primarySponsorText") or "")))


def candidates(entries: dict[str, dict[str, Any]], groups: list[Cluster]) -> list[dict[str, Any]]:
    """``DuplicateCandidate`` records for registrations of different trials that look alike."""
    cluster_of = {m: c.id for c in groups for m in c.members}
    titles = {tid: _titles(e["record"]) for tid, e in entries.items()}
    index: dict[str, list[str]] = {}
    for tid in sorted(titles):
        for word in set().union(*(t for t in titles[tid] if t)):
            index.setdefault(word, []).append(tid)
    weight = {w: math.log((1 + len(titles)) / (1 + len(t))) + 1.0 for w, t in index.items()}
    pairs: set[tuple[str, str]] = set()
    for word, tids in index.items():
        if len(tids) > BLOCK_MAX:
            continue
        for i, a in enumerate(tids):
            for b in tids[i + 1:]:
                if cluster_of[a] != cluster_of[b]:
                    pairs.add((a, b))
    out = []
    for a, b in sorted(pairs):
        title = _similarity(titles[a], titles[b], weight)
        if title < CANDIDATE_MIN_TITLE:
            continue
        ra, rb = entries[a]["record"], entries[b]["record"]
        same_sponsor = bool(_sponsor(ra)) and _sponsor(ra) == _sponsor(rb)
        days = _days(ra.get("registrationDate"), rb.get("registrationDate"))
        dates = 1.0 if days is not None and days <= 90 else 0.5 if days is not None and \
            days <= 365 else 0.0
        score = round(0.6 * title + 0.2 * same_sponsor + 0.2 * dates, 2)
        if score < CANDIDATE_MIN_SCORE:
            continue
        why = [f"title similarity {title:.2f}"]
        why.append("same primary sponsor" if same_sponsor else "different primary sponsors")
        why.append(f"registered {days} days apart" if days is not None else
                   "registration dates not comparable")
        out.append({"type": "DuplicateCandidate", "id": f"duplicate-{a}-{b}",
                    "candidateRegistration": [a, b], "duplicateScore": score,
                    "duplicateEvidence": "; ".join(why),
                    "label": {"en": f"possible duplicate: {a} and {b} (not merged; a curator "
                                    "confirms)"}})
    return out
