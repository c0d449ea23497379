"""Query output for people (issue 19), one test per "Why" it answers, on the mini fixture:

* spreadsheets: `query --format csv` wrote IRIs and ignored --lang -> labels by default in every
  table format, --ids for CURIEs, the W3C formats kept as json/xml/sparql-csv/sparql-tsv;
* --lang zh-Hans honoured in every table format and accepted by the other commands;
* terminals: 22 of 28 named-query tables wider than 100 columns -> fitted to the terminal with a
  hint on stderr, plain and complete when piped;
* parameters: `-p study=fu-2018` returned 0 rows -> typed parameters, unprefixed ids resolved,
  did-you-mean errors naming the valid values and the declared parameters;
* long work showed no progress -> one progress module, silent unless stderr is a terminal.
"""
from __future__ import annotations

import io

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import FIXTURE_DATA, FIXTURE_TRIALS, ROOT

from livergraph.cli import cli
from livergraph.errors import LivergraphError
from livergraph.namespaces import PREFIXES
from livergraph.query.render import text_width

TRIAL_A, TRIAL_B = FIXTURE_TRIALS
SPONSORS = ("SELECT ?trial ?sponsor ?status WHERE { ?trial lg:leadSponsor ?sponsor ; "
            "lg:status ?status } ORDER BY ?trial")


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("query-ux-build")


@pytest.fixture
def query(build_dir):
    def invoke(*args, env=None):
        argv = ["query", "--root", str(ROOT), "--data", str(FIXTURE_DATA), "--build-dir",
                str(build_dir), *map(str, args)]
        return CliRunner().invoke(cli, argv, catch_exceptions=False, env=env)
    return invoke


# -- 1. labels by default in every table format; the W3C formats unchanged ----------------------

def test_csv_and_tsv_show_labels_by_default_and_curies_with_ids(query, tmp_path):
    csv_out = query(SPONSORS, "--format", "csv")
    assert csv_out.exit_code == 0, csv_out.output
    assert csv_out.stdout_bytes.decode("utf-8").split("\r\n")[:3] == [
        "trial,sponsor,status",
        f"{TRIAL_A},Beijing 302 Hospital,completed",
        f"{TRIAL_B},Yantai Yuhuangding Hospital,recruiting"]
    assert b"https://" not in csv_out.stdout_bytes
    target = tmp_path / "sponsors.csv"              # the suffix alone gives the same table
    assert query(SPONSORS, "-o", target).exit_code == 0
    assert target.read_bytes() == csv_out.stdout_bytes
    tsv = query(SPONSORS, "--format", "tsv").stdout_bytes.decode("utf-8")
    assert tsv.split("\r\n")[1] == f"{TRIAL_A}\tBeijing 302 Hospital\tcompleted"
    ids = query(SPONSORS, "--format", "csv", "--ids").stdout_bytes.decode("utf-8")
    assert ids.split("\r\n")[1] == (f"trial:{TRIAL_A},org:beijing-302-hospital,"
                                    "lgc:status-COMPLETED")


def test_w3c_result_formats_keep_iris_and_say_lang_does_not_apply(query):
    w3c = query(SPONSORS, "--format", "sparql-csv", "--lang", "zh")
    assert w3c.exit_code == 0
    assert w3c.stdout.splitlines()[1] == (
        f"{PREFIXES['trial']}{TRIAL_A},{PREFIXES['org']}beijing-302-hospital,"
        f"{PREFIXES['lgc']}status-COMPLETED")
    assert "--lang does not apply to sparql-csv" in w3c.stderr
    as_json = query(SPONSORS, "--format", "json", "--lang", "zh")
    assert '"value":"https://w3id.org/livergraph/id/org/beijing-302-hospital"' in as_json.stdout
    assert "北京" not in as_json.stdout
    tsv = query(SPONSORS, "--format", "sparql-tsv").stdout
    assert tsv.splitlines()[0] == "?trial\t?sponsor\t?status"


