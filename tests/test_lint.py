"""Curated data is canonical: ``livergraph lint`` would change nothing in the committed files."""
from __future__ import annotations

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
