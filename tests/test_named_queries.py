"""Every named query in queries/ answers correctly on the bundled data.

Each query's answer is pinned below (or in another test module, such as
tests/test_queries_curation.py for the curation queries), compared as a set of rows on the columns listed; IRIs are written as CURIEs and numbers
in their shortest decimal form. Every query also gives the same answer with pyoxigraph (what
`livergraph query` uses) and with rdflib's SPARQL engine, and has a well-formed header.
The pinned values were checked against the seed article (../shared/seed, beside the repository).
"""
from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal

import pytest

from conftest import DATA, ONTOLOGY, ROOT
from livergraph.publish.store import cached_graph
from livergraph.namespaces import PREFIXES
from livergraph.query.engine import find_named, named_queries, problems, run_local
from livergraph.query.render import compact

QUERIES = ROOT / "queries"
NAMES = sorted(p.stem for p in QUERIES.glob("*.rq"))
NUMERIC = {"integer", "decimal", "double", "float", "nonNegativeInteger", "int", "long",
           "positiveInteger", "short"}

#: query name -> (columns compared, rows expected on the bundled data)
PINNED: dict[str, tuple[tuple[str, ...], list[tuple]]] = {
    "recruiting-umbilical-cord-trials": (('trial', 'sponsor', 'cells', 'source'), [
        ('trial:NCT03826433', 'org:shenzhen-shike-biotech', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05155657', 'org:yantai-yuhuangding-hospital', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05227846', 'org:beijing-302-hospital', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT06167473', 'org:shenyang-military-region-general-hospital', 'obo:CL_0002569', 'obo:UBERON_0002331'),
    ]),
    "trials-by-donor-type": (('donorType', 'trials', 'trial'), [
        ('lgc:donor-allogeneic', '21', 'trial:NCT01220492'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT01223664'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT01224327'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT01342250'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT01440309'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT01662973'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT01728727'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT02652351'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT02786017'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT03529136'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT03826433'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT03945487'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT03957655'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT05121870'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT05155657'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT05224960'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT05227846'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT05507762'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT05984303'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT06167473'),
        ('lgc:donor-allogeneic', '21', 'trial:NCT06242405'),
        ('not stated', '11', 'trial:NCT01233102'),
        ('not stated', '11', 'trial:NCT01491165'),
        ('not stated', '11', 'trial:NCT01718587'),
        ('not stated', '11', 'trial:NCT01724697'),
        ('not stated', '11', 'trial:NCT02297867'),
        ('not stated', '11', 'trial:NCT03209986'),
        ('not stated', '11', 'trial:NCT03460223'),
        ('not stated', '11', 'trial:NCT03460795'),
        ('not stated', '11', 'trial:NCT03668145'),
        ('not stated', '11', 'trial:NCT04088058'),
        ('not stated', '11', 'trial:NCT05442437'),
        ('lgc:donor-autologous', '5', 'trial:NCT00976287'),
        ('lgc:donor-autologous', '5', 'trial:NCT00993941'),
        ('lgc:donor-autologous', '5', 'trial:NCT01560845'),
        ('lgc:donor-autologous', '5', 'trial:NCT01728688'),
        ('lgc:donor-autologous', '5', 'trial:NCT01854125'),
    ]),
    "trials-by-route": (('route', 'trials', 'trial'), [
        ('not stated', '27', 'trial:NCT01220492'),
        ('not stated', '27', 'trial:NCT01223664'),
        ('not stated', '27', 'trial:NCT01342250'),
        ('not stated', '27', 'trial:NCT01440309'),
        ('not stated', '27', 'trial:NCT01491165'),
        ('not stated', '27', 'trial:NCT01662973'),
        ('not stated', '27', 'trial:NCT01718587'),
        ('not stated', '27', 'trial:NCT01724697'),
        ('not stated', '27', 'trial:NCT01728688'),
        ('not stated', '27', 'trial:NCT01728727'),
        ('not stated', '27', 'trial:NCT01854125'),
        ('not stated', '27', 'trial:NCT02297867'),
        ('not stated', '27', 'trial:NCT02652351'),
        ('not stated', '27', 'trial:NCT02786017'),
        ('not stated', '27', 'trial:NCT03460223'),
        ('not stated', '27', 'trial:NCT03460795'),
        ('not stated', '27', 'trial:NCT03529136'),
        ('not stated', '27', 'trial:NCT03945487'),
        ('not stated', '27', 'trial:NCT03957655'),
        ('not stated', '27', 'trial:NCT04088058'),
        ('not stated', '27', 'trial:NCT05121870'),
        ('not stated', '27', 'trial:NCT05155657'),
        ('not stated', '27', 'trial:NCT05224960'),
        ('not stated', '27', 'trial:NCT05227846'),
        ('not stated', '27', 'trial:NCT05442437'),
        ('not stated', '27', 'trial:NCT05507762'),
        ('not stated', '27', 'trial:NCT05984303'),
        ('lgc:route-intravenous', '6', 'trial:NCT01233102'),
        ('lgc:route-intravenous', '6', 'trial:NCT03209986'),
        ('lgc:route-intravenous', '6', 'trial:NCT03668145'),
        ('lgc:route-intravenous', '6', 'trial:NCT03826433'),
        ('lgc:route-intravenous', '6', 'trial:NCT06167473'),
        ('lgc:route-intravenous', '6', 'trial:NCT06242405'),
        ('lgc:route-hepatic-artery', '4', 'trial:NCT00976287'),
        ('lgc:route-hepatic-artery', '4', 'trial:NCT01224327'),
        ('lgc:route-hepatic-artery', '4', 'trial:NCT01233102'),
        ('lgc:route-hepatic-artery', '4', 'trial:NCT01560845'),
        ('lgc:route-portal-vein', '1', 'trial:NCT00993941'),
    ]),
    "recruiting-trials-with-sponsors": (('trial', 'status', 'sponsor', 'agencyClass', 'enrollment'), [
        ('trial:NCT03460795', 'lgc:status-NOT_YET_RECRUITING', 'org:nanjing-medical-university', 'lgc:agency-OTHER', None),
        ('trial:NCT05224960', 'lgc:status-NOT_YET_RECRUITING', 'org:beijing-302-hospital', 'lgc:agency-OTHER', None),
        ('trial:NCT05984303', 'lgc:status-NOT_YET_RECRUITING', 'org:beijing-302-hospital', 'lgc:agency-OTHER', None),
        ('trial:NCT06242405', 'lgc:status-NOT_YET_RECRUITING', 'org:shenyang-military-region-general-hospital', 'lgc:agency-OTHER', None),
        ('trial:NCT03826433', 'lgc:status-RECRUITING', 'org:shenzhen-shike-biotech', 'lgc:agency-INDUSTRY', None),
        ('trial:NCT04088058', 'lgc:status-RECRUITING', 'org:guoxi-stem-cell', 'lgc:agency-INDUSTRY', None),
        ('trial:NCT05155657', 'lgc:status-RECRUITING', 'org:yantai-yuhuangding-hospital', 'lgc:agency-OTHER', None),
        ('trial:NCT05227846', 'lgc:status-RECRUITING', 'org:beijing-302-hospital', 'lgc:agency-OTHER', None),
        ('trial:NCT06167473', 'lgc:status-RECRUITING', 'org:shenyang-military-region-general-hospital', 'lgc:agency-OTHER', None),
    ]),
    "dose-finding-trials": (('study', 'therapy', 'doseLevel', 'dose', 'doseUnit'), [
        ('trial:NCT01342250', 'intervention:NCT01342250-ucmsc-low', 'lgc:dose-low', None, None),
        ('trial:NCT01342250', 'intervention:NCT01342250-ucmsc-medium', 'lgc:dose-medium', None, None),
        ('trial:NCT01342250', 'intervention:NCT01342250-ucmsc-high', 'lgc:dose-high', None, None),
        ('trial:NCT05155657', 'intervention:NCT05155657-ucmsc-low', 'lgc:dose-low', None, None),
        ('trial:NCT05155657', 'intervention:NCT05155657-ucmsc-medium', 'lgc:dose-medium', None, None),
        ('trial:NCT05155657', 'intervention:NCT05155657-ucmsc-high', 'lgc:dose-high', None, None),
    ]),
    "study-arms": (('study', 'arm', 'role', 'participants', 'analysed', 'studyTotal'), [
        ('study:cui-2022', 'arm:cui-2022-control', 'lgc:arm-CONTROL', '151', '151', '438'),
        ('study:cui-2022', 'arm:cui-2022-pbsc', 'lgc:arm-EXPERIMENTAL', '287', '197', '438'),
        ('study:fu-2018', 'arm:fu-2018-control', 'lgc:arm-ACTIVE_COMPARATOR', '17', None, '34'),
        ('study:fu-2018', 'arm:fu-2018-hucmsc', 'lgc:arm-EXPERIMENTAL', '17', None, '34'),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:arm-CONTROL', '165', None, '201'),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:arm-EXPERIMENTAL', '36', None, '201'),
        ('study:shi-2021', 'arm:shi-2021-control', 'lgc:arm-ACTIVE_COMPARATOR', '111', None, '219'),
        ('study:shi-2021', 'arm:shi-2021-ucmsc', 'lgc:arm-EXPERIMENTAL', '108', None, '219'),
        ('study:zhang-2012', 'arm:zhang-2012-saline', 'lgc:arm-PLACEBO_COMPARATOR', '15', None, '45'),
        ('study:zhang-2012', 'arm:zhang-2012-ucmsc', 'lgc:arm-EXPERIMENTAL', '30', None, '45'),
    ]),
    "liver-function-over-time": (('study', 'arm', 'measure', 'statistic', 'baseline', 'days', 'followUp', 'change', 'unit'), [
        ('study:fu-2018', 'arm:fu-2018-hucmsc', 'lgc:measure-albumin', 'lgc:statistic-mean', '28.9', '336', '33.9', '5', 'obo:UO_0000175'),
        ('study:fu-2018', 'arm:fu-2018-hucmsc', 'lgc:measure-child-pugh', 'lgc:statistic-value', '9.4', '336', '7.5', '-1.9', 'lgc:unit-score'),
        ('study:fu-2018', 'arm:fu-2018-control', 'lgc:measure-meld', 'lgc:statistic-value', '15.1', '336', '15.5', '0.4', 'lgc:unit-score'),
        ('study:fu-2018', 'arm:fu-2018-hucmsc', 'lgc:measure-meld', 'lgc:statistic-value', '15.8', '336', '13.3', '-2.5', 'lgc:unit-score'),
    ]),
    "survival-by-arm": (('study', 'arm', 'measure', 'days', 'statistic', 'value', 'unit', 'numerator', 'denominator', 'population'), [
        ('study:cui-2022', 'arm:cui-2022-control', 'lgc:measure-mortality', '3652.5', 'lgc:statistic-count', '113', 'lgc:unit-patients', None, None, None),
        ('study:cui-2022', 'arm:cui-2022-control', 'lgc:measure-mortality', '3652.5', 'lgc:statistic-count', '2', 'lgc:unit-patients', None, None, None),
        ('study:cui-2022', 'arm:cui-2022-pbsc', 'lgc:measure-overall-survival', '3652.5', 'lgc:statistic-count', '74', 'lgc:unit-patients', None, None, None),
        ('study:cui-2022', 'arm:cui-2022-control', 'lgc:measure-transplant-free-survival', '3652.5', 'lgc:statistic-rate', '26.49', 'obo:UO_0000187', None, '151', None),
        ('study:cui-2022', 'arm:cui-2022-pbsc', 'lgc:measure-transplant-free-survival', '3652.5', 'lgc:statistic-count', '8', 'lgc:unit-patients', None, None, None),
        ('study:cui-2022', 'arm:cui-2022-pbsc', 'lgc:measure-transplant-free-survival', '3652.5', 'lgc:statistic-count', '123', 'lgc:unit-patients', None, None, None),
        ('study:cui-2022', 'arm:cui-2022-pbsc', 'lgc:measure-transplant-free-survival', '3652.5', 'lgc:statistic-rate', '37.56', 'obo:UO_0000187', '74', '197', 'lgc:population-followed-up'),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:measure-mortality', None, 'lgc:statistic-rate', '80.1', 'obo:UO_0000187', None, None, 'lgc:population-all'),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:measure-mortality', None, 'lgc:statistic-rate', '84.2', 'obo:UO_0000187', '139', '165', 'lgc:population-all'),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:measure-mortality', None, 'lgc:statistic-rate', '80.1', 'obo:UO_0000187', None, None, 'lgc:population-all'),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:measure-mortality', None, 'lgc:statistic-rate', '61.1', 'obo:UO_0000187', None, None, 'lgc:population-all'),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:measure-mortality', None, 'lgc:statistic-rate', '74.1', 'obo:UO_0000187', None, None, 'lgc:population-matched'),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:measure-mortality', None, 'lgc:statistic-rate', '80.6', 'obo:UO_0000187', None, None, 'lgc:population-matched'),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:measure-mortality', None, 'lgc:statistic-rate', '74.1', 'obo:UO_0000187', None, None, 'lgc:population-matched'),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:measure-mortality', None, 'lgc:statistic-rate', '61.1', 'obo:UO_0000187', None, None, 'lgc:population-matched'),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:measure-overall-survival', None, 'lgc:statistic-median', '50.8', 'obo:UO_0000035', None, None, 'lgc:population-all'),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:measure-overall-survival', None, 'lgc:statistic-median', '92.5', 'obo:UO_0000035', None, None, 'lgc:population-all'),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:measure-overall-survival', '1095.75', 'lgc:statistic-rate', '61.8', 'obo:UO_0000187', None, None, 'lgc:population-all'),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:measure-overall-survival', '1095.75', 'lgc:statistic-rate', '83.3', 'obo:UO_0000187', None, None, 'lgc:population-all'),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:measure-overall-survival', '1826.25', 'lgc:statistic-rate', '43.6', 'obo:UO_0000187', None, None, 'lgc:population-all'),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:measure-overall-survival', '1826.25', 'lgc:statistic-rate', '63.9', 'obo:UO_0000187', None, None, 'lgc:population-all'),
    ]),
    "hcc-incidence": (('study', 'arm', 'measure', 'population', 'days', 'statistic', 'value', 'unit', 'numerator', 'denominator'), [
        ('study:cui-2022', 'arm:cui-2022-control', 'lgc:measure-age-at-hcc', None, '3652.5', 'lgc:statistic-mean', '52.69', 'obo:UO_0000036', None, None),
        ('study:cui-2022', 'arm:cui-2022-control', 'lgc:measure-age-at-hcc', None, '3652.5', 'lgc:statistic-median', '51.5', 'obo:UO_0000036', None, None),
        ('study:cui-2022', 'arm:cui-2022-pbsc', 'lgc:measure-age-at-hcc', None, '3652.5', 'lgc:statistic-mean', '56.66', 'obo:UO_0000036', None, None),
        ('study:cui-2022', 'arm:cui-2022-pbsc', 'lgc:measure-age-at-hcc', None, '3652.5', 'lgc:statistic-median', '60', 'obo:UO_0000036', None, None),
        ('study:cui-2022', 'arm:cui-2022-pbsc', 'lgc:measure-hcc-incidence', None, '3652.5', 'lgc:statistic-count', '29', 'lgc:unit-patients', None, None),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:measure-hcc-incidence', 'lgc:population-all', None, 'lgc:statistic-rate', '33.3', 'obo:UO_0000187', None, None),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:measure-hcc-incidence', 'lgc:population-all', None, 'lgc:statistic-rate', '31.5', 'obo:UO_0000187', '52', '165'),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:measure-hcc-incidence', 'lgc:population-all', None, 'lgc:statistic-rate', '33.3', 'obo:UO_0000187', None, None),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:measure-hcc-incidence', 'lgc:population-all', None, 'lgc:statistic-rate', '41.7', 'obo:UO_0000187', None, None),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:measure-hcc-incidence', 'lgc:population-matched', None, 'lgc:statistic-rate', '32.4', 'obo:UO_0000187', '35', '108'),
        ('study:li-2023', 'arm:li-2023-non-sct', 'lgc:measure-hcc-incidence', 'lgc:population-matched', None, 'lgc:statistic-rate', '27.8', 'obo:UO_0000187', None, None),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:measure-hcc-incidence', 'lgc:population-matched', None, 'lgc:statistic-rate', '32.4', 'obo:UO_0000187', '35', '108'),
        ('study:li-2023', 'arm:li-2023-sct', 'lgc:measure-hcc-incidence', 'lgc:population-matched', None, 'lgc:statistic-rate', '41.7', 'obo:UO_0000187', None, None),
    ]),
    "safety-findings": (('study', 'arm', 'event', 'patients', 'severity', 'onsetFrom', 'onsetTo', 'resolvedWithin', 'requiredTreatment'), [
        ('study:fu-2018', 'arm:fu-2018-hucmsc', 'lgc:ae-any', None, 'lgc:severity-none-observed', None, None, None, None),
        ('study:shi-2021', 'arm:shi-2021-ucmsc', 'obo:HP_0001945', '7', 'lgc:severity-self-limited', 'PT2H', 'PT6H', 'PT12H', 'false'),
        ('study:shi-2021', 'arm:shi-2021-ucmsc', 'lgc:ae-any', None, 'lgc:severity-none-observed', None, None, None, None),
        ('study:zhang-2012', 'arm:zhang-2012-saline', 'lgc:ae-any', None, 'lgc:severity-none-observed', None, None, None, None),
        ('study:zhang-2012', 'arm:zhang-2012-ucmsc', 'lgc:ae-any', None, 'lgc:severity-none-observed', None, None, None, None),
    ]),
    "study-trial-links": (('study', 'trial', 'basis'), [
        ('study:cui-2022', 'trial:NCT01728688', 'lgc:link-inferred'),
        ('study:shi-2021', 'trial:NCT01220492', 'lgc:link-inferred'),
        ('study:zhang-2012', 'trial:NCT01220492', 'lgc:link-inferred'),
    ]),
    "organization-names": (('organization', 'kind', 'name', 'language'), [
        ('org:air-force-medical-university', 'lg:alias', 'China Air Force Medical University', 'en'),
        ('org:air-force-medical-university', 'lg:alias', '中國空軍軍醫大學', 'zh-hant'),
        ('org:air-force-medical-university', 'lg:formerName', 'Fourth Military Medical University', 'en'),
        ('org:air-force-medical-university', 'lg:formerName', '第四軍醫大學', 'zh-hant'),
        ('org:air-force-medical-university', 'lg:name', 'Air Force Medical University', 'en'),
        ('org:air-force-medical-university', 'lg:name', '空軍軍醫大學', 'zh-hant'),
        ('org:armed-police-general-hospital', 'lg:name', "General Hospital of the Chinese People's Armed Police Forces", 'en'),
        ('org:armed-police-general-hospital', 'lg:name', '中國武警總醫院', 'zh-hant'),
        ('org:beijing-302-hospital', 'lg:formerName', 'Beijing 302 Hospital', 'en'),
        ('org:beijing-302-hospital', 'lg:formerName', '北京302醫院', 'zh-hant'),
        ('org:beijing-302-hospital', 'lg:name', 'Fifth Medical Center of Chinese PLA General Hospital', 'en'),
        ('org:beijing-302-hospital', 'lg:name', '解放軍總醫院第五醫學中心', 'zh-hant'),
        ('org:changhai-hospital', 'lg:name', 'Changhai Hospital', 'en'),
        ('org:changhai-hospital', 'lg:name', '長海醫院', 'zh-hant'),
        ('org:chinese-academy-of-sciences', 'lg:name', 'Chinese Academy of Sciences', 'en'),
        ('org:chinese-academy-of-sciences', 'lg:name', '中國科學院', 'zh-hant'),
        ('org:guangzhou-university-of-chinese-medicine', 'lg:name', 'Guangzhou University of Chinese Medicine', 'en'),
        ('org:guangzhou-university-of-chinese-medicine', 'lg:name', '廣州中醫藥大學', 'zh-hant'),
        ('org:guoxi-stem-cell', 'lg:name', 'Guoxi Stem Cell Applied Technology Co., Ltd.', 'en'),
        ('org:guoxi-stem-cell', 'lg:name', '國熙干細胞應用技術股份有限公司', 'zh-hant'),
        ('org:gzucm-second-affiliated-hospital', 'lg:name', 'Second Affiliated Hospital of Guangzhou University of Chinese Medicine', 'en'),
        ('org:gzucm-second-affiliated-hospital', 'lg:name', '廣州中醫藥大學第二附屬醫院', 'zh-hant'),
        ('org:liuzhou-tcm-hospital', 'lg:name', 'Liuzhou Hospital of Traditional Chinese Medicine', 'en'),
        ('org:liuzhou-tcm-hospital', 'lg:name', '柳州市中醫院', 'zh-hant'),
        ('org:nanjing-medical-university', 'lg:name', 'Nanjing Medical University', 'en'),
        ('org:nanjing-medical-university', 'lg:name', '南京醫科大學', 'zh-hant'),
        ('org:nanjing-mr-shanghai-liver-center', 'lg:name', 'Shanghai Liver Disease Research Center of the Nanjing Military Region', 'en'),
        ('org:nanjing-mr-shanghai-liver-center', 'lg:name', '南京軍區上海市肝病研究中心', 'zh-hant'),
        ('org:nanjing-pla-general-hospital', 'lg:name', 'Nanjing General Hospital of the PLA', 'en'),
        ('org:nanjing-pla-general-hospital', 'lg:name', '南京解放軍總醫院', 'zh-hant'),
        ('org:naval-medical-university', 'lg:formerName', 'Second Military Medical University', 'en'),
        ('org:naval-medical-university', 'lg:formerName', '第二軍醫大學', 'zh-hant'),
        ('org:naval-medical-university', 'lg:name', 'Naval Medical University', 'en'),
        ('org:naval-medical-university', 'lg:name', '海軍軍醫大學', 'zh-hant'),
        ('org:pla-general-hospital', 'lg:name', 'Chinese PLA General Hospital', 'en'),
        ('org:pla-general-hospital', 'lg:name', '解放軍總醫院', 'zh-hant'),
        ('org:qingdao-university', 'lg:name', 'Qingdao University', 'en'),
        ('org:qingdao-university', 'lg:name', '青島大學', 'zh-hant'),
        ('org:renmin-hospital-wuhan-university', 'lg:name', 'Renmin Hospital of Wuhan University', 'en'),
        ('org:renmin-hospital-wuhan-university', 'lg:name', '武漢大學人民醫院', 'zh-hant'),
        ('org:shandong-qilu-stem-cell', 'lg:name', 'Shandong Qilu Stem Cell Engineering Co., Ltd.', 'en'),
        ('org:shandong-qilu-stem-cell', 'lg:name', '山東齊魯干細胞工程有限公司', 'zh-hant'),
        ('org:shenyang-military-region-general-hospital', 'lg:name', 'General Hospital of Shenyang Military Region', 'en'),
        ('org:shenyang-military-region-general-hospital', 'lg:name', '沈陽軍區總醫院', 'zh-hant'),
        ('org:shenzhen-beike-biotech', 'lg:name', 'Shenzhen Beike Biotechnology Co., Ltd.', 'en'),
        ('org:shenzhen-beike-biotech', 'lg:name', '深圳市貝克生物科技有限公司', 'zh-hant'),
        ('org:shenzhen-huangfeng-yumi-biotech', 'lg:name', 'Shenzhen "Hornet Corn" Biotechnology Co., Ltd. (literal rendering of a machine-translated name)', 'en'),
        ('org:shenzhen-huangfeng-yumi-biotech', 'lg:name', '深圳市黃蜂玉米生物技術有限公司', 'zh-hant'),
        ('org:shenzhen-shike-biotech', 'lg:name', 'Shenzhen Shike Biotechnology Co., Ltd.', 'en'),
        ('org:shenzhen-shike-biotech', 'lg:name', '深圳市世科生物技術有限公司', 'zh-hant'),
        ('org:sun-yat-sen-university', 'lg:name', 'Sun Yat-sen University', 'en'),
        ('org:sun-yat-sen-university', 'lg:name', '中山大學', 'zh-hant'),
        ('org:wenzhou-medical-university', 'lg:name', 'Wenzhou Medical University', 'en'),
        ('org:wenzhou-medical-university', 'lg:name', '溫州醫科大學', 'zh-hant'),
        ('org:wuhan-university', 'lg:name', 'Wuhan University', 'en'),
        ('org:wuhan-university', 'lg:name', '武漢大學', 'zh-hant'),
        ('org:xijing-hospital', 'lg:alias', 'First Affiliated Hospital of the Air Force Medical University', 'en'),
        ('org:xijing-hospital', 'lg:alias', '空軍軍醫大學第一附屬醫院', 'zh-hant'),
        ('org:xijing-hospital', 'lg:name', 'Xijing Hospital', 'en'),
        ('org:xijing-hospital', 'lg:name', '西京醫院', 'zh-hant'),
        ('org:xijing-hospital-of-digestive-diseases', 'lg:name', 'Xijing Hospital of Digestive Diseases', 'en'),
        ('org:xijing-hospital-of-digestive-diseases', 'lg:name', '西京消化病醫院', 'zh-hant'),
        ('org:yantai-yuhuangding-hospital', 'lg:name', 'Yantai Yuhuangding Hospital', 'en'),
        ('org:yantai-yuhuangding-hospital', 'lg:name', '煙臺毓璜頂醫院', 'zh-hant'),
        ('org:zhongnan-hospital', 'lg:alias', 'Zhongnan Hospital', 'en'),
        ('org:zhongnan-hospital', 'lg:alias', '中南醫院', 'zh-hant'),
        ('org:zhongnan-hospital', 'lg:name', 'Zhongnan Hospital of Wuhan University', 'en'),
        ('org:zhongnan-hospital', 'lg:name', '武漢大學中南醫院', 'zh-hant'),
    ]),
    # 31 of the seed's 37 registered trials give MSCs (umbilical cord, bone marrow, adipose or
    # unstated tissue; not the PBSC, SHED, allogeneic bone-marrow and unspecified stem-cell ones),
    # and 4 of its 5 published studies (Cui 2022 gave peripheral-blood stem cells)
    'msc-trials': (('study', 'kind', 'status', 'therapy', 'cells', 'source'), [
        ('study:fu-2018', 'lg:PublishedStudy', None, 'intervention:fu-2018-hucmsc-infusion', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('study:li-2023', 'lg:PublishedStudy', None, 'intervention:li-2023-hucb-msct', 'obo:CL_0000134', 'obo:UBERON_0012168'),
        ('study:shi-2021', 'lg:PublishedStudy', None, 'intervention:shi-2021-ucmsc-infusion', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('study:zhang-2012', 'lg:PublishedStudy', None, 'intervention:zhang-2012-ucmsc-infusion', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT00976287', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT00976287-bmmsc', 'obo:CL_0002540', 'obo:UBERON_0002371'),
        ('trial:NCT00993941', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT00993941-bmmsc', 'obo:CL_0002540', 'obo:UBERON_0002371'),
        ('trial:NCT01220492', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01220492-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01224327', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01224327-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01233102', 'lg:Trial', 'lgc:status-SUSPENDED', 'intervention:NCT01233102-msc', 'obo:CL_0000134', None),
        ('trial:NCT01342250', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01342250-ucmsc-high', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01342250', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01342250-ucmsc-low', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01342250', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01342250-ucmsc-medium', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01440309', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01440309-msc', 'obo:CL_0000134', None),
        ('trial:NCT01662973', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01662973-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01724697', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01724697-bmmsc', 'obo:CL_0002540', 'obo:UBERON_0002371'),
        ('trial:NCT01728727', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01728727-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01854125', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01854125-bmmsc', 'obo:CL_0002540', 'obo:UBERON_0002371'),
        ('trial:NCT02297867', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT02297867-adsc', 'obo:CL_0002570', 'obo:UBERON_0001013'),
        ('trial:NCT02652351', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT02652351-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT02786017', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT02786017-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT03209986', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03209986-msc', 'obo:CL_0000134', None),
        ('trial:NCT03460223', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03460223-msc', 'obo:CL_0000134', None),
        ('trial:NCT03460795', 'lg:Trial', 'lgc:status-NOT_YET_RECRUITING', 'intervention:NCT03460795-msc', 'obo:CL_0000134', None),
        ('trial:NCT03529136', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03529136-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT03668145', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03668145-msc', 'obo:CL_0000134', None),
        ('trial:NCT03826433', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT03826433-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT03945487', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03945487-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT04088058', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT04088058-gxhpc1', 'obo:CL_0002570', 'obo:UBERON_0001013'),
        ('trial:NCT05121870', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT05121870-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05155657', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05155657-ucmsc-high', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05155657', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05155657-ucmsc-low', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05155657', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05155657-ucmsc-medium', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05224960', 'lg:Trial', 'lgc:status-NOT_YET_RECRUITING', 'intervention:NCT05224960-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05227846', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05227846-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05442437', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT05442437-cells', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05507762', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT05507762-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05984303', 'lg:Trial', 'lgc:status-NOT_YET_RECRUITING', 'intervention:NCT05984303-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT06167473', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT06167473-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT06242405', 'lg:Trial', 'lgc:status-NOT_YET_RECRUITING', 'intervention:NCT06242405-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
    ]),
    # the seed's umbilical-cord trials (NCT05442437's title says bone marrow, its intervention
    # umbilical-cord MSCs; the data follows the intervention) and its 4 cord-derived studies
    'umbilical-cord-derived-trials': (('study', 'kind', 'status', 'therapy', 'cells', 'source'), [
        ('study:fu-2018', 'lg:PublishedStudy', None, 'intervention:fu-2018-hucmsc-infusion', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('study:li-2023', 'lg:PublishedStudy', None, 'intervention:li-2023-hucb-msct', 'obo:CL_0000134', 'obo:UBERON_0012168'),
        ('study:shi-2021', 'lg:PublishedStudy', None, 'intervention:shi-2021-ucmsc-infusion', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('study:zhang-2012', 'lg:PublishedStudy', None, 'intervention:zhang-2012-ucmsc-infusion', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01220492', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01220492-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01224327', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01224327-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01342250', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01342250-ucmsc-high', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01342250', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01342250-ucmsc-low', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01342250', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01342250-ucmsc-medium', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01662973', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01662973-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01728727', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01728727-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT02652351', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT02652351-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT02786017', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT02786017-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT03529136', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03529136-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT03826433', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT03826433-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT03945487', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03945487-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05121870', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT05121870-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05155657', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05155657-ucmsc-high', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05155657', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05155657-ucmsc-low', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05155657', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05155657-ucmsc-medium', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05224960', 'lg:Trial', 'lgc:status-NOT_YET_RECRUITING', 'intervention:NCT05224960-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05227846', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05227846-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05442437', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT05442437-cells', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05507762', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT05507762-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05984303', 'lg:Trial', 'lgc:status-NOT_YET_RECRUITING', 'intervention:NCT05984303-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT06167473', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT06167473-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT06242405', 'lg:Trial', 'lgc:status-NOT_YET_RECRUITING', 'intervention:NCT06242405-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
    ]),
    # the 21 trials of trials-by-donor-type with donor lgc:donor-allogeneic, and 4 published studies
    'allogeneic-cell-therapy-trials': (('study', 'kind', 'status', 'therapy', 'cells', 'source'), [
        ('study:fu-2018', 'lg:PublishedStudy', None, 'intervention:fu-2018-hucmsc-infusion', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('study:li-2023', 'lg:PublishedStudy', None, 'intervention:li-2023-hucb-msct', 'obo:CL_0000134', 'obo:UBERON_0012168'),
        ('study:shi-2021', 'lg:PublishedStudy', None, 'intervention:shi-2021-ucmsc-infusion', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('study:zhang-2012', 'lg:PublishedStudy', None, 'intervention:zhang-2012-ucmsc-infusion', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01220492', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01220492-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01223664', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01223664-allo-bmsc', None, 'obo:UBERON_0002371'),
        ('trial:NCT01224327', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01224327-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01342250', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01342250-ucmsc-high', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01342250', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01342250-ucmsc-low', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01342250', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01342250-ucmsc-medium', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01440309', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01440309-msc', 'obo:CL_0000134', None),
        ('trial:NCT01662973', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01662973-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT01728727', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01728727-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT02652351', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT02652351-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT02786017', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT02786017-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT03529136', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03529136-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT03826433', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT03826433-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT03945487', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03945487-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT03957655', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03957655-shed', 'obo:CL_4030035', 'obo:UBERON_0001754'),
        ('trial:NCT03957655', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03957655-shed', 'obo:CL_4030035', 'obo:UBERON_0007115'),
        ('trial:NCT05121870', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT05121870-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05155657', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05155657-ucmsc-high', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05155657', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05155657-ucmsc-low', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05155657', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05155657-ucmsc-medium', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05224960', 'lg:Trial', 'lgc:status-NOT_YET_RECRUITING', 'intervention:NCT05224960-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05227846', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT05227846-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05507762', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT05507762-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT05984303', 'lg:Trial', 'lgc:status-NOT_YET_RECRUITING', 'intervention:NCT05984303-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT06167473', 'lg:Trial', 'lgc:status-RECRUITING', 'intervention:NCT06167473-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
        ('trial:NCT06242405', 'lg:Trial', 'lgc:status-NOT_YET_RECRUITING', 'intervention:NCT06242405-ucmsc', 'obo:CL_0002569', 'obo:UBERON_0002331'),
    ]),
    # the seed calls only Shi 2021 a randomised controlled study (隨機對照研究, 108 vs 111)
    'randomised-controlled-studies': (('study', 'kind', 'arm', 'role', 'participants', 'studyTotal'), [
        ('study:shi-2021', 'lg:PublishedStudy', 'arm:shi-2021-control', 'lgc:arm-ACTIVE_COMPARATOR', '111', '219'),
        ('study:shi-2021', 'lg:PublishedStudy', 'arm:shi-2021-ucmsc', 'lgc:arm-EXPERIMENTAL', '108', '219'),
    ]),
    # defined classes are never asserted by hand: every membership is the reasoner's
    'inferred-vs-asserted': (('class', 'members', 'inferredCount', 'assertedCount'), [
        ('lg:AllogeneicCellTherapy', '29', '29', '0'),
        ('lg:AllogeneicCellTherapyStudy', '25', '25', '0'),
        ('lg:AutologousCellTherapy', '6', '6', '0'),
        ('lg:BoneMarrowDerivedTherapy', '6', '6', '0'),
        ('lg:ControlledStudy', '11', '11', '0'),
        ('lg:MSCStudy', '35', '35', '0'),
        ('lg:MSCTherapy', '39', '39', '0'),
        ('lg:NonRandomisedStudy', '0', '0', '0'),
        ('lg:PlaceboControlledStudy', '7', '7', '0'),
        ('lg:RandomisedControlledStudy', '1', '1', '0'),
        ('lg:RandomisedStudy', '1', '1', '0'),
        ('lg:SingleArmStudy', '1', '1', '0'),
        ('lg:UmbilicalCordDerivedStudy', '23', '23', '0'),
        ('lg:UmbilicalCordDerivedTherapy', '27', '27', '0'),
    ]),
    # the seed's placebo (安慰劑) or saline (生理鹽水, 鹽溶液) controls: 6 trials and Zhang 2012
    'placebo-controlled-trials': (('study', 'kind', 'status', 'control'), [
        ('study:zhang-2012', 'lg:PublishedStudy', None, 'intervention:zhang-2012-saline-infusion'),
        ('trial:NCT01220492', 'lg:Trial', 'lgc:status-COMPLETED', 'intervention:NCT01220492-placebo'),
        ('trial:NCT01662973', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT01662973-placebo'),
        ('trial:NCT03668145', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT03668145-placebo'),
        ('trial:NCT05121870', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT05121870-placebo'),
        ('trial:NCT05224960', 'lg:Trial', 'lgc:status-NOT_YET_RECRUITING', 'intervention:NCT05224960-placebo'),
        ('trial:NCT05507762', 'lg:Trial', 'lgc:status-UNKNOWN', 'intervention:NCT05507762-saline'),
    ]),
    "headline-counts": (('seedSays', 'graphHolds', 'support'), [
        ('20', None, 'lgc:support-unsupported'),
        ('75', None, 'lgc:support-unsupported'),
        ('388', None, 'lgc:support-partly'),
        (None, '5', None),
        (None, '937', None),
        (None, '37', None),
        (None, '4', None),
    ]),
    "albumin-48-weeks": (('study', 'arm', 'role', 'statistic', 'baseline', 'value', 'sd', 'unit', 'pVsBaseline', 'pVsControl'), [
        ('study:fu-2018', 'arm:fu-2018-hucmsc', 'lgc:arm-EXPERIMENTAL', 'lgc:statistic-mean', '28.9', '33.9', '5.7', 'obo:UO_0000175', 'P<0.05', None),
    ]),
}


#: named queries that find resources through the reasoner's defined classes (lg:MSCStudy ...):
#: their pinned answers need Java; with ``--no-reason`` they find nothing
REASONED = ("allogeneic-cell-therapy-trials", "inferred-vs-asserted", "msc-trials",
            "placebo-controlled-trials", "randomised-controlled-studies",
            "recruiting-umbilical-cord-trials", "umbilical-cord-derived-trials")
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    return cached_graph(ONTOLOGY, ROOT / "shapes", DATA, tmp_path_factory.mktemp("bundled"))


def simple(binding: dict | None):
    """A W3C JSON binding as a plain value: a CURIE, a normalised number or the text."""
    if binding is None:
        return None
    if binding["type"] == "uri":
        return compact(binding["value"], PREFIXES)
    datatype = binding.get("datatype", "")
    if datatype.startswith("http://www.w3.org/2001/XMLSchema#") and \
            datatype.split("#")[1] in NUMERIC:
        return format(Decimal(binding["value"]).normalize(), "f")
    return binding["value"]


def answer(graph, name: str, engine: str = "oxigraph") -> tuple[list[str], list[dict]]:
    result = run_local(find_named(QUERIES, name).text, graph.path, graph.prefixes, fmt="json",
                       engine=engine)
    data = json.loads(result.data)
    return data["head"].get("vars", []), [
        {v: simple(b.get(v)) for v in data["head"]["vars"]} for b in data["results"]["bindings"]]


def ordered(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=repr)


def pinned_elsewhere() -> set[str]:
    """Named queries whose answers other test modules pin (tests/test_queries_curation.py for
    the curation queries, tests/test_ctgov.py for the registry import ...): those that name the
    query or its file."""
    found = set()
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        if path.name == "test_named_queries.py":
            continue
        text = path.read_text(encoding="utf-8")
        found |= {name for name in NAMES
                  if re.search(rf"['\"/]{re.escape(name)}(\.rq)?['\"]", text)}
    return found


def test_there_are_at_least_fifteen_named_queries():
    assert len(NAMES) >= 15


@pytest.mark.parametrize("name", NAMES)
def test_every_named_query_has_a_pinned_answer(name):
    assert name in PINNED or name in pinned_elsewhere(), \
        f"queries/{name}.rq has no test pinning its answer on the bundled data"


@pytest.mark.parametrize("name", NAMES)
def test_every_named_query_has_a_well_formed_header(name):
    assert problems(find_named(QUERIES, name)) == []


def test_queries_lists_every_named_query():
    from click.testing import CliRunner

    from livergraph.cli import cli
    result = CliRunner().invoke(cli, ["queries", "--root", str(ROOT)])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()[:-1]]
    assert listed == NAMES
    for nq in named_queries(QUERIES):
        assert f"{nq.name}  " in result.stdout and nq.summary in result.stdout


@pytest.mark.parametrize("name", sorted(PINNED))
def test_named_query_answer_is_pinned(bundled, name):
    if name in REASONED and shutil.which("java") is None:
        pytest.skip("HermiT needs Java: without it the graph has no inferred types")
    columns, expected = PINNED[name]
    variables, rows = answer(bundled, name)
    assert set(columns) <= set(variables)
    got = [tuple(r[c] for c in columns) for r in rows]
    assert ordered(got) == ordered(expected)


@pytest.mark.parametrize("name", NAMES)
def test_oxigraph_and_rdflib_give_the_same_answer(bundled, name):
    ox_vars, ox_rows = answer(bundled, name, "oxigraph")
    rd_vars, rd_rows = answer(bundled, name, "rdflib")
    assert ox_vars == rd_vars
    as_tuples = [ordered([tuple(r[v] for v in ox_vars) for r in rows])
                 for rows in (ox_rows, rd_rows)]
    assert as_tuples[0] == as_tuples[1]


def test_headline_counts_set_the_seed_claims_beside_the_graph(bundled):
    _, rows = answer(bundled, "headline-counts")
    computed = {r["what"]: r["graphHolds"] for r in rows if r["seedSays"] is None}
    assert computed == {
        "published studies in the graph": "5",
        "patients in the published studies (sum of their totals)": "937",  # 45+34+219+438+201
        "registered trials in the graph": "37",
        "registered trials in the graph that are completed": "4",
    }
    claimed = {r["seedSays"]: r["support"] for r in rows if r["seedSays"] is not None}
    assert claimed["388"] == "lgc:support-partly"


@pytest.fixture(scope="module")
def asserted_only(tmp_path_factory):
    """The bundled graph as ``livergraph query --no-reason`` sees it: no inferred types."""
    return cached_graph(ONTOLOGY, ROOT / "shapes", DATA, tmp_path_factory.mktemp("asserted"),
                        reason=False)


@needs_java
def test_queries_on_defined_classes_use_the_reasoners_inferences(bundled, asserted_only):
    counts = {name: (len(answer(bundled, name)[1]), len(answer(asserted_only, name)[1]))
              for name in REASONED if name != "inferred-vs-asserted"}
    # the class-based queries find nothing without the inferred types ...
    assert counts == {
        "allogeneic-cell-therapy-trials": (30, 0),
        "msc-trials": (39, 0),
        "placebo-controlled-trials": (7, 0),
        "randomised-controlled-studies": (2, 0),
        "recruiting-umbilical-cord-trials": (4, 0),
        "umbilical-cord-derived-trials": (27, 0),
    }
    # ... and, as the data asserts no defined class by hand, the 14 defined classes have none
    _, rows = answer(asserted_only, "inferred-vs-asserted")
    assert len(rows) == 14
    assert {(r["members"], r["inferredCount"], r["assertedCount"]) for r in rows} == {("0", "0", "0")}


@needs_java
def test_recruiting_umbilical_cord_trials_by_class_match_the_hand_written_filter(bundled):
    """The class lg:UmbilicalCordDerivedTherapy gives the same trials as the list of tissues and
    cell types the query used to spell out."""
    by_hand = """SELECT DISTINCT ?trial ?cells ?source WHERE {
      ?trial lg:status lgc:status-RECRUITING ; lg:hasIntervention ?therapy .
      ?therapy a lg:CellTherapy .
      OPTIONAL { ?therapy lg:cellType ?cells } OPTIONAL { ?therapy lg:tissueSource ?source }
      FILTER (?source IN (obo:UBERON_0002331, obo:UBERON_0003422, obo:UBERON_0012168)
              || ?cells IN (obo:CL_0002569, obo:CL_0002568, obo:CL_2000085, obo:CL_2000095)) }"""
    data = json.loads(run_local(by_hand, bundled.path, bundled.prefixes, fmt="json").data)
    hand = sorted((simple(b["trial"]), simple(b.get("cells")), simple(b.get("source")))
                  for b in data["results"]["bindings"])
    _, rows = answer(bundled, "recruiting-umbilical-cord-trials")
    assert sorted((r["trial"], r["cells"], r["source"]) for r in rows) == hand
    assert len(hand) == 4


def test_inferred_vs_asserted_tells_inferred_from_asserted_memberships(tmp_path):
    """On a small graph with one inferred and one hand-asserted MSC therapy."""
    lg = PREFIXES["lg"]
    path = tmp_path / "graph.nt"
    path.write_text("\n".join([
        f"<{lg}MSCTherapy> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://www.w3.org/2002/07/owl#Class> .",
        f"<{lg}MSCTherapy> <http://www.w3.org/2002/07/owl#equivalentClass> _:d .",
        f"<{lg}SingleArmStudy> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://www.w3.org/2002/07/owl#Class> .",
        f"<{lg}SingleArmStudy> <http://www.w3.org/2002/07/owl#equivalentClass> _:e .",
        f"<urn:x:1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{lg}MSCTherapy> .",
        f"<urn:x:1> <{lg}inferredType> <{lg}MSCTherapy> .",
        f"<urn:x:2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{lg}MSCTherapy> .",
    ]) + "\n", encoding="utf-8")
    text = find_named(QUERIES, "inferred-vs-asserted").text
    for engine in ("oxigraph", "rdflib"):
        data = json.loads(run_local(text, path, PREFIXES, fmt="json", engine=engine).data)
        got = {simple(b["class"]): tuple(simple(b[v]) for v in
                                         ("members", "inferredCount", "assertedCount"))
               for b in data["results"]["bindings"]}
        assert got == {"lg:MSCTherapy": ("2", "1", "1"), "lg:SingleArmStudy": ("0", "0", "0")}