def test_table_options_refuse_machine_formats(query):
    result = query(SPONSORS, "--format", "json", "--ids")
    assert result.exit_code == 2
    assert "--columns and --ids shape a table for people (table, csv, tsv, xlsx), not json" \
        in result.output
    to_stdout = query(SPONSORS, "--format", "xlsx")
    assert to_stdout.exit_code == 2 and "add -o FILE.xlsx" in to_stdout.output


def test_a_workbook_and_only_a_workbook_goes_to_an_xlsx_file(query, tmp_path):
    text_in_xlsx = query(SPONSORS, "--format", "csv", "-o", tmp_path / "a.xlsx")
    assert text_in_xlsx.exit_code == 2
    assert "--format csv cannot be written to a.xlsx" in text_in_xlsx.output
    workbook_in_csv = query(SPONSORS, "--format", "xlsx", "-o", tmp_path / "a.csv")
    assert workbook_in_csv.exit_code == 2
    assert not (tmp_path / "a.xlsx").exists() and not (tmp_path / "a.csv").exists()
    excel = query(SPONSORS, "--excel", "-o", tmp_path / "b.xlsx")    # --excel: a workbook too
    assert excel.exit_code == 0 and (tmp_path / "b.xlsx").read_bytes()[:2] == b"PK"


def test_rows_to_csv_with_lang_is_what_the_command_writes(query, build_dir):
    import livergraph
    kg = livergraph.open(FIXTURE_DATA, root=ROOT, build_dir=build_dir)
    rows = kg.query(SPONSORS)
    for lang in ("en", "zh", "zh-Hans"):
        cli_bytes = query(SPONSORS, "--format", "csv", "--lang", lang).stdout_bytes
        assert rows.to_csv(lang=lang).encode("utf-8") == cli_bytes
    # without a language: the values themselves, for programs
    assert rows.to_csv().splitlines()[1].startswith(PREFIXES["trial"] + TRIAL_A + ",")


# -- 2. --lang en|zh|zh-Hans in every table format --------------------------------------------

@pytest.mark.parametrize("lang,sponsor,status", [("en", "Beijing 302 Hospital", "completed"),
                                                 ("zh", "北京302醫院", "已完成"),
                                                 ("zh-Hans", "北京302医院", "已完成")])
def test_lang_is_honoured_in_table_csv_tsv_and_xlsx(query, tmp_path, lang, sponsor, status):
    for fmt in ("table", "csv", "tsv"):
        out = query(SPONSORS, "--format", fmt, "--lang", lang)
        assert out.exit_code == 0, out.output
        assert sponsor in out.stdout and status in out.stdout, (fmt, out.stdout)
    target = tmp_path / f"sponsors-{lang}.xlsx"
    assert query(SPONSORS, "-o", target, "--lang", lang).exit_code == 0
    sheet = openpyxl.load_workbook(target).active
    assert [c.value for c in sheet[2]] == [TRIAL_A, sponsor, status]


