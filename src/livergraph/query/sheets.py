"""Answers for people: a SELECT answer as a spreadsheet or an Excel-ready CSV, with labels.

``livergraph query -o answer.xlsx`` (or ``--excel``, ``--columns``) goes through here: the rows
come from the published store as Python values (livergraph.query.rows), every IRI is shown by its
label in the language asked for (livergraph.io.labels; ``ids=True`` keeps CURIEs instead), and
livergraph.io.tables writes the bytes.
"""
from __future__ import annotations

from typing import Any, Sequence

from livergraph.io.curies import compact
from livergraph.io.labels import pick_label
from livergraph.io.tables import Cell, select_columns, to_csv, to_xlsx
from livergraph.query.engine import labels_for
from livergraph.query.rows import IRI, Rows

def display(rows: Rows, store: Any, *, lang: str = "en", ids: bool = False,
            columns: Sequence[str] | None = None) -> tuple[list[str], list[list[Cell]]]:
    """(column names, cells): IRIs as labels in ``lang`` (CURIEs where there is no label, or
    always with ``ids``), numbers as numbers, other values as text; only ``columns`` if given."""
    iris = sorted({v for row in rows for v in row if isinstance(v, IRI)})
    labels = {} if ids else labels_for(store, iris)

    def cell(value: Any) -> Cell:
        if value is None:
            return None
        if isinstance(value, IRI):
            shown = None if ids else pick_label(labels.get(str(value), []), lang)
            return shown if shown is not None else compact(str(value), brackets=False)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return value
        try:                                   # Decimal and other numbers
            from decimal import Decimal
            if isinstance(value, Decimal):
                return int(value) if value == value.to_integral_value() else float(value)
        except ImportError:   # pragma: no cover
            pass
        return str(value)

    names = list(rows.columns)
    cells = [[cell(v) for v in row] for row in rows]
    if columns:
        return select_columns(names, cells, list(columns))
    return names, cells


def sheet_bytes(fmt: str, names: list[str], cells: list[list[Cell]], *,
                excel: bool = False) -> bytes:
    """The table as ``xlsx``, ``csv`` or ``tsv`` bytes (``excel``: CSV with a byte-order mark)."""
    if fmt == "xlsx":
        return to_xlsx(names, cells)
    return to_csv(names, cells, excel=excel, delimiter="\t" if fmt == "tsv" else ",")
