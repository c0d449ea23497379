"""Property-based tests (Hypothesis) of the one loader and the registry field parsers:

- any YAML text, and any bytes in a data file, give records or a LivergraphError, never another
  exception;
- what the importers write (``lint.dump``) the loader reads back unchanged, and lint's
  comment-keeping round trip writes it byte for byte as ``dump`` does;
- every value a registry field parser returns is one build accepts (dates, counts, text), and
  every value build refuses the parser refuses (a DataError), so import and build agree.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from livergraph.errors import DataError, LivergraphError
from livergraph.model.lint import canonical_text, dump
from livergraph.model.load import records_in
from livergraph.model.values import LiteralValues
from livergraph.model.yamlio import forbidden_char, load_text
from livergraph.registry.ctgov.reader import _decimal, _Reader
from livergraph.registry.ictrp import fields as F

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

#: pieces YAML gives meaning to, so that generated texts reach every part of the loader
TOKENS = ["key: ", "- ", "&a ", "*a", "&b ", "*b", "[", "]", "{", "}", ", ", ": ", "\n", "  ",
          '"', "'", "!!set ", "!!binary ", "!foo ", "#", "<<: ", "? ", "---\n", "...\n", "|\n",
          ">\n", "1", "0x1F", "1e999", ".nan", "no", "null", "~", "2024-02-30", "2024-01-01",
          "9" * 30, "\\x01", "\\ud800", "\\t", "type: Trial\n", "id: x\n", "ＮＣＴ", "\t", "%YAML 1.1\n"]
yaml_like = st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=40).map("".join)


@SETTINGS
@given(st.one_of(st.text(max_size=200), yaml_like))
def test_any_text_gives_content_or_a_livergraph_error(text: str):
    try:
        load_text(text, "data/x.yaml")
    except LivergraphError as exc:
        assert "data/x.yaml" in str(exc)


@SETTINGS
@given(st.binary(max_size=200) | yaml_like.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_file_gives_records_or_a_livergraph_error(tmp_path_factory, content: bytes):
    path = tmp_path_factory.mktemp("d") / "x.yaml"
    path.write_bytes(content)
    try:
        records = records_in(path, "data/x.yaml")
    except LivergraphError as exc:
        assert str(exc).startswith("data/x.yaml")
    else:
        assert all(isinstance(r.data, dict) for r in records)


# -- what the importers write, the loader reads -----------------------------------------------

allowed_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60).filter(
    lambda t: forbidden_char(t) is None)
keys = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12).filter(
    lambda t: forbidden_char(t) is None)
scalars = st.one_of(
    allowed_text, st.booleans(), st.none(),
    st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1000, 1, 1)))
content = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(keys, inner, max_size=5), max_leaves=25)
records = st.dictionaries(keys, content, max_size=6)


@SETTINGS
@given(st.lists(records, max_size=3) | records)
def test_what_dump_writes_the_loader_reads_back(value):
    assert load_text(dump(value), "data/x.yaml") == value


@SETTINGS
@given(st.lists(records, max_size=3) | records)
def test_lint_round_trip_writes_what_dump_writes(value):
    text = dump(value)
    assert round_trip(text) == text


def round_trip(text: str) -> str:
    """lint's comment-keeping round trip of ``text``, used even without comments."""
    return canonical_text(text, load_text(text, "x"), round_trip=True)


@SETTINGS
@given(records, st.randoms(use_true_random=False))
def test_lint_round_trip_puts_keys_in_canonical_order(value, random):
    shuffled = list(value.items())
    random.shuffle(shuffled)
    import yaml
    text = yaml.safe_dump(dict(shuffled), allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=100)
    assert round_trip(text) == dump(value)


# -- registry field parsers agree with build --------------------------------------------------

class _Prop:
    def __init__(self, key: str, rng):
        self.key, self.range = key, rng


def _build_accepts(value, range_name: str) -> None:
    """Raise DataError unless build's value check accepts ``value`` for a property with that
    range (model/values.py)."""
    from livergraph.model.values import LG, XSD
    rng = {"partial-date": LG.PartialDate, "count": XSD.nonNegativeInteger,
           "decimal": XSD.decimal, "text": XSD.string}[range_name]
    values = LiteralValues()
    values._literal_cache, values._lang_cache = {}, {}
    values._literals(value, _Prop("p", rng), "record")


