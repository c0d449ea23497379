"""w3id.org redirect rules and the ontology's documentation page they point browsers to."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import ONTOLOGY, ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from livergraph.errors import UnreadableInput
from livergraph.export.w3id import htaccess, write_site
from livergraph.namespaces import LG

BASE = "https://example.org/livergraph/"


def resolve(rules: str, path: str, accept: str) -> str | None:
    """Apply the .htaccess rules as Apache's mod_rewrite does (RewriteCond on HTTP_ACCEPT,
    [OR] chains, the first matching RewriteRule with [L]) to a request for ``path``."""
    conds: list[tuple[str, bool]] = []
    for line in rules.splitlines():
        line = line.strip()
        if line.startswith("RewriteCond"):
            _, var, pattern, *flags = line.split()
            assert var == "%{HTTP_ACCEPT}"
            conds.append((pattern, bool(flags and "OR" in flags[0])))
        elif line.startswith("RewriteRule"):
            _, pattern, target, flags = line.split()
            results = [(re.search(pat, accept) is not None, is_or) for pat, is_or in conds]
            # evaluate: a chain of [OR]s is one alternative group
            ok, group = True, False
            for matched, is_or in results:
                group = group or matched
                if not is_or:
                    ok = ok and group
                    group = False
            conds = []
            m = re.search(pattern, path)
            if ok and m:
                assert "R=303" in flags
                return m.expand(target.replace("$", "\\"))
    return None


@pytest.fixture(scope="module")
def rules() -> str:
    return htaccess("https://example.org/livergraph")


@pytest.mark.parametrize("path,accept,expected", [
    ("ontology", "text/html,application/xhtml+xml", BASE + "ontology.html"),
    ("ontology", "text/turtle", BASE + "ontology.ttl"),
    ("ontology/0.1.0", "text/turtle;q=1.0", BASE + "ontology.ttl"),
    ("ontology/0.1.0", "*/*", BASE + "ontology.html"),
    ("concept/status-RECRUITING", "text/html", BASE + "ontology.html#status-RECRUITING"),
    ("concept/status-RECRUITING", "text/turtle", BASE + "ontology.ttl"),
    ("id/trial/NCT01220492", "text/turtle", BASE + "livergraph.ttl"),
    ("id/trial/NCT01220492", "text/html", BASE + "index.html"),
    ("context.jsonld", "application/ld+json", BASE + "context.jsonld"),
    ("", "text/html", BASE + "index.html"),
])
def test_each_iri_kind_resolves_by_content_negotiation(rules, path, accept, expected):
    assert resolve(rules, path, accept) == expected


def test_the_rules_are_in_w3ids_format(rules):
    assert rules.splitlines()[2:4] == ["Options +FollowSymLinks", "RewriteEngine on"]
    assert all(line.endswith(("[R=303,L]", "[R=303,NE,L]"))
               for line in rules.splitlines() if line.startswith("RewriteRule"))


@pytest.mark.parametrize("bad", ["http://example.org/", "example.org/x", "https:///x",
                                 "https://example.org/a b", "https://e.org/?q=1"])
def test_a_base_url_that_cannot_work_is_refused(bad):
    with pytest.raises(UnreadableInput, match="not a usable base URL"):
        htaccess(bad)


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        if "id" in d:
            self.ids.add(d["id"])
        if tag in ("script", "link", "img") and (d.get("src") or d.get("href")):
            self.external.append(d.get("src") or d.get("href"))


def test_site_has_an_anchor_for_every_term_and_is_deterministic(tmp_path):
    a = write_site(tmp_path / "a", BASE, ONTOLOGY, ROOT / "ontology" / "context.jsonld")
    b = write_site(tmp_path / "b", BASE, ONTOLOGY, ROOT / "ontology" / "context.jsonld")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert (tmp_path / "a" / "site" / "ontology.ttl").read_bytes() == ONTOLOGY.read_bytes()
    page = (tmp_path / "a" / "site" / "ontology.html").read_text()
    parser = _Ids()
    parser.feed(page)
    g = Graph().parse(ONTOLOGY)
    terms = {str(s)[len(str(LG)):] for kind in (OWL.Class, OWL.ObjectProperty,
                                                  OWL.DatatypeProperty)
             for s in g.subjects(RDF.type, kind) if str(s).startswith(str(LG))}
    assert "Trial" in terms and terms <= parser.ids
    concepts = {str(c).rsplit("/", 1)[1] for c in g.subjects(SKOS.inScheme, None)
                if isinstance(c, URIRef)}
    assert "status-RECRUITING" in concepts and concepts <= parser.ids
    assert parser.external == []            # offline: no scripts, styles or images fetched
    assert "臨床試驗" in page or "試驗" in page      # the zh-Hant labels are shown


def test_site_command_writes_rules_and_files_with_the_graph(tmp_path):
    from click.testing import CliRunner

    from conftest import FIXTURE_DATA
    from livergraph.cli import cli
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["site", "--base-url", BASE, "-o", str(out), "--with-graph",
                                      "--root", str(ROOT), "--data", str(FIXTURE_DATA),
                                      "--build-dir", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    rules = (out / "w3id" / "livergraph" / ".htaccess").read_text()
    assert resolve(rules, "id/trial/NCT01220492", "text/turtle") == BASE + "livergraph.ttl"
    assert "NCT01220492" in (out / "site" / "livergraph.ttl").read_text()
    assert "<html" in (out / "site" / "index.html").read_text()[:200].lower()
    bad = CliRunner().invoke(cli, ["site", "--base-url", "http://insecure.example", "-o",
                                   str(tmp_path / "bad")])
    assert bad.exit_code == 2 and "not a usable base URL" in bad.output
    assert not (tmp_path / "bad").exists()
