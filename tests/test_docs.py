"""The documentation: the README's promises, the site built with `mkdocs build --strict` offline,
the generated pages (command line, API, named queries, benchmark results) matching what they are
generated from, and help text on every command and option (sqlite-utils' tests/test_docs.py
pattern)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from conftest import ROOT, read_tier_list

README = ROOT / "README.md"
DOCS = ROOT / "docs"
SETUP = "python3 -m pip install -e . && livergraph build"
TESTS = "python3 -m pip install -e '.[test]' && python3 -m pytest"


def commands():
    """(path, command) for the group and every command and subcommand, hidden ones included."""
    from livergraph.cli import cli

    def walk(cmd, path):
        yield path, cmd
        if isinstance(cmd, click.Group):
            ctx = click.Context(cmd, info_name=path[-1])
            for name in cmd.list_commands(ctx):
                yield from walk(cmd.get_command(ctx, name), path + (name,))
    return list(walk(cli, ("livergraph",)))


COMMANDS = commands()


# --- help text ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_and_option_has_help(path, command):
    assert (command.help or "").strip(), f"`{' '.join(path)}` has no help text (its docstring)"
    missing = [p.opts[-1] for p in command.params
               if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert not missing, f"`{' '.join(path)}`: options without help text: {missing}"


# --- README ------------------------------------------------------------------------------------

def test_readme_is_short_and_keeps_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 10 * 1024, "README.md is over 10 KB: move detail to docs/"
    assert SETUP in text and TESTS in text
    assert "pytest -m 'not slow'" in text                       # the fast tier, documented
    for command in ("livergraph build", "livergraph query --name", "livergraph.open(",
                    "livergraph viz", "livergraph export", "livergraph validate",
                    "livergraph effects", "livergraph meta", "livergraph report",
                    "livergraph import ictrp"):
        assert command in text, f"the README's tour does not mention {command}"


def test_ci_runs_the_readme_test_command_and_installs_what_the_tests_need():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TESTS in ci
    for package in ("chromium", "raptor2-utils", "default-jre-headless", "fonts-noto-cjk"):
        assert package in ci, f".ci/run does not install {package}"


def relative_links(markdown: str) -> list[str]:
    links = re.findall(r"\]\(([^)\s]+)\)", markdown)
    return [link.split("#", 1)[0] for link in links
            if not re.match(r"[a-z]+:", link) and not link.startswith("#")]


def test_readme_links_point_at_files_that_exist():
    links = relative_links(README.read_text(encoding="utf-8"))
    assert "docs/tutorial.md" in links and "docs/howto/developer.md" in links
    missing = [link for link in links if not (ROOT / link).exists()]
    assert not missing, f"README.md links to files that do not exist: {missing}"


# --- pages kept in step with the code -----------------------------------------------------------

def test_exit_code_page_lists_every_exit_code():
    import livergraph.errors as errors
    page = (DOCS / "exit-codes.md").read_text(encoding="utf-8")
    codes = {name: value for name, value in vars(errors).items()
             if name.startswith("EXIT_") and isinstance(value, int)}
    assert {"EXIT_OK", "EXIT_INVALID", "EXIT_UNREADABLE"} <= set(codes)
    for name, value in codes.items():
        assert f"| **{value}** | `{name}` |" in page, \
            f"docs/exit-codes.md does not document exit code {value} ({name})"


def test_data_model_page_names_every_subpackage():
    page = (DOCS / "data-model.md").read_text(encoding="utf-8")
    packages = [p.parent.name for p in (ROOT / "src" / "livergraph").glob("*/__init__.py")]
    assert "model" in packages and "cli" in packages
    missing = [name for name in packages if f"`livergraph.{name}`" not in page]
    assert not missing, f"docs/data-model.md's layout table misses {missing}"


def test_benchmark_results_page_is_generated_from_the_json():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import json
    import render
    page = render.PAGE.read_text(encoding="utf-8")
    assert page == render.render(), \
        "docs/performance/results.md is stale: run `python3 benchmarks/render.py`"
    latest = json.loads((ROOT / "benchmarks" / "results" / "latest.json").read_text("utf-8"))
    for size in latest["sizes"]:                        # every N and its build figures are shown
        assert f"**N = {size['trials']:,} trials**" in page
        build = size["stages"]["build"]
        assert f"| build | {render.table.__globals__['fmt_s'](build['seconds'])} |" in page
    first = latest["sizes"][0]
    assert first["trials"] == 1000 and first["triples"] == 65562
    assert "| validate | 6.01 | 5.67 | 199 | 10,914 | 755 | 137 | 94.9× |" in page


def test_render_check_fails_on_a_stale_page(tmp_path):
    stale = tmp_path / "results.md"
    stale.write_text("# hand-edited\n", encoding="utf-8")
    script = ROOT / "benchmarks" / "render.py"
    done = subprocess.run([sys.executable, str(script), "--check", "-o", str(stale)],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "python3 benchmarks/render.py" in done.stderr
    done = subprocess.run([sys.executable, str(script), "-o", str(stale)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and stale.read_text("utf-8").startswith("# Benchmark results")
    done = subprocess.run([sys.executable, str(script), "--check", "-o", str(stale)],
                          capture_output=True, text=True)
    assert done.returncode == 0


# --- the test tiers -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["slow_tests.txt", "java_tests.txt"])
def test_tier_lists_are_recorded(name):
    """The lists exist and name tests and fixtures under tests/ (an entry whose test was renamed
    or removed marks nothing: refresh the list with `python -m pytest --record-tiers`)."""
    path = ROOT / "tests" / name
    text = path.read_text(encoding="utf-8")
    assert "--record-tiers" in text.splitlines()[1]            # says how to refresh it
    tests, fixtures = read_tier_list(path)
    assert tests and all(t.startswith("tests/test_") and "::" in t for t in tests)
    assert all(f.startswith("tests/") and "::" in f for f in fixtures)
    if name == "java_tests.txt":
        assert any(t.startswith("tests/test_reason.py::") for t in tests | fixtures)


def test_tier_list_format(tmp_path):
    listing = tmp_path / "tiers.txt"
    listing.write_text("# comment\ntests/test_a.py::test_x  # 3.1 s\n\n"
                       "fixture tests/test_b.py::built  # 5.0 s\n", encoding="utf-8")
    assert read_tier_list(listing) == ({"tests/test_a.py::test_x"}, {"tests/test_b.py::built"})
    assert read_tier_list(tmp_path / "absent.txt") == (set(), set())


# --- the site -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site as `mkdocs build --strict` builds it, from this checkout's package."""
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                           "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr[-4000:]}"
    return out


