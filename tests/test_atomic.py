"""The one output writer: atomic, refuses non-regular targets and the command's own inputs."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from livergraph.errors import UnreadableInput
from livergraph.io.atomic import protect, write_atomic, write_bytes


def test_writes_and_replaces_a_regular_file(tmp_path):
    target = tmp_path / "out" / "a.ttl"
    write_atomic(target, lambda h: h.write("one\n"))
    write_atomic(target, lambda h: h.write("two\n"))
    assert target.read_text() == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.ttl"]     # no temporary left
    write_bytes(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"


def test_a_failing_writer_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "a.ttl"
    target.write_text("precious\n")

    def boom(handle):
        handle.write("half")
        raise RuntimeError("interrupted")
    with pytest.raises(RuntimeError):
        write_atomic(target, boom)
    assert target.read_text() == "precious\n"
    assert os.listdir(tmp_path) == ["a.ttl"]


def test_a_full_disk_is_a_message_not_a_traceback(tmp_path):
    target = tmp_path / "a.ttl"
    target.write_text("precious\n")

    def full(handle):
        raise OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(UnreadableInput) as err:
        write_atomic(target, full)
    assert "No space left on device" in str(err.value) and "nothing was changed" in str(err.value)
    assert target.read_text() == "precious\n"


@pytest.mark.parametrize("kind", ["fifo", "symlink", "directory", "device"])
def test_refuses_a_target_that_is_not_a_regular_file(tmp_path, kind):
    target = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "real.ttl").write_text("kept\n")
        target.symlink_to(tmp_path / "real.ttl")
    elif kind == "directory":
        target.mkdir()
    else:
        target = Path("/dev/null")
    with pytest.raises(UnreadableInput) as err:
        write_atomic(target, lambda h: h.write("x"))
    words = {"fifo": "a FIFO", "symlink": "a symbolic link", "directory": "a directory",
             "device": "a device"}
    assert f"the output is {words[kind]}, not a regular file" in str(err.value)
    if kind == "symlink":
        assert target.is_symlink() and (tmp_path / "real.ttl").read_text() == "kept\n"


def test_refuses_to_overwrite_an_input_of_the_command(tmp_path):
    data = tmp_path / "data"
    (data / "trials").mkdir(parents=True)
    record = data / "trials" / "NCT1.yaml"
    record.write_text("id: NCT1\n")
    ontology = tmp_path / "ontology.ttl"
    ontology.write_text("# the ontology\n")
    with protect([data, ontology]):
        for target in (record, ontology, data / "new.ttl"):
            with pytest.raises(UnreadableInput) as err:
                write_atomic(target, lambda h: h.write("x"))
            assert "would overwrite an input of this command" in str(err.value)
        write_atomic(tmp_path / "out.ttl", lambda h: h.write("ok\n"))   # elsewhere is fine
    assert record.read_text() == "id: NCT1\n" and ontology.read_text() == "# the ontology\n"
    write_atomic(tmp_path / "ontology.ttl", lambda h: h.write("x\n"))   # protection ended
