"""No parser reaches the network (issue 17, item 7): `validate FILE` with a remote JSON-LD
@context or @import, RDF/XML with external entities, and Turtle or shapes with owl:imports.
A server on 127.0.0.1 counts every request; none may arrive."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from counting_server import counting_server
from livergraph.cli import cli


@pytest.fixture(scope="module")
def server():
    with counting_server(b'{"@context": {"name": "http://schema.org/name"}}',
                         "application/ld+json") as (url, hits):
        yield url, hits


def validate(*args: str):
    return CliRunner().invoke(cli, ["validate", "--root", str(ROOT), *args])


def jsonld_cases(base: str) -> dict[str, object]:
    return {
        "string": {"@context": f"{base}/ctx", "@id": "http://x/a", "name": "A"},
        "list": {"@context": [{"ex": "http://x/"}, f"{base}/ctx"], "@id": "http://x/a"},
        "import": {"@context": {"@version": 1.1, "@import": f"{base}/ctx"}, "@id": "http://x/a"},
        "scoped": {"@context": {"p": {"@id": "http://x/p", "@context": f"{base}/ctx"}},
                   "@id": "http://x/a", "p": {"name": "B"}},
        "nested-node": {"@context": {"ex": "http://x/"},
                        "@graph": [{"@id": "ex:a", "ex:q": {"@context": f"{base}/ctx"}}]},
        "https": {"@context": "https://127.0.0.1:1/ctx", "@id": "http://x/a"},
    }


@pytest.mark.parametrize("case", list(jsonld_cases("http://h")))
def test_remote_jsonld_context_is_refused_unfetched(server, tmp_path, case):
    base, hits = server
    before = len(hits)
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(jsonld_cases(base)[case]), encoding="utf-8")
    result = validate(str(path))
    assert result.exit_code == 2, result.output
    assert "remote contexts are not fetched" in result.output
    assert "inline it" in result.output and "remote.jsonld" in result.output
    assert "Traceback" not in result.output
    assert len(hits) == before, "the parser fetched the remote context"


def test_deeply_nested_json_is_a_clear_error(tmp_path):
    path = tmp_path / "deep.jsonld"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = validate(str(path))
    assert result.exit_code == 2 and "nested too deeply" in result.output
    assert "Traceback" not in result.output


def test_rdfxml_external_entity_is_refused_unfetched(server, tmp_path):
    base, hits = server
    before = len(hits)
    path = tmp_path / "xxe.rdf"
    path.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY ext SYSTEM "{base}/entity"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://x/">
  <rdf:Description rdf:about="http://x/a"><ex:p>&ext;</ex:p></rdf:Description>
</rdf:RDF>""", encoding="utf-8")
    result = validate(str(path))
    assert result.exit_code == 2, result.output
    assert "declares entities" in result.output and "xxe.rdf" in result.output
    assert len(hits) == before


def test_rdfxml_entity_bomb_is_refused(tmp_path):
    lol = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">'
                  for i in range(1, 10))
    path = tmp_path / "bomb.rdf"
    path.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY l0 "lol"> {lol} ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://x/">
  <rdf:Description rdf:about="http://x/a"><ex:p>&l9;</ex:p></rdf:Description>
</rdf:RDF>""", encoding="utf-8")
    result = validate(str(path))
    assert result.exit_code == 2 and "declares entities" in result.output


@pytest.mark.slow
def test_owl_imports_are_not_followed_in_data_or_shapes(server, tmp_path):
    base, hits = server
    before = len(hits)
    data = tmp_path / "imports.ttl"
    data.write_text(f"<http://x/o> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
                    f"  <http://www.w3.org/2002/07/owl#imports> <{base}/data-import> .\n",
                    encoding="utf-8")
    shapes = tmp_path / "shapes"
    shutil.copytree(ROOT / "shapes", shapes)
    (shapes / "zz-imports.ttl").write_text(
        f"<http://x/shapes> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
        f"  <http://www.w3.org/2002/07/owl#imports> <{base}/shapes-import> .\n",
        encoding="utf-8")
    result = validate("--shapes", str(shapes), str(data))
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    assert len(hits) == before, f"owl:imports was followed: {hits[before:]}"


def test_local_relative_context_is_read(tmp_path):
    (tmp_path / "ctx.jsonld").write_text(json.dumps({"@context": {"ex": "http://x/"}}),
                                         encoding="utf-8")
    path = tmp_path / "local.jsonld"
    path.write_text(json.dumps({"@context": "ctx.jsonld", "@id": "ex:a", "ex:p": "v"}),
                    encoding="utf-8")
    from livergraph.io.offline import refuse_remote_references
    refuse_remote_references(Path(path), "json-ld")      # allowed: read from disk
