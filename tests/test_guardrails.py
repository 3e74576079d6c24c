"""Editorial guardrails in `showcase check`: nothing unfinished or copied is published, messages
speak the editor's language, and one run lists every problem of a file.

Most cases go through the library (check_document, what `showcase check` runs per file); a few
through the command line.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml
from cli_support import empty_repo, invoke

from generator.checks import check_document
from generator.errors import Problem, Severity
from generator.load.yaml_reader import parse_text
from generator.schema.site_config import load_site_config

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load_site_config(ROOT / "site_config.yml")


def record(**changes) -> dict:
    """A valid published record; `changes` replace top-level fields."""
    base = {
        "kind": "estate", "series": "national-2022", "number": 7, "name": "守望·测试花园",
        "headline": "邻里守望 共治共享", "slug": "shouwang-ceshi-huayuan", "status": "published",
        "location": {"province": "湖北省", "city": "武汉市", "district": "硚口区"},
        "summary": "编辑用自己的话写的概况：小区依托业委会和物业共同议事，解决停车和充电难题。",
        "metrics": {"households": 1200},
        "sources": [{"publisher": "中国物业管理协会", "title": "测试来源"}],
    }
    base.update(changes)
    return base


def problems_of(data: dict | str, path: str = "projects/x.yml") -> list[Problem]:
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return check_document(parse_text(text, path), CONFIG).problems(path, CONFIG)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return empty_repo(tmp_path)


# ---- nothing unfinished is published ------------------------------------------------------


def test_scaffolded_record_cannot_be_published_with_its_placeholders(repo: Path) -> None:
    assert invoke(repo, "new", "守望花园", "--number", "7", "--province", "湖北省").exit_code == 0
    [path] = (repo / "projects").glob("*.yml")
    assert invoke(repo, "check", "--strict").exit_code == 0  # a draft may keep them
    text = path.read_text(encoding="utf-8").replace("status: draft", "status: published")
    path.write_text(text, encoding="utf-8")
    result = invoke(repo, "check", "--strict")
    assert result.exit_code == 1
    lines = text.splitlines()
    for field in ("headline:", "summary:", "- publisher:", "title:"):
        number = next(i for i, line in enumerate(lines, start=1) if line.lstrip().startswith(field))
        assert f"{path.name}:{number}:" in result.output and "[E260]" in result.output, (field, result.output)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("headline",), "请填写标题语"),  # a record scaffolded before the bracket convention
        (("sources", 0, "publisher"), "待核实"),
        (("summary",), "【待改写】小区有住户1200户。"),
        (("notes",), ["地址【待核实】"]),
    ],
)
def test_every_placeholder_form_is_an_error_on_a_published_record(where: tuple, value: object) -> None:
    data = record()
    target = data
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    found = [p for p in problems_of(data) if p.code == "E260"]
    assert len(found) == 1 and found[0].severity is Severity.error
    draft = copy.deepcopy(data) | {"status": "draft"}
    assert "E260" not in codes(problems_of(draft))


def test_ordinary_text_with_brackets_or_request_words_is_not_a_placeholder() -> None:
    data = record(summary="小区设立【议事角】，请居民参与议事，待遇问题由业委会协商。", notes=["请勿与同名小区混淆。"])
    assert problems_of(data) == []


# ---- messages in the editor's words ---------------------------------------------------------


@pytest.mark.parametrize(
    ("loc", "label"),
    [
        (("sources", 0, "date"), "第 1 条来源的日期（date）"),
        (("location", "district"), "区县（district）"),
        (("metrics", "owner_satisfaction", "value"), "业主满意度的数值（value）"),
        (("mechanisms", 1, "theme"), "第 2 项机制的主题（theme）"),
        (("themes", 2), "第 3 个主题"),
        (("sources", 0, "publsher"), "第 1 条来源的 publsher"),
    ],
)
def test_fields_are_named_in_chinese(loc: tuple, label: str) -> None:
    from generator.schema.messages import field_label

    assert field_label(loc, CONFIG.catalogue.metric_labels) == label


def test_a_wrong_date_names_the_source_not_a_path() -> None:
    data = record(sources=[{"publisher": "中国物业管理协会", "title": "测试来源", "date": "2022-13-01"}])
    [problem] = problems_of(data)
    assert "第 1 条来源的日期" in problem.message and "sources.0" not in problem.message


@pytest.mark.parametrize(
    ("written", "form"),
    [("95%以上", "{value: 95, qualifier: 以上}"), ("98%", "请写成 98"), ("约1.2万户", "{value: 12000, qualifier: 约}")],
)
def test_a_figure_written_as_text_gets_the_record_form(written: str, form: str) -> None:
    [problem] = problems_of(record(metrics={"owner_satisfaction": written}))
    assert form in problem.message and problem.message.startswith("业主满意度（owner_satisfaction）")


def test_a_percentage_written_as_a_fraction_is_a_warning_with_the_fix() -> None:
    found = problems_of(record(metrics={"fee_collection_rate": 0.98, "owner_satisfaction": {"value": 0.5, "qualifier": "以上"}}))
    assert codes(found) == ["W227", "W227"] and all(p.severity is Severity.warning for p in found)
    assert "应写 98" in found[0].message and "应写 50" in found[1].message
    assert codes(problems_of(record(metrics={"fee_collection_rate": 98, "owner_satisfaction": 1}))) == []


@pytest.mark.parametrize(
    ("location", "hint"),
    [
        ({"province": "Hunan"}, "湖南省"),
        ({"province": "Wuhan"}, "湖北省武汉市"),
        ({"province": "湖北省", "city": "Wuhan City"}, "武汉市"),
        ({"province": "湖北省", "city": "武汉市", "district": "Qiaokou"}, "硚口区"),
        ({"province": "Shaanxi"}, "陕西省"),
    ],
)
def test_english_place_names_get_a_chinese_suggestion(location: dict, hint: str) -> None:
    [problem] = problems_of(record(location=location))
    assert problem.code.startswith("E23") and hint in problem.message


def test_new_suggests_the_chinese_province(repo: Path) -> None:
    result = invoke(repo, "new", "守望花园", "--number", "7", "--province", "Hunan")
    assert result.exit_code == 1 and "湖南省" in result.output


def test_a_mechanism_theme_gets_the_same_suggestion_as_a_record_theme() -> None:
    data = record(themes=["收费公开"], mechanisms=[{"name": "“四公开一监督”", "theme": "收费公开", "what": "公开服务标准。"}])
    first, second = problems_of(data)
    assert first.message == second.message and "收费信息公开" in first.message


# ---- every problem in one run --------------------------------------------------------------


def test_a_wrong_status_does_not_hide_the_other_problems() -> None:
    data = record(status="publish", themes=["红色物业管理"], location={"province": "湖北省", "city": "武汉"})
    assert sorted(codes(problems_of(data))) == ["E209", "E223", "E231"]


def test_a_broken_list_item_leaves_the_rest_of_the_file_checked() -> None:
    data = record(mechanisms=[{"name": "“四公开一监督”"}], themes=["不存在的主题"])
    assert sorted(codes(problems_of(data))) == ["E201", "E223"]


def test_a_duplicate_key_keeps_the_first_value_and_the_check_goes_on() -> None:
    text = yaml.safe_dump(record(), allow_unicode=True, sort_keys=False)
    text = text.replace("status: published\n", "status: published\nstatus: publish\n")
    text = text.replace("  district: 硚口区\n", "  district: 硚口区\n  city: 武汉\n")
    found = problems_of(text)
    assert codes(found) == ["E103", "E103"], [p.format() for p in found]
    text = text.replace("kind: estate", "kind: estate\nthemes: [没有这个主题]")
    assert sorted(codes(problems_of(text))) == ["E103", "E103", "E223"]


def test_a_record_with_problems_never_enters_the_catalogue(repo: Path) -> None:
    from generator.build.records import load_catalogue

    good = record()
    broken = record(status="publish", slug="broken", number=8)
    for name, data in (("007-good.yml", good), ("008-broken.yml", broken)):
        (repo / "projects" / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    catalogue = load_catalogue(load_site_config(repo / "site_config.yml"), include_drafts=True)
    assert [entry.slug for entry in catalogue.entries] == [good["slug"]]
    assert codes(catalogue.report.problems) == ["E209"]


# ---- copying -----------------------------------------------------------------------------------

SOURCE = [
    "幸福里小区位于江城市东湖区，建成于2008年，共有住户1800户。小区成立业主委员会以来，坚持每月召开议事会，"
    "由业主代表、物业服务企业和社区居委会共同商量停车、充电、绿化等居民关心的问题，逐项形成解决方案并公开进展。",
    "小区推行“红色管家”服务，组织党员志愿者每周上门走访独居老人，帮助代买药品、维修家电，累计服务三千余人次。",
]
COPIED = "小区成立业主委员会以来，坚持每月召开议事会，由业主代表、物业服务企业和社区居委会共同商量停车、充电、绿化等居民关心的问题。"
OWN_WORDS = "业委会每月牵头议事，业主、物业和居委会一起商量停车和充电这些难题，再把办法和进度公开给大家。"


def with_source(summary: str, **changes) -> dict:
    return record(summary=summary, review={"source_paragraphs": SOURCE}, **changes)


def test_a_published_record_that_repeats_its_source_is_warned() -> None:
    found = problems_of(with_source(COPIED))
    assert codes(found) == ["W270", "W271"] and all(p.severity is Severity.warning for p in found)
    assert found[0].line == found[1].line  # both at the summary
    assert "审校材料中的原文" in found[0].message
    assert problems_of(with_source(OWN_WORDS)) == []
    assert problems_of(with_source(COPIED, status="draft")) == []


def test_quotations_and_proper_names_are_not_copying() -> None:
    quoted = "小区的做法被概括为一句话：“" + COPIED + "”业委会和物业各自守好本分。"
    assert problems_of(with_source(quoted)) == []
    source = ["江城市东湖区幸福里小区党支部联合江城幸福里物业服务有限公司东湖分公司推行“红色管家”服务机制。"]
    named = record(
        summary="江城市东湖区幸福里小区党支部联合江城幸福里物业服务有限公司东湖分公司，让党员上门服务老人。",
        name="幸福里小区", location={"province": "湖北省", "city": "武汉市", "district": "硚口区", "street": "江城市东湖区"},
        facts={"property_company": "江城幸福里物业服务有限公司东湖分公司"}, review={"source_paragraphs": source},
    )
    assert problems_of(named) == []


def test_thresholds_come_from_site_config(repo: Path) -> None:
    text = (repo / "site_config.yml").read_text(encoding="utf-8")
    text = text.replace("  metrics:\n", "  copying: {longest_run: 200, share: 95, min_run: 12}\n  metrics:\n", 1)
    (repo / "site_config.yml").write_text(text, encoding="utf-8")
    config = load_site_config(repo / "site_config.yml")
    data = yaml.safe_dump(with_source(COPIED + OWN_WORDS), allow_unicode=True, sort_keys=False)
    assert check_document(parse_text(data, "x.yml"), config).problems("x.yml", config) == []
    assert codes(problems_of(data)) == ["W270", "W271"]


def _write_record(repo: Path, data: dict, name: str = "007-x.yml") -> Path:
    path = repo / "projects" / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_named_source_file_is_compared_and_read_again_when_it_changes(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.build.records import CatalogueLoader

    monkeypatch.setenv("SHOWCASE_CACHE", "1")  # the record's own checks come from the cache the second time
    archive = repo / "archive"
    archive.mkdir()
    article = archive / "article.txt"
    article.write_text("\n".join(SOURCE), encoding="utf-8")
    sources = [{"publisher": "中国物业管理协会", "title": "测试来源", "file": "archive/article.txt"}]
    _write_record(repo, record(summary=COPIED, sources=sources))
    config = load_site_config(repo / "site_config.yml")
    assert codes(CatalogueLoader(config).check().problems) == ["W270", "W271"]
    assert "archive/article.txt" in CatalogueLoader(config).check().problems[0].message
    article.write_text("另一篇文章，讲的是别的小区怎样做好垃圾分类。", encoding="utf-8")
    assert CatalogueLoader(config).check().problems == []
    result = invoke(repo, "check", "--strict")
    assert result.exit_code == 0, result.output


def test_a_traditional_source_file_with_pinyin_is_compared_as_the_importer_reads_it(repo: Path) -> None:
    (repo / "article.txt").write_text(
        "小區成立業主委員會以來,堅持每月召開(kāi)議事會,由業主代表、物業服務企業和社區居委會共同商量停車、充電、綠化等居民關心的問題。",
        encoding="utf-8",
    )
    sources = [{"publisher": "中国物业管理协会", "title": "测试来源", "file": "article.txt"}]
    _write_record(repo, record(summary=COPIED, sources=sources))
    result = invoke(repo, "check", "--strict")
    assert result.exit_code == 1 and "[W270 警告]" in result.output and "[W271 警告]" in result.output


@pytest.mark.parametrize("name", ["../outside.txt", "/etc/passwd", "link.txt", "a/../../outside.txt"])
def test_a_source_file_outside_the_repository_is_never_read(repo: Path, tmp_path_factory, name: str) -> None:
    outside = tmp_path_factory.mktemp("outside") / "outside.txt"
    outside.write_text("\n".join(SOURCE), encoding="utf-8")
    (repo / "link.txt").symlink_to(outside)
    (repo.parent / "outside.txt").write_text("\n".join(SOURCE), encoding="utf-8")
    sources = [{"publisher": "中国物业管理协会", "title": "测试来源", "file": name}]
    _write_record(repo, record(summary=COPIED, sources=sources))
    result = invoke(repo, "check")
    assert "[W272 警告]" in result.output and "W270" not in result.output, result.output


SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_the_shipped_records_pass_strict_against_their_archived_sources(repo: Path) -> None:
    shutil.rmtree(repo / "projects")
    shutil.copytree(ROOT / "projects", repo / "projects")
    shutil.copytree(SEEDS, repo / "seeds")
    result = invoke(repo, "check", "--strict")
    assert result.exit_code == 0, result.output
