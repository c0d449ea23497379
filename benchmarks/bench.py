"""Benchmark every stage of livergraph on synthetic data, side by side with the plain way.

    .venv/bin/python benchmarks/bench.py                       # N = 1,000, 10,000, 100,000
    .venv/bin/python benchmarks/bench.py --sizes 1000,10000 --skip-plain

For each N it generates N trials (``benchmarks/generate.py``, cached under ``--work``) and runs
each stage in its own process, so one stage's memory never shows in another's figure. A stage's
process first does, untimed, whatever the stage needs (building the graph before serializing it,
loading the store before querying it); the wall time is that of the stage alone, the peak memory
that of its whole process (``ru_maxrss`` of the child, from ``os.wait4``). Whole commands
(``livergraph build``, ``query``, ``viz``, ``export``) run as the user runs them, start-up
included.

The *plain way* is the same work with rdflib's default in-memory store, its Turtle serializer,
its SPARQL engine and pySHACL over the whole graph. It is measured in the same run (so every
ratio compares figures taken on the same machine at the same time) for N up to ``--plain-max``;
above that it would take tens of minutes, and its time is extrapolated linearly from the largest
N measured (marked ``~``; the plain serializer and SPARQL grow faster than linearly, so the
extrapolation flatters them).

The table is printed as Markdown and written with every figure to ``benchmarks/results/`` as JSON
(``latest.json`` and one file per run). Stages whose module does not exist yet are ``n/a``.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

DEFAULT_SIZES = (1_000, 10_000, 100_000)
LIVERGRAPH = [sys.executable, "-m", "livergraph"]
#: the three-hop join: albumin results of studies reporting trials whose lead sponsor is known,
#: with the cell type of the trial's cell therapy (trial -> sponsor, trial -> intervention ->
#: cell type, study -> trial, study -> measurement -> measure)
JOIN_QUERY = """
SELECT ?sponsor ?cell (COUNT(?m) AS ?n) WHERE {
  ?trial lg:leadSponsor ?sponsor ; lg:hasIntervention ?iv .
  ?iv lg:cellType ?cell .
  ?study lg:reportsTrial ?trial ; lg:hasMeasurement ?m .
  ?m lg:measure lgc:measure-albumin .
} GROUP BY ?sponsor ?cell
"""


# ------------------------------------------------------------------------------------------------
# stages: each runs in a child process and returns a dict of figures
# ------------------------------------------------------------------------------------------------

class Skip(Exception):
    """The stage cannot run (its module or input is missing): reported as n/a."""


def _paths(work: Path) -> dict[str, Path]:
    return {"data": work / "data", "ttl": work / "graph.ttl", "nt": work / "graph.nt",
            "cache": work / "cache"}


def _inputs(work: Path):
    from livergraph.model import build
    from livergraph.model.load import load_records
    from livergraph.model.schema import load_schema
    from livergraph.model.vocabulary import load_vocabulary
    data = _paths(work)["data"]
    schema = load_schema(ROOT / "ontology" / "livergraph.ttl")
    vocab = load_vocabulary(data)
    if hasattr(build, "add_generated_terms"):     # the importer's term lists, as build() does
        build.add_generated_terms(vocab, data)
    return schema, vocab, load_records(data)


def _built(work: Path):
    from livergraph.model.build import build
    return build(ROOT / "ontology" / "livergraph.ttl", _paths(work)["data"])


def _cpu() -> float:
    """CPU seconds of this process and of the programs it ran (HermiT runs in Java)."""
    import resource
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def _timed(fn):
    t0, c0 = time.perf_counter(), _cpu()
    value = fn()
    return value, time.perf_counter() - t0, _cpu() - c0


def stage_load(work: Path) -> dict:
    from livergraph.model.load import load_records
    from livergraph.model.vocabulary import load_vocabulary
    data = _paths(work)["data"]
    (vocab, records), s, c = _timed(lambda: (load_vocabulary(data), load_records(data)))
    return {"seconds": s, "cpu": c, "items": len(records), "note": "YAML files -> records"}


def stage_build(work: Path) -> dict:
    from livergraph.model.build import build_from
    schema, vocab, records = _inputs(work)
    result, s, c = _timed(lambda: build_from(schema, vocab, records))
    return {"seconds": s, "cpu": c, "triples": len(result.graph),
            "note": "records -> rdflib graph (schema checks included)"}


def stage_validate(work: Path) -> dict:
    try:
        from livergraph.validate.shacl import load_shapes, validate
    except ImportError:
        raise Skip("livergraph.validate.shacl not there yet") from None
    result = _built(work)
    shapes, files = load_shapes(ROOT / "shapes")
    report, s, c = _timed(lambda: validate(result.graph, shapes, files))
    return {"seconds": s, "cpu": c, "triples": len(result.graph),
            "note": f"{len(report.results)} results (SPARQL constraints on pyoxigraph, "
                    f"core shapes by pySHACL on chunks in worker processes)"}


def stage_validate_plain(work: Path) -> dict:
    import pyshacl
    from livergraph.validate.shacl import load_shapes
    result = _built(work)
    shapes, _ = load_shapes(ROOT / "shapes")
    _, s, c = _timed(lambda: pyshacl.validate(result.graph, shacl_graph=shapes, inference="none",
                                              allow_warnings=True))
    return {"seconds": s, "cpu": c, "triples": len(result.graph),
            "note": "pyshacl.validate over the whole graph"}


def _reason(work: Path, modular: bool) -> dict:
    from livergraph.reason.hermit import reason
    result = _built(work)
    out, s, c = _timed(lambda: reason(result.graph, modular=modular))
    return {"seconds": s, "cpu": c, "triples": len(result.graph),
            "note": f"{len(out.inferred)} inferred types; HermiT, {out.method}"
                    + (f" ({out.kinds} kinds of record)" if out.kinds else "")}


def stage_reason(work: Path) -> dict:
    """HermiT on one representative per kind of record (livergraph.reason.hermit.modular_input)."""
    return _reason(work, True)


def stage_reason_plain(work: Path) -> dict:
    """HermiT on every record (reason(graph, modular=False))."""
    return _reason(work, False)


def stage_serialize(work: Path) -> dict:
    from livergraph.io.turtle import write_turtle
    p = _paths(work)
    result = _built(work)

    def write():
        with open(p["ttl"], "w", encoding="utf-8", newline="\n") as h:
            return write_turtle(result.graph, h)
    n, s, c = _timed(write)
    # untimed: the N-Triples copy the later stages load
    import pyoxigraph as ox
    ox.serialize(ox.parse(path=str(p["ttl"]), format=ox.RdfFormat.TURTLE), output=str(p["nt"]),
                 format=ox.RdfFormat.N_TRIPLES)
    return {"seconds": s, "cpu": c, "triples": n, "bytes": p["ttl"].stat().st_size,
            "note": "livergraph.io.turtle.write_turtle (canonical)"}


def stage_serialize_plain(work: Path) -> dict:
    result = _built(work)
    out = work / "plain.ttl"
    _, s, c = _timed(lambda: result.graph.serialize(destination=str(out), format="turtle"))
    return {"seconds": s, "cpu": c, "triples": len(result.graph),
            "note": "rdflib Graph.serialize(format='turtle')"}


def _need(path: Path) -> Path:
    if not path.exists():
        raise Skip(f"{path.name} missing (run the serialize stage first)")
    return path


def stage_load_graph(work: Path) -> dict:
    import pyoxigraph as ox
    nt = _need(_paths(work)["nt"])
    store = ox.Store()
    _, s, c = _timed(lambda: store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES))
    return {"seconds": s, "cpu": c, "triples": len(store),
            "note": "pyoxigraph Store.bulk_load, N-Triples"}


def stage_load_graph_plain(work: Path) -> dict:
    from rdflib import Graph
    nt = _need(_paths(work)["nt"])
    g = Graph()
    _, s, c = _timed(lambda: g.parse(str(nt), format="nt"))
    return {"seconds": s, "cpu": c, "triples": len(g), "note": "rdflib Graph.parse, N-Triples"}


def stage_parse_turtle(work: Path) -> dict:
    import pyoxigraph as ox
    ttl = _need(_paths(work)["ttl"])
    n, s, c = _timed(lambda: sum(1 for _ in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)))
    return {"seconds": s, "cpu": c, "triples": n, "note": "pyoxigraph.parse, Turtle"}


def stage_parse_turtle_plain(work: Path) -> dict:
    from rdflib import Graph
    ttl = _need(_paths(work)["ttl"])
    g = Graph()
    _, s, c = _timed(lambda: g.parse(str(ttl), format="turtle"))
    return {"seconds": s, "cpu": c, "triples": len(g), "note": "rdflib Graph.parse, Turtle"}


def _prefixes() -> dict[str, str]:
    from livergraph.namespaces import PREFIXES
    return dict(PREFIXES)


def stage_join(work: Path) -> dict:
    import pyoxigraph as ox
    store = ox.Store()
    store.bulk_load(path=str(_need(_paths(work)["nt"])), format=ox.RdfFormat.N_TRIPLES)
    rows, s, c = _timed(lambda: len(list(store.query(JOIN_QUERY, prefixes=_prefixes()))))
    return {"seconds": s, "cpu": c, "graph_triples": len(store),
            "note": f"{rows} rows, Oxigraph"}


def stage_join_plain(work: Path) -> dict:
    from rdflib import Graph
    g = Graph().parse(str(_need(_paths(work)["nt"])), format="nt")
    rows, s, c = _timed(lambda: len(list(g.query(JOIN_QUERY, initNs=_prefixes()))))
    return {"seconds": s, "cpu": c, "graph_triples": len(g),
            "note": f"{rows} rows, rdflib SPARQL"}


def _named():
    try:
        from livergraph.query.engine import named_queries
    except ImportError:
        raise Skip("livergraph.query.engine not there yet") from None
    return [q for q in named_queries(ROOT / "queries") if not q.params]


def _queries_in(engine_query, triples: int) -> dict:
    per = {}
    for nq in _named():
        rows, s, c = _timed(lambda q=nq: engine_query(q.text))
        per[nq.name] = {"seconds": s, "cpu": c, "rows": rows}
    worst = max(per.items(), key=lambda kv: kv[1]["seconds"]) if per else (None, {"seconds": 0})
    return {"seconds": sum(v["seconds"] for v in per.values()),
            "cpu": sum(v["cpu"] for v in per.values()), "graph_triples": triples,
            "queries": per, "slowest": worst[0], "slowest_seconds": worst[1]["seconds"],
            "note": f"{len(per)} named queries, sum; slowest {worst[0]} "
                    f"{worst[1]['seconds']:.3f} s"}


def stage_named_queries(work: Path) -> dict:
    import pyoxigraph as ox
    store = ox.Store()
    store.bulk_load(path=str(_need(_paths(work)["nt"])), format=ox.RdfFormat.N_TRIPLES)
    pre = _prefixes()
    return _queries_in(lambda text: len(list(store.query(text, prefixes=pre))), len(store))


def stage_named_queries_plain(work: Path) -> dict:
    from rdflib import Graph
    g = Graph().parse(str(_need(_paths(work)["nt"])), format="nt")
    pre = _prefixes()
    return _queries_in(lambda text: len(list(g.query(text, initNs=pre))), len(g))


# whole commands, run as a user runs them ---------------------------------------------------------

def _cli(args: list[str], work: Path, note: str, out_name: str | None = None) -> dict:
    import resource
    cmd = LIVERGRAPH + ["--help"] if not args else LIVERGRAPH + args
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    s = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if done.returncode == 2 and "No such command" in done.stderr:
        raise Skip(f"livergraph {args[0]} not there yet")
    if done.returncode not in (0, 1):
        raise RuntimeError(f"livergraph {' '.join(args)} exited {done.returncode}: "
                           + done.stderr.strip()[-300:])
    return {"seconds": s, "cpu": cpu, "exit": done.returncode, "note": note}


def stage_cli_build(work: Path) -> dict:
    p = _paths(work)
    r = _cli(["build", "--root", str(ROOT), "--data", str(p["data"]), "-o",
              str(work / "cli-build.ttl")], work, "livergraph build (whole command)")
    return r


def stage_cli_build_only(work: Path) -> dict:
    p = _paths(work)
    return _cli(["build", "--root", str(ROOT), "--data", str(p["data"]), "--no-validate",
                 "--no-reason", "-o", str(work / "cli-build-only.ttl")], work,
                "livergraph build --no-validate --no-reason")


def stage_cache(work: Path) -> dict:
    p = _paths(work)
    return _cli(["query", "--root", str(ROOT), "--data", str(p["data"]), "--build-dir",
                 str(p["cache"]), "--rebuild", "--format", "csv", "ASK {}"], work,
                "livergraph query --rebuild: build + write the cache")


def stage_cli_query(work: Path) -> dict:
    p = _paths(work)
    per = {}
    for nq in _named():
        r = _cli(["query", "--root", str(ROOT), "--data", str(p["data"]), "--build-dir",
                  str(p["cache"]), "--name", nq.name, "--format", "csv"], work, "")
        per[nq.name] = {"seconds": r["seconds"], "exit": r["exit"]}
    worst = max(per.items(), key=lambda kv: kv[1]["seconds"])
    return {"seconds": worst[1]["seconds"], "queries": per,
            "note": f"slowest of {len(per)}: {worst[0]} (start-up and cache load included)"}


def stage_viz_focus(work: Path) -> dict:
    ttl = _need(_paths(work)["ttl"])
    from generate import trial_id
    return _cli(["viz", "--root", str(ROOT), "--graph", str(ttl), "--focus", trial_id(0),
                 "-o", str(work / "viz.html")], work, "livergraph viz --graph --focus")


def stage_export(work: Path) -> dict:
    p = _paths(work)
    return _cli(["export", "--root", str(ROOT), "--data", str(p["data"]), "--format", "nt",
                 "-o", str(work / "export.nt")], work, "livergraph export --format nt")


#: (name, livergraph's way, the plain way); in the order they run
STAGES = [
    ("load", stage_load, None),
    ("build", stage_build, None),
    ("validate", stage_validate, stage_validate_plain),
    ("reason", stage_reason, stage_reason_plain),
    ("serialize", stage_serialize, stage_serialize_plain),
    ("livergraph build --no-validate --no-reason", stage_cli_build_only, None),
    ("livergraph build", stage_cli_build, None),
    ("load graph (N-Triples)", stage_load_graph, stage_load_graph_plain),
    ("parse Turtle", stage_parse_turtle, stage_parse_turtle_plain),
    ("three-hop join", stage_join, stage_join_plain),
    ("named queries (engine)", stage_named_queries, stage_named_queries_plain),
    ("query cache build", stage_cache, None),
    ("livergraph query --name", stage_cli_query, None),
    ("viz --focus", stage_viz_focus, None),
    ("export nt", stage_export, None),
]
FUNCS = {f.__name__: f for _, a, b in STAGES for f in (a, b) if f}


# ------------------------------------------------------------------------------------------------
# the parent: one child process per stage
# ------------------------------------------------------------------------------------------------

def run_child(func: str, work: Path, timeout: float) -> dict:
    """Run one stage function in a fresh interpreter; add its peak RSS from wait4."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", dir=work, delete=False) as tmp:
        out = Path(tmp.name)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", func, "--work", str(work),
           "--result", str(out)]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL)
    t0 = time.perf_counter()
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - t0 > timeout:
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    try:
        result = json.loads(out.read_text()) if out.stat().st_size else {}
    finally:
        out.unlink(missing_ok=True)
    if timed_out:
        result = {"status": "timeout", "note": f"stopped after {timeout:.0f} s"}
    elif not result:
        result = {"status": "error", "note": err.strip().splitlines()[-1][:300] if err.strip()
                  else f"exit {proc.returncode}"}
    # ru_maxrss is in KiB on Linux; for whole commands the child's own child dominates
    result["peak_mb"] = round(usage.ru_maxrss / 1024, 1)
    if "children_peak_mb" in result:
        result["peak_mb"] = max(result["peak_mb"], result.pop("children_peak_mb"))
    return result


