"""The published build (livergraph.publish.artifact): what `build` publishes is what every
reader reads; a changed input (by content) triggers exactly one rebuild, or exit 3 with
--no-rebuild; generations are swapped atomically and kept while a reader holds them."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from conftest import FIXTURE_DATA, FIXTURE_TRIALS, ONTOLOGY, ROOT
from rdflib import Graph
from rdflib.compare import isomorphic

from livergraph.cli import cli
from livergraph.errors import EXIT_STALE
from livergraph.publish import artifact
from livergraph.publish.inputs import Inputs, changes, describe_changes

FAST = ("--no-validate", "--no-reason")


def run(*args, **kw):
    return CliRunner().invoke(cli, [str(a) for a in args], **kw)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The mini fixture published as `livergraph build` publishes it (reasoned when Java is
    there)."""
    directory = tmp_path_factory.mktemp("build")
    reason = () if shutil.which("java") else ("--no-reason",)
    result = run("build", "--data", FIXTURE_DATA, "--build-dir", directory, *reason)
    assert result.exit_code == 0, result.output
    assert "published" in result.stdout
    return directory


@pytest.fixture
def project(tmp_path):
    """A small project of its own (ontology, shapes, the mini data), published without the
    slow checks, so that its inputs can be changed."""
    root = tmp_path / "project"
    (root / "ontology").mkdir(parents=True)
    shutil.copy(ONTOLOGY, root / "ontology" / "livergraph.ttl")
    shutil.copytree(ROOT / "shapes", root / "shapes")
    shutil.copytree(FIXTURE_DATA, root / "data")
    result = run("build", "--root", root, *FAST)
    assert result.exit_code == 0, result.output
    return root


def query(root, *extra):
    return run("query", "--root", root, *extra,
               "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")


# -- what is published -------------------------------------------------------------------------

def test_the_build_directory_holds_the_published_files(built):
    current = built / "current"
    assert current.is_symlink() and os.readlink(current).startswith(artifact.GENERATION_PREFIX)
    for name in ("livergraph.ttl", "livergraph.nq", "manifest.json", "store/CURRENT"):
        assert (current / name).is_file(), name
    manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
    # every input by content: the data file's sha256 is the hash of its bytes
    trial = f"trials/{FIXTURE_TRIALS[0]}.yaml"
    assert manifest["inputs"]["data"][f"data/{trial}"] == hashlib.sha256(
        (FIXTURE_DATA / trial).read_bytes()).hexdigest()
    assert manifest["inputs"]["ontology"] == {
        "ontology/livergraph.ttl": hashlib.sha256(ONTOLOGY.read_bytes()).hexdigest()}
    assert "livergraph/api.py" in manifest["inputs"]["code"]
    assert set(manifest["inputs"]["shapes"]) == {f"shapes/{p.name}" for p in
                                                 (ROOT / "shapes").iterdir()
                                                 if not p.name.startswith(".")}
    counts = manifest["triples"]
    assert counts["total"] == counts["description"] + counts["ontology"] + counts["data"] + \
        counts["inferred"]
    assert counts["total"] == len(Graph().parse(current / "livergraph.ttl"))
    assert {"rdflib", "pyoxigraph", "livergraph", "python"} <= set(manifest["versions"])
    assert {"build", "write", "store", "total"} <= set(manifest["seconds"])
    if manifest["options"]["validate"]:
        report = json.loads((current / "validation.json").read_text(encoding="utf-8"))
        assert report["conforms"] is True and manifest["validation"]["conforms"] is True


