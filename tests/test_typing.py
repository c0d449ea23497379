"""`mypy --strict` on the public API: the package entry point, the model, validation and
reasoning entry points and the compatibility module report no error (the settings are in
pyproject.toml's [tool.mypy]: the modules these import are read for their types only)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

PUBLIC_API = [
    "src/livergraph/__init__.py",
    "src/livergraph/compat.py",
    "src/livergraph/model/__init__.py",
    "src/livergraph/model/build.py",
    "src/livergraph/validate/__init__.py",
    "src/livergraph/validate/shacl.py",
    "src/livergraph/validate/report.py",
    "src/livergraph/reason/__init__.py",
    "src/livergraph/reason/hermit.py",
    "src/livergraph/reason/explain.py",
    "src/livergraph/model/load.py",
    "src/livergraph/model/lint.py",
    "src/livergraph/model/description.py",
    "src/livergraph/io/turtle.py",
]


@pytest.mark.slow
def test_the_public_api_is_clean_under_mypy_strict():
    pytest.importorskip("mypy")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    run = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                          "--config-file", str(ROOT / "pyproject.toml"), *PUBLIC_API],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0 and "Success: no issues found" in run.stdout, \
        run.stdout + run.stderr
    assert f"in {len(PUBLIC_API)} source files" in run.stdout
