"""The curated seed (data/) holds what the seed article says, correctly and traceably.

Counts are pinned against the seed's registry table (37 rows) and its five studies; values are
spot-checked against the seed's sentences; every measurement carries a value (or range), unit,
time point, arm and source; every flagged issue carries the seed's text and a curator's note.
Tests that read the seed itself (../shared/seed, beside the repository) skip when it is absent.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import pytest
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from conftest import DATA, ONTOLOGY, SHARED
from livergraph.namespaces import LG, LGC, OBO, PREFIXES, record_iri

SEED_DIR = SHARED / "seed"
SEED_FILE = SEED_DIR / "000_76ec61e83f750a5e.txt"

TRIALS = 37
STUDIES = 5
#: overall status -> number of trials in the seed's registry table
STATUS_COUNTS = {"UNKNOWN": 23, "RECRUITING": 5, "COMPLETED": 4, "NOT_YET_RECRUITING": 4,
                 "SUSPENDED": 1}
MEASUREMENTS = 57              # 20 + 1 + 18 + 18 in studies 2 to 5 (study 1 gives no values);
                                # study 2's 20 include 2 derived (prealbumin in mg/L), study 4's 18
                                # one derived (the control deaths, 113)
SPONSOR_RECORDS = 22            # 20 organizations + 2 persons sponsor the 37 trials
#: merged sponsor -> its trials in the table
SPONSOR_TRIALS = {"org/beijing-302-hospital": 7, "org/sun-yat-sen-university": 3,
                  "org/air-force-medical-university": 3,
                  "org/xijing-hospital-of-digestive-diseases": 2, "person/shi-yufang": 1,
                  "person/zhao-chunhua": 1}
ISSUE_TYPES = {"mistranslation", "shifted-header", "off-topic", "contradiction", "wrong-unit",
               "arithmetic", "unsupported-claim", "misattribution", "typo",
               "missing-information"}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{i}>\n" for p, i in PREFIXES.items())


@lru_cache(maxsize=1)
def curated_graph():
    """The bundled graph (ontology + data/), built once per test session."""
    from livergraph.model.build import build
    return build(ONTOLOGY, DATA).graph


def rows(query: str) -> list[tuple]:
    return [tuple(r) for r in curated_graph().query(SPARQL_PREFIXES + query)]


def iri(segment_id: str) -> URIRef:
    segment, _, local = segment_id.partition("/")
    return record_iri(segment, local)


def one(s, p):
    values = list(curated_graph().objects(s, p))
    assert len(values) == 1, (s, p, values)
    return values[0]


def dec(value) -> Decimal:
    return Decimal(str(value))


@lru_cache(maxsize=1)
def seed_text() -> str:
    if not SEED_FILE.is_file():
        pytest.skip("the seed article (../shared/seed) is not available")
    return SEED_FILE.read_text(encoding="utf-8")


def seed_table() -> list[list[str]]:
    """The registry table's 37 rows: number, title, NCT, status, conditions, interventions,
    sponsor, study type."""
    table = []
    for line in seed_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 8 and cells[0].isdigit():
            table.append(cells)
    return table


# -- counts ------------------------------------------------------------------------------------

def test_thirty_seven_trials_and_five_studies():
    g = curated_graph()
    assert len(set(g.subjects(RDF.type, LG.Trial))) == TRIALS
    assert len(set(g.subjects(RDF.type, LG.PublishedStudy))) == STUDIES


def test_trials_per_status():
    got = dict(rows("""SELECT ?s (COUNT(?t) AS ?n) WHERE { ?t a lg:Trial ; lg:status ?s }
                       GROUP BY ?s"""))
    assert {str(k).rsplit("-", 1)[-1] if "NOT_YET" not in str(k) else "NOT_YET_RECRUITING":
            int(v) for k, v in got.items()} == STATUS_COUNTS


def test_every_trial_has_one_status_study_type_sponsor_and_row():
    for trial in curated_graph().subjects(RDF.type, LG.Trial):
        one(trial, LG.status)
        assert one(trial, LG.studyType) == LGC["study-type-INTERVENTIONAL"]
        one(trial, LG.leadSponsor)
        n = int(one(trial, LG.studyNumber))
        assert str(one(trial, LG.sourceLocation)) == f"registry table, row {n}"
        assert one(trial, PROV.wasDerivedFrom) == iri("source/seed-article")


def test_sponsors_are_merged_records():
    got = dict(rows("""SELECT ?sp (COUNT(?t) AS ?n) WHERE { ?t a lg:Trial ; lg:leadSponsor ?sp }
                       GROUP BY ?sp"""))
    assert len(got) == SPONSOR_RECORDS
    for key, n in SPONSOR_TRIALS.items():
        assert int(got[iri(key)]) == n, key
    g = curated_graph()
    assert (iri("person/shi-yufang"), RDF.type, LG.Person) in g
    assert (iri("person/zhao-chunhua"), RDF.type, LG.Person) in g


def test_renamed_hospital_is_one_organization_with_its_former_name():
    g = curated_graph()
    org = iri("org/beijing-302-hospital")
    assert Literal("北京302醫院", lang="zh-Hant") in set(g.objects(org, LG.formerName))
    assert Literal("解放軍總醫院第五醫學中心", lang="zh-Hant") in set(g.objects(org, LG.name))
    assert one(org, LG.parentOrganization) == iri("org/pla-general-hospital")
    # studies 1 (2012, 北京302醫院) and 3 (2021, 解放軍總醫院第五醫學中心) are performed by it
    for study in ("study/zhang-2012", "study/shi-2021"):
        assert one(iri(study), LG.performedBy) == org


def test_hospitals_link_to_their_university():
    g = curated_graph()
    digestive = iri("org/xijing-hospital-of-digestive-diseases")
    xijing = one(digestive, LG.parentOrganization)
    assert xijing == iri("org/xijing-hospital")
    afmu = one(xijing, LG.parentOrganization)
    assert afmu == iri("org/air-force-medical-university")
    assert Literal("第四軍醫大學", lang="zh-Hant") in set(g.objects(afmu, LG.formerName))


def test_machine_translated_sponsor_name_is_flagged_not_invented():
    org = iri("org/shenzhen-huangfeng-yumi-biotech")
    issue = one(org, LG.hasIssue)
    assert one(issue, LG.issueType) == LGC["issue-mistranslation"]
    assert str(one(issue, LG.seedText)) == "深圳市黃蜂玉米生物技術有限公司"


# -- the table, row by row, against the seed ----------------------------------------------------

def test_table_has_thirty_seven_rows_in_the_seed():
    assert len(seed_table()) == TRIALS


def test_each_trial_matches_its_table_row():
    g = curated_graph()
    status_map = {e["text"]["zh-Hant"]: e["value"] for e in yaml.safe_load(
        (DATA / "vocabulary" / "mappings" / "status.yaml").read_text(encoding="utf-8"))["entries"]}
    for n, title, nct, status, _conds, interventions, sponsor, study_type in seed_table():
        trial = iri(f"trial/{nct}")
        assert (trial, RDF.type, LG.Trial) in g, nct
        assert int(one(trial, LG.studyNumber)) == int(n)
        assert str(one(trial, LG.nctId)) == nct
        assert Literal(title, lang="zh-Hant") in set(g.objects(trial, LG.title)), nct
        assert str(one(trial, LG.statusAsWritten)) == status
        assert one(trial, LG.status) == LGC[f"status-{status_map[status]}"], nct
        assert str(one(trial, LG.interventionAsWritten)) == interventions
        assert str(one(trial, LG.sponsorAsWritten)) == sponsor
        assert str(one(trial, LG.studyTypeAsWritten)) == study_type
        assert any(lit.language == "en" for lit in g.objects(trial, LG.title)), nct


# -- trial details ------------------------------------------------------------------------------

def test_umbilical_cord_cells_are_allogeneic_and_dose_arms_are_recorded():
    got = rows("""SELECT ?level WHERE { trial:NCT01342250 lg:hasIntervention ?i .
                  ?i a lg:CellTherapy ; lg:doseLevel ?level ; lg:donorType lgc:donor-allogeneic ;
                     lg:tissueSource obo:UBERON_0002331 ; lg:coIntervention ?c .
                  ?c a lg:StandardMedicalTherapy }""")
    assert {str(r[0]).rsplit("-", 1)[-1] for r in got} == {"low", "medium", "high"}


def test_off_topic_kidney_trial_is_flagged_and_not_counted_as_cirrhosis():
    trial = iri("trial/NCT03460223")
    assert set(curated_graph().objects(trial, LG.condition)) == {OBO["MONDO_0000494"]}
    types = {one(i, LG.issueType) for i in curated_graph().subjects(LG.about, trial)}
    assert LGC["issue-off-topic"] in types and LGC["issue-mistranslation"] in types


def test_contradicting_title_is_flagged():
    got = rows("""SELECT ?issue WHERE { trial:NCT05442437 lg:hasIntervention ?i .
                  ?i lg:hasIssue ?issue . ?issue lg:issueType lgc:issue-contradiction }""")
    assert len(got) == 1


def test_interventions_missing_their_cells_are_completed_from_the_title_and_flagged():
    for nct, cell in (("NCT01233102", "CL_0000134"), ("NCT00976287", "CL_0002540")):
        got = rows(f"""SELECT ?cell ?type WHERE {{ trial:{nct} lg:hasIntervention ?i .
                       ?i a lg:CellTherapy ; lg:cellType ?cell ; lg:hasIssue ?issue .
                       ?issue lg:issueType ?type }}""")
        assert (OBO[cell], LGC["issue-missing-information"]) in got, nct
        rule = rows(f"""SELECT ?rule WHERE {{ trial:{nct} lg:hasIntervention/lg:hasIssue ?issue .
                        ?issue lg:issueType lgc:issue-missing-information ;
                               lg:onProperty lg:cellType ; lg:inferenceRule ?rule }}""")
        assert rule == [(LGC["rule-cells-from-title"],)], nct


# -- studies: spot checks against the seed --------------------------------------------------------

def measurement(study: str, local: str) -> URIRef:
    return iri(f"measurement/{study}-{local}")


def test_albumin_in_the_huc_msc_arm_rises_from_baseline_to_48_weeks():
    g = curated_graph()
    for local, value, sd, days in (("alb-baseline", "28.9", "2.8", "0"),
                                   ("alb-48w", "33.9", "5.7", "336")):
        m = measurement("fu-2018", local)
        assert dec(one(m, LG.value)) == Decimal(value)
        assert dec(one(m, LG.sd)) == Decimal(sd)
        assert dec(one(m, LG.timePointDays)) == Decimal(days)
        assert one(m, LG.unit) == OBO["UO_0000175"]
        assert one(m, LG.arm) == iri("arm/fu-2018-hucmsc")
        assert one(m, LG.statistic) == LGC["statistic-mean"]
    assert str(one(measurement("fu-2018", "alb-48w"), LG.timePoint)) == "P336D"
    comparison = iri("comparison/fu-2018-alb-48w-vs-baseline")
    assert str(one(comparison, LG.pValueAsWritten)) == "P<0.05"
    assert one(comparison, LG.pValueRelation) == LGC["bound-lt"]
    assert g.value(comparison, LG.significant).toPython() is True


def test_prealbumin_keeps_the_reported_g_per_litre_flagged_with_mg_per_litre_derived():
    for local in ("pab-baseline", "pab-48w"):
        m = measurement("fu-2018", local)
        assert one(m, LG.unit) == OBO["UO_0000175"]                 # g/L, as the seed writes
        types = {one(i, LG.issueType) for i in curated_graph().objects(m, LG.hasIssue)}
        assert LGC["issue-wrong-unit"] in types
        derived = measurement("fu-2018", f"{local}-derived")
        assert one(derived, LG.correctionOf) == m
        assert one(derived, LG.unit) == LGC["unit-mg-per-L"]
        assert str(one(LGC["unit-mg-per-L"], LG.ucumCode)) == "mg/L"   # UCUM
        assert one(derived, LG.value) == one(m, LG.value)


def test_seven_patients_with_self_limited_fever():
    g = curated_graph()
    fever = iri("safety/shi-2021-fever")
    assert one(fever, LG.adverseEvent) == OBO["HP_0001945"]
    assert int(one(fever, LG.patientsAffected)) == 7
    assert (str(one(fever, LG.onsetFrom)), str(one(fever, LG.onsetTo)),
            str(one(fever, LG.resolvedWithin))) == ("PT2H", "PT6H", "PT12H")
    assert one(fever, LG.severity) == LGC["severity-self-limited"]
    assert g.value(fever, LG.requiredTreatment).toPython() is False
    temperature = measurement("shi-2021", "fever-temperature")
    assert (dec(one(temperature, LG.rangeLow)), dec(one(temperature, LG.rangeHigh))) == (37, 38)
    assert one(temperature, LG.unit) == LGC["unit-degree-celsius"]


def test_ten_year_survival_after_pbsc_is_74_of_197():
    m = measurement("cui-2022", "os-10y-pbsc")
    assert dec(one(m, LG.value)) == Decimal("37.56")
    assert (int(one(m, LG.numerator)), int(one(m, LG.denominator))) == (74, 197)
    assert round(Decimal(74) / 197 * 100, 2) == Decimal("37.56")
    assert str(one(m, LG.timePoint)) == "P10Y"
    control = measurement("cui-2022", "os-10y-control")
    assert dec(one(control, LG.value)) == Decimal("26.49")
    assert round(Decimal(40) / 151 * 100, 2) == Decimal("26.49")


def test_study_4_keeps_the_reported_118_deaths_and_offers_113_as_a_separate_derived_value():
    g = curated_graph()
    pbsc = iri("arm/cui-2022-pbsc")
    assert (int(one(pbsc, LG.participants)), int(one(pbsc, LG.lostToFollowUp)),
            int(one(pbsc, LG.analysed))) == (287, 90, 197)
    count = {local: int(dec(one(measurement("cui-2022", local), LG.value))) for local in
             ("end-point-reached", "followed-over-10y", "lost-after-10y", "survived-over-10y",
              "not-at-end-point-control", "deaths-control", "deaths-control-derived")}
    assert count["end-point-reached"] + count["followed-over-10y"] + count["lost-after-10y"] == 197
    assert count["followed-over-10y"] + count["lost-after-10y"] == count["survived-over-10y"]
    # the seed's figure is kept as reported, although 38 + 118 != 151 ...
    reported = measurement("cui-2022", "deaths-control")
    assert count["deaths-control"] == 118
    assert count["not-at-end-point-control"] + count["deaths-control"] == 156
    issue = one(reported, LG.hasIssue)
    assert one(issue, LG.issueType) == LGC["issue-arithmetic"]
    assert one(issue, LG.onProperty) == LG.value
    assert "死亡118例" in str(one(issue, LG.seedText))
    assert str(one(issue, LG.correctedValue)) == "113"
    assert g.value(issue, LG.curatorNote) is not None
    # ... and the correction is a separate measurement naming it, with its reasoning
    derived = measurement("cui-2022", "deaths-control-derived")
    assert one(derived, LG.correctionOf) == reported
    assert count["not-at-end-point-control"] + count["deaths-control-derived"] == 151
    assert "151" in str(one(derived, LG.curatorNote)) and "26.49" in str(one(derived, LG.curatorNote))
    assert g.value(derived, LG.sourceText) is None     # derived: no sentence of the seed says 113
    assert one(derived, LG.arm) == one(reported, LG.arm) == iri("arm/cui-2022-control")


def test_whole_cohort_results_of_study_5_belong_to_no_arm():
    """li-2023's pooled rates (80.1 %, 74.1 %, 33.3 %, 32.4 %) are cohort-level, not arm results."""
    for local, value, population in (("mortality-all-total", "80.1", "all"),
                                     ("mortality-matched-total", "74.1", "matched"),
                                     ("hcc-all-total", "33.3", "all"),
                                     ("hcc-matched-total", "32.4", "matched")):
        m = measurement("li-2023", local)
        assert dec(one(m, LG.value)) == Decimal(value)
        assert list(curated_graph().objects(m, LG.arm)) == [], local
        assert one(m, LG.populationLevel) == LGC["level-cohort"]
        assert one(m, LG.analysisPopulation) == LGC[f"population-{population}"]
    # no measurement anywhere names more than one arm
    assert rows("""SELECT ?m WHERE { ?s lg:hasMeasurement ?m . ?m lg:arm ?a , ?b .
                   FILTER (?a != ?b) }""") == []