def child_main(func: str, work: Path, result_path: Path) -> int:
    import resource
    try:
        result = FUNCS[func](work)
        result["status"] = "ok"
    except Skip as exc:
        result = {"status": "n/a", "note": str(exc)}
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if kids:
        result["children_peak_mb"] = round(kids / 1024, 1)
    result_path.write_text(json.dumps(result))
    return 0


def ensure_data(n: int, work: Path, seed: int) -> dict:
    import generate
    stamp = work / "stamp.json"
    want = {"trials": n, "seed": seed, "generator": generate.GENERATOR_VERSION}
    if stamp.exists() and json.loads(stamp.read_text()) == want and (work / "data").is_dir():
        return {"cached": True}
    work.mkdir(parents=True, exist_ok=True)
    for stale in ("graph.ttl", "graph.nt", "cache"):
        target = work / stale
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    _, s, _ = _timed(lambda: generate.generate(n, work, seed))
    stamp.write_text(json.dumps(want))
    return {"cached": False, "seconds": s}


#: stages whose time does not grow with the triples they read (a query's grows with its answer)
UNRATED = {"three-hop join", "named queries (engine)"}


def rate(r: dict) -> float | None:
    if r.get("status") == "ok" and r.get("triples") and r.get("seconds"):
        return r["triples"] / r["seconds"]
    return None


