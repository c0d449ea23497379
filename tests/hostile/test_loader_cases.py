"""Hostile input for the one data loader (livergraph.model.yamlio, livergraph.model.load and the
registry field parsers), run through the command line in-process (click's CliRunner).

Each case is a small file content, the command (build, validate, lint or import), the exit
code docs/exit-codes.md promises and a fragment of the message. Every case also checks that no
traceback was printed or raised and that no input file changed, byte for byte. The families
are generated: every control character, every record's ``type`` and ``id`` missing, every
numeric field given NaN/inf/huge/negative/fullwidth values, impossible dates, bad ids, YAML
structures (duplicate keys, non-text keys, alias bombs, tags), file-system faults and registry
records holding what build would refuse.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from livergraph.cli import cli
from conftest import FIXTURE_DATA, ROOT

CTGOV_FIXTURE = ROOT / "tests" / "fixtures" / "ctgov" / "wrong_type.json"
EXTRA = "trials/hostile.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    command: str                       # build | validate | lint | import
    files: dict[str, str | bytes]      # data-relative path -> content (import: the JSON study)
    exit_code: int
    fragment: str
    setup: Callable[[Path], None] | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.name


# -- the record templates ----------------------------------------------------------------------

TRIAL = ("type: Trial\nid: NCT09999990\nnctId: NCT09999990\ntitle:\n  en: {title}\n"
         "source: seed-article\n{extra}")
STUDY = """type: PublishedStudy
id: hostile-study
source: seed-article
title:
  en: Hostile study
totalParticipants: {totalParticipants}
hasArm:
- id: a
  armRole: EXPERIMENTAL
  participants: {participants}
hasMeasurement:
- id: m
  value: {value}
  arm: a
  measure: lgc:measure-albumin
  sd: {sd}
  statistic: mean
  timePoint: P0D
  unit: UO:0000175
