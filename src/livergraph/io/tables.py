"""Tables for people: a terminal, a spreadsheet, a CSV file Excel opens correctly.

Every writer here takes the same shape, ``columns`` (names) and ``rows`` (lists of display values:
text, numbers, ``None`` for unbound), already label-resolved by the caller, and returns bytes (or
writes a file). One choice of writer per output path (:func:`format_for_path`): an extension no
writer can honour is an error, never text in a file named ``.xlsx``.

- :func:`to_terminal`: a rich table fitted to the terminal width (long cells wrap, very long
  ones are cut short with "…"; no line is wider than the terminal), a row count, and the one-line
  hint to show on stderr when cells were cut or squeezed or the table is taller than the screen;
- :func:`to_plain`: the same table for a pipe or a file: aligned, never cut, the same bytes
  whatever the terminal (what ``livergraph query`` prints when stdout is not a terminal);
- :func:`to_csv`: RFC 4180 CSV (or TSV), optionally with a UTF-8 byte-order mark (``excel=True``)
  so Excel shows Chinese text instead of mojibake.
- :func:`to_xlsx`: a real Excel workbook (openpyxl), numbers as numbers, a bold frozen header,
  column widths fitted; byte-identical for identical input.
"""
from __future__ import annotations

import csv
import difflib
import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal, overload

from livergraph.errors import UnreadableInput

Cell = str | int | float | None

#: output-path extension -> table format
EXTENSIONS: dict[str, str] = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx",
                              ".txt": "table", ".json": "json", ".srj": "json", ".xml": "xml",
                              ".srx": "xml", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}
#: a fixed timestamp for workbook metadata and zip entries, so the same table gives the same bytes
_EPOCH = datetime(2000, 1, 1)
_BOM = "\ufeff"


def format_for_path(path: Path, formats: Sequence[str]) -> str:
    """The format an output path asks for by its extension, if the command can write it.

    Raises UnreadableInput (exit 2) naming the extensions it can write otherwise."""
    suffix = Path(path).suffix.lower()
    fmt = EXTENSIONS.get(suffix)
    if fmt is None or fmt not in formats:
        known = sorted(s for s, f in EXTENSIONS.items() if f in formats)
        raise UnreadableInput(f"cannot write a {suffix or 'extension-less'} file",
                              file=str(path),
                              hint="use one of " + ", ".join(known) + " or give --format")
    return fmt


def select_columns(columns: Sequence[str], rows: Sequence[Sequence[Cell]],
                   wanted: Sequence[str]) -> tuple[list[str], list[list[Cell]]]:
    """Only the ``wanted`` columns, in that order; an unknown name is an error that lists the
    columns there are and suggests the closest."""
    index = {c: i for i, c in enumerate(columns)}
    picked: list[int] = []
    for name in wanted:
        if name not in index:
            close = difflib.get_close_matches(name, list(columns), n=1)
            hint = (f"did you mean {close[0]!r}? " if close else "") + \
                "the columns are: " + ", ".join(columns)
            raise UnreadableInput(f"no column {name!r} in the answer", hint=hint)
        picked.append(index[name])
    return [columns[i] for i in picked], [[row[i] for i in picked] for row in rows]


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e16 else f"{value:.1f}"
    return str(value)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Cell]], *, excel: bool = False,
           delimiter: str = ",") -> bytes:
    """CSV (RFC 4180: CRLF line ends, quoted where needed) or TSV with ``delimiter="\\t"``;
    ``excel`` starts the file with a UTF-8 byte-order mark."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return ((_BOM if excel else "") + buf.getvalue()).encode("utf-8")


def to_xlsx(columns: Sequence[str], rows: Sequence[Sequence[Cell]], *,
            sheet: str = "livergraph") -> bytes:
    """An .xlsx workbook: one sheet, a bold frozen header row, numbers stored as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"   # text from data is never a formula
    ws.freeze_panes = "A2"
    for i, name in enumerate(columns, start=1):
        longest = max([len(str(name))] + [len(_text(r[i - 1])) for r in rows[:1000]])
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    wb.properties.created = wb.properties.modified = _EPOCH
    wb.properties.creator = "livergraph"
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's timestamp fixed, so identical tables give identical
    bytes (openpyxl stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_EPOCH.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def to_plain(columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """An aligned text table, never cut (for files and pipes: the same rows give the same
    bytes whatever the terminal): header, a rule, the rows, then the row count. East Asian
    wide characters count two columns."""
    from livergraph.query.render import text_width
    cells = [[_text(v) for v in row] for row in rows]
    widths = [max([text_width(c)] + [text_width(r[i]) for r in cells])
              for i, c in enumerate(columns)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - text_width(c)) for c, w in zip(row, widths)).rstrip()
    lines = []
    if columns:
        lines += [line(list(columns)), "  ".join("-" * w for w in widths)]
        lines += [line(r) for r in cells]
    n = len(rows)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines) + "\n"


