"""The curation queries in queries/ answer the seed's questions correctly on the bundled graph.

Each .rq file is run with plain rdflib (its PREFIX lines make it self-contained) over the graph
built once per session from ontology/ and data/ (test_curation.curated_graph). IRIs are compared
as CURIEs, numbers in their shortest decimal form. The pinned values were checked against the
seed article's registry table and its five studies.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, URIRef

from conftest import ROOT
from livergraph.namespaces import PREFIXES
from test_curation import curated_graph

QUERIES = ROOT / "queries"
CURATION_QUERIES = ("trials-by-status", "trials-by-sponsor", "trials-by-cell-source",
                    "trials-by-condition", "patient-count-388", "study-measurements",
                    "seed-errors")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def simple(term):
    if term is None:
        return None
    if isinstance(term, URIRef):
        for prefix, base in _BY_LENGTH:
            if str(term).startswith(base):
                return f"{prefix}:{str(term)[len(base):]}"
        return str(term)
    if isinstance(term, Literal) and isinstance(term.toPython(), (int, Decimal, float)) \
            and not isinstance(term.toPython(), bool):
        return format(Decimal(str(term)).normalize(), "f")
    return str(term)


def run(name: str, text: str | None = None) -> list[dict]:
    text = text if text is not None else (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    result = curated_graph().query(text)
    names = [str(v) for v in result.vars]
    return [{n: simple(row[i]) for i, n in enumerate(names)} for row in result]


def table(rows: list[dict], *columns: str) -> list[tuple]:
    return sorted((tuple(r[c] for c in columns) for r in rows), key=repr)


@pytest.mark.parametrize("name", CURATION_QUERIES)
def test_query_file_has_a_header_and_declares_its_prefixes(name):
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# ") and len(lines[0]) > 10
    assert any(line.startswith("# param:") for line in lines)
    assert "PREFIX lg: <https://w3id.org/livergraph/ontology#>" in text


def test_trials_by_status():
    rows = run("trials-by-status")
    assert table(rows, "status", "statusAsWritten", "trials", "trialsWithStatus") == sorted([
        ("lgc:status-UNKNOWN", "未知狀態", "23", "23"),
        ("lgc:status-RECRUITING", "招聘", "5", "5"),
        ("lgc:status-COMPLETED", "完全的", "4", "4"),
        ("lgc:status-NOT_YET_RECRUITING", "尚未招募", "4", "4"),
        ("lgc:status-SUSPENDED", "暫停", "1", "1"),
    ], key=repr)
    assert sum(int(r["trials"]) for r in rows) == 37


def test_trials_by_sponsor_gives_the_name_as_written_and_the_merged_record():
    rows = run("trials-by-sponsor")
    assert table(rows, "sponsor", "sponsorAsWritten", "trials") == sorted([
        ("org:beijing-302-hospital", "北京302醫院", "7"),
        ("org:air-force-medical-university", "中國空軍軍醫大學", "3"),
        ("org:sun-yat-sen-university", "中山大學", "3"),
        ("org:armed-police-general-hospital", "中國武警總醫院", "2"),
        ("org:guoxi-stem-cell", "國熙干細胞應用技術股份有限公司", "2"),
        ("org:nanjing-medical-university", "南京醫科大學", "2"),
        ("org:shenyang-military-region-general-hospital", "沈陽軍區總醫院", "2"),
        ("org:xijing-hospital-of-digestive-diseases", "西京消化病醫院", "2"),
        ("org:changhai-hospital", "長海醫院", "1"),
        ("org:chinese-academy-of-sciences", "中國科學院", "1"),
        ("org:nanjing-pla-general-hospital", "南京解放軍總醫院", "1"),
        ("org:qingdao-university", "青島大學", "1"),
        ("org:renmin-hospital-wuhan-university", "武漢大學人民醫院", "1"),
        ("org:shandong-qilu-stem-cell", "山東齊魯干細胞工程有限公司", "1"),
        ("org:shenzhen-beike-biotech", "深圳市貝克生物科技有限公司", "1"),
        ("org:shenzhen-huangfeng-yumi-biotech", "深圳市黃蜂玉米生物技術有限公司", "1"),
        ("org:shenzhen-shike-biotech", "深圳市世科生物技術有限公司", "1"),
        ("org:wenzhou-medical-university", "溫州醫科大學", "1"),
        ("org:yantai-yuhuangding-hospital", "煙臺毓璜頂醫院", "1"),
        ("org:zhongnan-hospital", "中南醫院", "1"),
        ("person:shi-yufang", "石毓芳", "1"),
        ("person:zhao-chunhua", "趙春華醫學博士", "1"),
    ], key=repr)
    names = {r["sponsor"]: r["sponsorName"] for r in rows}
    assert names["org:beijing-302-hospital"] == "Fifth Medical Center of Chinese PLA General Hospital"
    assert all(r["trials"] == r["trialsOfSponsor"] for r in rows)


def test_trials_by_cell_source():
    rows = run("trials-by-cell-source")
    assert table(rows, "tissueSource", "cellType", "trials") == sorted([
        ("obo:UBERON_0002331", "obo:CL_0002569", "19"),   # umbilical cord MSC
        ("not stated", "obo:CL_0000134", "6"),            # MSC, source not stated
        ("obo:UBERON_0002371", "obo:CL_0002540", "4"),    # bone marrow MSC
        ("obo:UBERON_0001013", "obo:CL_0002570", "2"),    # adipose MSC
        ("obo:UBERON_0002371", "not stated", "2"),        # bone marrow, cell type not stated
        ("not stated", "not stated", "2"),                # "stem cells" by intervention
        ("obo:UBERON_0000178", "obo:CL_0002246", "1"),    # autologous PBSC
        ("obo:UBERON_0001754", "obo:CL_4030035", "1"),    # SHED: dental pulp ...
        ("obo:UBERON_0007115", "obo:CL_4030035", "1"),    # ... of deciduous teeth
        ("not stated", "obo:CL_0000815", "1"),            # Tregs with MSC
    ], key=repr)


def test_trials_by_condition():
    rows = run("trials-by-condition")
    assert table(rows, "condition", "conditionLabel", "trials") == sorted([
        # rows 32 and 35 say cirrhosis in their titles (hepatitis B cirrhosis) though their
        # condition cells say hepatitis B only: both are counted, and flagged
        ("obo:MONDO_0005155", "cirrhosis of liver", "30"),
        ("obo:MONDO_0100193", "chronic liver failure", "5"),
        ("obo:MONDO_0005388", "primary biliary cholangitis", "3"),
        ("obo:MONDO_0005344", "hepatitis B virus infection", "2"),
        ("obo:HP_0001541", "Ascites", "1"),
        ("obo:MONDO_0000494", "renal fibrosis", "1"),
        ("obo:MONDO_0005080", "portal hypertension", "1"),
        ("obo:MONDO_0006644", "alcoholic liver cirrhosis", "1"),
        # row 31's 肝功能衰竭 ("liver failure") renders hepatic decompensation: no separate
        # condition, flagged as a mistranslation (below)
    ], key=repr)
    issues = run("seed-errors")
    flagged = {(r["issue"], r["about"], r["issueType"]) for r in issues}
    assert ("issue:condition-liver-failure-mistranslated", "trial:NCT01560845",
            "lgc:issue-mistranslation") in flagged
    for nct in ("NCT05442437", "NCT03826433"):
        assert (f"issue:{nct}-condition-cirrhosis-from-title", f"trial:{nct}",
                "lgc:issue-missing-information") in flagged


def test_only_the_stem_cell_arms_with_study_4_analysed_give_388():
    rows = run("patient-count-388")
    assert table(rows, "counting", "studies", "patients", "claimed", "matchesClaim") == sorted([
        ("all arms, patients assigned", "5", "937", "388", "false"),
        ("all arms, patients analysed where given", "5", "847", "388", "false"),
        ("stem-cell arms, patients assigned", "5", "478", "388", "false"),
        ("stem-cell arms, patients analysed where given", "5", "388", "388", "true"),
    ], key=repr)


def test_study_measurements_default_study():
    rows = run("study-measurements")
    assert len(rows) == 20                 # 18 reported, 2 derived (prealbumin in mg/L)
    got = {r["measurement"]: (r["value"], r["sd"], r["unit"], r["days"], r["arm"]) for r in rows}
    assert got["measurement:fu-2018-alb-baseline"] == ("28.9", "2.8", "obo:UO_0000175", "0",
                                                       "arm:fu-2018-hucmsc")
    assert got["measurement:fu-2018-alb-48w"] == ("33.9", "5.7", "obo:UO_0000175", "336",
                                                  "arm:fu-2018-hucmsc")
    assert got["measurement:fu-2018-pab-48w"][2] == "obo:UO_0000175"          # g/L, as reported
    assert got["measurement:fu-2018-pab-48w-derived"][2] == "lgc:unit-mg-per-L"
    basis = {r["measurement"]: r["basis"] for r in rows}
    assert {m for m, b in basis.items() if b == "derived"} == {
        "measurement:fu-2018-pab-baseline-derived", "measurement:fu-2018-pab-48w-derived"}
    assert got["measurement:fu-2018-ldh-48w-control"] == ("272.2", "105.3", "obo:UO_0000179",
                                                          "336", "arm:fu-2018-control")
    assert got["measurement:fu-2018-aptt-change-hucmsc"][0] == "-7.5"
    assert all(r["sourceText"] for r in rows if r["basis"] == "reported")


@pytest.mark.parametrize("study, count", [("zhang-2012", 0), ("shi-2021", 1),
                                          ("cui-2022", 18), ("li-2023", 18)])
def test_study_measurements_for_another_study(study, count):
    """Study 5 has 18 measurements; its 4 whole-cohort totals belong to no arm (level cohort).
    Study 4 has 17 reported measurements and one derived (the control deaths, 113)."""
    text = (QUERIES / "study-measurements.rq").read_text(encoding="utf-8")
    assert "VALUES ?study { study:fu-2018 }" in text
    rows = run("study-measurements", text.replace("study:fu-2018 }", f"study:{study} }}"))
    assert len(rows) == count
    if study == "cui-2022":
        got = {r["measurement"]: r for r in rows}
        pbsc = got["measurement:cui-2022-os-10y-pbsc"]
        assert (pbsc["value"], pbsc["numerator"], pbsc["denominator"], pbsc["days"]) == \
            ("37.56", "74", "197", "3652.5")
        deaths = {(r["value"], r["basis"]) for r in rows if r["measure"] == "lgc:measure-mortality"}
        assert deaths == {("118", "reported"), ("113", "derived"), ("2", "reported")}
    if study == "li-2023":
        pooled = {r["measurement"].rsplit("-", 1)[0] for r in rows
                  if r["level"] == "lgc:level-cohort"}
        assert pooled == {"measurement:li-2023-mortality-all", "measurement:li-2023-mortality-matched",
                          "measurement:li-2023-hcc-all", "measurement:li-2023-hcc-matched"}
        assert all(r["arm"] is None for r in rows if r["level"] == "lgc:level-cohort")
        assert all(r["arm"] for r in rows if r["level"] == "lgc:level-arm")


def test_seed_errors_lists_every_flagged_issue():
    rows = run("seed-errors")
    assert len(rows) == 76                                 # one row per issue and record
    assert len({r["issue"] for r in rows}) == 67
    # the graph's own inferences are not errors of the seed: listed by inferred-facts instead
    assert "lgc:issue-inferred" not in {r["issueType"] for r in rows}
    assert all(r["seedText"] and r["note"] and r["dataFile"].startswith("data/") for r in rows)
    listed = set(table(rows, "issue", "about", "issueType", "dataFile"))
    for expected in [
        ("issue:seed-article-table-header-shifted", "source:seed-article",
         "lgc:issue-shifted-header", "data/sources/seed-article.yaml"),
        ("issue:status-completed-mistranslated", "trial:NCT01220492",
         "lgc:issue-mistranslation", "data/vocabulary/mappings/status.yaml"),
        ("issue:NCT03460223-msc-mediterranean-shipping", "intervention:NCT03460223-msc",
         "lgc:issue-mistranslation", "data/trials/NCT03460223.yaml"),
        ("issue:NCT03460223-off-topic-kidney-fibrosis", "trial:NCT03460223",
         "lgc:issue-off-topic", "data/trials/NCT03460223.yaml"),
        ("issue:NCT05442437-title-contradicts-intervention", "intervention:NCT05442437-cells",
         "lgc:issue-contradiction", "data/trials/NCT05442437.yaml"),
        ("issue:fu-2018-pab-unit-48w", "measurement:fu-2018-pab-48w", "lgc:issue-wrong-unit",
         "data/studies/fu-2018.yaml"),
        ("issue:cui-2022-control-deaths-do-not-add-up", "measurement:cui-2022-deaths-control",
         "lgc:issue-arithmetic", "data/studies/cui-2022.yaml"),
        ("issue:zhang-2012-conclusion-hcc-for-cirrhosis", "study:zhang-2012",
         "lgc:issue-misattribution", "data/studies/zhang-2012.yaml"),
        ("issue:li-2023-hcc-as-incidence", "study:li-2023", "lgc:issue-mistranslation",
         "data/studies/li-2023.yaml"),
        ("issue:cui-2022-cjh-journal-name-in-text", "publication:cui-2022-cjh",
         "lgc:issue-misattribution", "data/publications/cui-2022-cjh.yaml"),
        ("issue:shenzhen-huangfeng-yumi-biotech-name-machine-translated",
         "org:shenzhen-huangfeng-yumi-biotech", "lgc:issue-mistranslation",
         "data/organizations/organizations.yaml"),
    ]:
        assert expected in listed, expected
    corrected = {r["issue"]: r["correctedValue"] for r in rows}
    assert corrected["issue:cui-2022-control-deaths-do-not-add-up"] == "113"   # offered, not stored
    assert corrected["issue:fu-2018-appt-typo"] == "APTT"


def test_inferred_facts_lists_every_inference_with_its_rule():
    rows = run("inferred-facts")
    by_rule: dict[str, set[str]] = {}
    for r in rows:
        by_rule.setdefault(r["rule"], set()).add(r["about"])
    # 23 umbilical-cord or SHED interventions of 19 trials and the 4 cord-derived studies'
    # interventions: allogeneic because of the tissue, which the seed never says
    assert len(by_rule["lgc:rule-donor-from-tissue"]) == 27
    assert {r["value"] for r in rows if r["rule"] == "lgc:rule-donor-from-tissue"} == \
        {"lgc:donor-allogeneic"}
    assert "intervention:NCT01220492-ucmsc" in by_rule["lgc:rule-donor-from-tissue"]
    assert "intervention:li-2023-hucb-msct" in by_rule["lgc:rule-donor-from-tissue"]
    # NCT01440309 says 異基因 (allogeneic) in its title: stated, not inferred
    assert "intervention:NCT01440309-msc" not in by_rule["lgc:rule-donor-from-tissue"]
    # row 3's 靜脈灌注 read as intravenous without the registry
    assert by_rule["lgc:rule-route-from-wording"] == {"intervention:NCT01233102-msc"}
    assert by_rule["lgc:rule-cells-from-title"] == {"intervention:NCT00976287-bmmsc",
                                                    "intervention:NCT01233102-msc"}
    # the matched cohort's arms (36 + 72 = 108), back-computed from the percentages
    assert by_rule["lgc:rule-count-from-percentages"] == {
        "measurement:li-2023-mortality-matched-sct", "measurement:li-2023-mortality-matched-non-sct",
        "measurement:li-2023-hcc-matched-sct", "measurement:li-2023-hcc-matched-non-sct"}
    # study totals the seed gives only as arm sizes: 287 + 151 and 17 + 17
    assert by_rule["lgc:rule-total-from-arms"] == {"study:cui-2022", "study:fu-2018"}
    assert {r["value"] for r in rows if r["rule"] == "lgc:rule-total-from-arms"} == {"438", "34"}
    assert all(r["seedText"] and r["note"] for r in rows)
