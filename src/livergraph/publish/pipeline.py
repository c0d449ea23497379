"""The graph as `livergraph build` publishes it: built from the curated data, checked against
the SHACL shapes, run through the reasoner, extended by the derivation steps, and described.

``build_checked`` is the one way the graph is made; ``livergraph.publish.artifact`` writes what it
makes into the build directory, which every reading command opens.

Derivation steps
----------------
``DERIVATIONS`` lists the steps that add derived statements to the graph after it is built and
before it is validated, so the shapes check what they add (effect estimates computed from the
reported figures, labels in another script, ...). Each is a function ``step(graph) -> None`` that adds statements to the rdflib graph it is
given (it must not remove asserted ones, and must be deterministic: same graph, same
statements). Register one with one line in this module::

    DERIVATIONS.append(Derivation("effects", "livergraph.evidence:derive_effects"))

The function is named as ``"module:function"`` and imported only when a build runs, so readers
stay cheap. Steps run in list order; each one's wall time is recorded in the manifest under
``derive:<name>``. Their statements go to the data named graph of the published artifact.

After reasoning, the schema.org and PROV statements that the ontology's alignments entail are
materialised (``livergraph.reason.alignments``; ``alignments=False`` leaves them out); they go
to the inferred named graph.
"""
from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livergraph.errors import DataError, GraphDoesNotConform  # noqa: F401 (re-exported)
from rdflib import Graph

from livergraph.model.build import BuildResult, build


@dataclass(frozen=True)
class Derivation:
    """A derivation step: ``target`` is ``"module:function"``, a ``function(graph) -> None``."""

    name: str
    target: str

    def load(self) -> Callable[[Any], None]:
        module, _, function = self.target.partition(":")
        step: Callable[[Any], None] = getattr(importlib.import_module(module), function)
        return step


#: the derivation steps every build runs, in order (see the module docstring)
DERIVATIONS: list[Derivation] = [
    Derivation("zh-Hans", "livergraph.model.chinese_labels:add_simplified_labels"),
    Derivation("p-bounds", "livergraph.model.pvalues:add_p_bounds"),
    Derivation("effects", "livergraph.evidence:derive_effects"),
]


@dataclass
class Checked:
    result: BuildResult
    report: object | None = None        # validate.Report, when validated
    reasoning: object | None = None     # reason.ReasoningResult, when reasoned
    inferred: int = 0                    # statements the reasoner added
    seconds: dict[str, float] = field(default_factory=dict)   # wall time of each stage

    def timings(self) -> str:
        """``build 0.2 s, validate 2.6 s, ...``"""
        return ", ".join(f"{name} {s:.1f} s" for name, s in self.seconds.items())

    @property
    def graph(self) -> Graph:
        return self.result.graph


def build_checked(ontology: Path, data_dir: Path, *, shapes_dir: Path | None = None,
                  reason: bool = True, missing_reasoner_ok: bool = False,
                  on_warning: Callable[[str], None] | None = None,
                  alignments: bool = True) -> Checked:
    """Build, validate (when ``shapes_dir`` is given: violations raise GraphDoesNotConform),
    reason (inconsistency raises DataError; a missing Java raises ReasonerUnavailable unless
    ``missing_reasoner_ok``, then ``on_warning`` is told), run the ``DERIVATIONS`` (before
    validation), materialise the alignments' schema.org/PROV statements (after reasoning; not
    when ``reason`` or ``alignments`` is false) and set the description's triple count to the final graph's size.
    A terminal running `livergraph build` shows a bar of the stages (``livergraph.io.progress``)."""
    from livergraph.io.progress import bar
    total = 1 + len(DERIVATIONS) + (shapes_dir is not None) + 2 * reason
    with bar("building", total=total, unit="stages") as stages:
        return _build_checked(ontology, data_dir, shapes_dir, reason, missing_reasoner_ok,
                              on_warning, alignments, stages)


def _build_checked(ontology: Path, data_dir: Path, shapes_dir: Path | None, reason: bool,
                   missing_reasoner_ok: bool, on_warning: Callable[[str], None] | None,
                   alignments: bool, stages: Any) -> Checked:
    stages.stage("records")
    start = time.perf_counter()
    checked = Checked(build(Path(ontology), Path(data_dir)))
    checked.seconds["build"] = time.perf_counter() - start
    graph = checked.graph
    for step in DERIVATIONS:
        stages.advance()
        stages.stage(f"derive {step.name}")
        start = time.perf_counter()
        step.load()(graph)
        checked.seconds[f"derive:{step.name}"] = time.perf_counter() - start
    if shapes_dir is not None:
        from livergraph.validate.shacl import load_shapes, validate
        stages.advance()
        stages.stage("validate")
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
        stages.advance()
        stages.stage("reason")
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
    if alignments and reason:   # RDFS entailments: inferred statements, like the reasoner's
        from livergraph.reason.alignments import materialise_alignments
        stages.advance()
        stages.stage("alignments")
        start = time.perf_counter()
        materialise_alignments(graph)
        checked.seconds["alignments"] = time.perf_counter() - start
    from livergraph.model.description import set_triple_count
    set_triple_count(graph, len(graph))
    stages.update(stages.total or 0)
    return checked
