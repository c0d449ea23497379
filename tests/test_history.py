"""Registry history: two imports of a changed record keep two snapshots; ``history`` shows the
change and the registry-history query finds the switched primary outcome and the status change."""
from __future__ import annotations

from click.testing import CliRunner

from livergraph.cli import cli
from livergraph.model.build import build
from livergraph.namespaces import sparql_prefixes
from livergraph.registry.history import history
from livergraph.registry.ictrp.importer import import_files
from conftest import ONTOLOGY, ROOT

FIX = ROOT / "tests" / "fixtures" / "ictrp"
REG = "ChiCTR2100099001"


def test_two_imports_give_a_history_with_the_change(mini_data):
    import_files([FIX / "export-v1.xml"], mini_data)
    import_files([FIX / "export-v2.xml"], mini_data)
    snaps = history(mini_data, REG)
    assert [s.date for s in snaps] == ["2021-03-01", "2021-06-01"]
    changes = {c.field: c for c in snaps[1].changes}
    assert (changes["registryStatusText"].before, changes["registryStatusText"].after) == \
        ("Recruiting", "Completed")
    assert changes["primaryOutcomeText"].removed == ["MELD score at 24 weeks"]
    assert changes["primaryOutcomeText"].added == ["Survival at 48 weeks"]
    assert (changes["enrollment"].before, changes["enrollment"].after) == (60, 80)
    out = CliRunner().invoke(cli, ["history", "--data", str(mini_data), REG])
    assert out.exit_code == 0, out.output
    assert "status: Recruiting -> Completed" in out.output
    assert "primary outcomes added: Survival at 48 weeks" in out.output
    assert (mini_data / "registry" / "snapshots" / REG / "2021-03-01.xml").is_file()
    assert (mini_data / "registry" / "snapshots" / REG / "2021-06-01.xml").is_file()


def test_outcome_switching_query_finds_the_change(mini_data):
    import_files([FIX / "export-v1.xml"], mini_data)
    import_files([FIX / "export-v2.xml"], mini_data)
    graph = build(ONTOLOGY, mini_data).graph
    query = (ROOT / "queries" / "registry-history.rq").read_text(encoding="utf-8")
    rows = {(str(r.registration).rsplit("/", 1)[1], str(r.change), str(r.before), str(r.after))
            for r in graph.query(sparql_prefixes() + query)}
    assert (REG, "primary outcome added", "", "Survival at 48 weeks") in rows
    assert (REG, "primary outcome removed", "MELD score at 24 weeks", "") in rows
    assert (REG, "status", "Recruiting", "Completed") in rows
    assert all(r[0] == REG for r in rows)      # unchanged registrations are not listed


def test_an_older_snapshot_is_skipped_and_unknown_ids_refused(mini_data):
    import_files([FIX / "export-v2.xml"], mini_data)
    result = import_files([FIX / "export-v1.xml"], mini_data)
    assert REG in result.skipped
    out = CliRunner().invoke(cli, ["history", "--data", str(mini_data), "NCT00000000"])
    assert out.exit_code == 2 and "no imported registration 'NCT00000000'" in out.output


def test_ctgov_versions_are_snapshots_with_a_history(mini_data, tmp_path):
    import json
    from livergraph.registry.ctgov.importer import import_files as import_ctgov
    study = json.loads((ROOT / "tests" / "fixtures" / "ctgov" / "NCT01220492.json")
                       .read_text(encoding="utf-8"))
    import_ctgov([ROOT / "tests" / "fixtures" / "ctgov" / "NCT01220492.json"], mini_data, ONTOLOGY)
    study["derivedSection"]["miscInfoModule"]["versionHolder"] = "2025-01-02"
    study["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"
    outcome = study["protocolSection"]["outcomesModule"]["primaryOutcomes"][0]
    old_measure, outcome["measure"] = outcome["measure"], "Overall survival"
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(study), encoding="utf-8")
    import_ctgov([newer], mini_data, ONTOLOGY)
    snaps = history(mini_data, "NCT01220492")
    assert [s.date for s in snaps] == ["2024-05-20", "2025-01-02"]
    changes = {c.field: c for c in snaps[1].changes}
    assert (changes["registryStatusText"].before, changes["registryStatusText"].after) == \
        ("RECRUITING", "TERMINATED")
    assert changes["primaryOutcomeText"].added == ["Overall survival"]
    assert old_measure in changes["primaryOutcomeText"].removed
    graph = build(ONTOLOGY, mini_data).graph
    query = (ROOT / "queries" / "registry-history.rq").read_text(encoding="utf-8")
    rows = {(str(r.change), str(r.after)) for r in graph.query(sparql_prefixes() + query)}
    assert ("primary outcome added", "Overall survival") in rows
    assert ("status", "TERMINATED") in rows