def test_study_5_percentages_match_their_fractions():
    checks = {"mortality-all-non-sct": ("84.2", 139, 165), "hcc-all-non-sct": ("31.5", 52, 165),
              "hcc-matched-total": ("32.4", 35, 108)}
    for local, (value, num, den) in checks.items():
        m = measurement("li-2023", local)
        assert dec(one(m, LG.value)) == Decimal(value)
        assert (int(one(m, LG.numerator)), int(one(m, LG.denominator))) == (num, den)
        assert round(Decimal(num) / den * 100, 1) == Decimal(value)
    for local, value, n in (("mortality-all-sct", "61.1", 36), ("hcc-all-sct", "41.7", 36),
                            ("mortality-matched-non-sct", "80.6", 72),
                            ("hcc-matched-non-sct", "27.8", 72)):
        m = measurement("li-2023", local)
        assert dec(one(m, LG.value)) == Decimal(value)
        assert int(one(m, LG.numberAnalysed)) == n


def test_survival_and_median_os_of_study_5():
    expected = {"os-3y-sct": ("83.3", "P3Y"), "os-3y-non-sct": ("61.8", "P3Y"),
                "os-5y-sct": ("63.9", "P5Y"), "os-5y-non-sct": ("43.6", "P5Y")}
    for local, (value, tp) in expected.items():
        m = measurement("li-2023", local)
        assert (dec(one(m, LG.value)), str(one(m, LG.timePoint))) == (Decimal(value), tp)
    for local, value in (("median-os-sct", "92.5"), ("median-os-non-sct", "50.8")):
        m = measurement("li-2023", local)
        assert dec(one(m, LG.value)) == Decimal(value)
        assert one(m, LG.unit) == OBO["UO_0000035"]
        assert one(m, LG.statistic) == LGC["statistic-median"]