def fmt_s(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 100 else f"{x:.0f}"


def fmt_cell(r: dict | None, rated: bool = True) -> tuple[str, str, str, str]:
    """(wall seconds, CPU seconds, peak MB, triples per second) as shown in the table."""
    if not r:
        return "", "", "", ""
    if r.get("status") == "extrapolated":
        return f"~{fmt_s(r['seconds'])}", "", "", ""
    if r.get("status") != "ok":
        return r.get("status", "?"), "", "", ""
    tps = rate(r) if rated else None
    return (fmt_s(r["seconds"]), fmt_s(r.get("cpu")), f"{r['peak_mb']:.0f}",
            f"{tps:,.0f}" if tps else "")


def table(run: dict) -> str:
    lines = ["Wall seconds are on a shared machine; CPU seconds (user + system of the stage's "
             "process, or of the command it ran) are steadier, and the ratios and growth use "
             "them. ~ marks the plain way extrapolated linearly from a smaller N."]
    for size in run["sizes"]:
        res = size["stages"]
        triples = f"{size['triples']:,}" if size.get("triples") else "?"
        lines.append(f"\n**N = {size['trials']:,} trials** ({triples} triples)\n")
        lines.append("| stage | seconds | CPU s | peak MB | triples/s | plain way s | "
                     "plain peak MB | plain / livergraph |")
        lines.append("|---|--:|--:|--:|--:|--:|--:|--:|")
        for name, _, plain in STAGES:
            ours = res.get(name)
            if ours is None:
                continue
            p = res.get(name + " (plain)")
            o_s, o_c, o_m, o_r = fmt_cell(ours, name not in UNRATED)
            p_s, _, p_m, _ = fmt_cell(p)
            ratio = ""
            if (p and ours.get("status") == "ok" and p.get("status") in ("ok", "extrapolated")
                    and ours.get("seconds")):
                key = "cpu" if ours.get("cpu") and p.get("cpu") else "seconds"
                ratio = ("~" if p["status"] == "extrapolated" else "") + \
                    f"{p[key] / ours[key]:.1f}×" + ("" if key == "cpu" else " (wall)")
            note = ours.get("note", "") if ours.get("status") != "ok" else ""
            lines.append(f"| {name}{' — ' + note if note else ''} | {o_s} | {o_c} | {o_m} | "
                         f"{o_r} | {p_s} | {p_m} | {ratio} |")
    growth = growth_rows(run)
    if growth:
        lines.append("\n**Growth**: CPU time at 10× the trials ÷ CPU time before (linear is "
                     "10×; wall time where no CPU time was measured)\n")
        lines.append("| stage | " + " | ".join(g[0] for g in growth[0][1]) + " |")
        lines.append("|---|" + "--:|" * len(growth[0][1]))
        for name, cells in growth:
            lines.append(f"| {name} | " + " | ".join(c for _, c in cells) + " |")
    return "\n".join(lines)


def growth_rows(run: dict) -> list:
    sizes = run["sizes"]
    pairs = [(a, b) for a, b in zip(sizes, sizes[1:]) if b["trials"] == 10 * a["trials"]]
    if not pairs:
        return []
    rows = []
    for name, _, _ in STAGES:
        cells = []
        for a, b in pairs:
            ra, rb = a["stages"].get(name, {}), b["stages"].get(name, {})
            label = f"{a['trials'] // 1000}k→{b['trials'] // 1000}k"
            if ra.get("status") == rb.get("status") == "ok" and ra.get("seconds"):
                key = "cpu" if ra.get("cpu") and rb.get("cpu") else "seconds"
                cells.append((label, f"{rb[key] / ra[key]:.1f}×"
                              + ("" if key == "cpu" else " (wall)")))
            else:
                cells.append((label, ""))
        if any(c for _, c in cells):
            rows.append((name, cells))
    return rows


def extrapolate(run: dict, n: int, name: str) -> dict | None:
    """The plain way's time at ``n``, linear in triples from the largest N measured."""
    for size in sorted(run["sizes"], key=lambda s: -s["trials"]):
        r = size["stages"].get(name + " (plain)")
        if size["trials"] < n and r and r.get("status") == "ok" and r.get("seconds"):
            factor = n / size["trials"]
            return {"status": "extrapolated", "seconds": r["seconds"] * factor,
                    "cpu": r["cpu"] * factor if r.get("cpu") else None,
                    "note": f"linear from N={size['trials']:,} (×{factor:g})"}
    return None


def machine() -> dict:
    import importlib.metadata as md
    versions = {}
    for dist in ("rdflib", "pyoxigraph", "pyshacl", "PyYAML", "owlready2"):
        try:
            versions[dist] = md.version(dist)
        except md.PackageNotFoundError:
            pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
            "load_average_at_start": os.getloadavg(), "versions": versions, "commit": commit}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark livergraph's stages against the plain "
                                             "rdflib way.")
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                    help="comma-separated numbers of trials (default: 1000,10000,100000)")
    ap.add_argument("--skip-plain", action="store_true",
                    help="do not run the plain way at all (ratios are then extrapolated or empty)")
    ap.add_argument("--plain-max", type=int, default=1_000,
                    help="run the plain way up to this many trials; extrapolate above "
                         "(default: 1000; pySHACL over the whole graph takes 10 minutes there)")
    ap.add_argument("--stages", default="", help="comma-separated stage names to run (default: "
                                                 "all)")
    ap.add_argument("--skip", default="", help="comma-separated stage names not to run; "
                                               "'validate (plain)' skips only the plain way")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "livergraph-bench",
                    help="where generated data and outputs go (default: %(default)s)")
    ap.add_argument("--results", type=Path, default=HERE / "results")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=1800,
                    help="seconds per stage (default: 1800; a whole build of 100,000 trials "
                         "takes about 15 minutes here)")
    ap.add_argument("--combine", nargs="+", type=Path, metavar="RUN.json",
                    help="do not run: merge the sizes of earlier runs' JSON files into one "
                         "table (and latest.json), e.g. a 100,000 run made apart")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child_main(args.child, args.work, args.result)

    if args.combine:
        runs = [json.loads(p.read_text("utf-8")) for p in args.combine]
        merged: dict[int, dict] = {}
        for r in runs:                      # the same N in two runs: their stages together
            for size in r["sizes"]:
                into = merged.setdefault(size["trials"], {**size, "stages": {}})
                into["stages"].update({k: v for k, v in size["stages"].items()
                                       if v.get("status") != "n/a" or k not in into["stages"]})
                into["triples"] = into.get("triples") or size.get("triples")
        run = dict(runs[0], sizes=[merged[n] for n in sorted(merged)],
                   combined=[str(p) for p in args.combine])
        for size in run["sizes"]:          # the plain way where a run skipped it
            for name, ours, plain in STAGES:
                if size["stages"].get(name + " (plain)", {}).get("status") == "extrapolated":
                    del size["stages"][name + " (plain)"]       # again, from all the runs
                if plain and name in size["stages"] and name + " (plain)" not in size["stages"]:
                    est = extrapolate(run, size["trials"], name)
                    if est:
                        size["stages"][name + " (plain)"] = est
        return write_results(run, args.results)

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    only = {s.strip() for s in args.stages.split(",") if s.strip()}
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    run = {"started": _dt.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
           "argv": sys.argv[1:] if argv is None else argv,
           "sizes": [], "plain_max": 0 if args.skip_plain else args.plain_max}
    for n in sizes:
        work = args.work / str(n)
        gen = ensure_data(n, work, args.seed)
        how = "cached" if gen["cached"] else f"generated in {gen['seconds']:.1f} s"
        print(f"N={n:,}: data {how}", file=sys.stderr)
        size = {"trials": n, "generate": gen, "stages": {}}
        run["sizes"].append(size)
        for name, ours, plain in STAGES:
            if (only and name not in only) or name in skip:
                continue
            for label, func in ((name, ours), (name + " (plain)", plain)):
                if func is None or label in skip:
                    continue
                if func is plain and (args.skip_plain or n > args.plain_max):
                    est = extrapolate(run, n, name)
                    if est:
                        size["stages"][label] = est
                    continue
                r = run_child(func.__name__, work, args.timeout)
                size["stages"][label] = r
                if r.get("triples") and name == "build":
                    size["triples"] = r["triples"]
                shown = fmt_cell(r)
                print(f"  {label:32} {shown[0]:>9} s {shown[1]:>8} CPU s {shown[2]:>7} MB  "
                      f"{r.get('note', '')}", file=sys.stderr)
        if not size.get("triples"):
            size["triples"] = next((r["triples"] for r in size["stages"].values()
                                    if r.get("triples")), None)
        # after each size, so an interrupted run keeps what it measured
        (args.work / "partial.json").write_text(json.dumps(run, default=str), encoding="utf-8")
    run["finished"] = _dt.datetime.now().isoformat(timespec="seconds")
    return write_results(run, args.results)


def write_results(run: dict, results: Path) -> int:
    results.mkdir(parents=True, exist_ok=True)
    stamp = run["started"].replace(":", "").replace("-", "")
    payload = json.dumps(run, indent=1, ensure_ascii=False, default=str)
    if not run.get("combined"):
        (results / f"bench-{stamp}.json").write_text(payload, encoding="utf-8")
    (results / "latest.json").write_text(payload, encoding="utf-8")
    text = table(run)
    print(text)
    (results / "latest.md").write_text(text.strip() + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
