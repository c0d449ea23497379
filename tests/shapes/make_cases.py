"""Writes the SHACL test cases in this folder: for every shape in shapes/, a passing and a
failing example (``<Shape>.pass.ttl``, ``<Shape>.fail.ttl``), each a small self-contained graph
with its expected results in ``# expect:`` lines (``severity focus property``; ``# expect:
nothing`` for a passing case). tests/test_validate.py checks every case.

The cases are generated from one small valid world (BASE) so that each failing case differs
from it by one mistake; edit this script and run ``python tests/shapes/make_cases.py`` to
regenerate them (the files are committed so that a reader sees each case whole).
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

PREFIXES = """\
@prefix lg:   <https://w3id.org/livergraph/ontology#> .
@prefix lgc:  <https://w3id.org/livergraph/concept/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix obo:  <http://purl.obolibrary.org/obo/> .
@prefix trial: <https://w3id.org/livergraph/id/trial/> .
@prefix study: <https://w3id.org/livergraph/id/study/> .
@prefix arm: <https://w3id.org/livergraph/id/arm/> .
@prefix org: <https://w3id.org/livergraph/id/org/> .
@prefix person: <https://w3id.org/livergraph/id/person/> .
@prefix source: <https://w3id.org/livergraph/id/source/> .
@prefix publication: <https://w3id.org/livergraph/id/publication/> .
@prefix intervention: <https://w3id.org/livergraph/id/intervention/> .
@prefix measurement: <https://w3id.org/livergraph/id/measurement/> .
@prefix comparison: <https://w3id.org/livergraph/id/comparison/> .
@prefix safety: <https://w3id.org/livergraph/id/safety/> .
@prefix outcome: <https://w3id.org/livergraph/id/outcome/> .
@prefix location: <https://w3id.org/livergraph/id/location/> .
@prefix reference: <https://w3id.org/livergraph/id/reference/> .
@prefix link: <https://w3id.org/livergraph/id/link/> .
@prefix claim: <https://w3id.org/livergraph/id/claim/> .
@prefix issue: <https://w3id.org/livergraph/id/issue/> .
@prefix registry-record: <https://w3id.org/livergraph/id/registry-record/> .
"""

#: a small valid world: a source, a sponsor, a trial with a cell therapy, a study with two arms
#: and two measurements
BASE = """\
source:seed a lg:SourceDocument ; rdfs:label "seed article"@en ;
    lg:curatedIn "data/sources/seed.yaml#seed" .

org:hospital a lg:Organization ; rdfs:label "Hospital"@en ;
    lg:name "Hospital"@en , "醫院"@zh-Hant ;
    lg:curatedIn "data/organizations/organizations.yaml#hospital" .

trial:NCT00000001 a lg:Trial ;
    rdfs:label "NCT00000001" ;
    lg:nctId "NCT00000001" ;
    lg:status lgc:status-COMPLETED ;
    lg:studyType lgc:study-type-INTERVENTIONAL ;
    lg:leadSponsor org:hospital ;
    lg:condition obo:MONDO_0005155 ;
    lg:hasIntervention intervention:NCT00000001-ucmsc ;
    lg:title "Umbilical cord MSC for cirrhosis"@en , "臍帶間充質幹細胞治療肝硬化"@zh-Hant ;
    lg:registryRecord <https://clinicaltrials.gov/study/NCT00000001> ;
    prov:wasDerivedFrom source:seed ;
    lg:curatedIn "data/trials/NCT00000001.yaml#NCT00000001" .

intervention:NCT00000001-ucmsc a lg:CellTherapy ;
    lg:cellType obo:CL_0002569 ;
    lg:donorType lgc:donor-allogeneic ;
    lg:curatedIn "data/trials/NCT00000001.yaml#NCT00000001/ucmsc" .

obo:MONDO_0005155 rdfs:label "cirrhosis of liver"@en .
obo:CL_0002569 rdfs:label "mesenchymal stem cell of umbilical cord"@en .
obo:UO_0000175 a lg:Unit ; rdfs:label "gram per liter"@en , "克/升"@zh-Hant ; lg:ucumCode "g/L" .
obo:UO_0000187 a lg:Unit ; rdfs:label "percent"@en , "百分比"@zh-Hant ; lg:ucumCode "%" .

study:s1 a lg:PublishedStudy ;
    lg:title "A study of UC-MSC"@en ;
    lg:hasArm arm:s1-treated , arm:s1-control ;
    lg:totalParticipants "20"^^xsd:nonNegativeInteger ;
    lg:followUp "P1Y"^^xsd:duration ;
    lg:hasMeasurement measurement:s1-alb-0 , measurement:s1-alb-48w ;
    prov:wasDerivedFrom source:seed ;
    lg:curatedIn "data/studies/s1.yaml#s1" .

arm:s1-treated a lg:Arm ; lg:armRole lgc:arm-EXPERIMENTAL ; lg:participants "10"^^xsd:nonNegativeInteger ;
    lg:curatedIn "data/studies/s1.yaml#s1/treated" .
arm:s1-control a lg:Arm ; lg:armRole lgc:arm-ACTIVE_COMPARATOR ; lg:participants "10"^^xsd:nonNegativeInteger ;
    lg:curatedIn "data/studies/s1.yaml#s1/control" .