def test_query_answers_exactly_what_build_published(built):
    """Every statement `query` sees is in the published Turtle and the other way round.

    Oxigraph keeps numbers by value: it gives ``"336.0"^^xsd:decimal`` back as ``"336"`` and
    every subtype of xsd:integer (``xsd:nonNegativeInteger`` ...) as ``xsd:integer``. So the
    answer is compared with the published Turtle read by Oxigraph too (the same triples exactly),
    and with rdflib's reading of it value for value."""
    import pyoxigraph as ox
    result = run("query", "--data", FIXTURE_DATA, "--build-dir", built, "--no-rebuild",
                 "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "--format", "nt")
    assert result.exit_code == 0, result.output
    answered = Graph().parse(data=result.stdout, format="nt")
    turtle = built / "current" / "livergraph.ttl"
    memory = ox.Store()
    memory.bulk_load(path=str(turtle), format=ox.RdfFormat.TURTLE)
    as_oxigraph = Graph().parse(data=memory.dump(format=ox.RdfFormat.N_TRIPLES,
                                                 from_graph=ox.DefaultGraph()).decode(),
                                format="nt")
    published = Graph().parse(turtle, format="turtle")
    assert len(answered) == len(published) == len(as_oxigraph) > 3000
    assert isomorphic(answered, as_oxigraph)

    def by_value(graph):
        from rdflib import BNode, Literal
        return {(s, p, o.toPython() if isinstance(o, Literal) and o.datatype else o)
                for s, p, o in graph if not isinstance(s, BNode) and not isinstance(o, BNode)}
    assert by_value(answered) == by_value(published)


def test_export_gives_the_published_bytes(built):
    ttl = run("export", "--data", FIXTURE_DATA, "--build-dir", built, "--no-rebuild")
    assert ttl.exit_code == 0 and ttl.stdout == (built / "current" / "livergraph.ttl").read_text(
        encoding="utf-8")
    nq = run("export", "--format", "nq", "--data", FIXTURE_DATA, "--build-dir", built,
             "--no-rebuild")
    assert nq.stdout == (built / "current" / "livergraph.nq").read_text(encoding="utf-8")
    # the published Turtle is what the Turtle writer makes of the published parts
    from livergraph.export.formats import parts_from_nquads, to_string
    manifest = json.loads((built / "current" / "manifest.json").read_text(encoding="utf-8"))
    parts = parts_from_nquads(built / "current" / "livergraph.nq", manifest["version"])
    assert to_string(parts, "turtle") == ttl.stdout
    assert to_string(parts, "nquads") == nq.stdout


def test_a_second_build_is_byte_identical(built, tmp_path):
    reason = () if shutil.which("java") else ("--no-reason",)
    again = run("build", "--data", FIXTURE_DATA, "--build-dir", tmp_path, *reason)
    assert again.exit_code == 0, again.output
    for name in ("livergraph.ttl", "livergraph.nq"):
        assert (tmp_path / "current" / name).read_bytes() == \
            (built / "current" / name).read_bytes()


# -- staleness -----------------------------------------------------------------------------------

@pytest.mark.parametrize("changed", ["data/trials/NCT01220492.yaml", "ontology/livergraph.ttl",
                                     "shapes/trial.ttl"])
def test_changing_one_byte_of_an_input_rebuilds_exactly_once(project, changed):
    path = project / changed
    if not path.is_file():       # the shapes are split by area: take the first file
        path = sorted((project / "shapes").glob("*.ttl"))[0]
        changed = f"shapes/{path.name}"
    body = path.read_bytes()
    stat = path.stat()
    # one byte of a comment line when there is one, else of a title: the input still reads
    at = body.find(b"\n# ") + 3 if b"\n# " in body else body.index(b"liver") + 4
    flipped = b"x" if body[at:at + 1] != b"x" else b"y"
    path.write_bytes(body[:at] + flipped + body[at + 1:])    # same size ...
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # ... and same modification time
    first = query(project)
    assert first.exit_code == 0, first.output
    assert first.stderr == f"livergraph: {changed} changed; rebuilding " \
                           f"{artifact_shown(project / 'build')} ...\n"
    second = query(project)
    assert second.exit_code == 0 and second.stderr == "" and second.stdout == first.stdout


def artifact_shown(path):
    from livergraph.cli.options import shown
    return shown(path)


def test_no_rebuild_exits_3_naming_the_changed_input(project):
    path = project / "data" / "trials" / f"{FIXTURE_TRIALS[1]}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    stale = query(project, "--no-rebuild")
    assert stale.exit_code == EXIT_STALE == 3
    assert f"data/trials/{FIXTURE_TRIALS[1]}.yaml changed" in stale.output
    assert "livergraph build" in stale.output and "rebuilding" not in stale.output
    # the other readers behave the same
    for command in (["export"], ["stats"], ["viz", "-o", project / "g.html"]):
        result = run(*command, "--root", project, "--no-rebuild")
        assert result.exit_code == 3, (command, result.output)
    fresh = query(project)
    assert fresh.exit_code == 0 and fresh.stderr.count("rebuilding") == 1


def test_an_added_or_removed_file_is_a_change(project):
    extra = project / "data" / "trials" / "extra.yaml"
    shutil.copy(project / "data" / "trials" / f"{FIXTURE_TRIALS[0]}.yaml", extra)
    assert "data/trials/extra.yaml added" in query(project, "--no-rebuild").output
    extra.unlink()
    assert query(project, "--no-rebuild").exit_code == 0


def test_changes_are_named_and_counted():
    old = {"data": {"a.yaml": "1", "b.yaml": "2"}, "code": {"x.py": "3"}}
    new = {"data": {"a.yaml": "1", "b.yaml": "9", "c.yaml": "4"}, "code": {}}
    found = changes(old, new)
    assert found == ["b.yaml changed", "c.yaml added", "x.py removed"]
    assert describe_changes(found) == "b.yaml changed (and 2 more input files)"
    assert describe_changes([]) == "nothing changed"


def test_a_changed_source_file_of_the_package_is_a_change(tmp_path, monkeypatch):
    import livergraph.publish.inputs as inputs_module
    package = tmp_path / "livergraph"
    shutil.copytree(ROOT / "src" / "livergraph", package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(inputs_module, "package_dir", lambda: package)
    inputs = Inputs(ROOT, ONTOLOGY, ROOT / "shapes", FIXTURE_DATA)
    before = inputs.hashes()
    (package / "model" / "build.py").write_text(
        (package / "model" / "build.py").read_text(encoding="utf-8") + "#", encoding="utf-8")
    assert changes(before, inputs.hashes()) == ["livergraph/model/build.py changed"]


def test_an_unchanged_signature_skips_hashing_and_any_write_is_seen(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    path = data / "a.yaml"
    path.write_bytes(b"id: a\n")
    inputs = Inputs(ROOT, ONTOLOGY, ROOT / "shapes", data)
    hashes, signatures = inputs.scan()
    assert hashes["data"]["data/a.yaml"] == hashlib.sha256(b"id: a\n").hexdigest()
    # the recorded hash is taken as long as the signature is the recorded one ...
    fake = {**hashes, "data": {"data/a.yaml": "recorded"}}
    assert inputs.scan(fake, signatures)[0]["data"]["data/a.yaml"] == "recorded"
    # ... and any write gives a new signature (ctime), even with size and mtime put back
    stat = path.stat()
    time.sleep(0.01)
    path.write_bytes(b"id: b\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again, _ = inputs.scan(fake, signatures)
    assert again["data"]["data/a.yaml"] == hashlib.sha256(b"id: b\n").hexdigest()


def test_hashing_the_bundled_inputs_is_fast():
    inputs = Inputs(ROOT, ONTOLOGY, ROOT / "shapes", ROOT / "data")
    inputs.hashes()
    start = time.perf_counter()
    hashes = inputs.hashes()
    assert time.perf_counter() - start < 0.5
    assert len(hashes["data"]) > 50 and len(hashes["code"]) > 30


# -- publishing atomically -------------------------------------------------------------------

def test_a_reader_keeps_its_generation_while_a_build_replaces_it(project):
    inputs = Inputs(project, project / "ontology" / "livergraph.ttl", project / "shapes",
                    project / "data")
    held = artifact.current(project / "build")
    assert held is not None
    newer, _ = artifact.publish(inputs, project / "build", validate=False, reason=False)
    assert newer.directory != held.directory and held.directory.is_dir()
    from livergraph.query.engine import run_local
    answer = run_local(f"ASK {{ trial:{FIXTURE_TRIALS[1]} lg:status ?s }}", held.path,
                       held.prefixes)
    assert answer.boolean is True
    held.release()
    newer.release()
    third, _ = artifact.publish(inputs, project / "build", validate=False, reason=False)
    third.release()
    generations = sorted(p.name for p in (project / "build").iterdir()
                         if p.name.startswith(artifact.GENERATION_PREFIX))
    assert generations == [third.directory.name]


def test_a_failed_build_leaves_the_published_one_in_place(project, monkeypatch):
    good = os.readlink(project / "build" / "current")

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(artifact, "_write_generation", crash)
    result = run("build", "--root", project, *FAST)
    assert result.exit_code == 2 and "cannot write the build" in result.output
    assert "Traceback" not in result.output
    assert os.readlink(project / "build" / "current") == good
    assert not [p for p in (project / "build").iterdir()
                if p.name.startswith(artifact.TEMP_PREFIX)]


def test_a_build_with_violations_publishes_nothing(project):
    good = os.readlink(project / "build" / "current")
    path = project / "data" / "trials" / f"{FIXTURE_TRIALS[0]}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"nctId: {FIXTURE_TRIALS[0]}", "nctId: NCT0122049X"),
                    encoding="utf-8")
    result = run("build", "--root", project, "--no-reason")
    assert result.exit_code == 1 and "NCT0122049X" in result.output
    assert "nothing published" in result.output
    assert os.readlink(project / "build" / "current") == good


def test_concurrent_builds_leave_one_current_generation(project):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    argv = [sys.executable, "-m", "livergraph", "build", "--root", str(project), *FAST]
    procs = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    current = os.readlink(project / "build" / "current")
    assert (project / "build" / current / "manifest.json").is_file()
    assert query(project, "--no-rebuild").exit_code == 0


def test_query_by_name_does_not_import_rdflib(built):
    code = ("import sys\nfrom livergraph.cli import cli\n"
            "try:\n    cli.main(['query', '--name', 'trials-by-status', '--data', sys.argv[1], "
            "'--build-dir', sys.argv[2], '--no-rebuild'], prog_name='livergraph')\n"
            "except SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
            "print('RDFLIB' if 'rdflib' in sys.modules else 'CLEAN', file=sys.stderr)")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", code, str(FIXTURE_DATA), str(built)],
                          env=env, capture_output=True, text=True, cwd=ROOT)
    assert done.stderr.strip().endswith("CLEAN"), done.stderr
    assert "status" in done.stdout
