"""The linked-data path of docs/howto/kg-engineer.md (issue 19: export -> a triple store -> the
schema.org query) works as written: its shell commands and its Python script are read from the
page and run on the bundled data, and the count the page promises is the number of trials in the
export."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

PAGE = ROOT / "docs" / "howto" / "kg-engineer.md"
SECTION = "## The linked-data path"
LG_TRIAL = URIRef("https://w3id.org/livergraph/ontology#Trial")
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or \
    shutil.which("oxigraph")


def section_blocks() -> list[tuple[str, str]]:
    """(language, text) of each fenced code block of the section, in order."""
    text = PAGE.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    body = text[start:end if end >= 0 else len(text)]
    return re.findall(r"```(\w+)\n(.*?)```", body, flags=re.DOTALL)


def commands(block: str) -> list[list[str]]:
    """The commands of a shell block, one per line (comments dropped), as argument lists."""
    out = []
    for line in block.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            out.append(shlex.split(line))
    return out


def test_the_section_shows_the_three_steps():
    blocks = section_blocks()
    assert [lang for lang, _ in blocks] == ["sh", "python", "sh"]
    first, script, second = (b for _, b in blocks)
    assert commands(first)[0][:3] == ["livergraph", "export", "--format"]
    assert "?t a schema:MedicalTrial" in script and "ox.Store()" in script
    assert [c[:2] for c in commands(second)] == [["livergraph", "export"],
                                                  ["oxigraph", "load"], ["oxigraph", "query"]]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="Java (for the HermiT reasoner) is "
                    "not installed: the export's build reasons")
@pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph command is not installed")
@pytest.mark.skipif(not (DATA / "trials").is_dir(), reason="the bundled data is not curated yet")
def test_the_documented_commands_count_every_trial(tmp_path):
    env = {**os.environ, "LIVERGRAPH_ROOT": str(ROOT),
           "LIVERGRAPH_BUILD_DIR": str(tmp_path / "build"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                       os.environ.get("PYTHONPATH")]))}
    work = tmp_path / "work"
    work.mkdir()

    def run(argv: list[str]) -> str:
        program = {"livergraph": [sys.executable, "-m", "livergraph"],
                   "python3": [sys.executable], "oxigraph": [str(OXIGRAPH)]}[argv[0]]
        done = subprocess.run(program + argv[1:], cwd=work, env=env, capture_output=True,
                              check=False, text=True, timeout=600)
        assert done.returncode == 0, f"{' '.join(argv)}: {done.stderr}"
        return done.stdout

    (_, first), (_, script), (_, second) = section_blocks()
    name = next(a for a in commands(first)[1] if a.endswith(".py"))
    (work / name).write_text(script, encoding="utf-8")
    outputs = [run(argv) for argv in commands(first)]
    trials = set(Graph().parse(work / "livergraph.nt", format="nt").subjects(RDF.type, LG_TRIAL))
    promised = int(re.search(r"print\(.*\)\s+# (\d+):", script).group(1))
    assert len(trials) == promised == len(list((DATA / "trials").glob("*.yaml")))
    assert outputs[-1].split() == [str(promised)]

    outputs = [run(argv) for argv in commands(second)]
    assert outputs[-1].split() == ["trials", str(promised)]
    assert f"It prints `trials` and `{promised}`" in PAGE.read_text(encoding="utf-8")
