"""How fast every named query answers on a large graph, from a published build.

Given a built graph as N-Triples (for example a synthetic one from ``benchmarks/generate.py`` and
``livergraph build --no-reason``), the script

1. publishes it as a build (``livergraph.publish.artifact.install_ntriples``: bulk-loaded into an
   on-disk Oxigraph store, with a manifest of the data's hashes), timing that one-off step and the
   bulk load's throughput against pyoxigraph's N-Triples parser alone;
2. times opening the store read-only;
3. times every named query in ``queries/`` as ``livergraph query`` answers it in-process: open
   the store, run the query, render the table with labels (median of ``--runs``);
4. with ``--data DIR`` (the curated data the graph was built from), publishes it as the build of
   DIR and also times ``livergraph query --no-rebuild --data DIR --build-dir ...`` in a fresh
   process (start-up, hashing the inputs against the manifest, the query, the table).

``--in-memory`` times the previous way instead: the N-Triples parsed into an in-memory store
(once; its time is reported), then each query on it. ``--queries DIR`` runs another set of
``.rq`` files (for example an older version of the queries, to compare).

    nice python benchmarks/query_scale.py /tmp/lgb/bench/100000/graph.nt \\
        --data /tmp/lgb/bench/100000/data --runs 3 --json results.json
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from livergraph.query import render as results  # noqa: E402
from livergraph.publish import artifact  # noqa: E402
from livergraph.publish.inputs import Inputs  # noqa: E402
from livergraph.namespaces import PREFIXES  # noqa: E402
from livergraph.query.engine import (store_labels, call_with_timeout, named_queries,  # noqa: E402
                              open_store)


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def _answer(store, text: str) -> int:
    """Run ``text`` on ``store`` and render the table as ``livergraph query`` does; row count."""
    import pyoxigraph as ox
    result = store.query(text, prefixes=dict(PREFIXES))
    if isinstance(result, ox.QueryBoolean):
        return 1
    if isinstance(result, ox.QuerySolutions):
        data = results.render_solutions(result, "table", store_labels(store), dict(PREFIXES),
                                        "en")
        return max(0, data.count(b"\n") - 3)   # header, rule and "(n rows)"
    return len(results.render_triples(result, "turtle", dict(PREFIXES)).splitlines())


def _timed_store_query(store_dir: str, text: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the process, rows): open the store, query, render."""
    start, cpu = time.perf_counter(), time.process_time()
    store = open_store(store_dir)
    rows = _answer(store, text)
    return time.perf_counter() - start, time.process_time() - cpu, rows


_MEMORY: dict = {}


def _timed_memory_query(_unused: str, text: str) -> tuple[float, float, int]:
    start, cpu = time.perf_counter(), time.process_time()
    rows = _answer(_MEMORY["store"], text)
    return time.perf_counter() - start, time.process_time() - cpu, rows


def _rekey(published, inputs: Inputs) -> None:
    """Record the inputs' current hashes in an installed build's manifest (the graph here
    comes from the given N-Triples, not from the builder, so it is not rebuilt)."""
    from livergraph.io.atomic import write_atomic
    path = published.directory / artifact.MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["inputs"], manifest["signatures"] = inputs.scan()
    write_atomic(path, lambda h: h.write(json.dumps(manifest, indent=1, sort_keys=True) + "\n"))


