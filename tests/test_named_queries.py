"""Every named query in queries/ answers correctly on the bundled data.

Each query's answer is pinned in tests/golden/queries/NAME.json (or in another test module, such as
tests/test_queries_curation.py for the curation queries), compared as a set of rows on the columns listed; IRIs are written as CURIEs and numbers
in their shortest decimal form. Every query also gives the same answer with pyoxigraph (what
`livergraph query` uses) and with rdflib's SPARQL engine, and has a well-formed header.
The pinned values were checked against the seed article (../shared/seed, beside the repository).
"""
from __future__ import annotations

import json
import os
import re
import shutil
from decimal import Decimal
from typing import Any

import pytest

from conftest import DATA, ONTOLOGY, ROOT
from livergraph.io.atomic import write_atomic
import livergraph
from livergraph.publish.artifact import publish
from livergraph.publish.inputs import Inputs
from livergraph.namespaces import PREFIXES
from livergraph.query.engine import find_named, named_queries, problems, run_local
from livergraph.query.render import compact

QUERIES = ROOT / "queries"
NAMES = sorted(p.stem for p in QUERIES.glob("*.rq"))
NUMERIC = {"integer", "decimal", "double", "float", "nonNegativeInteger", "int", "long",
           "positiveInteger", "short"}

#: golden answers: tests/golden/queries/NAME.json, one per named query (columns compared, an
#: optional note, the expected rows, one per line in a stable order). After a reviewed data
#: change, regenerate them with ``LIVERGRAPH_REGEN_GOLDEN=1 pytest tests/test_named_queries.py
#: -k pinned`` and review ``git diff tests/golden``.
GOLDEN_QUERIES = ROOT / "tests" / "golden" / "queries"
REGEN_ENV = "LIVERGRAPH_REGEN_GOLDEN"

Row = list[Any]


def regenerating() -> bool:
    """Whether the tests should rewrite the golden files instead of comparing with them."""
    return os.environ.get(REGEN_ENV, "") not in ("", "0")


def row_key(row: Row) -> str:
    """The stable sort key of a row (its JSON text; null sorts as the text ``null``)."""
    return json.dumps(row, ensure_ascii=False)


def golden_names() -> list[str]:
    """The named queries with a golden file."""
    return sorted(p.stem for p in GOLDEN_QUERIES.glob("*.json"))


def read_golden(name: str) -> tuple[list[str], list[Row], str | None]:
    """(columns, rows sorted, note) of the golden file of the named query ``name``."""
    data = json.loads((GOLDEN_QUERIES / f"{name}.json").read_text(encoding="utf-8"))
    return list(data["columns"]), sorted(data["rows"], key=row_key), data.get("note")


def write_golden(name: str, columns: list[str], rows: list[Row], note: str | None = None) -> None:
    """Write the golden file of ``name``: one row per line, rows in stable order."""
    rows = sorted(rows, key=row_key)
    lines = ["{", f'  "query": {json.dumps(name)},']
    if note:
        lines.append(f'  "note": {json.dumps(note, ensure_ascii=False)},')
    lines.append(f'  "columns": {json.dumps(columns)},')
    lines.append('  "rows": [')
    lines += ["    " + row_key(r) + ("," if i < len(rows) - 1 else "") for i, r in enumerate(rows)]
    lines += ["  ]", "}"]
    text = "\n".join(lines) + "\n"
    write_atomic(GOLDEN_QUERIES / f"{name}.json",
                 lambda out: out.write(text))


#: query name -> (columns compared, rows expected on the bundled data)
PINNED: dict[str, tuple[list[str], list[Row], str | None]] = {
    name: read_golden(name) for name in golden_names()}


#: named queries that find resources through the reasoner's defined classes (lg:MSCStudy ...):
#: their pinned answers need Java; with ``--no-reason`` they find nothing
REASONED = ("allogeneic-cell-therapy-trials", "inferred-vs-asserted", "msc-trials",
            "placebo-controlled-trials", "randomised-controlled-studies",
            "recruiting-umbilical-cord-trials", "umbilical-cord-derived-trials")
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    return livergraph.open(DATA, root=ROOT, build_dir=tmp_path_factory.mktemp("bundled")).published


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


def test_every_golden_file_answers_a_named_query():
    assert set(PINNED) <= set(NAMES), "a golden file names no query in queries/"
    for name, (columns, rows, _) in PINNED.items():
        assert rows and all(len(row) == len(columns) for row in rows), name


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
    columns, expected, note = PINNED[name]
    variables, rows = answer(bundled, name)
    assert set(columns) <= set(variables)
    got = sorted(([r[c] for c in columns] for r in rows), key=row_key)
    if regenerating():
        write_golden(name, columns, got, note)
        return
    assert got == expected, f"answer differs from tests/golden/queries/{name}.json"


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
    """The bundled graph as ``livergraph build --no-reason`` publishes it: no inferred types."""
    inputs = Inputs(ROOT, ONTOLOGY, ROOT / "shapes", DATA)
    return publish(inputs, tmp_path_factory.mktemp("asserted"), reason=False)[0]


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
