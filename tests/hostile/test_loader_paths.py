"""Where the data files are: no silent empty reads (issue 17, item 1), one listing for build,
validate, lint and the input hashes, and exports that other tools can parse whatever text
the loader lets through."""
from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from livergraph.cli import cli
from livergraph.errors import DataError, UnreadableInput
from livergraph.model.load import load_records, record_files
from livergraph.publish.inputs import Inputs
from conftest import FIXTURE_DATA, FIXTURE_RECORDS, ONTOLOGY, ROOT


def _copy(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE_DATA, target)
    return target


def test_a_data_directory_given_through_dotdot_is_read(tmp_path):
    _copy(tmp_path / "data")
    (tmp_path / "x").mkdir()
    records = load_records(tmp_path / "x" / ".." / "data")
    assert len(records) == FIXTURE_RECORDS
    assert records[0].file.startswith("data/")


def test_a_data_directory_under_a_hidden_directory_is_read(tmp_path):
    data = _copy(tmp_path / ".cache" / "project" / "data")
    assert len(load_records(data)) == FIXTURE_RECORDS


def test_hidden_directories_inside_the_data_are_skipped(tmp_path):
    data = _copy(tmp_path / "data")
    (data / ".backup").mkdir()
    shutil.copy(data / "trials" / "NCT01220492.yaml", data / ".backup" / "old.yaml")
    assert len(load_records(data)) == FIXTURE_RECORDS


@pytest.mark.parametrize("setup", ["empty", "only vocabulary", "only hidden"])
def test_no_records_is_an_error_not_an_empty_graph(tmp_path, setup):
    data = tmp_path / "data"
    if setup == "empty":
        data.mkdir()
    else:
        _copy(data)
        for path in data.iterdir():
            if path.name != "vocabulary":
                shutil.rmtree(path)
        if setup == "only hidden":
            (data / ".old").mkdir()
            shutil.copy(FIXTURE_DATA / "trials" / "NCT01220492.yaml", data / ".old" / "t.yaml")
    with pytest.raises(DataError, match="no records") as caught:
        load_records(data)
    assert caught.value.exit_code == 1 and caught.value.file == str(data)


def test_directories_reached_through_a_link_are_read_and_hashed(tmp_path):
    data = _copy(tmp_path / "data")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(str(data / "organizations"), elsewhere)
    os.symlink(elsewhere, data / "organizations")
    assert len(load_records(data)) == FIXTURE_RECORDS
    names = [n for n, _ in Inputs(ROOT, ONTOLOGY, ROOT / "shapes", data).listing()["data"]]
    assert "data/organizations/organizations.yaml" in names


def test_a_link_back_up_is_refused_by_the_loader_and_skipped_by_the_hashes(tmp_path):
    data = _copy(tmp_path / "data")
    os.symlink("..", data / "trials" / "up")
    with pytest.raises(UnreadableInput, match="leads back into a directory"):
        record_files(data)
    names = [n for n, _ in Inputs(ROOT, ONTOLOGY, ROOT / "shapes", data).listing()["data"]]
    assert not any("/up/" in n for n in names)


@pytest.mark.slow
@pytest.mark.parametrize("where", ["dotdot", "hidden"])
def test_validate_over_such_a_directory_checks_the_records(tmp_path, where):
    if where == "dotdot":
        _copy(tmp_path / "data")
        (tmp_path / "x").mkdir()
        data = tmp_path / "x" / ".." / "data"
    else:
        data = _copy(tmp_path / ".hidden" / "data")
    result = CliRunner().invoke(cli, ["validate", "--root", str(ROOT), str(data)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    assert "[NCT01220492]" in result.output       # the curators' warning on a record, and ...
    triples = int(result.output.split("(")[-1].split()[0])
    assert triples > 3500                           # ... the records' triples were checked


#: the nastiest text the loader lets through: tab, newline, XML and YAML syntax, quotes,
#: astral characters, bidirectional controls, the byte-order mark, private use, the last
#: code point XML allows
NASTY = ("tab\there, line\nbreak ]]> <!-- --> <script>&amp;</script> \"'` \\ # : - ? | > "
         "😀 \u202e\u200d\u00a0\ufeff\ue000\U0010fffd \u2028\u2029 e\u0301 ﷐")


@pytest.mark.slow
def test_exports_of_the_nastiest_allowed_text_parse(tmp_path):
    from rdflib import Dataset, Graph

    from livergraph.model.lint import dump
    from livergraph.model.load import read_yaml
    data = _copy(tmp_path / "data")
    path = data / "trials" / "NCT01220492.yaml"
    record = read_yaml(path)
    record["title"] = {"en": NASTY, "zh-Hant": NASTY[::-1]}
    path.write_text(dump(record), encoding="utf-8")
    build = tmp_path / "build"
    common = ["--root", str(ROOT), "--data", str(data), "--build-dir", str(build)]
    built = CliRunner().invoke(cli, ["build", *common, "--no-reason"])
    assert built.exit_code == 0, built.output
    for fmt, suffix in (("graphml", ".graphml"), ("gexf", ".gexf"), ("xml", ".rdf")):
        out = tmp_path / f"graph{suffix}"
        result = CliRunner().invoke(cli, ["export", *common, "--no-rebuild", "--format", fmt,
                                          "-o", str(out)])
        assert result.exit_code == 0, result.output
        ET.parse(out)                                    # well-formed XML
        text = out.read_text(encoding="utf-8")
        assert "😀" in text or "&#128512;" in text
        if fmt == "xml":
            graph = Graph().parse(out, format="xml")     # rdflib's RDF/XML parser
            titles = {str(o) for o in graph.objects() if "😀" in str(o)}
            assert NASTY in titles and NASTY[::-1] in titles
    for fmt in ("nquads", "trig"):                       # line-based and indented writers
        out = tmp_path / f"graph.{fmt}"
        result = CliRunner().invoke(cli, ["export", *common, "--no-rebuild", "--format", fmt,
                                          "-o", str(out)])
        assert result.exit_code == 0, result.output
        dataset = Dataset().parse(out, format=fmt)
        titles = {str(o) for _, _, o, _ in dataset.quads() if "😀" in str(o)}
        assert NASTY in titles and NASTY[::-1] in titles