def test_other_commands_accept_zh_hans(build_dir):
    for command in ("stats", "viz", "export"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert "zh-Hans" in result.output, command
    from livergraph.viz.styles import in_language
    assert in_language("trial", "試驗", "zh-Hans") == "试验"
    assert in_language("trial", "試驗", "zh") == "試驗"
    import livergraph
    kg = livergraph.open(FIXTURE_DATA, root=ROOT, build_dir=build_dir)
    labels = {lang: {d.get("label") for _, d in kg.network(lang).nodes(data=True)}
              for lang in ("zh", "zh-Hans")}
    assert "北京302醫院" in labels["zh"] and "北京302医院" in labels["zh-Hans"]
    assert "烟台毓璜顶医院" in labels["zh-Hans"] and "煙臺毓璜頂醫院" not in labels["zh-Hans"]


# -- 3. terminal tables fitted to the width, a hint on stderr -----------------------------------

@pytest.mark.parametrize("width", [60, 80, 120])
def test_seed_errors_fits_the_terminal_with_a_hint(query, monkeypatch, width):
    monkeypatch.setattr("livergraph.io.tables.stdout_width", lambda: width)
    monkeypatch.setattr("livergraph.io.tables._terminal_height", lambda: 24)
    result = query("--name", "seed-errors")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(text_width(line) for line in lines) <= width
    assert lines[-1] == "(2 rows)"
    # squeezed into the width: the stderr line says how to see it all
    assert "2 rows: pipe to `less -S`, or use --columns a,b,c / -o out.xlsx" in result.stderr


def test_piped_table_is_plain_and_complete(query):
    result = query("--name", "seed-errors")
    lines = result.stdout.splitlines()
    assert max(text_width(line) for line in lines) > 200      # nothing cut when piped
    assert "machine translation of the registry status Completed (已完成)." in result.stdout
    assert "less -S" not in result.stderr
    assert query("--name", "seed-errors").stdout == result.stdout       # deterministic


def test_the_terminal_width_comes_from_columns_only_on_a_terminal(monkeypatch):
    import sys

    from livergraph.io.tables import stdout_width
    monkeypatch.setenv("COLUMNS", "72")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert stdout_width() == 72
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    assert stdout_width() is None


def test_long_cells_are_cut_and_said_so():
    from livergraph.io.tables import CELL_LIMIT, to_terminal
    text, hint = to_terminal(["a", "b"], [["x" * 500, "y"]], width=80, height=100,
                             with_hint=True)
    assert "…" in text and text.count("x") == CELL_LIMIT - 1
    assert hint == "1 row; long cells cut short: pipe to `less -S`, or use --columns a,b,c / " \
                   "-o out.xlsx"
    _, none = to_terminal(["a", "b"], [["x", "y"]], width=80, height=100, with_hint=True)
    assert none is None


# -- 4. typed named-query parameters ----------------------------------------------------------

def test_unprefixed_study_id_is_resolved_and_said_so(query):
    result = query("--name", "study-measurements", "-p", "study=fixture-study",
                   "--columns", "measure,value", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "note: -p study=fixture-study: read as study:fixture-study (a published study)" \
        in result.stderr
    assert result.stdout_bytes.decode().split("\r\n")[1:3] == ["serum albumin,28.9",
                                                               "serum albumin,33.9"]


def test_unknown_study_gets_did_you_mean_and_the_valid_values(query):
    result = query("--name", "study-measurements", "-p", "study=fixture-stduy")
    assert result.exit_code == 2
    assert ("no published study 'fixture-stduy' in the published graph; did you mean "
            "study:fixture-study?") in result.output
    assert "valid values of study: study:fixture-study" in result.output
    assert "Traceback" not in result.output
    prefixed = query("--name", "study-measurements", "-p", "study=study:fu-2019")
    assert prefixed.exit_code == 2 and "no published study 'study:fu-2019'" in prefixed.output


def test_unknown_and_missing_parameters_are_named(query, tmp_path):
    unknown = query("--name", "study-measurements", "-p", "stduy=fixture-study")
    assert unknown.exit_code == 2
    assert "the named query 'study-measurements' has no parameter 'stduy'; did you mean " \
           "'study'?" in unknown.output
    assert "its parameters: study (lg:PublishedStudy, optional)" in unknown.output


def test_a_bare_id_in_an_ad_hoc_query_is_pointed_at_its_curie(query):
    q = "SELECT ?status WHERE { ?trial lg:status ?status }"
    bare = query(q, "-p", f"trial={TRIAL_A}")
    assert bare.exit_code == 0 and bare.stdout.splitlines()[-1] == "(0 rows)"
    assert (f'note: -p trial={TRIAL_A} is bound as the text "{TRIAL_A}", which names no record; '
            f"did you mean trial:{TRIAL_A}?") in bare.stderr
    curie = query(q, "-p", f"trial=trial:{TRIAL_A}")
    assert "completed" in curie.stdout and "note:" not in curie.stderr


def test_declared_types_are_read_and_checked(tmp_path):
    from livergraph.query.named import parse_named, problems
    from livergraph.query.params import resolve
    path = tmp_path / "by-status.rq"
    path.write_text("# Trials of a status after a day\n"
                    "# scope: data\n"
                    "# param: status (lgc:scheme-status) — the registry status\n"
                    "# param: days (integer) — the time point\n"
                    "# param: note (text) — any text\n"
                    "SELECT ?t WHERE { ?t lg:status ?status }\n", encoding="utf-8")
    nq = parse_named(path)
    assert [p.describe() for p in nq.typed] == ["status (lgc:scheme-status, required)",
                                                "days (integer, required)",
                                                "note (text, required)"]
    assert nq.fields == {"scope": "data"} and "scope" not in nq.description
    assert problems(nq) == []
    with pytest.raises(LivergraphError) as missing:
        resolve(nq, {"status": "COMPLETED"}, None, PREFIXES)
    assert "needs the parameters 'days', 'note'" in str(missing.value)
    with pytest.raises(LivergraphError) as bad_number:
        resolve(nq, {"status": "lgc:status-COMPLETED", "days": "48w", "note": "x"}, None,
                PREFIXES)
    assert "-p days=48w: not an integer" in str(bad_number.value)
    terms, _ = resolve(nq, {"status": "lgc:status-COMPLETED", "days": "336",
                            "note": "trial:x"}, None, PREFIXES)
    assert str(terms["days"]) == '"336"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert str(terms["note"]) == '"trial:x"'                 # text stays text, never an IRI


def test_scheme_terms_resolve_against_the_published_graph(build_dir):
    import livergraph
    from livergraph.query.named import parse_named
    from livergraph.query.params import resolve
    kg = livergraph.open(FIXTURE_DATA, root=ROOT, build_dir=build_dir)
    path = build_dir.parent / "status.rq"
    path.write_text("# s\n# param: status (lgc:scheme-status) — a status\n"
                    "SELECT ?t WHERE { ?t lg:status ?status }\n", encoding="utf-8")
    nq = parse_named(path)
    terms, notes = resolve(nq, {"status": "status-COMPLETED"}, kg.store, kg.prefixes)
    assert terms["status"].value == PREFIXES["lgc"] + "status-COMPLETED"
    assert notes == ["-p status=status-COMPLETED: read as lgc:status-COMPLETED (a status)"]
    with pytest.raises(LivergraphError) as err:
        resolve(nq, {"status": "status-COMPLETD"}, kg.store, kg.prefixes)
    assert "did you mean lgc:status-COMPLETED?" in str(err.value)


def test_library_named_query_gets_the_same_checks(build_dir):
    import livergraph
    kg = livergraph.open(FIXTURE_DATA, root=ROOT, build_dir=build_dir)
    rows = kg.named_query("study-measurements", study="fixture-study")
    assert sorted(str(v) for v in rows.column("value")) == ["28.9", "33.9"]
    with pytest.raises(LivergraphError) as err:
        kg.named_query("study-measurements", study="fixture-stduy")
    assert "did you mean study:fixture-study?" in str(err.value)
    assert err.value.exit_code == 2
    with pytest.raises(LivergraphError, match="has no parameter 'trial'"):
        kg.named_query("study-measurements", trial="x")


# -- 5. progress bars --------------------------------------------------------------------------

def test_progress_is_silent_off_a_terminal_and_renders_when_forced(monkeypatch):
    from livergraph.io import progress
    monkeypatch.delenv("LIVERGRAPH_PROGRESS", raising=False)
    progress.configure(quiet=False)
    quiet_stream = io.StringIO()
    with progress.bar("importing", total=3, unit="records", stream=quiet_stream) as bar:
        for _ in range(3):
            bar.advance()
    assert quiet_stream.getvalue() == "" and not bar.drawn
    shown = io.StringIO()
    with progress.bar("importing", total=3, unit="records", stream=shown, force=True) as bar:
        assert bar.drawn
        for _ in range(3):
            bar.advance()
    assert "importing" in shown.getvalue() and "3/3 records" in shown.getvalue()
    monkeypatch.setenv("LIVERGRAPH_PROGRESS", "1")
    progress.configure(quiet=True)                        # --quiet wins over the environment
    assert not progress.enabled(io.StringIO())
    progress.configure(quiet=False)
    assert progress.enabled(io.StringIO())


def test_import_shows_progress_only_when_asked(mini_data):
    sample = ROOT / "tests" / "fixtures" / "ctgov" / "NCT01220492.json"
    argv = ["import", "ctgov", "--root", str(ROOT), "--data", str(mini_data), "--dry-run",
            str(sample)]
    plain = CliRunner().invoke(cli, argv, env={"LIVERGRAPH_PROGRESS": ""})
    assert plain.exit_code == 0, plain.output
    assert "importing" not in plain.stderr
    forced = CliRunner().invoke(cli, argv, env={"LIVERGRAPH_PROGRESS": "1"})
    assert "importing" in forced.stderr and "bytes read" in forced.stderr
    quiet = CliRunner().invoke(cli, [*argv[:2], "--quiet", *argv[2:]],
                               env={"LIVERGRAPH_PROGRESS": "1"})
    assert "importing" not in quiet.stderr
    assert quiet.stdout == plain.stdout                    # the report itself is the same


def test_fetch_shows_pages_of_studies_only_when_asked(tmp_path):
    from test_fetch import CONDITION, INTERVENTION, Registry
    with Registry() as reg:
        def fetch(*extra, env):
            return CliRunner().invoke(cli, [
                "fetch", "ctgov", "--root", str(ROOT), "--condition", CONDITION,
                "--intervention", INTERVENTION, "--base-url", reg.base_url, "-o",
                str(tmp_path / env["LIVERGRAPH_PROGRESS"] / "-".join(extra)), "--delay", "0",
                "--page-size", "2", *extra], env=env)
        forced = fetch(env={"LIVERGRAPH_PROGRESS": "1"})
        plain = fetch(env={"LIVERGRAPH_PROGRESS": "0"})
        quiet = fetch("--quiet", env={"LIVERGRAPH_PROGRESS": "1"})
    assert forced.exit_code == plain.exit_code == quiet.exit_code == 0, forced.output
    assert "fetching" in forced.stderr and "5/5 studies" in forced.stderr
    assert "fetching" not in plain.stderr and "fetching" not in quiet.stderr
    assert "3 page(s), 5 stud(ies) saved" in plain.stdout


@pytest.mark.slow
def test_build_shows_its_stages_only_when_asked(tmp_path):
    argv = ["build", "--root", str(ROOT), "--data", str(FIXTURE_DATA), "--no-reason",
            "--no-validate"]
    forced = CliRunner().invoke(cli, [*argv, "--build-dir", str(tmp_path / "a")],
                                env={"LIVERGRAPH_PROGRESS": "1"})
    assert forced.exit_code == 0, forced.output
    assert "building: derive effects" in forced.stderr and "4/4 stages" in forced.stderr
    quiet = CliRunner().invoke(cli, [*argv, "--quiet", "--build-dir", str(tmp_path / "b")],
                               env={"LIVERGRAPH_PROGRESS": "1"})
    assert quiet.exit_code == 0 and "building" not in quiet.stderr
    assert (tmp_path / "a" / "current" / "livergraph.ttl").read_bytes() == \
        (tmp_path / "b" / "current" / "livergraph.ttl").read_bytes()
