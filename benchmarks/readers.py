"""Wall time of the reading commands on the bundled data, with an up-to-date build.

    python benchmarks/readers.py                 # this checkout
    python benchmarks/readers.py --repeat 5
    python benchmarks/readers.py --checkout ../livergraph-old --legacy   # a checkout before the
                                                                  # published build existed

Each command runs in a fresh process (``python -m livergraph ...``), as a user runs it; the
build is made (or brought up to date) once first and is not counted. Prints, per command, the
median and the fastest of ``--repeat`` runs, and whether ``rdflib`` was imported by a one-shot
``query --name`` (it must not be). ``--legacy`` runs the commands the way a checkout without the
published build takes them (``query --cache-dir``; export / viz / stats rebuild every time).
Outputs go to a temporary directory; nothing is written into the checkout beyond its build.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def commands(tmp: Path, legacy: bool) -> list[tuple[str, list[str]]]:
    cache = ["--cache-dir", str(tmp / "cache")] if legacy else []
    return [
        ("query --name trials-by-status", ["query", "--name", "trials-by-status", *cache]),
        ("export (turtle)", ["export", "-o", str(tmp / "g.ttl")]),
        ("export --format nquads", ["export", "--format", "nquads", "-o", str(tmp / "g.nq")]),
        ("stats", ["stats"]),
        ("viz", ["viz", "-o", str(tmp / "g.html")]),
    ]


def run(checkout: Path, args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "livergraph", *args], cwd=checkout, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"livergraph {' '.join(args)} failed ({proc.returncode}):\n"
                         + proc.stderr[-2000:])
    return seconds


def imports_rdflib(checkout: Path, env: dict[str, str], extra: list[str]) -> bool:
    code = ("import sys, runpy; sys.argv = ['livergraph', 'query', '--name', "
            f"'trials-by-status', *{extra!r}]\n"
            "try:\n    runpy.run_module('livergraph', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print('RDFLIB' if 'rdflib' in sys.modules else 'NO-RDFLIB', file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=checkout, env=env,
                          capture_output=True, text=True)
    return "NO-RDFLIB" not in proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, default=HERE)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--legacy", action="store_true")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"), LIVERGRAPH_ROOT=str(checkout))
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.legacy:
            env["LIVERGRAPH_BUILD_DIR"] = str(tmp / "build")
            run(checkout, ["build"], env)
        todo = commands(tmp, args.legacy)
        run(checkout, todo[0][1], env)       # warm: the legacy query cache is built here
        print(f"{'command':<32} {'median':>8} {'fastest':>8}   ({args.repeat} runs, {checkout})")
        for label, cmd in todo:
            times = [run(checkout, cmd, env) for _ in range(args.repeat)]
            print(f"{label:<32} {statistics.median(times):>7.2f}s {min(times):>7.2f}s")
        extra = ["--cache-dir", str(tmp / "cache")] if args.legacy else []
        print("query --name imports rdflib:", imports_rdflib(checkout, env, extra))


if __name__ == "__main__":
    main()