def test_ages_at_hcc_onset():
    median = measurement("cui-2022", "age-hcc-median-pbsc")
    assert (dec(one(median, LG.value)), dec(one(median, LG.rangeLow)),
            dec(one(median, LG.rangeHigh))) == (60, 39, 68)
    mean = measurement("cui-2022", "age-hcc-mean-control")
    assert (dec(one(mean, LG.value)), dec(one(mean, LG.sd))) == (Decimal("52.69"), Decimal("8.42"))
    assert one(mean, LG.unit) == OBO["UO_0000036"]


def test_arms_of_the_five_studies():
    got = rows("""SELECT ?study ?n WHERE { ?study a lg:PublishedStudy ; lg:hasArm ?a .
                  ?a lg:participants ?n }""")
    sizes = {}
    for study, n in got:
        sizes.setdefault(str(study).rsplit("/", 1)[-1], []).append(int(n))
    assert {k: sorted(v) for k, v in sizes.items()} == {
        "zhang-2012": [15, 30], "fu-2018": [17, 17], "shi-2021": [108, 111],
        "cui-2022": [151, 287], "li-2023": [36, 165]}


def test_study_trial_links_are_inferred_with_a_reason():
    got = rows("""SELECT ?study ?trial ?basis ?reason WHERE { ?study lg:trialLink ?l .
                  ?l lg:linkedTrial ?trial ; lg:linkBasis ?basis ; lg:linkReason ?reason }""")
    links = {(str(s).rsplit("/", 1)[-1], str(t).rsplit("/", 1)[-1]) for s, t, _, _ in got}
    assert links == {("zhang-2012", "NCT01220492"), ("shi-2021", "NCT01220492"),
                     ("cui-2022", "NCT01728688")}
    # the seed cites no NCT number for any study: no link is 'stated'
    assert {b for _, _, b, _ in got} == {LGC["link-inferred"]}
    assert not list(curated_graph().subject_objects(LG.reportsTrial))


