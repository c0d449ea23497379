"""A validation report on one screen: results counted by shape and by focus kind (the record
class of the resource a result is about), each group with its first result as an example, and
the total. ``Report.summary()`` returns it as values; :func:`write_summary` is the text view
(``livergraph validate --summary``) and ``Summary.to_dict()`` the ``summary`` object of the
JSON report.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import IO, TYPE_CHECKING, Any

from rich.cells import cell_len

from livergraph.validate.report import SEVERITY_ORDER, Result

if TYPE_CHECKING:
    from livergraph.validate.report import Report

#: how a result without a record class is shown
NO_KIND = "(untyped)"


@dataclass(frozen=True)
class Group:
    """The results sharing one shape (or one focus kind)."""
    key: str                       # the shape's or the record class's CURIE
    counts: dict[str, int]         # by severity: violation, warning, info
    example: Result                # the first result of the group, in report order

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def worst(self) -> str:
        """The most severe severity among the group's results."""
        return next(name for name in SEVERITY_ORDER if self.counts[name])


@dataclass(frozen=True)
class Summary:
    """Counts by shape and by focus kind, most severe groups first, then the largest."""
    by_shape: tuple[Group, ...]
    by_kind: tuple[Group, ...]
    counts: dict[str, int]         # the results summarised, by severity
    hidden: dict[str, int]         # results a severity filter left out, by severity
    conforms: bool
    headline: str                  # Report.headline(): conforms or not, counts, what was checked

    @property
    def total(self) -> int:
        """How many results are summarised (those a filter left out not included)."""
        return sum(self.counts.values())

    def __str__(self) -> str:
        return self.headline

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON values: each group's key, counts, total and example result."""
        def groups(gs: tuple[Group, ...]) -> list[dict[str, Any]]:
            return [{"key": g.key, "counts": g.counts, "total": g.total,
                     "example": asdict(g.example)} for g in gs]
        return {"total": self.total, "counts": self.counts, "by_shape": groups(self.by_shape),
                "by_kind": groups(self.by_kind)}


def summarise(report: Report) -> Summary:
    """The :class:`Summary` of ``report``'s results (after any ``Report.filter``)."""
    return Summary(_groups(report.results, lambda r: r.shape),
                   _groups(report.results, lambda r: r.kind or NO_KIND),
                   report.counts, dict(report.hidden), report.conforms, report.headline())


def _groups(results: Iterable[Result], key: Callable[[Result], str]) -> tuple[Group, ...]:
    counts: dict[str, Counter[str]] = {}
    first: dict[str, Result] = {}
    for r in results:
        k = key(r)
        counts.setdefault(k, Counter())[r.severity] += 1
        first.setdefault(k, r)
    groups = [Group(k, {name: c.get(name, 0) for name in SEVERITY_ORDER}, first[k])
              for k, c in counts.items()]
    groups.sort(key=lambda g: (SEVERITY_ORDER[g.worst], -g.total, g.key))
    return tuple(groups)


# -- text ---------------------------------------------------------------------------------------

def write_summary(summary: Summary, out: IO[str], width: int = 100) -> None:
    """The text view: one table by shape, one by focus kind (counts by severity, then the first
    example: its record, property and message, cut to ``width`` columns), the
    total, then the headline."""
    keys = [g.key for g in summary.by_shape + summary.by_kind] + ["focus kind", "total"]
    key_width = max(len(k) for k in keys)
    head = f"  {'violation':>9} {'warning':>7} {'info':>5}  "

    def row(key: str, counts: dict[str, int], example: str) -> str:
        line = (f"  {counts['violation']:>9} {counts['warning']:>7} {counts['info']:>5}  "
                f"{key:<{key_width}}  {example}")
        return _cut(line.rstrip(), width)

    for title, groups in (("shape", summary.by_shape), ("focus kind", summary.by_kind)):
        out.write(_cut(f"{head}{title:<{key_width}}  first example", width) + "\n")
        for g in groups:
            out.write(row(g.key, g.counts, _example(g.example)) + "\n")
        out.write("\n")
    out.write(row("total", summary.counts, f"{summary.total} result(s)") + "\n")
    out.write(summary.headline + "\n")


def _example(r: Result) -> str:
    """A result in a few words: its record (or focus node), property and message."""
    from rdflib import URIRef

    from livergraph.validate.report import compact
    where = r.record or compact(URIRef(r.focus))
    target = f" {r.path}" if r.path else ""
    return f"[{where}]{target}: {r.message}"


def _cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns (wide CJK characters count two), with an
    ellipsis when it was longer."""
    text = " ".join(text.split("\n"))
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"
