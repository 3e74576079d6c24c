"""--province / --series / --number: what is chosen, how files are named, what errors say."""

from __future__ import annotations

import pytest
from export_support import fixture_catalogue

from generator.errors import UserError
from generator.exporters import EXPORTER_BY_NAME, Selection, export, select
from generator.exporters.selection import province_slug


@pytest.fixture(scope="module")
def catalogue():
    return fixture_catalogue()


@pytest.mark.parametrize(
    ("selection", "slugs", "label", "file_slug"),
    [
        (Selection(), ["beijing-shili", "shili-huayuan", "teshu-zifu", "shili-zuofa"], "全部记录", "all"),
        (Selection(provinces=("湖北",)), ["shili-huayuan", "teshu-zifu"], "湖北", "hubei"),
        (Selection(provinces=("湖北省",)), ["shili-huayuan", "teshu-zifu"], "湖北", "hubei"),
        (Selection(provinces=("湖北", "北京")), ["beijing-shili", "shili-huayuan", "teshu-zifu"], "北京、湖北", "beijing-hubei"),
        (Selection(series=("local-practices",)), ["shili-zuofa"], "地方实践", "local-practices"),
        (Selection(series=("全国美好家园",)), ["beijing-shili", "shili-huayuan", "teshu-zifu"], "全国美好家园", "national-2022"),
        (Selection(numbers=(48, 47)), ["shili-huayuan", "teshu-zifu"], "第47、48号", "n047-n048"),
        (Selection(provinces=("湖北",), numbers=(47,)), ["shili-huayuan"], "湖北 · 第47号", "hubei_n047"),
    ],
)
def test_selection_chooses_records_in_catalogue_order(catalogue, selection, slugs, label, file_slug):
    selected = select(catalogue, selection)
    assert [e.record.slug for e in selected.entries] == slugs
    assert selected.label == label
    assert selected.slug == file_slug


def test_drafts_are_never_selected_without_include_drafts(catalogue):
    assert 49 not in [e.record.number for e in select(catalogue, Selection()).entries]
    with pytest.raises(UserError, match="49"):
        select(catalogue, Selection(numbers=(49,)))
    with_drafts = fixture_catalogue(include_drafts=True)
    assert [e.record.number for e in select(with_drafts, Selection(numbers=(49,))).entries] == [49]


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        (Selection(provinces=("湖南南",)), "你是不是要找：湖南"),
        (Selection(provinces=("广东",)), "可选省份：北京、湖北、湖南"),
        (Selection(series=("national-2023",)), "你是不是要找：national-2022"),
        (Selection(numbers=(46,)), "最接近的编号：47、48"),
        (Selection(provinces=("湖南",), numbers=(47,)), "所选范围内没有带编号的记录"),
        (Selection(provinces=("北京",), series=("local-practices",)), "所选范围内没有记录"),
    ],
)
def test_selection_errors_name_the_problem_and_suggest(catalogue, selection, message):
    with pytest.raises(UserError) as raised:
        select(catalogue, selection)
    assert message in raised.value.message


def test_failed_selection_writes_nothing(catalogue, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(UserError):
        export(catalogue, "csv", Selection(provinces=("西藏",)), out)
    assert not out.exists()


@pytest.mark.parametrize(("province", "slug"), [("湖北省", "hubei"), ("陕西省", "shaanxi"), ("山西省", "shanxi"), ("广西壮族自治区", "guangxi"), ("重庆市", "chongqing")])
def test_province_slugs_are_distinct_pinyin(province, slug):
    assert province_slug(province) == slug


def test_registry_lists_every_channel_and_each_loads():
    assert list(EXPORTER_BY_NAME) == ["wechat", "icml", "docx", "pdf", "csv", "json", "sheet"]
    for exporter in EXPORTER_BY_NAME.values():
        assert callable(exporter.load())
