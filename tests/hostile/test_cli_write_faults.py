"""A full disk and a read-only directory (issue 17, item 10), simulated in-process (the tests run
as any user, and a tiny tmpfs needs privileges): the file system call that would fail raises
ENOSPC or EROFS. Each command says what happened and that nothing was changed (exit 2), prints
no traceback, and leaves no output or temporary file behind."""
from __future__ import annotations

import errno
import os
import shutil

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_DATA, ROOT
from livergraph.cli import cli
from livergraph.io import atomic
from livergraph.registry import common

CTGOV = ROOT / "tests" / "fixtures" / "ctgov" / "NCT01220492.json"


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class _FullHandle:
    """A file handle on a full disk: every write fails with ENOSPC."""

    def __init__(self, handle):
        self._handle = handle

    def write(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("write-faults-build")


@pytest.mark.parametrize("argv,name", [
    (("query", "SELECT ?s WHERE { ?s a lg:Trial }", "--format", "csv"), "out.csv"),
    (("export", "--format", "turtle"), "out.ttl"),
    (("export", "--format", "graphml"), "out.graphml"),
    (("viz",), "out.html"),
])
def test_a_full_disk_is_a_message_and_leaves_nothing(tmp_path, build_dir, monkeypatch, argv,
                                                     name):
    runner = CliRunner()
    common_args = ["--data", str(FIXTURE_DATA), "--build-dir", str(build_dir)]
    runner.invoke(cli, ["query", *common_args, "ASK {}"])     # build first, on a working disk
    out = tmp_path / "out"
    out.mkdir()
    real_fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: _FullHandle(real_fdopen(*a, **k)))
    result = runner.invoke(cli, [argv[0], *common_args, *argv[1:], "-o", str(out / name)])
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.output and "nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert list(out.iterdir()) == []                   # no output, no temporary file


@pytest.mark.parametrize("call,error", [("fsync", errno.ENOSPC), ("link", errno.EROFS)])
def test_import_on_a_full_or_read_only_disk_changes_nothing(tmp_path, monkeypatch, call, error):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    before = _tree(data)

    def fails(*args, **kwargs):
        raise OSError(error, os.strerror(error))
    monkeypatch.setattr(common.os, call, fails)
    result = CliRunner().invoke(cli, ["import", "ctgov", str(CTGOV), "--data", str(data)])
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert os.strerror(error) in result.output and "Traceback" not in result.output
    assert {k: v for k, v in _tree(data).items()
            if not k.startswith("registry/.journal/")} == before
    if call == "link":    # failed after the commit point: the next import completes it
        assert "the next import completes this one" in result.output
    again = CliRunner().invoke(cli, ["import", "ctgov", str(CTGOV), "--data", str(data)])
    assert again.exit_code == 0, again.output
    assert not (data / "registry" / ".journal").exists()
    assert not common.sidecar(data).exists()
