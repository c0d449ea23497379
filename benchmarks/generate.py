"""Synthetic but realistic curated data for benchmarks, in livergraph's own YAML format.

    python benchmarks/generate.py 10000 /tmp/lg-bench/10000      # -> /tmp/lg-bench/10000/data

For N trials it writes what a curator would: one file per registered trial
(``trials/NCT9xxxxxxx.yaml``) with one or two cell products (and sometimes a placebo) (cell type, tissue source, donor,
route, dose) and, as written in the seed, the Chinese status, condition and study type; sponsors
shared across trials (a few large hospitals run many trials, most run one or two) in
``organizations/``; for one trial in ``STUDY_EVERY`` (20) a published study in ``studies/`` with two or
three arms, a dozen measurements (albumin, bilirubin, MELD at baseline and follow-up, per arm),
comparisons with p-values and a safety finding; data-quality issues on some records; and every
record traced to one ``SourceDocument`` that says the data are synthetic.

It is deterministic: the same N and seed give byte-identical files, and trial i is the same
whatever N is (each trial draws from its own seeded generator) except for its sponsors, drawn
from a pool that grows with N. NCT numbers start at NCT90000000, a range the registry has not
reached, so no synthetic trial is mistaken for a real one. External identifiers are only those
listed in the repository's ``data/vocabulary/terms.yaml``, copied with their evidence.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
GENERATOR_VERSION = 2
STUDY_EVERY = 20          # one trial in twenty has a published study with measurements
NCT_BASE = 90_000_000
SOURCE_ID = "synthetic-benchmark"

# (cell type, tissue source, donor type, label en, label zh-Hant)
CELLS = [
    ("CL:0002569", "UBERON:0002331", "allogeneic", "umbilical cord MSC", "臍帶間充質幹細胞"),
    ("CL:0002568", "UBERON:0003422", "allogeneic", "Wharton's jelly MSC", "華通氏膠間充質幹細胞"),
    ("CL:0002540", "UBERON:0002371", "autologous", "bone marrow MSC", "骨髓間充質幹細胞"),
    ("CL:0002570", "UBERON:0001013", "autologous", "adipose-derived MSC", "脂肪間充質幹細胞"),
    ("CL:0010004", "UBERON:0002371", "autologous", "bone marrow mononuclear cells", "骨髓單核細胞"),
    ("CL:2000001", "UBERON:0013756", "autologous", "peripheral blood mononuclear cells",
     "外周血單核細胞"),
    ("CL:2000095", "UBERON:0012168", "allogeneic", "cord blood stem cells", "臍帶血造血幹細胞"),
    ("CL:0000134", None, "allogeneic", "mesenchymal stem cells", "間充質幹細胞"),
]
ROUTES = ["intravenous", "hepatic-artery", "portal-vein", "intrahepatic", "intravascular"]
# condition as written (zh-Hant) -> CURIE, etiology, label en
CONDITIONS = [
    ("肝硬化", "MONDO:0005155", None, "liver cirrhosis"),
    ("酒精肝硬化", "MONDO:0006644", "alcohol", "alcoholic cirrhosis"),
    ("原發性膽汁性膽管炎", "MONDO:0005388", "PBC", "primary biliary cholangitis"),
    ("乙肝肝硬化", "MONDO:0005155", "HBV", "hepatitis B cirrhosis"),
    ("肝衰竭", "MONDO:0100192", None, "liver failure"),
]
# status as written -> notation, and whether the wording is a known mistranslation
STATUSES = [
    ("完全的", "COMPLETED", "status-completed-mistranslated",
     '完全的 ("complete, total") is a machine translation of the registry status Completed '
     "(已完成)."),
    ("招聘", "RECRUITING", "status-recruiting-mistranslated",
     '招聘 ("hiring staff") is a machine translation of the registry status Recruiting (招募中).'),
    ("未知狀態", "UNKNOWN", None, None),
    ("尚未招募", "NOT_YET_RECRUITING", None, None),
    ("已終止", "TERMINATED", None, None),
]
PHASES = [["PHASE1"], ["PHASE1", "PHASE2"], ["PHASE2"], ["PHASE3"], ["NA"]]
STAGES = ["compensated", "decompensated", "end-stage"]
# measure notation, unit, baseline mean, sd, change per follow-up in the treated arm
MEASURES = [
    ("ALB", "UO:0000175", 29.0, 3.0, 4.5),           # albumin, g/L
    ("TBIL", "UO:0010003", 48.0, 15.0, -14.0),       # total bilirubin, umol/L
    ("MELD", "score", 16.0, 4.0, -3.5),
]
CITIES = ["Beijing", "Shanghai", "Guangzhou", "Wuhan", "Chengdu", "Hangzhou", "Nanjing", "Xi'an",
          "Seoul", "Tehran", "Cairo", "São Paulo", "Madrid", "Hanoi", "Lahore", "Taipei"]
KINDS = [("University Hospital", "大學醫院"), ("People's Hospital", "人民醫院"),
         ("Stem Cell Institute", "幹細胞研究所"), ("Biotech Co., Ltd.", "生物科技有限公司"),
         ("Medical Center", "醫學中心")]


def trial_id(i: int) -> str:
    return f"NCT{NCT_BASE + i:08d}"


def sponsor_count(n: int) -> int:
    return max(3, n // 6)


def sponsor_of(rng: random.Random, n_sponsors: int) -> int:
    """Skewed: a few sponsors run many trials, most run one or two."""
    return min(n_sponsors - 1, int(n_sponsors * rng.random() ** 2.5))


def organization(k: int) -> dict:
    city = CITIES[k % len(CITIES)]
    kind_en, kind_zh = KINDS[(k // len(CITIES)) % len(KINDS)]
    name_en = f"{city} {kind_en} No. {k + 1}"
    name_zh = f"{city}第{k + 1}{kind_zh}"
    return {"type": "Organization", "id": f"sponsor-{k + 1:06d}",
            "label": {"en": name_en, "zh-Hant": name_zh},
            "name": {"en": name_en, "zh-Hant": name_zh}, "city": city,
            "agencyClass": "INDUSTRY" if kind_en.startswith("Biotech") else "OTHER"}


def trial(i: int, seed: int, n_sponsors: int) -> tuple[dict, dict | None]:
    rng = random.Random(f"{seed}:{i}")
    tid = trial_id(i)
    cond_text, cond_curie, etiology, cond_en = rng.choice(CONDITIONS)
    status_text, status_value, _, _ = rng.choice(STATUSES)
    n_cells = rng.choice((1, 1, 1, 2))
    cells = rng.sample(CELLS, n_cells)
    year = rng.randint(2005, 2025)
    rec: dict = {
        "type": "Trial", "id": tid, "nctId": tid,
        "title": {"en": f"{cells[0][3].capitalize()} for {cond_en} (synthetic {i})",
                  "zh-Hant": f"{cells[0][4]}治療{cond_text}(合成 {i})"},
        "phase": rng.choice(PHASES),
        "diseaseStage": rng.choice(STAGES),
        "leadSponsor": f"sponsor-{sponsor_of(rng, n_sponsors) + 1:06d}",
        "enrollment": rng.randint(10, 400),
        "enrollmentType": "ACTUAL" if status_value == "COMPLETED" else "ESTIMATED",
        "startDate": f"{year}-{rng.randint(1, 12):02d}",
        "source": SOURCE_ID, "sourceLocation": f"synthetic registry table, row {i + 1}",
    }
    # as in the seed, most trials carry the registry text as written and are mapped
    if rng.random() < 0.7:
        rec["statusAsWritten"] = {"zh-Hant": status_text}
        rec["studyTypeAsWritten"] = {"zh-Hant": "介入"}
        rec["conditionAsWritten"] = [{"zh-Hant": cond_text}]
    else:
        rec["status"] = status_value
        rec["studyType"] = "INTERVENTIONAL"
        rec["condition"] = cond_curie
    if etiology:
        rec["etiology"] = etiology
    if rng.random() < 0.25:
        rec["collaborator"] = f"sponsor-{sponsor_of(rng, n_sponsors) + 1:06d}"
    interventions = []
    for n, (cell, tissue, donor, en, zh) in enumerate(cells):
        iv = {"type": "CellTherapy", "id": f"cells-{n + 1}", "cellType": cell,
              "donorType": donor, "route": rng.choice(ROUTES),
              "dose": float(rng.choice((0.5, 1, 2, 5, 10))) * 1e6, "doseUnit": "cells/kg",
              "numberOfInfusions": rng.randint(1, 6), "label": {"en": en, "zh-Hant": zh}}
        if tissue:
            iv["tissueSource"] = tissue
        interventions.append(iv)
    if rng.random() < 0.2:
        interventions.append({"type": "PlaceboControl", "id": "placebo",
                              "label": {"en": "standard medical therapy plus placebo"}})
    rec["hasIntervention"] = interventions
    arms = [{"id": f"arm-{n + 1}", "armRole": "EXPERIMENTAL", "receives": iv["id"],
             "participants": rng.randint(5, 150)} for n, iv in enumerate(interventions)
            if iv["type"] == "CellTherapy"]
    if rng.random() < 0.5:
        arms.append({"id": "control", "armRole": "ACTIVE_COMPARATOR",
                     "participants": rng.randint(5, 150)})
    rec["hasArm"] = arms
    if rng.random() < 0.05:
        rec["hasIssue"] = [{"id": "enrollment-unclear", "issueType": "missing-information",
                            "issueSeverity": "info", "onProperty": "lg:enrollment",
                            "curatorNote": {"en": "The registry gives an estimated enrollment "
                                                  "only (synthetic)."}}]
    study = published_study(rng, i, tid, cells[0]) if i % STUDY_EVERY == 0 else None
    return rec, study


def published_study(rng: random.Random, i: int, tid: str, cell: tuple) -> dict:
    sid = f"study-{tid}"
    arms = [{"id": "treated", "armRole": "EXPERIMENTAL", "participants": rng.randint(15, 120)},
            {"id": "control", "armRole": "ACTIVE_COMPARATOR",
             "participants": rng.randint(15, 120)}]
    measurements, comparisons = [], []
    follow = rng.choice(("P168D", "P336D", "P1Y"))
    for notation, unit, base, sd, change in MEASURES:
        for arm in ("treated", "control"):
            for tp in ("P0D", follow):
                effect = change if (arm == "treated" and tp != "P0D") else change * 0.2 * (
                    tp != "P0D")
                mid = f"{notation.lower()}-{arm}-{tp.lower()}"
                m = {"id": mid, "arm": arm, "measure": notation, "statistic": "mean",
                     "timePoint": tp, "unit": unit,
                     "value": round(base + effect + rng.gauss(0, sd / 4), 1),
                     "sd": round(sd * rng.uniform(0.7, 1.3), 1)}
                measurements.append(m)
        comparisons.append({
            "id": f"{notation.lower()}-between-arms", "comparisonKind": "between-arms",
            "measure": notation, "direction": "higher" if change > 0 else "lower",
            "subjectMeasurement": f"{notation.lower()}-treated-{follow.lower()}",
            "referenceMeasurement": f"{notation.lower()}-control-{follow.lower()}",
            "pValue": 0.05 if rng.random() < 0.5 else 0.01, "pValueRelation": "<",
            "significant": True})
    measurements[1]["sourceText"] = {
        "zh-Hant": f"治療后{cell[4]}組的Alb水平升高至({measurements[1]['value']}±"
                   f"{measurements[1]['sd']})g/L (合成)"}
    return {"type": "PublishedStudy", "id": sid, "reportsTrial": tid,
            "title": {"en": f"{cell[3].capitalize()} in cirrhosis: results of {tid} (synthetic)"},
            "followUp": follow, "source": SOURCE_ID,
            "totalParticipants": arms[0]["participants"] + arms[1]["participants"],
            "designFeature": ["randomized", "controlled", "open-label"],
            "hasArm": arms, "hasMeasurement": measurements, "hasComparison": comparisons,
            "hasSafetyFinding": [{"id": "fever", "adverseEvent": "HP:0001945",
                                  "severity": "self-limited",
                                  "patientsAffected": rng.randint(0, 10)}]}


def vocabulary(used: set[str]) -> list[dict]:
    """The repository's verified terms that the synthetic data uses, evidence included."""
    terms = yaml.safe_load((ROOT / "data" / "vocabulary" / "terms.yaml").read_text("utf-8"))
    chosen = [t for t in terms if t["curie"] in used]
    missing = used - {t["curie"] for t in chosen}
    if missing:
        raise SystemExit(f"terms missing from data/vocabulary/terms.yaml: {sorted(missing)}")
    return chosen


