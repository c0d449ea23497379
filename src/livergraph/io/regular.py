"""Reading an input file that is a regular file: a FIFO, a device, a socket or a directory given
where a file is expected is refused at once with a message (reading a FIFO would wait forever,
a device such as /dev/zero would never end)."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from livergraph.errors import UnreadableInput

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def require_regular(path: Path, what: str = "file") -> None:
    """UnreadableInput unless ``path`` (after symbolic links) is an existing regular file."""
    try:
        mode = os.stat(path).st_mode
    except ValueError:                    # an embedded NUL character
        raise UnreadableInput(f"the {what} name holds a NUL character", file=repr(str(path)),
                              hint="give the file's real name") from None
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise UnreadableInput("file not found", file=str(path)) from None
        raise UnreadableInput(f"cannot read the {what}: {exc.strerror or exc}",
                              file=str(path)) from None
    for test, kind in _KINDS:
        if test(mode):
            raise UnreadableInput(f"the {what} is {kind}, not a regular file", file=str(path),
                                  hint="give a regular file (save the data to a file first)")


def read_text(path: Path, what: str = "file") -> str:
    """The UTF-8 text of a regular file, or UnreadableInput naming the file and the problem."""
    require_regular(path, what)
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"the {what} is not UTF-8 text (byte {exc.start})",
                              file=str(path), hint="save it as UTF-8") from None
    except OSError as exc:
        raise UnreadableInput(f"cannot read the {what}: {exc.strerror or exc}",
                              file=str(path)) from None
