"""Same inputs, same bytes (issue 17, item 11): GraphML, GEXF and the viewer page written by two
separate processes with different hash seeds (so set and dict orders differ) are identical, and
the XML ones parse with an independent parser (the standard library's)."""
from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import FIXTURE_DATA, ROOT

SCRIPT = """
import sys
from livergraph.cli import cli
out, build = sys.argv[1], sys.argv[2]
common = ["--data", sys.argv[3], "--build-dir", build]
for fmt in ("graphml", "gexf"):
    cli.main(["export", *common, "--format", fmt, "-o", f"{out}/net.{fmt}"],
             standalone_mode=False)
cli.main(["viz", *common, "-o", f"{out}/view.html"], standalone_mode=False)
"""


def _write_all(out, build, seed: str) -> dict[str, bytes]:
    out.mkdir()
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(out), str(build),
                           str(FIXTURE_DATA)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.mark.slow
def test_network_exports_are_byte_identical_across_processes(tmp_path):
    build = tmp_path / "build"
    first = _write_all(tmp_path / "a", build, "1")
    second = _write_all(tmp_path / "b", build, "987654")
    assert sorted(first) == ["net.gexf", "net.graphml", "view.html"]
    for name in first:
        assert first[name] == second[name], f"{name} differs between identical runs"
    graphml = ET.fromstring(first["net.graphml"])
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(graphml.findall(".//g:node", ns)) == 11
    gexf = ET.fromstring(first["net.gexf"])
    assert len([e for e in gexf.iter() if e.tag.endswith("}node")]) == 11
    assert b"NCT01220492" in first["view.html"]
