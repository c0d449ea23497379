"""Field parsers for WHO ICTRP records: text clean-up, lists, dates, and the register's wording
mapped to livergraph's vocabularies (status, phase, study type, cell therapies).

Every parser keeps what the register wrote (callers store it as ``…Text``) and returns a mapped
value only where the meaning is clear; ``None`` means "not mapped", never a guess. Dates are
parsed with the format chosen by element and register (``DD/MM`` and ``MM/DD`` cannot be told
apart by value, see ``../shared/ictrp-samples/FIELDS.md``), and placeholders are refused.
"""
from __future__ import annotations

import datetime as dt
import re

from livergraph.errors import DataError
from livergraph.model.yamlio import char_name, forbidden_char

_BREAKS = re.compile(r"\r\n?|<br\s*/?>|</?p\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")
MONTHS = {m.lower(): n for n, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
#: dates registers use for "unknown"
PLACEHOLDER_DATES = {"1900-01-01", "1899-12-30", "1970-01-01", "9999-12-31"}


def clean(text: str | None) -> str | None:
    """A value as stored: HTML line breaks, CRs and blank lines folded to one newline each,
    runs of spaces to one space, the ends stripped; None for nothing. Text holding a character
    the data loader refuses (a control character, a lone surrogate) is a DataError, so that
    what import writes, build reads."""
    if text is None:
        return None
    text = _BREAKS.sub("\n", text)
    bad = forbidden_char(text.replace("\t", " ").replace("\r", ""))
    if bad is not None:
        raise DataError(f"the text {text[:40]!r} holds the control character {char_name(bad)}",
                        hint="the record cannot be stored as written (XML and RDF exports "
                             "cannot hold it): correct it in the export or leave it out")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out = "\n".join(line for line in lines if line)
    return out or None


def one_line(text: str | None) -> str | None:
    """``clean`` with newlines turned into spaces (titles, names)."""
    value = clean(text)
    return " ".join(value.split("\n")) if value else None


def split_list(text: str | None) -> list[str]:
    """A ``;``-separated list: slots cleaned, empty slots dropped, order and duplicates kept."""
    value = clean(text)
    if not value:
        return []
    return [item for item in (one_line(part) for part in value.split(";")) if item]


# -- dates -------------------------------------------------------------------------------------

def _iso(y: int, m: int | None = None, d: int | None = None, *, field: str, raw: str) -> str:
    try:
        if d is not None and m is not None:
            value = dt.date(y, m, d).isoformat()
        elif m is not None:
            dt.date(y, m, 1)
            value = f"{y:04d}-{m:02d}"
        else:
            value = f"{y:04d}"
    except ValueError:
        raise DataError(f"{field}: {raw!r} is not a real date") from None
    if value in PLACEHOLDER_DATES or y < 1900:
        raise DataError(f"{field}: {raw!r} is a placeholder date, not a real one",
                        hint="the register uses it for 'unknown'; it is left out")
    return value


_YMD = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$", re.ASCII)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", re.ASCII)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)
_MONTH_D_Y = re.compile(r"^([A-Za-z]+)\.? (\d{1,2}), (\d{4})$", re.ASCII)
_MONTH_Y = re.compile(r"^([A-Za-z]+)\.? (\d{4})$", re.ASCII)
_D_MONTH_Y = re.compile(r"^(\d{1,2}) ([A-Za-z]+)\.? (\d{4})$", re.ASCII)
_US_TIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2}):(\d{2})(?: ?([AP]M))?)?$",
                      re.IGNORECASE | re.ASCII)


def parse_date(text: str | None, field: str, *, day_first: bool = True) -> str | None:
    """An ISO date (``YYYY-MM-DD``, or ``YYYY-MM`` where the register gives only a month) from
    any format ICTRP uses: ``YYYYMMDD``, ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``DD/MM/YYYY`` (or
    ``MM/DD/YYYY`` with ``day_first=False``), ``Month D, YYYY``, ``Month YYYY``, ``D Month YYYY``.
    DataError for anything else, for impossible dates and for placeholders."""
    raw = one_line(text)
    if raw is None:
        return None
    if m := _COMPACT.match(raw):
        return _iso(int(m[1]), int(m[2]), int(m[3]), field=field, raw=raw)
    if m := _YMD.match(raw):
        return _iso(int(m[1]), int(m[2]), int(m[3]), field=field, raw=raw)
    if m := _DMY.match(raw):
        a, b = int(m[1]), int(m[2])
        day, month = (a, b) if day_first else (b, a)
        return _iso(int(m[3]), month, day, field=field, raw=raw)
    if (m := _MONTH_D_Y.match(raw)) and m[1].lower() in MONTHS:
        return _iso(int(m[3]), MONTHS[m[1].lower()], int(m[2]), field=field, raw=raw)
    if (m := _MONTH_Y.match(raw)) and m[1].lower() in MONTHS:
        return _iso(int(m[2]), MONTHS[m[1].lower()], field=field, raw=raw)
    if (m := _D_MONTH_Y.match(raw)) and m[2].lower() in MONTHS:
        return _iso(int(m[3]), MONTHS[m[2].lower()], int(m[1]), field=field, raw=raw)
    raise DataError(f"{field}: {raw!r} is not a date in a format ICTRP uses",
                    hint="expected YYYYMMDD, YYYY-MM-DD, DD/MM/YYYY, 'Month D, YYYY' or "
                         "'D Month YYYY'")