#: a cell longer than this many characters is cut short (with "…") in a terminal table
CELL_LIMIT = 160


def _elided(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    return text[:limit - 1].rstrip() + "…", True


@overload
def to_terminal(columns: Sequence[str], rows: Sequence[Sequence[Cell]], *,
                width: int | None = None, max_rows: int | None = None,
                height: int | None = None, with_hint: Literal[False] = False) -> str: ...


@overload
def to_terminal(columns: Sequence[str], rows: Sequence[Sequence[Cell]], *,
                width: int | None = None, max_rows: int | None = None,
                height: int | None = None,
                with_hint: Literal[True]) -> tuple[str, str | None]: ...


def to_terminal(columns: Sequence[str], rows: Sequence[Sequence[Cell]], *,
                width: int | None = None, max_rows: int | None = None,
                height: int | None = None,
                with_hint: bool = False) -> str | tuple[str, str | None]:
    """An aligned table fitted to ``width`` columns (the terminal's when None; 100 when output
    is not a terminal): no line is wider. Wide cells wrap inside their column, a cell longer
    than :data:`CELL_LIMIT` characters is cut short with "…", East Asian characters count two,
    then a row count. With ``with_hint``, also the one line to tell the user (on stderr) when
    cells were cut, columns squeezed or the table is taller than ``height`` lines (the
    terminal's when None): how to see it all."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from livergraph.query.render import text_width
    width = width or _terminal_width()
    console = Console(width=width, file=io.StringIO(), color_system=None,
                      force_terminal=False, legacy_windows=False, soft_wrap=False)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False,
                  header_style="bold")
    for name in columns:
        table.add_column(name, overflow="fold")
    shown = rows if max_rows is None else rows[:max_rows]
    cut = False
    for row in shown:
        texts = []
        for v in row:
            text, was_cut = _elided(_text(v), CELL_LIMIT)
            cut = cut or was_cut
            texts.append(text)
        table.add_row(*texts)
    console.print(table, crop=True)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    lines = [line.rstrip() for line in text.splitlines()]
    lines = [_fit(line, width) for line in lines]
    n = len(rows)
    footer = f"({n} row{'s' if n != 1 else ''}"
    if max_rows is not None and n > max_rows:
        footer += f"; {max_rows} shown: -o FILE.xlsx for all"
    footer += ")"
    lines.append(footer)
    out = "\n".join(lines) + "\n"
    if not with_hint:
        return out
    squeezed = any(text_width(line) >= width - 1 for line in lines) and len(columns) > 2
    tall = len(lines) > (height or _terminal_height())
    hint = None
    if cut or squeezed or tall or (max_rows is not None and n > max_rows):
        what = [f"{n} row{'s' if n != 1 else ''}"]
        if cut:
            what.append("long cells cut short")
        hint = ("; ".join(what) + ": pipe to `less -S`, or use --columns a,b,c / "
                "-o out.xlsx")
    return out, hint


def _fit(line: str, width: int) -> str:
    """A line cut to ``width`` terminal columns (rich crops already; this is the guarantee)."""
    from livergraph.query.render import text_width
    while text_width(line) > width:
        line = line[:-1]
    return line


def _terminal_width() -> int:
    import shutil
    import sys
    if not sys.stdout.isatty():
        return 100
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def stdout_width() -> int | None:
    """The width of the terminal standard output is (``$COLUMNS`` first), or None when standard
    output is not a terminal (a pipe or a file: the plain, complete table)."""
    import sys
    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    import shutil
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def _terminal_height() -> int:
    import shutil
    return max(10, shutil.get_terminal_size((100, 24)).lines)
