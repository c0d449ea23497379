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


# -- interrupted and concurrent imports (the journal and the lock) ------------------------------

def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_import_killed_after_its_commit_point_is_completed_by_the_next(mini_data, monkeypatch):
    import pytest
    from livergraph.registry import common
    reference = mini_data.parent / "reference"
    import shutil
    shutil.copytree(mini_data, reference)
    import_files([FIX / "export-v1.xml"], reference)
    before = _tree(mini_data)

    def dies(*args):         # killed just before the next data/ is swapped in
        raise KeyboardInterrupt("kill -9")
    monkeypatch.setattr(common, "_exchange", dies)
    with pytest.raises(KeyboardInterrupt):
        import_files([FIX / "export-v1.xml"], mini_data)
    monkeypatch.undo()
    assert (mini_data / "registry" / ".journal" / "manifest.json").exists()
    assert {k: v for k, v in _tree(mini_data).items()      # never half applied
            if not k.startswith("registry/.journal/")} == before
    assert common.sidecar(mini_data).exists()
    assert "completed an interrupted import" in common.recover(mini_data)
    assert _tree(mini_data) == _tree(reference)          # as if never interrupted
    assert not common.sidecar(mini_data).exists()
    build(ONTOLOGY, mini_data)


def test_an_import_killed_before_its_commit_point_leaves_data_unchanged(mini_data, monkeypatch):
    import pytest
    from livergraph.registry import common
    before = _tree(mini_data)

    def dies(*args, **kwargs):
        raise KeyboardInterrupt("kill -9")
    monkeypatch.setattr(common, "write_atomic", dies)      # the manifest is never written
    with pytest.raises(KeyboardInterrupt):
        import_files([FIX / "export-v1.xml"], mini_data)
    monkeypatch.undo()
    assert not (mini_data / "registry" / ".journal" / "manifest.json").exists()
    result = import_files([FIX / "export-v1.xml"], mini_data)
    assert any("discarded an interrupted import" in w for w in result.warnings)
    assert not (mini_data / "registry" / ".journal").exists()
    assert {k for k in _tree(mini_data)} > set(before)
    build(ONTOLOGY, mini_data)


def test_a_second_import_at_the_same_time_is_refused(mini_data):
    import pytest
    from livergraph.errors import UnreadableInput
    from livergraph.registry.common import import_lock
    with import_lock(mini_data):
        with pytest.raises(UnreadableInput, match="another import into this data directory"):
            import_files([FIX / "export-v1.xml"], mini_data)
    assert len(import_files([FIX / "export-v1.xml"], mini_data).imported) == 7