measurement:s1-alb-0 a lg:Measurement ;
    lg:value 28.9 ; lg:unit obo:UO_0000175 ; lg:arm arm:s1-treated ; lg:measure lgc:measure-albumin ;
    lg:timePoint "P0D"^^xsd:duration ; lg:timePointDays 0.0 ;
    prov:wasDerivedFrom source:seed ;
    lg:curatedIn "data/studies/s1.yaml#s1/alb-0" .
measurement:s1-alb-48w a lg:Measurement ;
    lg:value 33.9 ; lg:unit obo:UO_0000175 ; lg:arm arm:s1-treated ; lg:measure lgc:measure-albumin ;
    lg:timePoint "P336D"^^xsd:duration ; lg:timePointDays 336.0 ;
    prov:wasDerivedFrom source:seed ;
    lg:curatedIn "data/studies/s1.yaml#s1/alb-48w" .
"""


#: a trial known only from ClinicalTrials.gov, as `livergraph import ctgov` writes it: every node
#: is derived from the registry record version alone (appended to BASE by the registry cases)
REGISTRY = """\
registry-record:NCT00000002-2024-08-27 a lg:RegistryRecordVersion ;
    rdfs:label "ClinicalTrials.gov record NCT00000002, version 2024-08-27"@en ;
    lg:ofTrial trial:NCT00000002 ; lg:versionDate "2024-08-27"^^xsd:date ;
    lg:curatedIn "data/registry/trials/NCT00000002.yaml#NCT00000002-2024-08-27" .

org:registry-sponsor a lg:Organization ; rdfs:label "Registry Sponsor"@en ;
    lg:name "Registry Sponsor"@en , "登記贊助者"@zh-Hant ;
    prov:wasDerivedFrom registry-record:NCT00000002-2024-08-27 ;
    lg:curatedIn "data/registry/agents/registry-sponsor.yaml#registry-sponsor" .

trial:NCT00000002 a lg:Trial ;
    rdfs:label "NCT00000002" ;
    lg:nctId "NCT00000002" ;
    lg:status lgc:status-COMPLETED ;
    lg:studyType lgc:study-type-INTERVENTIONAL ;
    lg:leadSponsor org:registry-sponsor ;
    lg:condition obo:MONDO_0005155 ;
    lg:registryCondition "Liver Cirrhosis" ;
    lg:hasIntervention intervention:NCT00000002-intervention-1 ;
    lg:title "Stem cells for cirrhosis"@en , "幹細胞治療肝硬化"@zh-Hant ;
    lg:registryRecord <https://clinicaltrials.gov/study/NCT00000002> ;
    lg:hasArm arm:NCT00000002-group-1 ;
    prov:wasDerivedFrom registry-record:NCT00000002-2024-08-27 ;
    lg:curatedIn "data/registry/trials/NCT00000002.yaml#NCT00000002" .

intervention:NCT00000002-intervention-1 a lg:CellTherapy ;
    lg:description "Mesenchymal stem cells"@en ;
    prov:wasDerivedFrom registry-record:NCT00000002-2024-08-27 ;
    lg:curatedIn "data/registry/trials/NCT00000002.yaml#NCT00000002/intervention-1" .

arm:NCT00000002-group-1 a lg:Arm ; rdfs:label "Stem cells"@en ; lg:armRole lgc:arm-EXPERIMENTAL ;
    prov:wasDerivedFrom registry-record:NCT00000002-2024-08-27 ;
    lg:curatedIn "data/registry/trials/NCT00000002.yaml#NCT00000002/group-1" .
