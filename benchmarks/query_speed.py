"""How fast `livergraph query --name NAME` answers on the bundled data, against the floor of
starting Python and importing rdflib (`python -c "import rdflib"`).

Each figure is the median wall time of several runs of a fresh process (subprocess), with the
floor and the queries run interleaved so that a busy machine affects both alike. The published
build is made first (its one-off build is timed and reported apart). The goal is a ratio of at most
1.5 to the floor.

    python benchmarks/query_speed.py                       # every named query, 7 runs each
    python benchmarks/query_speed.py --name headline-counts --runs 15 --json results.json
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.5


def livergraph_command() -> list[str]:
    script = Path(sys.executable).parent / "livergraph"
    if script.is_file():
        return [str(script)]
    found = shutil.which("livergraph")
    return [found] if found else [sys.executable, "-m", "livergraph"]


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): "
                         f"{done.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", action="append", help="named query (default: all of them)")
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (default 7)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()

    names = args.name or sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    lg = livergraph_command()
    floor_cmd = [sys.executable, "-c", "import rdflib"]

    cold = wall(lg + ["query", "--rebuild", "--name", names[0]])
    wall(lg + ["query", "--name", names[0]])           # warm the file-system cache

    floors: list[float] = []
    times: dict[str, list[float]] = {n: [] for n in names}
    for _ in range(args.runs):
        for name in names:
            floors.append(wall(floor_cmd))
            times[name].append(wall(lg + ["query", "--name", name]))
    floor = statistics.median(floors)
    medians = {n: statistics.median(t) for n, t in times.items()}

    # the published build's manifest (ROOT/build/current, or $LIVERGRAPH_BUILD_DIR/current)
    import os
    build = Path(os.environ.get("LIVERGRAPH_BUILD_DIR") or ROOT / "build")
    manifest = json.loads((build / "current" / "manifest.json").read_text(encoding="utf-8"))
    graph = {"triples": manifest["triples"]["total"]}
    print(f"machine: {platform.python_implementation()} {platform.python_version()} on "
          f"{platform.machine()}, {len(names)} named queries, {args.runs} runs each, "
          f"{graph['triples']} triples in the published build")
    print(f"build (once, after a data change)       : {cold * 1000:7.1f} ms")
    print(f"floor `python -c 'import rdflib'`:        {floor * 1000:7.1f} ms (median)")
    width = max(len(n) for n in names)
    print(f"{'named query'.ljust(width)}  median ms  ratio to floor")
    for name in names:
        print(f"{name.ljust(width)}  {medians[name] * 1000:9.1f}  {medians[name] / floor:5.2f}")
    overall = statistics.median(medians.values())
    worst = max(medians.values())
    verdict = "meets" if worst / floor <= GOAL else "misses"
    print(f"median of the queries: {overall * 1000:.1f} ms = {overall / floor:.2f}x the floor; "
          f"slowest {worst * 1000:.1f} ms = {worst / floor:.2f}x ({verdict} the goal of "
          f"{GOAL}x)")
    if args.json:
        args.json.write_text(json.dumps({
            "python": platform.python_version(), "runs": args.runs,
            "triples": graph["triples"], "cache_build_s": cold, "floor_s": floor,
            "queries_s": medians, "median_ratio": overall / floor,
            "worst_ratio": worst / floor, "goal_ratio": GOAL}, indent=1) + "\n")


if __name__ == "__main__":
    main()