@pytest.mark.slow
def test_site_has_its_pages(site):
    for page, expected in [
            ("index.html", "A knowledge graph of stem-cell therapy trials for liver cirrhosis"),
            ("tutorial.html", "livergraph.open"),
            ("howto/reviewer.html", "patient-count-388"),
            ("howto/kg-engineer.html", "Graph Store Protocol"),
            ("howto/curator.html", "DataQualityIssue"),
            ("howto/developer.html", "--record-tiers"),
            ("exit-codes.html", "EXIT_UNREADABLE"),
            ("data-format.html", "the curated source of the graph"),
            ("performance/results.html", "94.9×"),
            ("reference/api/index.html", "LivergraphError")]:
        path = site / page
        assert path.is_file(), f"the site has no {page}"
        assert expected in path.read_text(encoding="utf-8"), f"{page} does not say {expected!r}"


@pytest.mark.slow
def test_cli_reference_shows_every_command_with_its_options(site):
    html = (site / "reference" / "cli.html").read_text(encoding="utf-8")
    assert "Sentinel" not in html                                  # click's "no default" marker
    for path, command in COMMANDS:
        if command.hidden:
            continue
        if len(path) > 1:
            assert f'id="{"-".join(path)}"' in html, f"`{' '.join(path)}` is not in the reference"
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.opts[-1] in html, f"`{' '.join(path)} {param.opts[-1]}` is missing"


@pytest.mark.slow
def test_api_reference_has_a_page_per_subpackage(site):
    packages = [p.parent.name for p in (ROOT / "src" / "livergraph").glob("*/__init__.py")]
    for name in packages:
        if name != "cli":
            assert (site / "reference" / "api" / f"{name}.html").is_file(), name
    html = (site / "reference" / "api" / "model.html").read_text(encoding="utf-8")
    assert "livergraph.model.build" in html


@pytest.mark.slow
def test_named_query_catalogue_lists_every_query(site):
    html = (site / "named-queries.html").read_text(encoding="utf-8")
    names = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert len(names) >= 20
    for name in names:
        assert f'id="{name}"' in html, f"named query {name} is not in the catalogue"
    assert f"{len(names)} named queries" in html


@pytest.mark.slow
def test_site_fetches_nothing_remote(site):
    remote = re.compile(r"<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)=\"(?:https?:)?//",
                        re.IGNORECASE)
    offenders = []
    for page in site.rglob("*.html"):
        if remote.search(page.read_text(encoding="utf-8")):
            offenders.append(str(page.relative_to(site)))
    assert not offenders, f"pages loading remote resources: {offenders}"
    assert (site / "search" / "search_index.js").is_file()          # search from file://
    assert (site / "assets" / "vendor" / "iframe-worker" / "shim.js").is_file()
