"""The graph as `livergraph build` publishes it: built from the curated data, checked against
the SHACL shapes, run through the reasoner, and described. Every command that needs the
published graph (build, export, push, the query cache) gets it from ``build_checked``."""
from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from pathlib import Path

from livergraph.model.build import BuildResult, build
from livergraph.errors import DataError


class GraphDoesNotConform(DataError):
    """The built graph has SHACL violations; ``report`` holds the whole validation report."""

    def __init__(self, report, message: str, hint: str):
        super().__init__(message, hint=hint)
        self.report = report

    def violations_text(self) -> str:
        from livergraph.validate.shacl import write_text
        buf = io.StringIO()
        write_text(self.report, buf, severities=["violation"])
        return buf.getvalue()


@dataclass
class Checked:
    result: BuildResult
    report: object | None = None        # validate.Report, when validated
    reasoning: object | None = None     # reason.ReasoningResult, when reasoned
    inferred: int = 0                    # statements the reasoner added
    seconds: dict[str, float] = field(default_factory=dict)   # wall time of each stage

    def timings(self) -> str:
        return ", ".join(f"{name} {s:.1f} s" for name, s in self.seconds.items())

    @property
    def graph(self):
        return self.result.graph


def build_checked(ontology: Path, data_dir: Path, *, shapes_dir: Path | None = None,
                  reason: bool = True, missing_reasoner_ok: bool = False,
                  on_warning=None) -> Checked:
    """Build, validate (when ``shapes_dir`` is given: violations raise GraphDoesNotConform),
    reason (inconsistency raises DataError; a missing Java raises ReasonerUnavailable unless
    ``missing_reasoner_ok``, then ``on_warning`` is told) and set the description's triple count
    to the final graph's size."""
    start = time.perf_counter()
    checked = Checked(build(Path(ontology), Path(data_dir)))
    checked.seconds["build"] = time.perf_counter() - start
    graph = checked.graph
    if shapes_dir is not None:
        from livergraph.validate.shacl import load_shapes, validate
        start = time.perf_counter()
        shapes, files = load_shapes(Path(shapes_dir))
        report = validate(graph, shapes, files)
        checked.report = report
        checked.seconds["validate"] = time.perf_counter() - start
        if not report.conforms:
            raise GraphDoesNotConform(
                report, f"the graph has {report.counts['violation']} violation(s)",
                hint="correct the records named above (`livergraph validate` shows the whole "
                     "report), or pass --no-validate")
    if reason:
        from livergraph.reason.hermit import ReasonerUnavailable, add_inferred
        from livergraph.reason.hermit import reason as run_reasoner
        start = time.perf_counter()
        try:
            checked.reasoning = run_reasoner(graph)
            checked.inferred = add_inferred(graph, checked.reasoning)
            checked.seconds["reason"] = time.perf_counter() - start
        except ReasonerUnavailable as exc:
            if not missing_reasoner_ok:
                raise
            if on_warning is not None:
                on_warning(exc.message)
    from livergraph.model.description import set_triple_count
    set_triple_count(graph, len(graph))
    return checked