# -- claims ---------------------------------------------------------------------------------------

def test_headline_and_registry_claims():
    g = curated_graph()
    claim388 = iri("claim/seed-article-five-studies-388-patients")
    assert dec(one(claim388, LG.claimedValue)) == 388
    assert one(claim388, LG.supportLevel) == LGC["support-partly"]
    assert "30 + 17 + 108 + 197 + 36 = 388" in str(g.value(claim388, LG.curatorNote))
    assert 30 + 17 + 108 + 197 + 36 == 388
    for local, value in (("registered-75", 75), ("completed-20", 20)):
        claim = iri(f"claim/seed-article-{local}")
        assert dec(one(claim, LG.claimedValue)) == value
        assert str(one(claim, LG.asOf)) == "2024-08-27"


def test_every_claim_has_a_support_level():
    for claim in curated_graph().subjects(RDF.type, LG.Claim):
        one(claim, LG.supportLevel)
        assert curated_graph().value(claim, LG.claimText) is not None


# -- whole-graph checks ---------------------------------------------------------------------------

def test_every_measurement_has_value_unit_time_point_arm_and_source():
    """A measurement has a value (or a low-high range), a unit, an arm (or is pooled over a
    cohort: populationLevel cohort) and a source, and a time
    point unless a flagged issue (on it or its study) says the source gives none."""
    missing = rows("""
        SELECT ?m ?what WHERE {
          ?m a ?cls . VALUES ?cls { lg:Measurement lg:TimeToEventResult }
          {
            FILTER NOT EXISTS { ?m lg:value ?v }
            FILTER NOT EXISTS { ?m lg:rangeLow ?lo ; lg:rangeHigh ?hi }
            BIND ("value" AS ?what)
          } UNION {
            FILTER NOT EXISTS { ?m lg:unit ?u } BIND ("unit" AS ?what)
          } UNION {
            FILTER NOT EXISTS { ?m lg:arm ?a }
            FILTER NOT EXISTS { ?m lg:populationLevel lgc:level-cohort }
            BIND ("arm or cohort level" AS ?what)
          } UNION {
            FILTER NOT EXISTS { ?m prov:wasDerivedFrom ?s } BIND ("source" AS ?what)
          } UNION {
            FILTER NOT EXISTS { ?m lg:timePoint ?t }
            FILTER NOT EXISTS { ?i lg:about ?m ; lg:onProperty lg:timePoint }
            FILTER NOT EXISTS { ?study lg:hasMeasurement ?m . ?j lg:about ?study ;
                                lg:onProperty lg:timePoint }
            BIND ("time point" AS ?what)
          }
        }""")
    assert missing == []
    count = rows("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?s lg:hasMeasurement ?m }")
    assert int(count[0][0]) == MEASUREMENTS


