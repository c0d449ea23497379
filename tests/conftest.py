"""Shared test constants and fixtures, and the test tiers.

The mini fixture (tests/fixtures/mini/data) holds two registered trials, two sponsors and one
published study with two albumin measurements.

Tiers (markers declared in pyproject.toml), applied here so no test file has to carry them:

- ``browser``: every test in test_browser.py; ``server``: every test in test_server.py;
- ``java``: tests that start Java for the HermiT reasoner — those with a skip condition naming
  Java or HermiT, and those listed in tests/java_tests.txt (recorded: see below);
- ``slow``: tests listed in tests/slow_tests.txt (recorded: more than 0.6 CPU seconds or 5
  wall seconds of their own), tests using a fixture listed there, and every java, browser and server test, so that
  ``python -m pytest -m "not slow"`` is the fast tier for the edit-test loop.

Refresh both lists after adding or speeding up tests (the whole suite, about 10 minutes):
``python -m pytest -n 0 --record-tiers``. Running part of the suite with --record-tiers updates the
entries of the tests that ran and keeps the others.
"""
from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "livergraph.ttl"
DATA = ROOT / "data"
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "mini" / "data"
GOLDEN = ROOT / "tests" / "golden"
#: the shared source material beside the repository (LIVERGRAPH_SHARED points elsewhere, e.g.
#: from a git worktree); tests that need it skip when it is absent
SHARED = Path(os.environ.get("LIVERGRAPH_SHARED") or ROOT.parent / "shared")
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


# ---------------------------------------------------------------------------------------------
# Test tiers
# ---------------------------------------------------------------------------------------------

SLOW_LIST = ROOT / "tests" / "slow_tests.txt"
JAVA_LIST = ROOT / "tests" / "java_tests.txt"
#: a test (or fixture) is slow when its own work takes more CPU seconds than this (steady on a
#: shared machine: CPU time of this process, its threads and the children it waited for) ...
SLOW_CPU_SECONDS = 0.6
#: ... or more wall seconds than this (waiting: sleeps, servers, timeouts)
SLOW_WALL_SECONDS = 5.0
BY_FILE = {"test_browser.py": "browser", "test_server.py": "server"}
NEEDS_JAVA = re.compile(r"\bjava\b|hermit", re.IGNORECASE)


def read_tier_list(path: Path) -> tuple[set[str], set[str]]:
    """(test node ids, fixture ids) listed in a tier file. A fixture id is
    ``fixture <file-or-dir>::<name>`` (the file or directory that defines it); ``#`` starts
    a comment."""
    tests: set[str] = set()
    fixtures: set[str] = set()
    if not path.is_file():
        return tests, fixtures
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry.startswith("fixture "):
            fixtures.add(entry.removeprefix("fixture ").strip())
        elif entry:
            tests.add(entry)
    return tests, fixtures


def fixture_id(fixturedef) -> str:
    """How a tier file names a fixture: where it is defined, then its name."""
    base = fixturedef.baseid.split("::", 1)[0] or "tests"
    return f"{base}::{fixturedef.argname}"


def used_fixture_ids(item) -> set[str]:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return set()
    return {fixture_id(defs[-1]) for defs in info.name2fixturedefs.values() if defs}


def skip_reasons(item) -> str:
    return " ".join(str(m.kwargs.get("reason", "")) for m in item.iter_markers("skipif"))


def pytest_addoption(parser):
    parser.addoption("--record-tiers", action="store_true",
                     help="measure the tests that run and rewrite tests/slow_tests.txt and "
                          "tests/java_tests.txt for them (livergraph's tiers)")


def pytest_collection_modifyitems(config, items):
    slow_tests, slow_fixtures = read_tier_list(SLOW_LIST)
    java_tests, java_fixtures = read_tier_list(JAVA_LIST)
    for item in items:
        fixtures = used_fixture_ids(item)
        markers = set()
        tier = BY_FILE.get(item.path.name)
        if tier:
            markers.add(tier)
        if (item.nodeid in java_tests or fixtures & java_fixtures
                or NEEDS_JAVA.search(skip_reasons(item))):
            markers.add("java")
        if markers or item.nodeid in slow_tests or fixtures & slow_fixtures:
            markers.add("slow")
        for name in sorted(markers):
            item.add_marker(name)


# --- recording (--record-tiers) --------------------------------------------------------------

