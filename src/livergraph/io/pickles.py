"""Pickles that livergraph writes beside a published build and reads back: one loader that
refuses a file anyone but this user could have written, and one writer.

A pickle can run code when it is loaded, so a file is loaded only when this user owns it and
neither the group nor others may write it (the published build's ``graph.pickle`` and the
viewer's network views are such files); otherwise the caller falls back to the slow, safe path
(parsing the Turtle, projecting again). Writes are atomic (:func:`livergraph.io.atomic.write_bytes`).
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from livergraph.errors import UnreadableInput


def trusted(path: Path) -> bool:
    """Whether ``path`` is a regular file this user owns that no one else may write."""
    try:
        st = path.stat()
    except OSError:
        return False
    if not path.is_file():
        return False
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
        return False
    return True


def load_own(path: Path) -> Any | None:
    """The object pickled in ``path``, or None when the file is missing, not :func:`trusted`
    or unreadable (a damaged or foreign file is never an error: the caller recomputes)."""
    if not trusted(path):
        return None
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - this user's own file, checked above
    except Exception:  # noqa: BLE001 - damaged, truncated or from another version: recompute
        return None


def dump_own(path: Path, obj: Any) -> bool:
    """Pickle ``obj`` into ``path`` atomically; False (and nothing written) when the directory
    cannot be written, for example a read-only build directory."""
    from livergraph.io.atomic import write_bytes
    try:
        write_bytes(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
    except (UnreadableInput, OSError):
        return False
    return True