def test_every_issue_has_seed_text_note_type_and_severity():
    g = curated_graph()
    issues = set(g.subjects(RDF.type, LG.DataQualityIssue))
    assert len(issues) >= 50
    for issue in issues:
        assert g.value(issue, LG.seedText) is not None, issue
        assert any(n.language == "en" for n in g.objects(issue, LG.curatorNote)), issue
        one(issue, LG.issueType)
        one(issue, LG.issueSeverity)
        assert g.value(issue, LG.about) is not None, issue
    types = {str(one(i, LG.issueType)).rsplit("issue-", 1)[-1] for i in issues}
    assert ISSUE_TYPES <= types


def test_source_texts_are_verbatim_from_the_seed():
    text = seed_text()
    g = curated_graph()
    for p in (LG.sourceText, LG.seedText, LG.claimText):
        for s, lit in g.subject_objects(p):
            if lit.language != "zh-Hant":
                continue
            for part in str(lit).split(" | "):
                assert part in text, (s, p, part)


def test_every_number_quoted_in_a_measurement_sentence_is_in_the_seed():
    """Each measurement's value appears in the sentence it cites (values derived from the text,
    such as study 4's derived 113 deaths, name the reported value they correct and cite no
    sentence)."""
    g = curated_graph()
    for m in set(g.subjects(RDF.type, LG.Measurement)) | set(
            g.subjects(RDF.type, LG.TimeToEventResult)):
        value, sentence = g.value(m, LG.value), g.value(m, LG.sourceText)
        if value is None or sentence is None:
            continue
        numbers = {Decimal(x) for x in re.findall(r"\d+(?:\.\d+)?", str(sentence))}
        if abs(dec(value)) not in numbers:
            assert g.value(m, LG.hasIssue) is not None, (m, value)


