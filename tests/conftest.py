"""Shared test constants and fixtures. The mini fixture (tests/fixtures/mini/data) holds two
registered trials, two sponsors and one published study with two albumin measurements."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "livergraph.ttl"
DATA = ROOT / "data"
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "mini" / "data"
GOLDEN = ROOT / "tests" / "golden"
SHARED = ROOT.parent / "shared"
TERMS_CSV = SHARED / "reference" / "terms.csv"

FIXTURE_TRIALS = ("NCT01220492", "NCT05155657")
FIXTURE_RECORDS = 6              # 2 trials, 2 organizations, 1 study, 1 source
FIXTURE_ALBUMIN_48W = "33.9"     # g/L, treated arm at 48 weeks (P336D)


@pytest.fixture(scope="session")
def fixture_build():
    from livergraph.model.build import build
    return build(ONTOLOGY, FIXTURE_DATA)


@pytest.fixture
def mini_data(tmp_path) -> Path:
    """A writable copy of the mini fixture's data directory."""
    import shutil
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target
