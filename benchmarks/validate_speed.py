"""How fast livergraph validates a large graph, and how much memory it takes.

    .venv/bin/python benchmarks/validate_speed.py /tmp/lgb/bench/10000/graph.nt
    .venv/bin/python benchmarks/validate_speed.py /tmp/lgb/bench/1000/data --plain
    .venv/bin/python benchmarks/validate_speed.py GRAPH --workers 1 --chunk 5000

The input is a built graph (N-Triples or Turtle, read with rdflib, the ontology added if it is
missing) or a curated data directory (built with livergraph.model.build.build first). Reading or building
is not timed. Printed: triples, seconds (wall and this process's CPU), triples per second, the
number of results by severity, and peak resident memory of this process and of its largest worker
(``ru_maxrss``; a worker shares the graph with this process copy-on-write, so the two figures
overlap and their sum overstates the total). ``--plain`` also runs pySHACL over the whole graph
and checks that both give the same results.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _rss_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def load(path: Path):
    from livergraph.validate.shacl import read_graph, with_ontology
    ontology = ROOT / "ontology" / "livergraph.ttl"
    if path.is_dir():
        from livergraph.model.build import build
        return build(ontology, path).graph
    return with_ontology(read_graph([path], ontology), ontology)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", type=Path, help="graph file (.nt, .ttl) or data directory")
    ap.add_argument("--plain", action="store_true", help="also run pySHACL over the whole graph")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--chunk", type=int, default=None, help="subjects per chunk")
    args = ap.parse_args(argv)
    from livergraph.validate.shacl import load_shapes, validate

    t0 = time.perf_counter()
    graph = load(args.input)
    shapes, files = load_shapes(ROOT / "shapes")
    print(f"input      {args.input}: {len(graph):,} triples, read in "
          f"{time.perf_counter() - t0:.1f} s, {_rss_mb(resource.RUSAGE_SELF):,.0f} MB")
    runs = [("scale", {"engine": "scale", "workers": args.workers, "chunk_size": args.chunk})]
    if args.plain:
        runs.append(("plain", {"engine": "plain"}))
    reports = {}
    for name, options in runs:
        c0 = time.process_time()
        t0 = time.perf_counter()
        report = validate(graph, shapes, files, **options)
        wall = time.perf_counter() - t0
        cpu = time.process_time() - c0
        reports[name] = report
        n = report.counts
        print(f"{name:<10} {len(graph):,} triples in {wall:.1f} s (CPU here {cpu:.1f} s): "
              f"{len(graph) / wall:,.0f} triples/s; {n['violation']} violations, "
              f"{n['warning']} warnings, {n['info']} info; peak RSS {_rss_mb(resource.RUSAGE_SELF):,.0f} MB"
              f" (largest worker {_rss_mb(resource.RUSAGE_CHILDREN):,.0f} MB)")
        sys.stdout.flush()
    if args.plain:
        same = [asdict(r) for r in reports["scale"].results] == \
            [asdict(r) for r in reports["plain"].results]
        print(f"identical  {same}")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