def _clock() -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and of the children it has waited for)."""
    import resource
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), time.process_time() + children.ru_utime + children.ru_stime


class TierRecorder:
    """Times every test's own work and every wider-scoped fixture's set-up (wall and CPU), and
    notes which of them start Java (a ``java`` process launched by this process, a thread or a
    forked child; the launches are appended to a file so forked children report too)."""

    def __init__(self, java_log: Path):
        self.java_log = java_log
        self.current = "?"                                  # the test or fixture now running
        self.cost: dict[str, list[float]] = {}              # entry -> [wall, cpu] of its own
        self.ran: set[str] = set()                          # entries measured in this session
        self._popen_init = subprocess.Popen.__init__

    def add(self, entry: str, wall: float, cpu: float) -> None:
        cost = self.cost.setdefault(entry, [0.0, 0.0])
        cost[0] += wall
        cost[1] += cpu
        self.ran.add(entry)

    def slow(self) -> set[str]:
        return {e for e, (wall, cpu) in self.cost.items()
                if cpu > SLOW_CPU_SECONDS or wall > SLOW_WALL_SECONDS}

    def install(self) -> None:
        recorder, original = self, self._popen_init

        def init(popen, args, *a, **kw):
            program = args if isinstance(args, (str, bytes, os.PathLike)) else (list(args) or [""])[0]
            words = os.fsdecode(program).split()
            if words and os.path.basename(words[0]) in ("java", "java.exe"):
                with open(recorder.java_log, "a", encoding="utf-8") as log:
                    log.write(recorder.current + "\n")
            original(popen, args, *a, **kw)

        subprocess.Popen.__init__ = init  # type: ignore[method-assign]

    def uninstall(self) -> None:
        subprocess.Popen.__init__ = self._popen_init  # type: ignore[method-assign]

    def java_users(self) -> set[str]:
        if not self.java_log.is_file():
            return set()
        return set(self.java_log.read_text(encoding="utf-8").split("\n")) - {"", "?"}


def pytest_configure(config):
    if config.getoption("--record-tiers", default=False):
        workers = getattr(config.option, "numprocesses", None)
        if workers not in (None, 0) and not hasattr(config, "workerinput"):
            raise pytest.UsageError("--record-tiers times each test alone, in one process: "
                                    "add -n 0 (python -m pytest -n 0 --record-tiers)")
        import tempfile
        log = Path(tempfile.gettempdir()) / f"livergraph-tiers-java-{os.getpid()}.log"
        log.unlink(missing_ok=True)
        recorder = TierRecorder(log)
        recorder.install()
        config._livergraph_tiers = recorder


def _recorder(config) -> TierRecorder | None:
    return getattr(config, "_livergraph_tiers", None)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    recorder = _recorder(request.config)
    if recorder is None or fixturedef.scope == "function":
        yield
        return
    outer = recorder.current
    entry = "fixture " + fixture_id(fixturedef)
    recorder.current = entry
    wall0, cpu0 = _clock()
    yield
    wall1, cpu1 = _clock()
    recorder.current = outer
    recorder.add(entry, wall1 - wall0, cpu1 - cpu0)
    # the set-up belongs to the fixture, not to the first test that happened to ask for it
    if not outer.startswith("fixture ") and outer != "?":
        recorder.add(outer, wall0 - wall1, cpu0 - cpu1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    recorder = _recorder(item.config)
    if recorder is None:
        yield
        return
    recorder.current = item.nodeid
    wall0, cpu0 = _clock()
    yield
    wall1, cpu1 = _clock()
    recorder.add(item.nodeid, wall1 - wall0, cpu1 - cpu0)
    recorder.current = "?"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    recorder = _recorder(config)
    if recorder is None:
        return
    fast = [cpu for e, (_, cpu) in recorder.cost.items()
            if not e.startswith("fixture ") and e not in recorder.slow()]
    terminalreporter.write_line(
        f"--record-tiers: {len(recorder.slow())} slow entries; the {len(fast)} other tests took "
        f"{sum(fast):.0f} CPU s; tests/slow_tests.txt and tests/java_tests.txt rewritten")


def pytest_sessionfinish(session, exitstatus):
    recorder = _recorder(session.config)
    if recorder is None:
        return
    recorder.uninstall()
    java = recorder.java_users()
    recorder.java_log.unlink(missing_ok=True)
    write_tier_list(SLOW_LIST, recorder.slow(), recorder.ran, recorder.cost,
                    f"Tests and fixtures taking more than {SLOW_CPU_SECONDS:g} CPU s or "
                    f"{SLOW_WALL_SECONDS:g} wall s on their own (marked slow by tests/conftest.py).")
    write_tier_list(JAVA_LIST, java, recorder.ran, recorder.cost,
                    "Tests and fixtures that start Java for the HermiT reasoner (marked java "
                    "and slow by tests/conftest.py).")


def write_tier_list(path: Path, found: set[str], ran: set[str],
                    cost: dict[str, list[float]], what: str) -> None:
    """Keep the entries of what did not run, replace those of what ran, sorted, with their
    cost as measured."""
    tests, fixtures = read_tier_list(path)
    old = {line.split("#", 1)[0].strip(): line.strip()
           for line in (path.read_text(encoding="utf-8").splitlines() if path.is_file() else [])
           if line.strip() and not line.startswith("#")}
    kept = {e for e in tests | {"fixture " + f for f in fixtures} if e not in ran}
    lines = [f"# {what}",
             "# Generated: refresh with `python -m pytest -n 0 --record-tiers` (the whole suite, or "
             "some test files to update theirs).",
             "# Seconds (wall, and CPU where measured) when recorded, on a shared 2-core machine."]
    for entry in sorted(kept | found):
        if entry in cost:
            wall, cpu = cost[entry]
            lines.append(f"{entry}  # {wall:.1f} s, {cpu:.1f} CPU s")
        else:
            lines.append(old.get(entry, entry))
    from livergraph.io.atomic import write_atomic
    text = "\n".join(lines) + "\n"
    write_atomic(path, lambda handle: handle.write(text))