"""
STUDY_OK = dict(totalParticipants=17, participants=17, value="28.9", sd="2.8")
COMMANDS = ("validate", "build", "lint")


def trial(title: str = "Hostile case trial", extra: str = "") -> dict[str, str | bytes]:
    return {EXTRA: TRIAL.format(title=title, extra=extra)}


def study(**values: object) -> dict[str, str | bytes]:
    return {"studies/hostile.yaml": STUDY.format(**{**STUDY_OK, **values})}


def cases() -> list[Case]:
    out: list[Case] = []
    out += control_characters()
    out += raw_bytes()
    out += missing_keys()
    out += numbers()
    out += dates()
    out += ids()
    out += yaml_structures()
    out += file_faults()
    out += registry_records()
    return out


def control_characters() -> list[Case]:
    """Every C0 control but tab and newline, DEL, every C1 control, written as YAML escapes
    (a raw one is refused by YAML itself), in a title: refused by the loader (exit 2)."""
    found = []
    points = [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0), 0xFFFE, 0xFFFF]
    for n, cp in enumerate(points):
        title = f'"control \\u{cp:04x} here"'
        found.append(Case(f"control-U+{cp:04X}", COMMANDS[n % 3], trial(title), 2,
                          f"control character U+{cp:04X}"))
    found.append(Case("lone-surrogate-escape", "validate", trial('"x \\ud800 y"'), 2,
                      "invalid Unicode character escape code"))
    found.append(Case("lone-surrogate-in-key", "lint",
                      {EXTRA: TRIAL.format(title="x", extra='"\\udc80": 1\n')}, 2,
                      "invalid Unicode character escape code"))
    found.append(Case("control-in-key", "build",
                      {EXTRA: TRIAL.format(title="x", extra='"ke\\x01y": 1\n')}, 2,
                      "control character U+0001"))
    found.append(Case("control-in-language-tag", "validate",
                      {EXTRA: TRIAL.format(title="x", extra='label: {"e\\x1bn": y}\n')}, 2,
                      "control character U+001B"))
    found.append(Case("terminal-escape-in-text", "lint",
                      trial('"\\x1b[31mred\\x1b[0m"'), 2, "control character U+001B"))
    return found


def raw_bytes() -> list[Case]:
    """Bytes that are not YAML text at all."""
    base = TRIAL.format(title="x", extra="")
    return [
        Case("raw-control-byte", "validate", {EXTRA: base.replace("x", "a\x01b", 1).encode()},
             2, "not valid YAML"),
        Case("raw-nul-byte", "lint", {EXTRA: base.encode() + b"\x00"}, 2, "not valid YAML"),
        Case("latin-1-file", "build", {EXTRA: base.replace("x", "caf\u00e9").encode("latin-1")},
             2, "not UTF-8 text"),
        Case("utf-16-file", "validate", {EXTRA: base.encode("utf-16")}, 2, "not UTF-8 text"),
        Case("invalid-utf8-sequence", "lint", {EXTRA: base.encode() + b"x: \xed\xa0\x80\n"},
             2, "not UTF-8 text"),
    ]


def _records_of(rel: str) -> list[tuple[str, str]]:
    """(file, text) of each record in a fixture file, one record a file."""
    import yaml
    content = yaml.safe_load((FIXTURE_DATA / rel).read_text(encoding="utf-8"))
    items = content if isinstance(content, list) else [content]
    from livergraph.model.lint import dump
    return [(rel, dump(item)) for item in items]


def missing_keys() -> list[Case]:
    """Every fixture record without its ``type``, then without its ``id`` (exit 1)."""
    found = []
    files = sorted(p.relative_to(FIXTURE_DATA).as_posix() for p in FIXTURE_DATA.rglob("*.yaml")
                   if "vocabulary" not in p.parts)
    for rel in files:
        for n, (_, text) in enumerate(_records_of(rel)):
            for key, fragment in (("type", "record has no 'type'"), ("id", "record has no 'id'")):
                lines = [line for line in text.splitlines(keepends=True)
                         if not line.startswith(f"{key}:")]
                name = f"no-{key}-{Path(rel).stem}-{n + 1}"
                found.append(Case(name, "build" if key == "type" else "validate",
                                  {f"extra/{Path(rel).stem}-{n + 1}.yaml": "".join(lines)}, 1,
                                  fragment))
    return found


#: (field, value as written, exit code, fragment)
NUMBER_VALUES = [
    (".nan", 1, "is not a valid"), (".inf", 1, "is not a valid"), ("-.inf", 1, "is not a valid"),
    ("1e999", 1, "is not a valid"), ("'１２'", 1, "is not a valid"), ("１２", 1, "is not a valid"),
    ("'12_000'", 1, "is not a valid"), ("12abc", 1, "is not a valid"), ("true", 1, "not a valid"),
    ("99999999999999999999999", 2, "is too large"), ("'NaN'", 1, "is not a valid"),
    ("'Infinity'", 1, "is not a valid"), ("' 12'", 1, "is not a valid"),
]


def numbers() -> list[Case]:
    found = []
    for prop in ("totalParticipants", "participants", "value", "sd"):
        for n, (value, code, fragment) in enumerate(NUMBER_VALUES):
            if prop in ("value", "sd") and value == "1e999":   # YAML reads it as text
                fragment = "is beyond the decimals SPARQL stores hold"
            found.append(Case(f"number-{prop}-{n}", COMMANDS[n % 2], study(**{prop: value}),
                              code, fragment))
        if prop in ("totalParticipants", "participants"):
            found.append(Case(f"number-{prop}-negative", "build", study(**{prop: -3}), 1,
                              "must be 0 or more"))
            found.append(Case(f"number-{prop}-fraction", "validate", study(**{prop: "1.5"}), 1,
                              "is not a valid nonNegativeInteger"))
            found.append(Case(f"number-{prop}-beyond-64-bits", "build",
                              study(**{prop: 2 ** 63}), 2, "is too large"))
    return found


def dates() -> list[Case]:
    """Impossible or foreign-digit dates in a partial-date field (exit 1)."""
    bad = ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "'2024-02-30'",
           "'２０２４-01-01'", "２０２４", "'2024-1-1'", "2024-02-30T10:00:00", "'99999-01-01'",
           "'2024-01-01\\n'"]
    found = []
    for n, value in enumerate(bad):
        if value == "'2024-01-01\\n'":
            value = '"2024-01-01\\n"'
        found.append(Case(f"date-{n}-{value}", COMMANDS[n % 3] if n % 3 < 2 else "build",
                          trial(extra=f"startDate: {value}\n"), 1,
                          "is not a valid PartialDate"))
    return found


def ids() -> list[Case]:
    """Ids that cannot become IRIs (exit 1), or hold what the loader refuses (exit 2)."""
    bad = {'"NCT09999990\\n"': (1, "may only hold letters"),
           '" NCT09999990"': (1, "may only hold letters"),
           '"NCT0999\\t9990"': (1, "may only hold letters"),
           "a/b": (1, "may only hold letters"), "'a b'": (1, "may only hold letters"),
           "''": (1, "may only hold letters"), "-x": (1, "may only hold letters"),
           "x.": (1, "may only hold letters"), "ＮＣＴ１": (1, "may only hold letters"),
           '"x\\u200b"': (1, "may only hold letters"), "'é'": (1, "may only hold letters"),
           '"x\\x01"': (2, "control character U+0001"),
           "[a, b]": (1, "may only hold letters"), "{a: b}": (1, "may only hold letters"),
           "null": (1, "record has no 'id'")}
    found = []
    for n, (value, (code, fragment)) in enumerate(bad.items()):
        text = TRIAL.format(title="x", extra="").replace("id: NCT09999990", f"id: {value}")
        command = "lint" if code == 2 else COMMANDS[n % 2]   # lint checks YAML, not the schema
        found.append(Case(f"id-{n}-{value}", command, {EXTRA: text}, code, fragment))
    return found


def yaml_structures() -> list[Case]:
    base = TRIAL.format(title="x", extra="")
    bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    bomb_text = "\n".join(bomb) + "\n"     # 10**9 strings once expanded: > 8 GB of pointers
    found = [
        Case("duplicate-top-key", "lint", {EXTRA: base + "nctId: NCT09999991\n"}, 2,
             "duplicate key 'nctId' (first at line 3)"),
        Case("duplicate-key-fix", "validate", {EXTRA: base + "source: x\n"}, 2,
             "remove one of them"),
        Case("duplicate-nested-key", "build",
             {EXTRA: base.replace("  en: x\n", "  en: x\n  en: y\n")}, 2, "duplicate key 'en'"),
        Case("duplicate-key-in-list-item", "lint",
             {EXTRA: base + "hasIntervention:\n- id: a\n  id: b\n"}, 2, "duplicate key 'id'"),
        Case("duplicate-key-names-record", "validate",
             {EXTRA: base + "nctId: NCT09999991\n"}, 2, "[NCT09999990]"),
        Case("duplicate-key-flow", "build", {EXTRA: base + "label: {en: a, en: b}\n"}, 2,
             "duplicate key 'en'"),
        Case("alias-bomb", "validate", {EXTRA: bomb_text}, 2, "expand to more than"),
        Case("alias-bomb-lint", "lint", {EXTRA: bomb_text}, 2, "expand to more than"),
        Case("alias-bomb-in-record", "build",
             {EXTRA: base + "keyword:\n" + "".join(f"  {line}\n" for line in bomb)}, 2,
             "expand to more than"),
        Case("alias-recursive", "lint", {EXTRA: base + "keyword: &k [a, *k]\n"}, 2,
             "refers to the value that holds it"),
        Case("merge-key", "validate",
             {EXTRA: base + "label: &l {en: a}\nname:\n  <<: *l\n"}, 2, "merge keys"),
        Case("tag-set", "build", {EXTRA: base + "keyword: !!set {a, b}\n"}, 2, "tag"),
        Case("tag-binary", "lint", {EXTRA: base + "keyword: !!binary aGVsbG8=\n"}, 2, "tag"),
        Case("tag-python", "validate",
             {EXTRA: base + "keyword: !!python/object/apply:os.system [ls]\n"}, 2, "tag"),
        Case("tag-omap", "build", {EXTRA: base + "keyword: !!omap [a: 1]\n"}, 2, "tag"),
        Case("tag-local", "lint", {EXTRA: base + "keyword: !foo bar\n"}, 2, "tag"),
        Case("deep-nesting", "validate", {EXTRA: base + "keyword: " + "[" * 200 + "]" * 200
                                          + "\n"}, 2, "nested more than"),
        Case("deep-block-nesting", "build",
             {EXTRA: base + "".join("  " * i + f"k{i}:\n" for i in range(80)) + "  " * 80
              + "v: 1\n"}, 2, "nested more than"),
        Case("tab-indent", "lint", {EXTRA: base + "label:\n\ten: x\n"}, 2, "not valid YAML"),
        Case("unclosed-quote", "validate", {EXTRA: base + 'keyword: "abc\n'}, 2,
             "not valid YAML"),
        Case("bad-indentation", "build", {EXTRA: base + "label:\n  en: a\n en: b\n"}, 2,
             "not valid YAML"),
        Case("two-documents", "lint", {EXTRA: base + "---\n" + base}, 2, "not valid YAML"),
        Case("scalar-document", "validate", {EXTRA: "just text\n"}, 2, "not a record"),
        Case("list-of-scalars", "build", {EXTRA: "- a\n- b\n"}, 2, "not a record"),
        Case("undefined-alias", "lint", {EXTRA: base + "keyword: *nothing\n"}, 2,
             "not valid YAML"),
    ]
    for key, kind in (("1", "int"), ("true", "bool"), ("no", "bool"), ("null", "null"),
                      ("2024-01-01", "timestamp"), ("1.5", "float"), ("~", "null")):
        found.append(Case(f"non-text-key-{key}", COMMANDS[len(found) % 3],
                          {EXTRA: base + f"{key}: x\n"}, 2, f"the key '{key}' is read as {kind}"))
    found.append(Case("non-text-key-in-label", "validate",
                      {EXTRA: base + "label:\n  no: Norwegian\n"}, 2, "quote the key: 'no'"))
    found.append(Case("complex-key", "build", {EXTRA: base + "? [a, b]\n: x\n"}, 2,
                      "a list or mapping"))
    return found


def _chmod0(data: Path) -> None:
    os.chmod(data / EXTRA, 0)


def _only_hidden_record(data: Path) -> None:
    """A data directory whose one record is in a hidden directory inside it (a backup)."""
    for path in list(data.iterdir()):
        if path.name != "vocabulary":
            shutil.rmtree(path)
    (data / ".backup").mkdir()
    (data / ".backup" / "t.yaml").write_text(TRIAL.format(title="x", extra=""))


def file_faults() -> list[Case]:
    body = TRIAL.format(title="x", extra="")
    found = [
        Case("directory-named-yaml", "validate", {},
             2, "is a directory, not a YAML file",
             setup=lambda d: (d / "trials" / "x.yaml").mkdir()),
        Case("directory-named-yaml-lint", "lint", {}, 2, "is a directory",
             setup=lambda d: (d / "trials" / "x.yaml").mkdir()),
        Case("symlink-loop", "build", {}, 2, "a loop of symbolic links",
             setup=lambda d: os.symlink("loop.yaml", d / "trials" / "loop.yaml")),
        Case("symlink-loop-pair", "lint", {}, 2, "a loop of symbolic links",
             setup=lambda d: (os.symlink("b.yaml", d / "trials" / "a.yaml"),
                              os.symlink("a.yaml", d / "trials" / "b.yaml"))),
        Case("broken-symlink", "validate", {}, 2, "does not exist",
             setup=lambda d: os.symlink("gone.yaml", d / "trials" / "link.yaml")),
        Case("directory-link-up", "build", {}, 2, "leads back into a directory",
             setup=lambda d: os.symlink("..", d / "trials" / "up")),
        Case("directory-link-up-lint", "lint", {}, 2, "leads back into a directory",
             setup=lambda d: os.symlink("..", d / "trials" / "up")),
        Case("empty-data-directory", "validate", {}, 1, "no records",
             setup=lambda d: [shutil.rmtree(p) if p.is_dir() else p.unlink()
                              for p in list(d.iterdir())]),
        Case("only-vocabulary", "build", {}, 1, "no records",
             setup=lambda d: [shutil.rmtree(p) for p in list(d.iterdir())
                              if p.name != "vocabulary"]),
        Case("record-in-hidden-dir-ignored", "validate", {}, 1, "no records",
             setup=_only_hidden_record),
    ]
    if os.geteuid() != 0:   # root reads any file
        found.append(Case("unreadable-file", "validate", {EXTRA: body}, 2, "permission denied",
                          setup=_chmod0))
    return found


def _study_json(**changes: object) -> str:
    """The ctgov fixture study with a valid count, then ``changes`` (dotted paths)."""
    study = json.loads(CTGOV_FIXTURE.read_text())
    study["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 20
    for dotted, value in changes.items():
        node = study
        *parents, last = dotted.split(".")
        for key in parents:
            node = node[key]
        node[last] = value
    return json.dumps(study, ensure_ascii=True)


def registry_records() -> list[Case]:
    """ClinicalTrials.gov records holding what build would refuse: import refuses them too
    (exit 1, the record named), and writes nothing."""
    title = "protocolSection.identificationModule.briefTitle"
    count = "protocolSection.designModule.enrollmentInfo.count"
    start = "protocolSection.statusModule.startDateStruct.date"
    nct = "protocolSection.identificationModule.nctId"
    version = "derivedSection.miscInfoModule.versionHolder"
    found = []
    for cp in (0x01, 0x08, 0x0B, 0x1B, 0x7F, 0x85, 0x9F, 0xFFFE):
        found.append(Case(f"import-control-U+{cp:04X}", "import",
                          {"study.json": _study_json(**{title: f"a{chr(cp)}b"})}, 1,
                          f"control character U+{cp:04X}"))
    for name, changes, fragment in (
            ("fullwidth-count", {count: "１２"}, "expected a count"),
            ("huge-count", {count: "9" * 30}, "expected a count"),
            ("huge-count-number", {count: 10 ** 30}, "expected a count"),
            ("negative-count", {count: -1}, "expected a count"),
            ("impossible-date", {start: "2024-02-30"}, "is not a real date"),
            ("april-31", {start: "2023-04-31"}, "is not a real date"),
            ("fullwidth-date", {start: "２０２４-01"}, "is not a date"),
            ("date-month-13", {start: "2024-13"}, "is not a date"),
            ("fullwidth-nct", {nct: "NCT０９９９９９０４"}, "NCT"),
            ("nct-trailing-newline-inside", {nct: "NCT0999\n9904"}, "NCT"),
            ("impossible-version-date", {version: "2024-02-30"}, "is not a real date")):
        found.append(Case(f"import-{name}", "import", {"study.json": _study_json(**changes)}, 1,
                          fragment))
    return found


ALL = cases()


def test_the_table_is_large_and_names_are_unique():
    assert len(ALL) >= 150
    assert len({c.name for c in ALL}) == len(ALL)
    assert {c.command for c in ALL} == {"build", "validate", "lint", "import"}


def _snapshot(top: Path) -> dict[str, bytes]:
    """Every regular file's bytes under ``top`` (links not followed: loops stay harmless)."""
    out = {}
    for dirpath, _, names in os.walk(top):
        for name in names:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            try:
                out[path.relative_to(top).as_posix()] = path.read_bytes()
            except PermissionError:
                out[path.relative_to(top).as_posix()] = b"<unreadable>"
    return out


def _inputs(data: Path, study: Path) -> tuple[dict[str, bytes], bytes | None]:
    return _snapshot(data), study.read_bytes() if study.is_file() else None


@pytest.mark.parametrize("case", ALL, ids=str)
def test_hostile_input(case: Case, tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    study = tmp_path / "study.json"
    for rel, content in case.files.items():
        target = study if case.command == "import" else data / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    if case.setup:
        case.setup(data)
    before = _inputs(data, study)
    args = {"validate": ["validate", "--root", str(ROOT), str(data)],
            "build": ["build", "--root", str(ROOT), "--data", str(data), "--build-dir",
                      str(tmp_path / "build"), "--no-reason"],
            "lint": ["lint", "--root", str(ROOT), "--data", str(data)],
            "import": ["import", "ctgov", "--root", str(ROOT), "--data", str(data),
                       str(study)]}[case.command]
    result = CliRunner().invoke(cli, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{case.name}: raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == case.exit_code, result.output
    assert case.fragment in result.output, result.output
    assert _inputs(data, study) == before, "an input file changed"