def parse_export_date(text: str | None) -> str | None:
    """The date of ``Export_date`` (US ``MM/DD/YYYY`` with a time, as the portal writes it)."""
    raw = one_line(text)
    if raw is None:
        return None
    m = _US_TIME.match(raw)
    if not m:
        raise DataError(f"Export_date: {raw!r} is not MM/DD/YYYY HH:MM:SS")
    return _iso(int(m[3]), int(m[1]), int(m[2]), field="Export_date", raw=raw)


# -- the register's wording --------------------------------------------------------------------

#: recruitment status wording (case-folded) -> lg:RegistryStatus notation; only clear meanings.
#: "Not recruiting" is left unmapped: registers use it for "not yet", "active, not recruiting"
#: and "completed" alike.
STATUS = {
    "recruiting": "RECRUITING", "completed": "COMPLETED", "complete": "COMPLETED",
    "not yet recruiting": "NOT_YET_RECRUITING", "pending": "NOT_YET_RECRUITING",
    "suspended": "SUSPENDED", "temporarily halted": "SUSPENDED",
    "terminated": "TERMINATED", "withdrawn": "WITHDRAWN",
    "active, not recruiting": "ACTIVE_NOT_RECRUITING",
    "enrolling by invitation": "ENROLLING_BY_INVITATION", "unknown": "UNKNOWN",
    "unknown status": "UNKNOWN", "cancelled": "WITHDRAWN", "withheld": "WITHHELD",
    "approved for marketing": "APPROVED_FOR_MARKETING", "available": "AVAILABLE",
    "no longer available": "NO_LONGER_AVAILABLE",
}


def status_of(text: str | None) -> str | None:
    """The common status for a recruitment status as written, where its meaning is clear."""
    value = one_line(text)
    return STATUS.get(value.casefold()) if value else None


_PHASE_NUMBERS = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "1": "1", "2": "2", "3": "3",
                  "4": "4"}
_PHASE_WORD = re.compile(r"phase\s*([1-4]|iv|iii|ii|i)\b", re.IGNORECASE)
_EU_PHASE = re.compile(r"\(Phase (I|II|III|IV)\):\s*yes", re.IGNORECASE)


def phases_of(text: str | None, register: str) -> list[str]:
    """lg:TrialPhase notations for a phase as written. ChiCTR's bare digits (``1``, ``1-2``,
    ``4``) are phases; its ``0`` means "exploratory" and is left unmapped, as are "N/A",
    "Retrospective study" and "New Treatment Measure Clinical Study"."""
    value = one_line(text)
    if not value:
        return []
    low = value.casefold()
    if low in ("n/a", "not applicable", "na"):
        return ["NA"]
    if low.startswith("early phase 1"):
        return ["EARLY_PHASE1"]
    found: list[str] = []
    eu = _EU_PHASE.findall(value)
    words = eu or _PHASE_WORD.findall(value)
    if not words and re.fullmatch(r"[1-4](\s*[-/]\s*[1-4])?", value):
        words = re.findall(r"[1-4]", value)
    for word in words:
        number = _PHASE_NUMBERS.get(word.lower())
        if number and f"PHASE{number}" not in found:
            found.append(f"PHASE{number}")
    return found


def study_type_of(text: str | None) -> str | None:
    value = (one_line(text) or "").casefold()
    if value.startswith("interventional"):
        return "INTERVENTIONAL"
    if value.startswith("observational"):
        return "OBSERVATIONAL"
    if value.startswith("expanded access"):
        return "EXPANDED_ACCESS"
    return None


def yes_no(text: str | None) -> bool | None:
    value = (one_line(text) or "").casefold()
    return {"yes": True, "true": True, "no": False, "false": False}.get(value)


def count_of(text: str | None) -> int | None:
    """A target size that is one whole number (ChiCTR's per-group lists are kept as text)."""
    value = one_line(text)
    if value and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return None
