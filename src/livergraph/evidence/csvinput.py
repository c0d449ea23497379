"""Effect sizes from a CSV with metafor's column names, so a result can be checked in R:
``study,n1i,m1i,sd1i,n2i,m2i,sd2i`` (MD, SMD) or ``study,ai,bi,ci,di`` (RR, OR, RD; events
and non-events per group)."""
from __future__ import annotations

import csv
from pathlib import Path

from livergraph.errors import UnreadableInput
from livergraph.evidence import measures as M

CONTINUOUS_COLUMNS = ("study", "n1i", "m1i", "sd1i", "n2i", "m2i", "sd2i")
BINARY_COLUMNS = ("study", "ai", "bi", "ci", "di")


def read_effects(path: Path, measure: str) -> tuple[list[str], list[float], list[float]]:
    """Study labels, yi and vi (analysis scale) computed from the CSV for ``measure``."""
    columns = CONTINUOUS_COLUMNS if measure in M.CONTINUOUS else BINARY_COLUMNS
    try:
        with Path(path).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
            header = rows[0].keys() if rows else []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableInput(f"cannot read the CSV: {exc}", file=str(path)) from None
    missing = [c for c in columns if c not in header]
    if missing:
        raise UnreadableInput(
            f"{measure} needs the columns {', '.join(columns)}; missing {', '.join(missing)}",
            file=str(path), hint="use metafor's column names (see `livergraph meta --help`)")
    studies, yi, vi = [], [], []
    for number, row in enumerate(rows, start=2):
        try:
            values = [float(row[c]) for c in columns[1:]]
            if measure in M.CONTINUOUS:
                n1, m1, sd1, n2, m2, sd2 = values
                es = M.continuous(measure, m1, sd1, int(n1), m2, sd2, int(n2))
            else:
                es = M.binary(measure, *values)
        except (ValueError, TypeError) as exc:
            raise UnreadableInput(f"line {number}: {exc}", file=str(path),
                                  record=row.get("study") or None,
                                  hint="every value must be a number") from None
        studies.append(row["study"])
        yi.append(es.yi)
        vi.append(es.vi)
    return studies, yi, vi