"""

R = "trial:NCT00000002"
RM = "measurement:NCT00000002-result-1"
REGISTRY_RESULT = (f"{R} lg:hasMeasurement {RM} .\n"
                   f"{RM} a lg:Measurement ; lg:arm arm:NCT00000002-group-1 ; lg:measureText \"Serum albumin\" ; "
                   "lg:unitText \"g/L\" ; lg:timeFrame \"48 weeks\" ; {fields}"
                   "prov:wasDerivedFrom registry-record:NCT00000002-2024-08-27 ; "
                   "lg:curatedIn \"data/registry/trials/NCT00000002.yaml#NCT00000002/result-1\" .\n")


def case(shape, *, good="", bad="", replace=(), good_replace=(), expect=(), good_expect=(),
         why=""):
    return dict(shape=shape, good=good, bad=bad, replace=replace, good_replace=good_replace,
                expect=expect, good_expect=good_expect, why=why)


T = "trial:NCT00000001"
M = "measurement:s1-alb-48w"

CASES = [
    case("TrialShape", why="a trial without a status, with a malformed NCT number and no Chinese title",
         replace=[('    lg:status lgc:status-COMPLETED ;\n', ''),
                  ('lg:nctId "NCT00000001"', 'lg:nctId "NCT0000001"'),
                  (' , "臍帶間充質幹細胞治療肝硬化"@zh-Hant', '')],
         expect=[("violation", T, "lg:status"), ("violation", T, "lg:nctId"),
                 ("violation", T, "lg:title")]),
    case("TrialConditionLiverShape", why="a trial whose condition is renal fibrosis",
         replace=[("lg:condition obo:MONDO_0005155", "lg:condition obo:MONDO_0005155 , obo:MONDO_0000494")],
         bad='obo:MONDO_0000494 rdfs:label "renal fibrosis"@en .\n',
         expect=[("warning", T, "lg:condition")]),
    case("TrialTitleCellSourceShape", why="a title naming bone marrow cells for an umbilical-cord product",
         replace=[('"Umbilical cord MSC for cirrhosis"@en , "臍帶間充質幹細胞治療肝硬化"@zh-Hant',
                   '"Bone marrow cells for cirrhosis"@en , "骨髓細胞治療肝硬化"@zh-Hant')],
         expect=[("warning", T, "lg:title")]),
    case("RegisteredOutcomeShape", why="a registered outcome without type or measure",
         good=f'{T} lg:hasOutcome outcome:NCT00000001-o1 .\noutcome:NCT00000001-o1 a lg:RegisteredOutcome ; lg:outcomeType lgc:outcome-PRIMARY ; lg:measure lgc:measure-meld ; lg:timeFrame "48 weeks" .\n',
         bad=f'{T} lg:hasOutcome outcome:NCT00000001-o1 .\noutcome:NCT00000001-o1 a lg:RegisteredOutcome ; lg:timeFrame "48 weeks" .\n',
         expect=[("violation", "outcome:NCT00000001-o1", "lg:outcomeType"),
                 ("violation", "outcome:NCT00000001-o1", "-")]),
    case("LocationShape", why="a site without its country",
         good=f'{T} lg:hasLocation location:NCT00000001-l1 .\nlocation:NCT00000001-l1 a lg:Location ; lg:city "Beijing" ; lg:country "China" .\n',
         bad=f'{T} lg:hasLocation location:NCT00000001-l1 .\nlocation:NCT00000001-l1 a lg:Location ; lg:city "Beijing" .\n',
         expect=[("violation", "location:NCT00000001-l1", "lg:country")]),
    case("RegistryReferenceShape", why="a PMID written with its prefix",
         good=f'{T} lg:hasReference reference:NCT00000001-r1 .\nreference:NCT00000001-r1 a lg:RegistryReference ; lg:pmid "35462483" ; lg:referenceType lgc:reference-RESULT .\n',
         bad=f'{T} lg:hasReference reference:NCT00000001-r1 .\nreference:NCT00000001-r1 a lg:RegistryReference ; lg:pmid "PMID:35462483" ; lg:referenceType lgc:reference-RESULT .\n',
         expect=[("violation", "reference:NCT00000001-r1", "lg:pmid")]),
    case("StudyShape", why="arms of 10 and 10 but a total of 21",
         replace=[('lg:totalParticipants "20"^^xsd:nonNegativeInteger', 'lg:totalParticipants "21"^^xsd:nonNegativeInteger')],
         expect=[("violation", "study:s1", "lg:totalParticipants")]),
    case("PublishedStudyShape", why="a published study with no English title and no source",
         replace=[('    lg:title "A study of UC-MSC"@en ;\n', '    lg:title "一項研究"@zh-Hant ;\n'),
                  ('    prov:wasDerivedFrom source:seed ;\n    lg:curatedIn "data/studies/s1.yaml#s1" .',
                   '    lg:curatedIn "data/studies/s1.yaml#s1" .')],
         expect=[("violation", "study:s1", "lg:title"), ("violation", "study:s1", "prov:wasDerivedFrom")]),
    case("ArmShape", why="an arm without a role, with more patients analysed than enrolled",
         replace=[('arm:s1-control a lg:Arm ; lg:armRole lgc:arm-ACTIVE_COMPARATOR ; lg:participants "10"^^xsd:nonNegativeInteger ;',
                   'arm:s1-control a lg:Arm ; lg:participants "10"^^xsd:nonNegativeInteger ; lg:analysed "12"^^xsd:nonNegativeInteger ;')],
         expect=[("violation", "arm:s1-control", "lg:armRole"), ("violation", "arm:s1-control", "lg:analysed")]),
    case("TrialLinkShape", why="an inferred link without its reason",
         good='study:s1 lg:trialLink link:s1-l1 .\nlink:s1-l1 a lg:TrialLink ; lg:linkedTrial trial:NCT00000001 ; lg:linkBasis lgc:link-inferred ; lg:linkReason "same institution, design and dates"@en .\n',
         bad='study:s1 lg:trialLink link:s1-l1 .\nlink:s1-l1 a lg:TrialLink ; lg:linkedTrial trial:NCT00000001 ; lg:linkBasis lgc:link-inferred .\n',
         expect=[("violation", "link:s1-l1", "lg:linkReason")]),
    case("InterventionShape", why="a route that is not a route concept",
         good='intervention:NCT00000001-ucmsc lg:route lgc:route-intravenous .\n',
         bad='intervention:NCT00000001-ucmsc lg:route lgc:donor-autologous .\n',
         expect=[("violation", "intervention:NCT00000001-ucmsc", "lg:route")]),
    case("DoseNeedsUnitShape", why="a dose without its unit",
         good='intervention:NCT00000001-ucmsc lg:dose 1.0 ; lg:doseUnit lgc:unit-cells-per-kg .\n',
         bad='intervention:NCT00000001-ucmsc lg:dose 1.0 .\n',
         expect=[("violation", "intervention:NCT00000001-ucmsc", "lg:doseUnit")]),
    case("CellTherapyShape", why="a cell product that is both autologous and allogeneic, with no cell type",
         replace=[("    lg:cellType obo:CL_0002569 ;\n    lg:donorType lgc:donor-allogeneic ;",
                   "    lg:donorType lgc:donor-allogeneic , lgc:donor-autologous ;")],
         expect=[("violation", "intervention:NCT00000001-ucmsc", "lg:donorType"),
                 ("violation", "intervention:NCT00000001-ucmsc", "-")]),
    case("MeasurementShape", why="a measurement without unit and a percentage above 100",
         replace=[("lg:value 33.9 ; lg:unit obo:UO_0000175 ;", "lg:value 133.9 ; lg:unit obo:UO_0000187 ;"),
                  ("lg:value 28.9 ; lg:unit obo:UO_0000175 ;", "lg:value 28.9 ;")],
         expect=[("violation", M, "-"), ("violation", "measurement:s1-alb-0", "lg:unit")]),
    case("MeasurementValueShape", why="a measurement with neither a value nor a range",
         replace=[("lg:value 33.9 ; ", "")],
         expect=[("violation", M, "-")]),
    case("MeasurementTimePointShape", why="a lab value without its time point",
         replace=[('    lg:timePoint "P336D"^^xsd:duration ; lg:timePointDays 336.0 ;\n', '')],
         expect=[("violation", M, "-")]),
    case("MeasurementWholeFollowUpShape", why="a mortality over follow-up: information, not an error",
         good='study:s1 lg:hasMeasurement measurement:s1-death .\nmeasurement:s1-death a lg:TimeToEventResult ; lg:value 10.0 ; lg:unit obo:UO_0000187 ; lg:arm arm:s1-treated ; lg:measure lgc:measure-mortality ; lg:timePoint "P1Y"^^xsd:duration ; lg:timePointDays 365.25 ; prov:wasDerivedFrom source:seed .\n',
         bad='study:s1 lg:hasMeasurement measurement:s1-death .\nmeasurement:s1-death a lg:TimeToEventResult ; lg:value 10.0 ; lg:unit obo:UO_0000187 ; lg:arm arm:s1-treated ; lg:measure lgc:measure-mortality ; prov:wasDerivedFrom source:seed .\n',
         expect=[("info", "measurement:s1-death", "lg:timePoint")]),
    case("StudyMeasurementsShape", why="a time point after the end of follow-up, an arm of another study, and a survival rate that rises",
         good='study:s1 lg:hasMeasurement measurement:s1-os-1y , measurement:s1-os-6m .\n'
              'measurement:s1-os-6m a lg:TimeToEventResult ; lg:value 90.0 ; lg:statistic lgc:statistic-rate ; lg:unit obo:UO_0000187 ; lg:arm arm:s1-treated ; lg:measure lgc:measure-overall-survival ; lg:timePoint "P6M"^^xsd:duration ; lg:timePointDays 182.625 ; prov:wasDerivedFrom source:seed .\n'
              'measurement:s1-os-1y a lg:TimeToEventResult ; lg:value 80.0 ; lg:statistic lgc:statistic-rate ; lg:unit obo:UO_0000187 ; lg:arm arm:s1-treated ; lg:measure lgc:measure-overall-survival ; lg:timePoint "P1Y"^^xsd:duration ; lg:timePointDays 365.25 ; prov:wasDerivedFrom source:seed .\n',
         bad='study:s1 lg:hasMeasurement measurement:s1-os-1y , measurement:s1-os-6m , measurement:s1-alb-2y .\n'
             'measurement:s1-os-6m a lg:TimeToEventResult ; lg:value 80.0 ; lg:statistic lgc:statistic-rate ; lg:unit obo:UO_0000187 ; lg:arm arm:s1-treated ; lg:measure lgc:measure-overall-survival ; lg:timePoint "P6M"^^xsd:duration ; lg:timePointDays 182.625 ; prov:wasDerivedFrom source:seed .\n'
             'measurement:s1-os-1y a lg:TimeToEventResult ; lg:value 90.0 ; lg:statistic lgc:statistic-rate ; lg:unit obo:UO_0000187 ; lg:arm arm:s1-treated ; lg:measure lgc:measure-overall-survival ; lg:timePoint "P1Y"^^xsd:duration ; lg:timePointDays 365.25 ; prov:wasDerivedFrom source:seed .\n'
             'measurement:s1-alb-2y a lg:Measurement ; lg:value 35.0 ; lg:unit obo:UO_0000175 ; lg:arm arm:other-treated ; lg:measure lgc:measure-albumin ; lg:timePoint "P2Y"^^xsd:duration ; lg:timePointDays 730.5 ; prov:wasDerivedFrom source:seed .\n'
             'arm:other-treated a lg:Arm ; lg:armRole lgc:arm-EXPERIMENTAL .\n',
         expect=[("violation", "study:s1", "lg:hasMeasurement")]),
    case("ComparisonShape", why="a p-value above 1",
         good='study:s1 lg:hasComparison comparison:s1-c1 .\ncomparison:s1-c1 a lg:Comparison ; lg:comparisonKind lgc:comparison-vs-baseline ; lg:pValue 0.05 ; lg:pValueRelation lgc:bound-lt ; lg:pValueAsWritten "P<0.05" ; lg:subjectMeasurement measurement:s1-alb-48w ; lg:referenceMeasurement measurement:s1-alb-0 ; prov:wasDerivedFrom source:seed .\n',
         bad='study:s1 lg:hasComparison comparison:s1-c1 .\ncomparison:s1-c1 a lg:Comparison ; lg:comparisonKind lgc:comparison-vs-baseline ; lg:pValue 5.0 ; lg:pValueRelation lgc:bound-lt ; lg:pValueAsWritten "P<5" ; prov:wasDerivedFrom source:seed .\n',
         expect=[("violation", "comparison:s1-c1", "lg:pValue")]),
    case("PValueNeedsRelationShape", why="a p-value without its relation or its text",
         good='study:s1 lg:hasComparison comparison:s1-c1 .\ncomparison:s1-c1 a lg:Comparison ; lg:comparisonKind lgc:comparison-vs-baseline ; lg:pValue 0.05 ; lg:pValueRelation lgc:bound-lt ; lg:pValueAsWritten "P<0.05" ; prov:wasDerivedFrom source:seed .\n',
         bad='study:s1 lg:hasComparison comparison:s1-c1 .\ncomparison:s1-c1 a lg:Comparison ; lg:comparisonKind lgc:comparison-vs-baseline ; lg:pValue 0.05 ; prov:wasDerivedFrom source:seed .\n',
         expect=[("violation", "comparison:s1-c1", "lg:pValueRelation"), ("warning", "comparison:s1-c1", "lg:pValueAsWritten")]),
    case("SafetyFindingShape", why="more patients with fever than the arm has",
         good='study:s1 lg:hasSafetyFinding safety:s1-fever .\nsafety:s1-fever a lg:SafetyFinding ; lg:adverseEvent obo:HP_0001945 ; lg:arm arm:s1-treated ; lg:patientsAffected "7"^^xsd:nonNegativeInteger ; lg:severity lgc:severity-self-limited ; prov:wasDerivedFrom source:seed .\n',
         bad='study:s1 lg:hasSafetyFinding safety:s1-fever .\nsafety:s1-fever a lg:SafetyFinding ; lg:adverseEvent obo:HP_0001945 ; lg:arm arm:s1-treated ; lg:patientsAffected "17"^^xsd:nonNegativeInteger ; lg:severity lgc:severity-self-limited ; prov:wasDerivedFrom source:seed .\n',
         expect=[("violation", "safety:s1-fever", "lg:patientsAffected")]),
    case("SourceDocumentShape", why="a source document nobody can identify",
         replace=[('source:seed a lg:SourceDocument ; rdfs:label "seed article"@en ;', 'source:seed a lg:SourceDocument ;')],
         expect=[("violation", "source:seed", "-")]),
    case("PublicationShape", why="a DOI written as a URL",
         good='publication:p1 a lg:Publication ; lg:citation "Zhang Z, et al. J Gastroenterol Hepatol 2012;27:112-120." ; lg:doi "10.1111/j.1440-1746.2011.07024.x" ; lg:pmid "35462483" ; lg:curatedIn "data/publications/p1.yaml#p1" .\n',
         bad='publication:p1 a lg:Publication ; lg:citation "Zhang Z, et al. J Gastroenterol Hepatol 2012;27:112-120." ; lg:doi "https://doi.org/10.1111/j.1440-1746.2011.07024.x" ; lg:pmid "35462483" ; lg:curatedIn "data/publications/p1.yaml#p1" .\n',
         expect=[("violation", "publication:p1", "lg:doi")]),
    case("RegistryRecordVersionShape", why="a record version without its date",
         good='registry-record:NCT00000001-2024 a lg:RegistryRecordVersion ; rdfs:label "NCT00000001 as of 2024-08-27"@en ; lg:ofTrial trial:NCT00000001 ; lg:versionDate "2024-08-27"^^xsd:date .\n',
         bad='registry-record:NCT00000001-2024 a lg:RegistryRecordVersion ; rdfs:label "NCT00000001 as of 2024-08-27"@en ; lg:ofTrial trial:NCT00000001 .\n',
         expect=[("violation", "registry-record:NCT00000001-2024", "lg:versionDate")]),
    case("OrganizationShape", why="an organization with no Chinese name that is its own parent",
         replace=[('    lg:name "Hospital"@en , "醫院"@zh-Hant ;', '    lg:name "Hospital"@en ; lg:parentOrganization org:hospital ;')],
         expect=[("violation", "org:hospital", "lg:name"), ("violation", "org:hospital", "lg:parentOrganization")]),
    case("PersonShape", why="a sponsor-investigator without a name",
         good='person:shi a lg:Person ; lg:name "石毓芳"@zh-Hant .\n',
         bad='person:shi a lg:Person ; rdfs:label "Shi"@en .\n',
         expect=[("violation", "person:shi", "lg:name")]),
    case("ClaimShape", why="a claim without the curator's judgement",
         good='source:seed lg:hasClaim claim:seed-388 .\nclaim:seed-388 a lg:Claim ; lg:claimText "5 studies, 388 patients"@en ; lg:claimedValue 388.0 ; lg:supportLevel lgc:support-unsupported .\n',
         bad='source:seed lg:hasClaim claim:seed-388 .\nclaim:seed-388 a lg:Claim ; lg:claimText "5 studies, 388 patients"@en ; lg:claimedValue 388.0 .\n',
         expect=[("violation", "claim:seed-388", "lg:supportLevel")]),
    case("SupportedClaimShape", why="a claim marked supported that links to nothing",
         good='source:seed lg:hasClaim claim:seed-safe .\nclaim:seed-safe a lg:Claim ; lg:claimText "safe"@en ; lg:supportLevel lgc:support-supported ; lg:supportedBy study:s1 .\n',
         bad='source:seed lg:hasClaim claim:seed-safe .\nclaim:seed-safe a lg:Claim ; lg:claimText "safe"@en ; lg:supportLevel lgc:support-supported .\n',
         expect=[("violation", "claim:seed-safe", "lg:supportLevel")]),
    case("DataQualityIssueShape", why="an issue without a type and note, on an undeclared property",
         good='issue:i1 a lg:DataQualityIssue ; lg:about measurement:s1-alb-0 ; lg:issueType lgc:issue-typo ; lg:issueSeverity lgc:severity-info ; lg:onProperty lg:value ; lg:curatorNote "A typo."@en .\n',
         bad='issue:i1 a lg:DataQualityIssue ; lg:about measurement:s1-alb-0 ; lg:issueSeverity lgc:severity-info ; lg:onProperty lg:valeu .\n',
         expect=[("violation", "issue:i1", "lg:issueType"), ("violation", "issue:i1", "lg:curatorNote"),
                 ("violation", "issue:i1", "lg:onProperty"), ("info", "measurement:s1-alb-0", "lg:valeu")],
         good_expect=[("info", "measurement:s1-alb-0", "lg:value")]),
    case("CorrectedValueShape", why="a corrected value without the source's text",
         good='issue:i1 a lg:DataQualityIssue ; lg:about measurement:s1-alb-0 ; lg:issueType lgc:issue-wrong-unit ; lg:issueSeverity lgc:severity-warning ; lg:onProperty lg:unit ; lg:seedText "前白蛋白(62.1±32.7)g/L"@zh-Hant ; lg:correctedValue "mg/L" ; lg:curatorNote "Prealbumin is in mg/L."@en .\n',
         bad='issue:i1 a lg:DataQualityIssue ; lg:about measurement:s1-alb-0 ; lg:issueType lgc:issue-wrong-unit ; lg:issueSeverity lgc:severity-warning ; lg:onProperty lg:unit ; lg:correctedValue "mg/L" ; lg:curatorNote "Prealbumin is in mg/L."@en .\n',
         expect=[("violation", "issue:i1", "lg:seedText"), ("warning", "measurement:s1-alb-0", "lg:unit")],
         good_expect=[("warning", "measurement:s1-alb-0", "lg:unit")]),
    case("ProvenanceShape", why="a record path that names no data file",
         replace=[('lg:curatedIn "data/studies/s1.yaml#s1/control"', 'lg:curatedIn "s1/control"')],
         expect=[("violation", "arm:s1-control", "lg:curatedIn")]),
    case("DefinedClassShape", why="a defined class asserted by hand",
         good='intervention:NCT00000001-ucmsc a lg:MSCTherapy ; lg:inferredType lg:MSCTherapy .\n',
         bad='intervention:NCT00000001-ucmsc a lg:MSCTherapy .\n',
         expect=[("violation", "intervention:NCT00000001-ucmsc", "rdf:type")]),
    case("IssueViolationShape", why="a curator's issue of severity violation",
         bad='issue:i1 a lg:DataQualityIssue ; lg:about trial:NCT00000001 ; lg:issueType lgc:issue-contradiction ; lg:issueSeverity lgc:severity-violation ; lg:onProperty lg:status ; lg:curatorNote "Status unresolved."@en .\n',
         expect=[("violation", T, "lg:status")]),
    case("IssueWarningShape", why="a curator's issue of severity warning",
         bad='issue:i1 a lg:DataQualityIssue ; lg:about trial:NCT00000001 ; lg:issueType lgc:issue-mistranslation ; lg:issueSeverity lgc:severity-warning ; lg:onProperty lg:status ; lg:seedText "完全的"@zh-Hant ; lg:curatorNote "完全的 is a machine translation of Completed."@en .\n',
         expect=[("warning", T, "lg:status")]),
    case("IssueInfoShape", why="a curator's issue of severity info",
         bad='issue:i1 a lg:DataQualityIssue ; lg:about trial:NCT00000001 ; lg:issueType lgc:issue-typo ; lg:issueSeverity lgc:severity-info ; lg:curatorNote "A garbled character."@en .\n',
         expect=[("info", T, "-")]),
    case("TermShape", why="a unit without a Chinese label",
         replace=[('rdfs:label "gram per liter"@en , "克/升"@zh-Hant ;', 'rdfs:label "gram per liter"@en ;')],
         expect=[("violation", "UO:0000175", "rdfs:label")]),
    case("LocalConceptShape", why="a concept with a notation but no scheme",
         good='lgc:unit-test a lg:Unit ; skos:inScheme lgc:scheme-unit ; skos:notation "test" ; lg:ucumCode "1" ; rdfs:label "test"@en , "測試"@zh-Hant .\n',
         bad='lgc:unit-test a lg:Unit ; skos:notation "test" ; lg:ucumCode "1" ; rdfs:label "test"@en , "測試"@zh-Hant .\n',
         expect=[("violation", "lgc:unit-test", "skos:inScheme")]),
    case("UnitShape", why="a unit without its UCUM code",
         replace=[('rdfs:label "percent"@en , "百分比"@zh-Hant ; lg:ucumCode "%" .', 'rdfs:label "percent"@en , "百分比"@zh-Hant .')],
         expect=[("violation", "UO:0000187", "lg:ucumCode")]),
    # registry imports: gaps ClinicalTrials.gov cannot fill are warnings or info, not violations
    case("RegistryTrialGapShape", why="an imported trial whose conditions map to no disease identifier",
         good=REGISTRY,
         bad=REGISTRY.replace("    lg:condition obo:MONDO_0005155 ;\n", ""),
         expect=[("warning", R, "lg:condition")]),
    case("RegistryLabelGapShape", why="an imported trial and sponsor with English names only",
         good=REGISTRY,
         bad=REGISTRY.replace(' , "幹細胞治療肝硬化"@zh-Hant', "").replace(' , "登記贊助者"@zh-Hant', ""),
         expect=[("info", R, "lg:title"), ("info", "org:registry-sponsor", "lg:name")]),
    case("RegistryVersionGapShape", why="an imported record version read from a fields= search page, undated",
         good=REGISTRY,
         bad=REGISTRY.replace(' lg:versionDate "2024-08-27"^^xsd:date ;', ""),
         expect=[("warning", "registry-record:NCT00000002-2024-08-27", "lg:versionDate")]),
    case("RegistryResultGapShape", why="an imported result with measure, unit and time frame as text, and value NA",
         good=REGISTRY + REGISTRY_RESULT.format(fields='lg:measure lgc:measure-albumin ; lg:unit obo:UO_0000175 ; '
                                                       'lg:timePoint "P336D"^^xsd:duration ; lg:timePointDays 336.0 ; lg:value 33.9 ; '),
         bad=REGISTRY + REGISTRY_RESULT.format(fields='lg:valueAsWritten "NA" ; '),
         expect=[("info", RM, "lg:measure"), ("info", RM, "lg:unit"), ("info", RM, "lg:timePoint"),
                 ("info", RM, "lg:value")]),
    case("RegistrySafetyGapShape", why="an imported adverse event named only as text",
         good=REGISTRY + f'{R} lg:hasSafetyFinding safety:NCT00000002-ae-1 .\nsafety:NCT00000002-ae-1 a lg:SafetyFinding ; lg:adverseEvent obo:HP_0001945 ; lg:eventTerm "Fever" ; lg:arm arm:NCT00000002-group-1 ; prov:wasDerivedFrom registry-record:NCT00000002-2024-08-27 .\n',
         bad=REGISTRY + f'{R} lg:hasSafetyFinding safety:NCT00000002-ae-1 .\nsafety:NCT00000002-ae-1 a lg:SafetyFinding ; lg:eventTerm "Fever" ; lg:arm arm:NCT00000002-group-1 ; prov:wasDerivedFrom registry-record:NCT00000002-2024-08-27 .\n',
         expect=[("info", "safety:NCT00000002-ae-1", "lg:adverseEvent")]),
    case("RegistryArmGapShape", why="an imported results group, which carries no arm type",
         good=REGISTRY,
         bad=REGISTRY.replace(" lg:armRole lgc:arm-EXPERIMENTAL ;", ""),
         expect=[("info", "arm:NCT00000002-group-1", "lg:armRole")]),
    case("ReportedValueKeptShape", why="a flagged reported figure replaced by its correction",
         good=('measurement:s1-alb-48w lg:hasIssue issue:i1 .\n'
               'issue:i1 a lg:DataQualityIssue ; lg:about measurement:s1-alb-48w ; lg:issueType lgc:issue-arithmetic ; lg:issueSeverity lgc:severity-info ; lg:onProperty lg:value ; lg:seedText "白蛋白升至33.9 g/L"@zh-Hant ; lg:correctedValue "35.9" ; lg:curatorNote "The figure does not fit the others; 35.9 is offered separately."@en .\n'),
         bad=('measurement:s1-alb-48w lg:hasIssue issue:i1 .\n'
              'issue:i1 a lg:DataQualityIssue ; lg:about measurement:s1-alb-48w ; lg:issueType lgc:issue-arithmetic ; lg:issueSeverity lgc:severity-info ; lg:onProperty lg:value ; lg:seedText "白蛋白升至35.9 g/L"@zh-Hant ; lg:correctedValue "33.9" ; lg:curatorNote "The figure does not fit the others; corrected."@en .\n'
              'measurement:s1-alb-0 lg:hasIssue issue:i2 .\n'
              'issue:i2 a lg:DataQualityIssue ; lg:about measurement:s1-alb-0 ; lg:issueType lgc:issue-wrong-unit ; lg:issueSeverity lgc:severity-info ; lg:onProperty lg:unit ; lg:seedText "白蛋白28.9 mg/L"@zh-Hant ; lg:correctedValue "g/L" ; lg:curatorNote "Albumin is in g/L; the unit was replaced."@en .\n'),
         expect=[("violation", "issue:i1", "lg:correctedValue"), ("violation", "issue:i1", "lg:seedText"),
                 ("info", M, "lg:value"), ("violation", "issue:i2", "lg:correctedValue"),
                 ("info", "measurement:s1-alb-0", "lg:unit")],
         good_expect=[("info", M, "lg:value")]),
    case("CorrectionShape", why="a derived value correcting a reported one that carries no issue",
         good=('measurement:s1-alb-48w lg:hasIssue issue:i1 .\n'
               'issue:i1 a lg:DataQualityIssue ; lg:about measurement:s1-alb-48w ; lg:issueType lgc:issue-arithmetic ; lg:issueSeverity lgc:severity-info ; lg:onProperty lg:value ; lg:seedText "白蛋白升至33.9 g/L"@zh-Hant ; lg:correctedValue "35.9" ; lg:curatorNote "The figure does not fit the others."@en .\n'
               'measurement:s1-alb-48w-derived a lg:Measurement ; lg:value 35.9 ; lg:unit obo:UO_0000175 ; lg:arm arm:s1-treated ; lg:measure lgc:measure-albumin ; lg:timePoint "P336D"^^xsd:duration ; lg:timePointDays 336.0 ; lg:correctionOf measurement:s1-alb-48w ; lg:curatorNote "Derived from the other figures."@en ; prov:wasDerivedFrom source:seed ; lg:curatedIn "data/studies/s1.yaml#s1/alb-48w-derived" .\n'
               'study:s1 lg:hasMeasurement measurement:s1-alb-48w-derived .\n'),
         bad=('measurement:s1-alb-48w-derived a lg:Measurement ; lg:value 35.9 ; lg:unit obo:UO_0000175 ; lg:arm arm:s1-treated ; lg:measure lgc:measure-albumin ; lg:timePoint "P336D"^^xsd:duration ; lg:timePointDays 336.0 ; lg:correctionOf measurement:s1-alb-48w ; prov:wasDerivedFrom source:seed ; lg:curatedIn "data/studies/s1.yaml#s1/alb-48w-derived" .\n'
              'study:s1 lg:hasMeasurement measurement:s1-alb-48w-derived .\n'),
         expect=[("violation", "measurement:s1-alb-48w-derived", "lg:correctionOf"),
                 ("violation", "measurement:s1-alb-48w-derived", "lg:curatorNote")],
         good_expect=[("info", M, "lg:value")]),
    case("PopulationLevelShape", why="a whole-cohort result attached to both arms",
         good=('measurement:s1-mortality-all a lg:Measurement ; lg:value 40.0 ; lg:unit obo:UO_0000187 ; lg:populationLevel lgc:level-cohort ; lg:measure lgc:measure-mortality ; lg:timePoint "P1Y"^^xsd:duration ; lg:timePointDays 365.25 ; prov:wasDerivedFrom source:seed ; lg:curatedIn "data/studies/s1.yaml#s1/mortality-all" .\n'
               'study:s1 lg:hasMeasurement measurement:s1-mortality-all .\n'),
         bad=('measurement:s1-mortality-all a lg:Measurement ; lg:value 40.0 ; lg:unit obo:UO_0000187 ; lg:populationLevel lgc:level-cohort ; lg:arm arm:s1-treated , arm:s1-control ; lg:measure lgc:measure-mortality ; lg:timePoint "P1Y"^^xsd:duration ; lg:timePointDays 365.25 ; prov:wasDerivedFrom source:seed ; lg:curatedIn "data/studies/s1.yaml#s1/mortality-all" .\n'
              'study:s1 lg:hasMeasurement measurement:s1-mortality-all .\n'),
         expect=[("violation", "measurement:s1-mortality-all", "lg:arm")]),
    case("LanguageTagShape", why="English text tagged zh-Hant and Chinese text tagged en",
         good='org:hospital lg:alias "Hospital"@en , "醫院"@zh-Hant , "醫院 Hospital"@zh-Hant .\n',
         bad='org:hospital lg:alias "Hospital"@zh-Hant , "醫院"@en .\n',
         expect=[("warning", "org:hospital", "lg:alias")]),
]


def render(c, good: bool) -> str:
    body = BASE
    for old, new in (c["good_replace"] if good else c["replace"]):
        assert old in body, (c["shape"], old)
        body = body.replace(old, new)
    body += (c["good"] if good else c["bad"])
    expect = c["good_expect"] if good else c["expect"]
    kind = "passing" if good else "failing"
    lines = [f"# {kind} example for lgsh:{c['shape']}"
             + ("" if good else f": {c['why']}"),
             "# (generated by tests/shapes/make_cases.py; checked by tests/test_validate.py)"]
    lines += [f"# expect: {s} {f} {p}" for s, f, p in expect] or ["# expect: nothing"]
    return "\n".join(lines) + "\n\n" + PREFIXES + "\n" + body


def main() -> None:
    for c in CASES:
        (HERE / f"{c['shape']}.pass.ttl").write_text(render(c, True), encoding="utf-8")
        (HERE / f"{c['shape']}.fail.ttl").write_text(render(c, False), encoding="utf-8")


if __name__ == "__main__":
    main()
