"""How fast `livergraph import ctgov` imports registry records.

    python benchmarks/import_speed.py                 # 10,000 records
    python benchmarks/import_speed.py 2000 --build    # fewer, and time a build of the result

Synthesises N API v2 records from the shape of the real samples in ../shared/ctgov-samples
(each synthetic record is a copy of one sample, cycling through them, with its own NCT number in
the unused NCT98xxxxxx range, its own title, sponsor and enrollment), writes them as search pages
of 1,000 studies, imports them into a temporary copy of the mini fixture's data directory and
prints records per second for the first import and for a re-import (which writes nothing). The
samples are read in place, never copied into the repository.
"""
from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "ctgov-samples"
PAGE = 1000


def templates() -> list[dict]:
    out = []
    for path in sorted(SAMPLES.glob("*.json")):
        content = json.loads(path.read_text(encoding="utf-8"))
        out.extend(content["studies"] if "studies" in content else [content])
    if not out:
        sys.exit(f"no samples in {SAMPLES}")
    return out


def synthesise(n: int, folder: Path) -> list[Path]:
    shapes = templates()
    pages, studies = [], []
    for i in range(n):
        study = copy.deepcopy(shapes[i % len(shapes)])
        ps = study["protocolSection"]
        ident = ps["identificationModule"]
        ident["nctId"] = f"NCT98{i:06d}"
        ident["briefTitle"] = f"{ident.get('briefTitle', 'Study')} (synthetic {i})"
        sponsor = ps.setdefault("sponsorCollaboratorsModule", {}).setdefault("leadSponsor", {})
        sponsor["name"] = f"Synthetic Hospital {i % 500}"
        ps.setdefault("designModule", {}).setdefault("enrollmentInfo", {})["count"] = 10 + i % 90
        studies.append(study)
        if len(studies) == PAGE or i == n - 1:
            path = folder / f"page-{len(pages) + 1:04d}.json"
            path.write_text(json.dumps({"studies": studies}), encoding="utf-8")
            pages.append(path)
            studies = []
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000, help="records (10000)")
    parser.add_argument("--build", action="store_true", help="also time livergraph build")
    args = parser.parse_args()
    from livergraph.registry.ctgov.importer import import_files
    ontology = ROOT / "ontology" / "livergraph.ttl"
    with tempfile.TemporaryDirectory(prefix="lg-import-") as tmp:
        tmp = Path(tmp)
        (tmp / "pages").mkdir()
        t0 = time.perf_counter()
        pages = synthesise(args.n, tmp / "pages")
        size = sum(p.stat().st_size for p in pages)
        print(f"synthesised {args.n} records ({size / 1e6:.0f} MB in {len(pages)} pages) "
              f"in {time.perf_counter() - t0:.1f} s")
        data = tmp / "data"
        shutil.copytree(ROOT / "tests" / "fixtures" / "mini" / "data", data)
        figures = {}
        for run in ("import", "re-import"):
            t0 = time.perf_counter()
            result = import_files(pages, data, ontology)
            seconds = time.perf_counter() - t0
            assert not result.errors, result.errors[:3]
            figures[run] = args.n / seconds
            print(f"{run}: {args.n} records in {seconds:.1f} s = {args.n / seconds:.0f} "
                  f"records/s ({len(result.written)} files written)")
        if args.build:
            from livergraph.model.build import build
            t0 = time.perf_counter()
            graph = build(ontology, data).graph
            print(f"build: {len(graph)} triples in {time.perf_counter() - t0:.1f} s")
        print(json.dumps({"records": args.n, "records_per_second": {
            k: round(v) for k, v in figures.items()}}))


if __name__ == "__main__":
    main()