date_like = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"\A[0-9０-９]{1,5}[-/.][0-9０-９]{1,2}([-/.][0-9０-９]{1,4})?\Z"),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates().map(lambda d: d.strftime("%B %d, %Y")),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(1800, 2100),
              st.integers(0, 13), st.integers(0, 32)))


@SETTINGS
@given(date_like, st.booleans())
def test_ictrp_dates_are_dates_build_accepts(text: str, day_first: bool):
    try:
        value = F.parse_date(text, "Date_registration", day_first=day_first)
    except DataError:
        return
    if value is not None:
        _build_accepts(value, "partial-date")


@SETTINGS
@given(st.text(max_size=80))
def test_ictrp_text_is_text_the_loader_accepts(text: str):
    for parse in (F.clean, F.one_line):
        try:
            value = parse(text)
        except DataError as exc:
            assert "control character" in str(exc)
            assert forbidden_char(text.replace("\t", " ").replace("\r", "")) is not None
            continue
        if value is not None:
            assert forbidden_char(value) is None
            assert load_text(dump({"t": value}), "x") == {"t": value}


@SETTINGS
@given(st.one_of(st.text(max_size=25), st.integers(), st.floats(), st.booleans(), st.none()))
def test_ictrp_counts_are_counts_build_accepts(value):
    try:
        count = F.count_of(value) if isinstance(value, str) or value is None else None
    except DataError as exc:
        assert "control character" in str(exc)
        return
    if count is not None:
        _build_accepts(count, "count")


@SETTINGS
@given(st.one_of(st.text(max_size=25), st.integers(min_value=-10, max_value=10 ** 40),
                 st.booleans(), st.none(), st.floats()))
def test_ctgov_counts_are_counts_build_accepts(value):
    try:
        count = _Reader({}).count({"n": value}, "n", "study")
    except DataError:
        if isinstance(value, int) and not isinstance(value, bool):
            assert value < 0 or value >= 2 ** 63
        return
    if count is not None:
        _build_accepts(count, "count")


@SETTINGS
@given(date_like)
def test_ctgov_dates_are_dates_build_accepts(text: str):
    try:
        value = _Reader({}).date({"d": text}, "d", "study")
    except DataError:
        return
    if value is not None:
        _build_accepts(value, "partial-date")


@SETTINGS
@given(st.text(max_size=40))
def test_ctgov_text_is_text_the_loader_accepts(text: str):
    try:
        value = _Reader({}).text({"t": text}, "t", "study")
    except DataError as exc:
        assert "control character" in str(exc)
        return
    if value is not None:
        assert load_text(dump({"t": value}), "x") == {"t": value}


@SETTINGS
@given(st.one_of(st.text(max_size=25), st.decimals(allow_nan=True, allow_infinity=True),
                 st.floats(), st.integers()))
def test_ctgov_numbers_are_decimals_build_accepts(value):
    text = _decimal(str(value) if isinstance(value, Decimal) else value)
    if text is not None:
        assume(Decimal(text).adjusted() < 20)   # beyond: build refuses, as it should, loudly
        _build_accepts(text, "decimal")


@pytest.mark.parametrize("text, expected", [
    ("2024-02-30", None), ("２０２４-01-01", None), ("2024-02-29", "2024-02-29"),
    ("30/02/2024", None), ("20240230", None), ("Feb 30, 2024", None)])
def test_ictrp_refuses_impossible_and_fullwidth_dates(text, expected):
    if expected is None:
        with pytest.raises(DataError):
            F.parse_date(text, "Date_registration")
    else:
        assert F.parse_date(text, "Date_registration") == expected


def test_ictrp_text_with_a_control_character_is_refused():
    with pytest.raises(DataError, match=r"control character U\+0007"):
        F.one_line("bell\x07")
    assert F.clean("a\tb\r\nc") == "a b\nc"   # tabs and CRs are white space, kept as such


def test_ctgov_refuses_fullwidth_and_huge_counts():
    reader = _Reader({})
    for bad in ("１２", "9" * 5000, 2 ** 63, -1, "12.0"):
        with pytest.raises(DataError, match="expected a count"):
            reader.count({"n": bad}, "n", "designModule.enrollmentInfo")
    assert reader.count({"n": " 12 "}, "n", "x") == 12
    assert _decimal("１２") is None and _decimal("12.50") == "12.50"
