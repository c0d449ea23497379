"""Tables for people: terminal tables fitted to the width, CSV for Excel, real .xlsx files."""
from __future__ import annotations

import io

import openpyxl
import pytest

from livergraph.errors import UnreadableInput
from livergraph.io.tables import (
    format_for_path,
    select_columns,
    to_csv,
    to_terminal,
    to_xlsx,
)
from livergraph.query.render import text_width

COLUMNS = ["trial", "title", "status", "participants"]
TITLE = "臍帶間充質幹細胞治療失代償期肝硬化的臨床研究 (umbilical cord MSC for decompensated cirrhosis)"
ROWS = [["trial:NCT01220492", TITLE, "UNKNOWN", 120],
        ["trial:NCT05155657", None, "=HYPERLINK(\"http://x\")", 3.5]]


@pytest.mark.parametrize("width", [40, 60, 100])
def test_terminal_table_fits_the_width_and_keeps_every_character(width):
    text = to_terminal(COLUMNS, ROWS, width=width)
    lines = text.splitlines()
    assert max(text_width(line) for line in lines[:-2]) <= width
    # wrapped, not cut: every character of the title is still there
    flat = iter("".join(text.split()))
    assert all(ch in flat for ch in "".join(TITLE.split()))   # a subsequence, in order
    assert "(2 rows)" in text


def test_terminal_table_says_how_to_see_the_rest():
    rows = [[f"t{i}", "x", "y", i] for i in range(30)]
    text, hint = to_terminal(COLUMNS, rows, width=80, max_rows=10, with_hint=True)
    assert "(30 rows; 10 shown: -o FILE.xlsx for all)" in text
    assert "t9" in text and "t10 " not in text
    assert hint == "30 rows: pipe to `less -S`, or use --columns a,b,c / -o out.xlsx"


def test_csv_for_excel_starts_with_a_bom_and_uses_crlf():
    data = to_csv(COLUMNS, ROWS, excel=True)
    assert data.startswith(b"\xef\xbb\xbftrial,title,status,participants\r\n")
    assert "臍帶".encode() in data
    assert not to_csv(COLUMNS, ROWS).startswith(b"\xef\xbb\xbf")
    assert to_csv(COLUMNS, ROWS, delimiter="\t").splitlines()[0] == \
        b"trial\ttitle\tstatus\tparticipants"


def test_xlsx_is_a_real_workbook_with_numbers_and_no_formulas():
    data = to_xlsx(COLUMNS, ROWS)
    assert data[:2] == b"PK"
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == COLUMNS
    assert ws["D2"].value == 120 and ws["D3"].value == 3.5
    assert ws["B2"].value == TITLE
    assert ws["C3"].data_type == "s" and ws["C3"].value.startswith("=HYPERLINK")
    assert ws.freeze_panes == "A2"


def test_xlsx_is_byte_identical_for_the_same_table():
    assert to_xlsx(COLUMNS, ROWS) == to_xlsx(COLUMNS, ROWS)


def test_an_extension_no_writer_honours_is_an_error(tmp_path):
    assert format_for_path(tmp_path / "a.XLSX", ["csv", "xlsx"]) == "xlsx"
    with pytest.raises(UnreadableInput) as err:
        format_for_path(tmp_path / "a.pdf", ["csv", "tsv", "xlsx"])
    assert "cannot write a .pdf file" in str(err.value)
    assert ".csv, .tab, .tsv, .xlsx" in str(err.value)


def test_unknown_column_suggests_the_closest():
    cols, rows = select_columns(COLUMNS, ROWS, ["status", "trial"])
    assert cols == ["status", "trial"] and rows[0] == ["UNKNOWN", "trial:NCT01220492"]
    with pytest.raises(UnreadableInput) as err:
        select_columns(COLUMNS, ROWS, ["titel"])
    assert "did you mean 'title'?" in str(err.value)
    assert "trial, title, status, participants" in str(err.value)


# -- the spreadsheet path of `livergraph query` (issue 19) ------------------------------------

SPONSORS = ("SELECT ?trial ?sponsor WHERE { ?trial lg:leadSponsor ?sponsor } "
            "ORDER BY ?trial")


@pytest.fixture(scope="module")
def query(tmp_path_factory):
    from click.testing import CliRunner

    from conftest import FIXTURE_DATA
    from livergraph.cli import cli
    build = tmp_path_factory.mktemp("sheets-build")

    def invoke(*args):
        argv = ["query", "--data", str(FIXTURE_DATA), "--build-dir", str(build), *map(str, args)]
        return CliRunner().invoke(cli, argv, catch_exceptions=False)
    return invoke


def test_query_writes_a_real_xlsx_with_labels_in_the_language_asked(query, tmp_path):
    target = tmp_path / "sponsors.xlsx"
    result = query(SPONSORS, "-o", target, "--lang", "zh")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(target).active
    assert [c.value for c in ws[1]] == ["trial", "sponsor"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(values) == 2
    assert any("北京302醫院" in str(v[1]) for v in values)          # a zh-Hant label, not an IRI
    assert not any(str(v[1]).startswith("http") for v in values)


def test_query_excel_csv_has_a_bom_labels_and_picked_columns(query):
    result = query(SPONSORS, "--excel", "--columns", "sponsor")
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbfsponsor\r\n")
    assert b"http" not in data and data.count(b"\r\n") == 3
    ids = query(SPONSORS, "--excel", "--ids").stdout_bytes
    assert b"trial:NCT01220492" in ids and b"org:" in ids


def test_query_refuses_an_output_extension_it_cannot_write(query, tmp_path):
    result = query(SPONSORS, "-o", tmp_path / "answer.pdf")
    assert result.exit_code == 2
    assert "cannot write a .pdf file" in result.output and ".xlsx" in result.output
    assert not (tmp_path / "answer.pdf").exists()


def test_query_unknown_column_names_the_columns(query):
    result = query(SPONSORS, "--columns", "sponser")
    assert result.exit_code == 2
    assert "did you mean 'sponsor'?" in result.output