def livergraph_command() -> list[str]:
    script = Path(sys.executable).parent / "livergraph"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "livergraph"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", type=Path, help="the built graph as N-Triples")
    parser.add_argument("--data", type=Path, help="the curated data it was built from: also "
                        "time `livergraph query --data DIR --name NAME`")
    parser.add_argument("--queries", type=Path, default=ROOT / "queries",
                        help="directory of named queries (default: queries/)")
    parser.add_argument("--name", action="append", help="only this named query (repeatable)")
    parser.add_argument("--runs", type=int, default=3, help="runs per query (default 3)")
    parser.add_argument("--command-runs", type=int, default=1,
                        help="runs of the whole command per query, with --data (default 1)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="stop a query after this many seconds (default 300)")
    parser.add_argument("--cache-dir", type=Path,
                        help="where to put the build (default: a temporary directory, removed)")
    parser.add_argument("--in-memory", action="store_true",
                        help="time the previous way: parse the N-Triples into memory")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()

    import pyoxigraph as ox
    graph = args.graph.resolve()
    queries = [q for q in named_queries(args.queries) if not args.name or q.name in args.name]
    report: dict = {"graph": str(graph), "python": platform.python_version(),
                    "pyoxigraph": ox.__version__, "runs": args.runs,
                    "mode": "in-memory" if args.in_memory else "store", "queries": {}}

    start = time.perf_counter()
    triples = sum(1 for _ in ox.parse(path=str(graph), format=ox.RdfFormat.N_TRIPLES,
                                      lenient=True))
    parse_s = time.perf_counter() - start
    report.update(triples=triples, parse_s=parse_s, nt_bytes=graph.stat().st_size)
    print(f"{graph}: {triples:,} triples, {graph.stat().st_size / 1e6:,.0f} MB; pyoxigraph's "
          f"parser alone: {parse_s:.1f} s = {triples / parse_s:,.0f} triples/s")

    temporary = None
    if args.in_memory:
        start = time.perf_counter()
        _MEMORY["store"] = open_store(str(graph))
        load_s = time.perf_counter() - start
        report.update(memory_load_s=load_s)
        print(f"parse into an in-memory store (every query did this before): {load_s:.1f} s = "
              f"{triples / load_s:,.0f} triples/s")
        timed, where = _timed_memory_query, ""
    else:
        base = args.cache_dir or Path(temporary := tempfile.mkdtemp(prefix="lg-query-scale-"))
        data = args.data or ROOT / "data"
        inputs = Inputs(ROOT, ROOT / "ontology" / "livergraph.ttl", ROOT / "shapes", data)
        directory = base / "build"
        start = time.perf_counter()
        cached = artifact.install_ntriples(inputs, directory, graph)
        build_s = time.perf_counter() - start
        cached.release()
        store_bytes = _dir_size(cached.store_path)
        bulk_s = cached.manifest["seconds"]["bulk_load"]
        compact_s = cached.manifest["seconds"]["compact"]
        opens = []
        for _ in range(max(args.runs, 5)):
            start = time.perf_counter()
            ox.Store.read_only(str(cached.store_path))      # dropped (closed) right away
            opens.append(time.perf_counter() - start)
        open_s = statistics.median(opens)
        report.update(cache_build_s=build_s, bulk_load_s=bulk_s, compact_s=compact_s,
                      store_bytes=store_bytes, store_open_s=open_s)
        print(f"cache build (copy + bulk load + compaction, once): {build_s:.1f} s; bulk load "
              f"{bulk_s:.1f} s = {triples / bulk_s:,.0f} triples/s "
              f"({triples / bulk_s / (triples / parse_s):.0%} of the parser's rate), "
              f"compaction {compact_s:.1f} s")
        print(f"store on disk: {store_bytes / 1e6:,.0f} MB (+ {graph.stat().st_size / 1e6:,.0f} "
              f"MB of N-Triples); read-only open: {open_s * 1000:.1f} ms (median)")
        timed, where = _timed_store_query, str(cached.store_path)

    width = max(len(q.name) for q in queries)
    cli = bool(args.data) and not args.in_memory
    head = (f"{'named query'.ljust(width)}  rows  in-process ms  CPU ms" +
            ("  command ms" if cli else ""))
    print(head)
    lg = livergraph_command()
    rekeyed = 0
    for q in queries:
        times, cpus, rows, note = [], [], None, ""
        for _ in range(args.runs):
            try:
                seconds, cpu, rows = call_with_timeout(timed, (where, q.text), args.timeout)
            except Exception as exc:  # noqa: BLE001 - report and go on
                note = f"failed: {exc}"
                break
            times.append(seconds)
            cpus.append(cpu)
        entry = {"rows": rows, "in_process_s": statistics.median(times) if times else None,
                 "cpu_s": statistics.median(cpus) if cpus else None, "runs_s": times}
        if note:
            entry["note"] = note
        if cli and times:
            walls = []
            for _ in range(args.command_runs):
                if artifact.stale_reasons(cached, inputs):
                    # the builder's code changed since the install (someone is editing the
                    # tree): the graph here comes from the given N-Triples, not from the
                    # builder, so record the new hashes rather than build it again
                    _rekey(cached, inputs)
                    cached.manifest["inputs"], cached.manifest["signatures"] = inputs.scan()
                    rekeyed += 1
                argv = lg + ["query", "--no-rebuild", "--data", str(args.data), "--build-dir",
                             str(directory), "--name", q.name, "--root", str(ROOT)]
                start = time.perf_counter()
                try:
                    done = subprocess.run(argv, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE, timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    entry["note"] = f"command stopped after {args.timeout:g} s"
                    break
                walls.append(time.perf_counter() - start)
                if done.returncode not in (0, 1) or b"building" in done.stderr:
                    entry["note"] = "command: " + done.stderr.decode(errors="replace")[-300:]
                    break
            if walls:
                entry["command_s"] = statistics.median(walls)
        report["queries"][q.name] = entry
        shown = "-" if entry["in_process_s"] is None else f"{entry['in_process_s'] * 1000:13.1f}"
        cpu = "-" if entry["cpu_s"] is None else f"{entry['cpu_s'] * 1000:6.0f}"
        line = (f"{q.name.ljust(width)}  {str(rows if rows is not None else '-'):>4}  "
                f"{shown:>13}  {cpu:>6}")
        if cli and "command_s" in entry:
            line += f"  {entry['command_s'] * 1000:10.1f}"
        print(line + (f"  {entry['note']}" if "note" in entry else ""), flush=True)
    done_times = [e["in_process_s"] for e in report["queries"].values() if e["in_process_s"]]
    if done_times:
        slow = sum(1 for t in done_times if t >= 1.0)
        cpus = [e["cpu_s"] for e in report["queries"].values() if e["cpu_s"] is not None]
        print(f"{len(done_times) - slow} of {len(queries)} under 1 s in-process "
              f"({sum(1 for t in cpus if t < 1.0)} under 1 s of CPU); median "
              f"{statistics.median(done_times) * 1000:.1f} ms, slowest "
              f"{max(done_times) * 1000:.1f} ms")
    if rekeyed:
        print(f"(the builder's code changed {rekeyed} time(s) during the run; the cache was "
              "given the new hashes each time, as the graph comes from the N-Triples given)")
    report["rekeyed"] = rekeyed
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if temporary:
        shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
