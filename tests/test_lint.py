"""Curated data is canonical: ``livergraph lint`` would change nothing in the committed files."""
from __future__ import annotations

import pytest

from livergraph.model.lint import dump, lint
from conftest import DATA, FIXTURE_DATA


def test_bundled_data_is_canonical():
    result = lint(DATA, check=True)
    assert result.checked, "no data files found"
    assert result.changed == [], "run `livergraph lint` and commit the result"


def test_fixture_data_is_canonical():
    assert lint(FIXTURE_DATA, check=True).changed == []


def test_lint_rewrites_key_order_and_keeps_content(mini_data):
    path = mini_data / "organizations" / "extra.yaml"
    path.write_text("name: {en: X Hospital}\nid: x-hospital\ntype: Organization\n")
    result = lint(mini_data)
    assert result.changed == ["data/organizations/extra.yaml"]
    assert path.read_text() == "type: Organization\nid: x-hospital\nname:\n  en: X Hospital\n"
    assert lint(mini_data, check=True).changed == []


def test_dump_keeps_chinese_text_readable():
    assert dump({"title": {"zh-Hant": "肝硬化"}}) == "title:\n  zh-Hant: 肝硬化\n"


def test_lint_keeps_comments_and_moves_them_with_their_keys(mini_data):
    path = mini_data / "organizations" / "extra.yaml"
    path.write_text("# Added by hand\nname: {en: X Hospital}  # as registered\nid: x-hospital\n"
                    "type: Organization\nkeyword: [a, no, 0E0]   # three\n", encoding="utf-8")
    assert lint(mini_data).changed == ["data/organizations/extra.yaml"]
    assert path.read_text(encoding="utf-8") == (
        "# Added by hand\ntype: Organization\nid: x-hospital\n"
        "keyword:                # three\n- a\n- false\n- 0E0\n"
        "name:                   # as registered\n  en: X Hospital\n")
    assert lint(mini_data, check=True).changed == []     # the commented form is stable


def test_lint_refuses_duplicate_keys_and_writes_nothing(mini_data):
    from livergraph.errors import UnreadableInput
    bad = mini_data / "organizations" / "extra.yaml"
    bad.write_text("type: Organization\nid: x\nname: {en: A}\nname: {en: B}\n")
    other = mini_data / "organizations" / "zz.yaml"
    other.write_text("id: y\ntype: Organization\n")        # not canonical, but left alone
    before = bad.read_bytes(), other.read_bytes()
    with pytest.raises(UnreadableInput) as caught:
        lint(mini_data)
    assert str(caught.value).startswith("data/organizations/extra.yaml [x]: line 4, column 1: "
                                        "duplicate key 'name' (first at line 3)")
    assert "remove one of them" in str(caught.value)
    assert (bad.read_bytes(), other.read_bytes()) == before
