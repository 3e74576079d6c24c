"""Shared helpers for tests/test_site_*.py and tests/browser/ (a plain module, not a test file).

`make_project` writes a throwaway project — site_config.yml, content/ and
records generated here in code — into a temporary folder, so the website
tests never depend on (or write to) the real projects/.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

import yaml

from generator.schema.site_config import SiteConfig, load_site_config
from photo_support import phone_jpeg, png
from photo_support import write as write_photo

ROOT = Path(__file__).resolve().parent.parent

# Strings that must never reach a published page.
REVIEW_SECRET = "审校专用段落-不得发布"
DRAFT_NAME = "草稿花园"
HOSTILE_NAME = '<script>alert("x")</script>花园'


def _source(title: str) -> dict[str, Any]:
    return {"publisher": "中国物业管理协会", "title": title, "date": "2022-06-01", "url": "https://example.org/a?b=1&c=2"}


def records() -> dict[str, dict[str, Any]]:
    """File name → record mapping. Figures cover plain values, qualifiers and notes."""
    shared = {
        "name": "“1+1+X”联席会议制度",
        "theme": "联席会议",
        "what": "社区党委领导下的月度联席会议。",
        "how": "每月开会一次。",
    }
    return {
        "047-ceshi-huayuan.yml": {
            "kind": "estate", "series": "national-2022", "number": 47, "status": "published",
            "name": "测试·城市花园", "headline": "延伸测试触角 满足测试需求", "slug": "ceshi-huayuan",
            "location": {"province": "湖北省", "city": "武汉市", "district": "硚口区", "street": "宝丰街道",
                         "note": "来源把区名印作“口区”，记为硚口区。"},
            "summary": "小区有住户1439户，以“红色物业”带动治理：\n建立小区党组织。",
            "metrics": {
                "households": 1439,
                "building_area": 228394.93,
                "owner_satisfaction": {"value": 95, "qualifier": "以上"},
                "fee_collection_rate": {"value": 90, "qualifier": "超过", "note": "2021年"},
                "population": {"value": 5000, "qualifier": "近"},
            },
            "facts": {"property_company": "测试物业服务有限公司", "year_delivered": 2012},
            "mechanisms": [shared, {"name": "“四公开一监督”", "theme": "收费信息公开", "what": "公开服务标准。"}],
            "highlights": [{"title": "解决电瓶车难题", "text": "改造车棚，方便充电。"}],
            "themes": ["红色物业", "电动车充电"],
            "recognitions": [{"title": "测试示范小区", "level": "市级", "year": 2017}],
            "sources": [_source("湖北地区项目展示")],
            "images": [
                {"path": "047-ceshi-huayuan/gate.jpg", "alt": "小区入口的大门和门岗", "caption": "小区入口",
                 "credit": "摄影：测试物业", "permission": "小区物业授权"},
                {"path": "047-ceshi-huayuan/lead.jpg", "alt": "业主在议事亭开会", "caption": "议事亭里的业主会",
                 "credit": "摄影：张三", "permission": "本刊摄影", "lead": True},
                {"path": "047-ceshi-huayuan/garden.png", "alt": "楼间的小花园", "credit": "来源：测试物业",
                 "permission": "小区物业授权"},
            ],
            "notes": ["区名在来源中脱字。"],
            "review": {"source_paragraphs": [REVIEW_SECRET], "todo": [REVIEW_SECRET + "待办"]},
        },
        "048-ceshi-lanwan.yml": {
            "kind": "estate", "series": "national-2022", "number": 48, "status": "published",
            "name": "测试蓝湾", "headline": "联起来 暖起来", "slug": "ceshi-lanwan",
            "location": {"province": "湖北省", "city": "宜昌市", "district": "西陵区"},
            "summary": "测试蓝湾的概况。",
            "metrics": {"households": 3200, "owner_satisfaction": 98.5, "fee_collection_rate": 97},
            "mechanisms": [shared],
            "themes": ["联席会议", "业委会建设"],
            "sources": [{"publisher": "宜昌日报", "title": "测试蓝湾报道", "date": "2023-03-02"}],
        },
        "049-caogao.yml": {
            "kind": "estate", "series": "national-2022", "number": 49, "status": "draft",
            "name": DRAFT_NAME, "headline": "还在写", "slug": "caogao-huayuan",
            "location": {"province": "湖北省", "city": "武汉市"},
            "summary": "草稿概况。",
            "metrics": {"households": 99999},
            "themes": ["红色物业"],
            "sources": [_source("草稿来源")],
            "review": {"todo": [REVIEW_SECRET]},
        },
        "beijing-shequ.yml": {
            "kind": "community", "series": "local-practices", "status": "published",
            "name": HOSTILE_NAME, "headline": "社区与物业 “双向进入”", "slug": "beijing-shequ",
            "location": {"province": "北京市", "city": "北京市", "district": "东城区"},
            "summary": "北京的一个社区 & 物业 <b>不是标签</b>。",
            "metrics": {"households": 800, "owner_satisfaction": {"value": 90, "qualifier": "以上"}},
            "themes": ["网格化管理"],
            "sources": [_source("北京社区报道")],
        },
    }


# The photos of 047-ceshi-huayuan, beside its record file: path → bytes (drawn by tests/photo_support.py).
@functools.cache
def record_photos() -> dict[str, bytes]:
    return {
        # Long sides of 2000 pixels: just enough for the magazine (no W240 warning), small to process.
        "047-ceshi-huayuan/gate.jpg": phone_jpeg(2000, 1500, orientation=6, seed=1),
        "047-ceshi-huayuan/lead.jpg": phone_jpeg(2000, 1334, orientation=1, seed=2),
        "047-ceshi-huayuan/garden.png": png(1200, 2000, seed=3),
    }


def tiny_png() -> bytes:
    """A valid 2×2 red PNG, so image records pass validation without binary fixtures."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xc0\x30\x28" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def make_project(root: Path, extra_records: dict[str, dict[str, Any]] | None = None) -> SiteConfig:
    """A complete throwaway project under `root`; returns its loaded SiteConfig."""
    document = yaml.safe_load((ROOT / "site_config.yml").read_text(encoding="utf-8"))
    document["docs_dir"] = "content"
    document["site_dir"] = "site"
    document["catalogue"]["projects_dir"] = "projects"
    (root / "site_config.yml").write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(ROOT / "content", root / "content", ignore=shutil.ignore_patterns("images"))
    for name, data in record_photos().items():
        write_photo(root / "projects" / name, data)
    write_records(root, {**records(), **(extra_records or {})})
    return load_site_config(root / "site_config.yml")


def write_records(root: Path, mapping: dict[str, dict[str, Any]]) -> None:
    projects = root / "projects"
    projects.mkdir(exist_ok=True)
    for name, record in mapping.items():
        (projects / name).write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` → sha256 of its bytes: compares two builds exactly."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
