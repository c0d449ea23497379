"""What a published build was made from, by content: the sha256 of every input file.

The inputs of a build are the ontology file, every file under the shapes and data directories
(hidden files and ``__pycache__`` skipped) and the package's own source files (a change to the
code that builds the graph changes what it builds). Named queries are not inputs: they are read
when a query runs.

Staleness is decided by content, never by modification time alone. The manifest records, for
every input file, its sha256 and its stat signature: (size, mtime_ns, ctime_ns, inode). A check
re-hashes every file whose signature differs from the recorded one and takes the recorded hash
for a file whose signature is unchanged. The signature includes the inode change time
(``ctime``), which every write to a file updates and which, unlike the modification time,
cannot be set back (``touch -d``, ``os.utime`` and ``cp -p`` leave a new ctime): so a file whose
bytes changed while its size and modification time did not is still re-hashed and found. A
file copied, restored or checked out again gets a new signature and is re-hashed, and counts as
changed only if its bytes differ. Measured on this machine (2 shared cores, load ~7): the
bundled inputs (~140 files) hash in ~5 ms; 100,000 data files of ~1.5 KB take 4-6 s to hash in
full and ~1 s to check by signature, which is why the shortcut is taken.

This module imports nothing heavy (no rdflib): readers check their build with it on every call.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

#: the groups of inputs, in the order they are listed in the manifest
GROUPS = ("ontology", "shapes", "data", "code")


def package_dir() -> Path:
    """The directory of the installed ``livergraph`` package (its source files are inputs)."""
    return Path(__file__).resolve().parents[1]


def _files_under(top: Path, *, suffix: str | None = None) -> list[tuple[str, str]]:
    """(path relative to ``top`` with '/' separators, absolute path) of every file, sorted."""
    found: list[tuple[str, str]] = []
    if top.is_file():
        return [(top.name, str(top))]
    if not top.is_dir():
        return found
    st = top.stat()
    stack = [(str(top), "", ((st.st_dev, st.st_ino),))]
    while stack:
        directory, rel, ancestors = stack.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith(".") or name == "__pycache__":
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=True)
                except OSError:   # a loop of links to links: the loader reports it
                    continue
                if is_dir:
                    dst = os.stat(entry.path)
                    key = (dst.st_dev, dst.st_ino)
                    if key in ancestors:   # a link back up: the loader reports the loop
                        continue
                    stack.append((entry.path, f"{rel}{name}/", ancestors + (key,)))
                elif entry.is_file(follow_symlinks=True) and \
                        (suffix is None or name.endswith(suffix)):
                    found.append((rel + name, entry.path))
    found.sort()
    return found


def sha256_file(path: str | Path) -> str:
    """The hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Inputs:
    """Where a build's inputs are: the ontology file and the shapes and data directories."""

    root: Path
    ontology: Path
    shapes: Path
    data: Path

    @staticmethod
    def _name(group: str, rel: str) -> str:
        """How a file is named in the manifest and in messages: its group's directory and its
        path inside it (``data/trials/NCT01220492.yaml``, ``shapes/trial.ttl``,
        ``livergraph/model/build.py``), whatever the project's location, so that the same
        content in another checkout is the same input."""
        return ("livergraph" if group == "code" else group) + "/" + rel

    def listing(self) -> dict[str, list[tuple[str, str]]]:
        """group -> [(name, absolute path)] of every input file."""
        return {
            "ontology": [(self._name("ontology", self.ontology.name), str(self.ontology))]
            if self.ontology.is_file() else [],
            "shapes": [(self._name("shapes", r), p) for r, p in _files_under(self.shapes)],
            "data": [(self._name("data", r), p) for r, p in _files_under(self.data)],
            "code": [(self._name("code", r), p)
                     for r, p in _files_under(package_dir(), suffix=".py")],
        }

    def hashes(self) -> dict[str, dict[str, str]]:
        """group -> {name: sha256 of the file's bytes}, every file hashed."""
        return self.scan()[0]

    def scan(self, known: dict[str, dict[str, str]] | None = None,
             signatures: dict[str, dict[str, list[int]]] | None = None) \
            -> tuple[dict[str, dict[str, str]], dict[str, dict[str, list[int]]]]:
        """(hashes, signatures) of every input file: group -> {name: sha256} and group ->
        {name: [size, mtime_ns, ctime_ns, inode]}. A file whose signature equals the one in
        ``signatures`` keeps its hash from ``known``; every other file is hashed."""
        known, signatures = known or {}, signatures or {}
        hashes: dict[str, dict[str, str]] = {}
        stats: dict[str, dict[str, list[int]]] = {}
        for group, files in self.listing().items():
            hashes[group], stats[group] = {}, {}
            old_hashes, old_stats = known.get(group, {}), signatures.get(group, {})
            for name, path in files:
                st = os.stat(path)
                signature = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
                stats[group][name] = signature
                if old_stats.get(name) == signature and name in old_hashes:
                    hashes[group][name] = old_hashes[name]
                else:
                    hashes[group][name] = sha256_file(path)
        return hashes, stats


def changes(recorded: dict[str, dict[str, str]], current: dict[str, dict[str, str]]) -> list[str]:
    """What differs between two ``hashes()`` results, one phrase per file, sorted:
    ``data/x.yaml changed``, ``data/y.yaml added``, ``data/z.yaml removed``."""
    found = []
    for group in GROUPS:
        old, new = recorded.get(group, {}), current.get(group, {})
        for name in sorted(set(old) | set(new)):
            if name not in old:
                found.append(f"{name} added")
            elif name not in new:
                found.append(f"{name} removed")
            elif old[name] != new[name]:
                found.append(f"{name} changed")
    return found


def describe_changes(found: list[str]) -> str:
    """One short phrase for a list of changes: the first, and how many more."""
    if not found:
        return "nothing changed"
    more = len(found) - 1
    return found[0] + (f" (and {more} more input file{'s' if more > 1 else ''})" if more else "")
