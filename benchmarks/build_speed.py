"""Per-stage speed of `livergraph build` (without validation and reasoning) on one data directory.

    nice .venv/bin/python benchmarks/build_speed.py /tmp/lgb/bench/10000/data
    nice .venv/bin/python benchmarks/build_speed.py DATA --out graph.ttl --profile build

Stages, run in one process in the order the build runs them:

* ``load``      the ontology, the vocabulary and the YAML records (``load.load_records``);
* ``build``     the records -> RDF statements, the used terms' labels, the ontology
                (what ``build.build`` does after loading, without the description);
* ``describe``  the VoID / DCAT description (``describe.add_description``);
* ``serialize`` the canonical Turtle (``serialize.write_turtle``) to ``--out`` (default: a
                temporary file, deleted afterwards).

For each: wall seconds, CPU seconds (this process and its children: the machine is shared, so
CPU time is the steadier figure), seconds spent in the cyclic garbage collector, the process's
peak RSS so far (MB) and triples per second.
``--profile STAGE`` prints the 25 most expensive functions of one stage (cProfile).
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

STAGES = ("load", "build", "describe", "serialize")


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_mb() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(me, kids) / 1024   # ru_maxrss is in KiB on Linux


_GC = {"seconds": 0.0, "start": 0.0}


def _on_gc(phase: str, info: dict) -> None:
    if phase == "start":
        _GC["start"] = time.perf_counter()
    else:
        _GC["seconds"] += time.perf_counter() - _GC["start"]


class _Stage:
    def __init__(self, name: str, profile: str | None, rows: list):
        self.name, self.rows = name, rows
        self.profiler = None
        if profile == name:
            import cProfile
            self.profiler = cProfile.Profile()
        self.triples = 0

    def __enter__(self):
        self.wall, self.cpu, self.gc = time.perf_counter(), _cpu(), _GC["seconds"]
        if self.profiler:
            self.profiler.enable()
        return self

    def __exit__(self, *exc):
        if self.profiler:
            self.profiler.disable()
        wall, cpu = time.perf_counter() - self.wall, _cpu() - self.cpu
        self.rows.append((self.name, wall, cpu, _GC["seconds"] - self.gc, _peak_mb(),
                          self.triples))
        if self.profiler:
            import pstats
            pstats.Stats(self.profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        return False


def run(data_dir: Path, out: Path | None, profile: str | None) -> list:
    from livergraph import __version__
    from livergraph.model.build import _build_from, add_generated_terms
    from livergraph.model.description import add_description
    from livergraph.model.load import load_records, paused_gc, require_data_dir
    from livergraph.model.schema import load_ontology_graph, schema_from_graph
    from livergraph.io.turtle import write_turtle
    from livergraph.io.atomic import write_atomic
    from livergraph.model.vocabulary import load_vocabulary
    from livergraph.project import Paths

    rows: list = []
    ontology = Paths(ROOT).ontology
    with _Stage("load", profile, rows) as st:
        require_data_dir(data_dir)
        schema = schema_from_graph(load_ontology_graph(ontology))
        vocab = load_vocabulary(data_dir)
        add_generated_terms(vocab, data_dir)
        records = load_records(data_dir)
        st.triples = 0
    n_records = len(records)
    with _Stage("build", profile, rows) as st:
        with paused_gc():   # as build.build does
            result = _build_from(schema, vocab, records, include_ontology=True, release=True,
                                 describe=False)
        graph = result.graph
        st.triples = len(graph)
    with _Stage("describe", profile, rows) as st:
        add_description(graph, version=__version__)
        st.triples = len(graph)
    target = out or Path(tempfile.mkdtemp(prefix="lg-build-speed-")) / "graph.ttl"
    with _Stage("serialize", profile, rows) as st:
        write_atomic(target, lambda h: write_turtle(graph, h))
        st.triples = len(graph)
    if out is None:
        target.unlink()
        target.parent.rmdir()
    print(f"{n_records} records, {len(graph)} triples", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="a data directory (benchmarks/generate.py makes them)")
    ap.add_argument("--out", type=Path, help="keep the Turtle here (to compare with cmp)")
    ap.add_argument("--profile", choices=STAGES, help="profile one stage with cProfile")
    args = ap.parse_args(argv)
    import gc
    gc.callbacks.append(_on_gc)
    start_wall, start_cpu = time.perf_counter(), _cpu()
    rows = run(args.data, args.out, args.profile)
    print(f"{'stage':<10} {'wall s':>8} {'CPU s':>8} {'gc s':>6} {'peak MB':>8} "
          f"{'triples/s':>10}")
    for name, wall, cpu, gc_s, peak, triples in rows:
        rate = f"{triples / wall:,.0f}" if triples and wall else "-"
        print(f"{name:<10} {wall:8.2f} {cpu:8.2f} {gc_s:6.2f} {peak:8.0f} {rate:>10}")
    print(f"{'total':<10} {time.perf_counter() - start_wall:8.2f} {_cpu() - start_cpu:8.2f} "
          f"{_GC['seconds']:6.2f} {_peak_mb():8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