# -- the flag taxonomy: one example of each kind -----------------------------------------------

#: issue type -> (issue, the record it is about), one example of each kind in the bundled data
FLAG_EXAMPLES = {
    "mistranslation": ("shenzhen-beike-biotech-name-beike-mistranslated",
                       "org/shenzhen-beike-biotech"),
    "arithmetic": ("cui-2022-control-deaths-do-not-add-up", "measurement/cui-2022-deaths-control"),
    "unsupported-claim": ("seed-article-count-388-treated-only",
                          "claim/seed-article-five-studies-388-patients"),
    "misattribution": ("NCT01491165-condition-other-surgery", "trial/NCT01491165"),
    "contradiction": ("NCT05442437-title-contradicts-intervention", "intervention/NCT05442437-cells"),
    "wrong-unit": ("fu-2018-pab-unit-48w", "measurement/fu-2018-pab-48w"),
    "typo": ("seed-article-gan-variant-and-conversion-artefacts", "source/seed-article"),
    "missing-information": ("NCT03826433-condition-cirrhosis-from-title", "trial/NCT03826433"),
    "off-topic": ("NCT03460223-off-topic-kidney-fibrosis", "trial/NCT03460223"),
    "shifted-header": ("seed-article-table-header-shifted", "source/seed-article"),
    "outdated-name": ("shenyang-military-region-general-hospital-name-shenyang-outdated",
                      "org/shenyang-military-region-general-hospital"),
    "stale-status": ("seed-article-statuses-as-of-snapshot", "source/seed-article"),
    "inferred": ("NCT01220492-ucmsc-donor-type-inferred", "intervention/NCT01220492-ucmsc"),
}


