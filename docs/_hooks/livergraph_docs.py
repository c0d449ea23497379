"""mkdocs hooks for livergraph's documentation (declared in mkdocs.yml; not part of the site).

- The package documented is this checkout's: ``src/`` goes first on ``sys.path`` before
  mkdocs-click imports ``livergraph.cli`` (an installed copy elsewhere must not be documented).
- The Python API reference has one page per subpackage of ``src/livergraph`` (``cli`` excepted:
  the command-line reference covers it), generated at build time, so a new subpackage is
  documented without editing mkdocs.yml.
- ``<!-- named-queries -->`` in a page is replaced by the catalogue of ``queries/*.rq``: each
  query's summary, description, parameters and text, read through livergraph's own header parser.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

API_DIR = "reference/api"
API_NAV_TITLE = "Python API"
NAMED_QUERIES_MARK = "<!-- named-queries -->"
#: top-level modules documented on the API reference's first page, after the package itself
TOP_MODULES = ("errors", "namespaces", "project")


def subpackages() -> list[str]:
    """Subpackages of livergraph with a reference page, in alphabetical order."""
    found = [p.parent.name for p in sorted((SRC / "livergraph").glob("*/__init__.py"))]
    return [name for name in found if name != "cli" and not name.startswith("_")]


def api_page(name: str) -> str:
    return (f"# livergraph.{name}\n\n"
            f"::: livergraph.{name}\n"
            "    options:\n"
            "      show_root_heading: false\n"
            "      show_root_toc_entry: false\n")


def api_index() -> str:
    lines = ["# Python API", "",
             "The package `livergraph` and its modules, from their docstrings. The command line "
             "is a thin layer over these modules ([command-line reference](../cli.md)). "
             "Subpackages, one page each:", ""]
    lines += [f"- [`livergraph.{name}`]({name}.md)" for name in subpackages()]
    lines += ["", "::: livergraph", "    options:", "      show_submodules: false", ""]
    for module in TOP_MODULES:
        if (SRC / "livergraph" / f"{module}.py").is_file():
            lines += [f"::: livergraph.{module}", ""]
    return "\n".join(lines)


def on_config(config):
    """Fill the API section of the navigation: the index, then one page per subpackage."""
    def fill(items):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                (title, value), = item.items()
                if title == API_NAV_TITLE:
                    items[i] = {title: [{"Overview": f"{API_DIR}/index.md"}] + [
                        {f"livergraph.{n}": f"{API_DIR}/{n}.md"} for n in subpackages()]}
                elif isinstance(value, list):
                    fill(value)
    fill(config["nav"] or [])
    return config


def on_files(files, config):
    """Add the generated API reference pages."""
    from mkdocs.structure.files import File
    pages = {f"{API_DIR}/index.md": api_index()}
    pages.update({f"{API_DIR}/{n}.md": api_page(n) for n in subpackages()})
    for uri, content in pages.items():
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, content=content))
    return files


def named_query_catalogue() -> str:
    try:                                   # the named-query library's own module ...
        from livergraph.query.named import named_queries
    except ImportError:                    # ... before it moved out of the engine
        from livergraph.query.engine import named_queries
    found = named_queries(ROOT / "queries")
    lines = [f"{len(found)} named queries, from `queries/*.rq`.", ""]
    lines += ["| name | what it answers |", "|---|---|"]
    lines += [f"| [`{q.name}`](#{q.name}) | {q.summary.replace('|', '&#124;')} |" for q in found]
    for q in found:
        lines += ["", f"### {q.name} {{#{q.name}}}", "", f"**{q.summary}**", ""]
        if q.description:
            lines += [q.description, ""]
        if q.params:
            lines += ["Parameters (`-p NAME=VALUE`):", ""]
            lines += [f"- `{name}`: {meaning}" for name, meaning in q.params]
            lines.append("")
        lines += [f"```sh\nlivergraph query --name {q.name}\n```", ""]
        body = q.text.rstrip("\n")
        fence = "````" if "```" in body else "```"
        lines += [f'??? note "The query: queries/{q.name}.rq"', "",
                  f"    {fence}sparql"]
        lines += [("    " + line) if line else "" for line in body.splitlines()]
        lines += [f"    {fence}", ""]
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    if NAMED_QUERIES_MARK in markdown:
        markdown = markdown.replace(NAMED_QUERIES_MARK, named_query_catalogue())
    return markdown


def on_page_content(html, page, config, files):
    """click 8.3 marks "no default" with a sentinel that mkdocs-click prints as
    ``Sentinel.UNSET``: show an empty cell instead."""
    if page.file.src_uri == "reference/cli.md":
        html = html.replace("<td><code>Sentinel.UNSET</code></td>", "<td></td>")
    return html
