"""Making the w3id.org IRIs resolve: redirect rules in w3id's format and the files they point to.

livergraph's IRIs live under ``https://w3id.org/livergraph/``. w3id.org resolves them through an
``.htaccess`` file kept in its public repository (one directory per project); the rules redirect
(HTTP 303, content-negotiated on ``Accept``) to wherever the project hosts its files.
:func:`write_site` writes both: ``DIR/w3id/livergraph/.htaccess`` — the file to propose to the
w3id.org repository — and ``DIR/site/``, the files to host at ``base_url`` (the ontology as HTML
and Turtle, the JSON-LD context, and the published graph when given).

What resolves where (``BASE`` = ``base_url``):

=========================================  ==========================  =========================
request                                    browsers (text/html)        RDF clients
=========================================  ==========================  =========================
/livergraph/ontology, /ontology/VERSION    BASE/ontology.html          BASE/ontology.ttl
/livergraph/concept/X                      BASE/ontology.html#X        BASE/ontology.ttl
/livergraph/id/...                         BASE/index.html             BASE/livergraph.ttl
/livergraph/context.jsonld                 BASE/context.jsonld         BASE/context.jsonld
=========================================  ==========================  =========================
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from livergraph.errors import UnreadableInput

#: Accept media type -> file suffix of the ontology serialisation served for it (Turtle only:
#: the ontology's one edit file, byte for byte; other syntaxes would need blank-node labels that
#: change between runs)
RDF_MEDIA_TYPES: dict[str, str] = {"text/turtle": "ttl"}


def htaccess(base_url: str) -> str:
    """The ``.htaccess`` for w3id.org/livergraph/, redirecting to ``base_url``."""
    base = _check_base(base_url)
    lines = ["# w3id.org/livergraph: persistent IRIs of the livergraph knowledge graph",
             "# Written by `livergraph export site`; redirects to " + base,
             "Options +FollowSymLinks", "RewriteEngine on", "",
             "# the JSON-LD context", "RewriteRule ^context\\.jsonld$ " + base +
             "context.jsonld [R=303,L]", "",
             "# the ontology and its versions: RDF by Accept, HTML otherwise"]
    for media, suffix in RDF_MEDIA_TYPES.items():
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {media}",
                  f"RewriteRule ^ontology(/[0-9][0-9.]*)?$ {base}ontology.{suffix} [R=303,L]"]
    lines += [f"RewriteRule ^ontology(/[0-9][0-9.]*)?$ {base}ontology.html [R=303,L]", "",
              "# concepts: their entry in the ontology's documentation, or the ontology's RDF"]
    for media, suffix in RDF_MEDIA_TYPES.items():
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {media}",
                  f"RewriteRule ^concept/.+$ {base}ontology.{suffix} [R=303,L]"]
    lines += [f"RewriteRule ^concept/(.+)$ {base}ontology.html#$1 [R=303,NE,L]", "",
              "# records (trials, studies, ...): the published graph, or the network view",
              "RewriteCond %{HTTP_ACCEPT} text/turtle",
              f"RewriteRule ^id/.+$ {base}livergraph.ttl [R=303,L]",
              f"RewriteRule ^id/.+$ {base}index.html [R=303,L]", "",
              "# anything else: the project's home",
              f"RewriteRule ^$ {base}index.html [R=303,L]"]
    return "\n".join(lines) + "\n"


def _check_base(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment \
            or any(c.isspace() for c in base_url):
        raise UnreadableInput(f"not a usable base URL: {base_url!r}",
                              hint="give the https:// address where the site/ files will be "
                                   "hosted, e.g. https://example.org/livergraph/")
    return base_url if base_url.endswith("/") else base_url + "/"


def write_site(directory: Path, base_url: str, ontology: Path, context: Path,
               graph: Path | None = None, viewer: Path | None = None) -> list[Path]:
    """Write the redirect rules and the files to host; return the paths written."""
    from rdflib import Graph

    from livergraph.export.ontology_doc import render
    from livergraph.io.atomic import write_atomic, write_bytes

    rules = htaccess(base_url)
    directory = Path(directory)
    site = directory / "site"
    written: list[Path] = []

    def put_text(path: Path, text: str) -> None:
        write_atomic(path, lambda h: h.write(text))
        written.append(path)

    put_text(directory / "w3id" / "livergraph" / ".htaccess", rules)
    g = Graph()
    g.parse(ontology, format="turtle")
    put_text(site / "ontology.html", render(g))
    write_bytes(site / "ontology.ttl", Path(ontology).read_bytes())
    written.append(site / "ontology.ttl")
    write_bytes(site / "context.jsonld", Path(context).read_bytes())
    written.append(site / "context.jsonld")
    if graph is not None:
        write_bytes(site / "livergraph.ttl", Path(graph).read_bytes())
        written.append(site / "livergraph.ttl")
    if viewer is not None:
        write_bytes(site / "index.html", Path(viewer).read_bytes())
        written.append(site / "index.html")
    return written