def test_every_flag_kind_is_a_documented_concept():
    from rdflib import Graph
    onto = Graph().parse(ONTOLOGY)
    kinds = {str(n) for c in onto.subjects(RDF.type, LG.IssueType)
             for n in onto.objects(c, SKOS.notation)}
    assert set(FLAG_EXAMPLES) | {"wrong-language-tag", "registry-disagreement"} == kinds
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for kind in kinds:
        assert f"| `{kind}` |" in readme, f"data/README.md does not document {kind}"


@pytest.mark.parametrize("kind", sorted(FLAG_EXAMPLES))
def test_flag_kind_has_its_example(kind):
    issue_id, about = FLAG_EXAMPLES[kind]
    issue = iri(f"issue/{issue_id}")
    assert one(issue, LG.issueType) == LGC[f"issue-{kind}"]
    assert iri(about) in set(curated_graph().objects(issue, LG.about))
    assert any(n.language == "en" for n in curated_graph().objects(issue, LG.curatorNote))
    if kind == "inferred":
        assert one(issue, LG.inferenceRule) == LGC["rule-donor-from-tissue"]
        assert one(issue, LG.onProperty) == LG.donorType
    if kind == "outdated-name":
        org = iri(about)
        assert Literal("北部戰區總醫院", lang="zh-Hant") in set(curated_graph().objects(org, LG.name))
        assert Literal("沈陽軍區總醫院", lang="zh-Hant") in set(
            curated_graph().objects(org, LG.formerName))


def test_wrong_language_tags_are_caught_and_none_remain():
    """The kind wrong-language-tag is caught by a shape (LanguageTagShape) rather than flagged
    by hand: the bundled data has no English tagged @zh and no Chinese-only text tagged @en."""
    cjk = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
    latin = re.compile(r"[A-Za-z]")
    wrong = []
    for s, p, o in curated_graph():
        if isinstance(o, Literal) and o.language:
            lang = o.language.lower()
            if lang.startswith("zh") and latin.search(o) and not cjk.search(o):
                wrong.append((s, p, o))
            if lang == "en" and cjk.search(o) and not latin.search(o):
                wrong.append((s, p, o))
    assert wrong == []


def test_every_trial_status_is_dated_as_of_the_seed_snapshot():
    g = curated_graph()
    for trial in g.subjects(RDF.type, LG.Trial):
        assert str(one(trial, LG.statusAsOf)) == "2024-08-27", trial


def test_shi_2021_period_is_the_follow_up_not_the_enrolment():
    study = iri("study/shi-2021")
    g = curated_graph()
    assert (str(one(study, LG.followUpPeriodStart)), str(one(study, LG.followUpPeriodEnd))) == \
        ("2010-10", "2017-10")
    assert g.value(study, LG.enrolmentPeriodStart) is None


def test_the_388_note_counts_937_patients_in_the_five_studies():
    issue = iri("issue/seed-article-count-388-treated-only")
    note = str(one(issue, LG.curatorNote))
    assert "937" in note and "786 enrolled" not in note
    assert 45 + 34 + 219 + 438 + 201 == 937