def mappings() -> dict[str, dict]:
    status = []
    for text, value, issue_id, note in STATUSES:
        entry: dict = {"text": {"zh-Hant": text}, "value": value}
        if issue_id:
            entry["issue"] = {"id": issue_id, "issueType": "mistranslation",
                              "issueSeverity": "warning", "curatorNote": {"en": note}}
        status.append(entry)
    condition = [{"text": {"zh-Hant": t}, "value": c} for t, c, _, _ in CONDITIONS]
    return {"status": {"property": "status", "entries": status},
            "condition": {"property": "condition", "entries": condition},
            "studyType": {"property": "studyType",
                          "entries": [{"text": {"zh-Hant": "介入"}, "value": "INTERVENTIONAL"}]}}


def generate(n: int, out: Path, seed: int = 1) -> Path:
    """Write the data directory for ``n`` trials under ``out/data`` and return its path."""
    sys.path.insert(0, str(ROOT / "src"))
    from livergraph.model.lint import dump   # canonical form: the generated data passes `lint --check`

    data = Path(out) / "data"
    if data.exists():
        shutil.rmtree(data)
    for sub in ("trials", "studies", "organizations", "sources", "vocabulary/mappings"):
        (data / sub).mkdir(parents=True)

    def write(rel: str, content) -> None:
        (data / rel).write_text(dump(content), encoding="utf-8")

    n_sponsors = sponsor_count(n)
    used_sponsors: set[str] = set()
    for i in range(n):
        rec, study = trial(i, seed, n_sponsors)
        used_sponsors.add(rec["leadSponsor"])
        if "collaborator" in rec:
            used_sponsors.add(rec["collaborator"])
        write(f"trials/{rec['id']}.yaml", rec)
        if study:
            write(f"studies/{study['id']}.yaml", study)
    write("organizations/sponsors.yaml",
          [organization(k) for k in range(n_sponsors) if f"sponsor-{k + 1:06d}" in used_sponsors])
    write(f"sources/{SOURCE_ID}.yaml", {
        "type": "SourceDocument", "id": SOURCE_ID,
        "label": {"en": f"Synthetic benchmark data ({n} trials, seed {seed}); not real trials",
                  "zh-Hant": f"合成基準測試資料({n} 項試驗);非真實試驗"},
        "curatorNote": {"en": f"Generated by benchmarks/generate.py version {GENERATOR_VERSION} "
                              "for performance measurements only."}})
    used = {c for cell in CELLS for c in cell[:2] if c} | {c for _, c, _, _ in CONDITIONS}
    used |= {u for _, u, *_ in MEASURES if ":" in u} | {"HP:0001945"}
    write("vocabulary/terms.yaml", vocabulary(used))
    for prop, content in mappings().items():
        write(f"vocabulary/mappings/{prop}.yaml", content)
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("trials", type=int, help="number of trials")
    ap.add_argument("out", type=Path, help="directory to write data/ into (replaced)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.trials < 1:
        ap.error("trials must be 1 or more")
    data = generate(args.trials, args.out, args.seed)
    print(f"wrote {data}: {args.trials} trials")
    return 0


if __name__ == "__main__":
    sys.exit(main())
