"""`showcase export` through click's CliRunner, on a throwaway copy of the fixtures."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from export_support import FIXTURES, ROOT

from generator.cli import main
from generator.exporters import EXPORTER_BY_NAME


@pytest.fixture()
def site(tmp_path):
    """A site root with site_config.yml and the synthetic records as projects/."""
    shutil.copy(ROOT / "site_config.yml", tmp_path / "site_config.yml")
    shutil.copytree(FIXTURES, tmp_path / "projects", ignore=shutil.ignore_patterns("*.md"))
    return tmp_path


def invoke(site, *arguments: str):
    return CliRunner().invoke(main, ["export", "--config", str(site / "site_config.yml"), *arguments])


@pytest.mark.parametrize(
    ("format_name", "expected"),
    [
        ("wechat", ["wechat-hubei.html"]),
        ("icml", ["047-shili-huayuan.icml", "048-teshu-zifu.icml"]),
        ("docx", ["proof-hubei.docx"]),
        ("pdf", ["proof-hubei.pdf"]),
        ("csv", ["records-hubei.csv"]),
        ("json", ["records-hubei.json", "records.schema.json"]),
    ],
)
def test_each_format_writes_its_files(site, format_name, expected):
    out = site / "out"
    result = invoke(site, "--format", format_name, "--province", "湖北", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    assert result.output.count("已写入") == len(expected)


def test_every_registered_format_is_offered_and_explained():
    result = CliRunner().invoke(main, ["export", "--help"])
    for name, exporter in EXPORTER_BY_NAME.items():
        assert name in result.output and exporter.description in result.output


def test_unknown_province_is_a_user_error_without_traceback(site):
    result = invoke(site, "--format", "csv", "--province", "湖东", "--out", str(site / "out"))
    assert result.exit_code == 1
    assert "没有省份“湖东”的已发布记录。你是不是要找：湖南、湖北？" in result.output
    assert "Traceback" not in result.output
    assert not (site / "out").exists()


def test_drafts_flag_reaches_proofs_but_not_open_data(site):
    result = invoke(site, "--format", "icml", "--number", "49", "--drafts", "--out", str(site / "proof"))
    assert result.exit_code == 0, result.output
    assert (site / "proof" / "049-caogao-xiaoqu.icml").exists()
    result = invoke(site, "--format", "csv", "--drafts", "--out", str(site / "data"))
    assert "caogao-xiaoqu" not in (site / "data" / "records-all.csv").read_text(encoding="utf-8-sig")


def test_csv_header_option_and_file_names_tell_selections_apart(site):
    result = invoke(site, "--format", "csv", "--csv-header", "keys", "--province", "北京", "--out", str(site / "data"))
    assert result.exit_code == 0, result.output
    (path,) = (site / "data").iterdir()
    assert path.name == "records-beijing-keys.csv"
    assert path.read_text(encoding="utf-8-sig").startswith("id,series_id,series,number,")
