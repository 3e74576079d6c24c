"""Records for the search tests (a plain module, not a test file).

Also a reader of the index that does what assets/search.js does, so the
unit tests can check what a query finds without a browser.

Targets carry the words the issue searches for; decoys carry the same
characters scattered (电梯…活动…停车, 公开…监督, 居民委员会) so a search that
matched characters instead of words would be caught.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from generator.catalogue import Catalogue, Entry
from generator.schema.site_config import load_site_config
from generator.schema.record import Record
from generator.search.postings import Postings
from generator.search.tokens import QueryPart, query_parts

ROOT = Path(__file__).resolve().parent.parent
XSS_NAME = '<img src=x onerror="window.__xss=1">花园'

# A Chromium wait condition: the search page has finished a search (status set, result list whole).
SEARCH_SETTLED = (
    "() => { const s = document.querySelector('.sc-search-page__status');"
    " return s && s.textContent && !s.textContent.startsWith('正在搜索')"
    " && !document.querySelector('ol.sc-search-results[aria-busy]'); }"
)

SOURCE = [{"publisher": "中国物业管理协会", "title": "测试来源"}]


def _record(slug: str, name: str, province: str, city: str, district: str, summary: str, **extra: Any) -> dict:
    record = {
        "kind": "estate",
        "series": "local-practices",
        "name": name,
        "headline": extra.pop("headline", f"{name}的做法"),
        "slug": slug,
        "status": extra.pop("status", "published"),
        "location": {"province": province, "city": city, "district": district},
        "summary": summary,
        "sources": SOURCE,
    }
    record.update(extra)
    return record


RECORDS: list[dict] = [
    _record(
        "gezhouba-chengshi-huayuan", "葛洲坝·城市花园", "湖北省", "武汉市", "硚口区",
        "小区不断探索“红色物业”融入社区治理新模式，著力打造“红色业委会”。",
        mechanisms=[{"name": "“四公开一监督”", "theme": "收费信息公开",
                     "what": "物业服务企业主动向业主公开服务流程、服务团队和服务标准。",
                     "how": "针对小区电瓶车管理难题，启动车棚改造扩容计划。"}],
        themes=["红色物业", "电动车充电"],
        metrics={"households": 1439, "owner_satisfaction": {"value": 95, "qualifier": "以上"}},
    ),
    _record(
        "wuhan-jinyu-lanwan", "武汉金域蓝湾", "湖北省", "武汉市", "汉南区",
        "金域蓝湾小区于2015年依法选举产生业主委员会，严格落实“四公开一监督”制度。",
        themes=["收费信息公开", "业委会建设"],
        metrics={"owner_satisfaction": 98},
    ),
    _record(
        "zaoyuan-shangcheng", "枣园尚城社区", "北京市", "北京市", "大兴区",
        "回迁社区曾经一个晚上丢了11辆电动车，试点推行“职业经理人”物业管理模式。物业每月推送H5月报。",
        themes=["停车管理"],
        metrics={"households": 950},  # 950户 must not answer 95%
    ),
    _record(
        "decoy-changsha", "桂花新村", "湖南省", "长沙市", "雨花区",
        "小区加装电梯，组织文体活动，规范停车秩序；定期公开账目，接受居民监督。",
        themes=["老旧小区改造"],
    ),
    _record(
        "decoy-chengdu", "锦绣家园", "四川省", "成都市", "武侯区",
        "居民委员会牵头成立议事会，委员由居民推选产生，会议每月召开一次。",
        themes=["居民自治"],
    ),
    _record(
        "hostile-name", XSS_NAME, "广东省", "广州市", "天河区",
        "名称里带有标签的测试记录，页面必须原样显示文字。",
        headline="<b>粗体</b>标语",
    ),
    _record(
        "draft-record", "草稿花园", "湖北省", "武汉市", "江岸区",
        "尚未发布的记录也提到电动车和四公开一监督，搜索不能找到它。",
        status="draft",
    ),
]

# query → slugs it must find (exactly, in the fixture above)
EXPECTED: dict[str, set[str]] = {
    "四公开一监督": {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan"},
    "电瓶车": {"gezhouba-chengshi-huayuan", "zaoyuan-shangcheng"},
    "电动车": {"gezhouba-chengshi-huayuan", "zaoyuan-shangcheng"},
    "业委会": {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan"},
    "业主委员会": {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan"},
    "武汉": {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan"},
    "金域蓝湾": {"wuhan-jinyu-lanwan"},
    "葛洲坝": {"gezhouba-chengshi-huayuan"},
    "北京 电动车": {"zaoyuan-shangcheng"},
    "监督 长沙": {"decoy-changsha"},
    "电梯 武汉": set(),
    "不存在的词": set(),
}


def make_catalogue(records: list[dict] = RECORDS) -> Catalogue:
    """A Catalogue of the given records with the repository's catalogue settings."""
    config = load_site_config(ROOT / "site_config.yml")
    entries = [Entry(f"projects/{r['slug']}.yml", Record.model_validate(r)) for r in records]
    return Catalogue(config=config.catalogue, entries=entries)


# ---- reading an index like assets/search.js -------------------------------


def _column(payload: bytes, n: int, first: int, width: int) -> list[int]:
    values = [0] * n
    for plane in range(first, first + width):
        row = payload[plane * n : (plane + 1) * n]
        values = [v * 256 + b for v, b in zip(values, row)]
    return values


def entries(postings: Postings, key: str) -> list[tuple[int, int]] | None:
    """(rid, position) per occurrence for a bigram, (rid, class) per record otherwise; None if absent."""
    payload = postings.payloads.get(key)
    if payload is None:
        return None
    second = postings.pos_bytes if postings.positional(key) else 1
    n = len(payload) // (postings.rid_bytes + second)
    return list(zip(_column(payload, n, 0, postings.rid_bytes), _column(payload, n, postings.rid_bytes, second)))


def part_records(postings: Postings, part: QueryPart) -> set[int]:
    lists = [entries(postings, key) for key in part.keys]
    if any(found is None for found in lists):
        return set()
    if part.kind != "run":
        return {rid for rid, _ in lists[0]}
    at = [{(rid, pos) for rid, pos in found} for found in lists]
    return {rid for rid, pos in lists[0] if all((rid, pos + o) in at[j] for j, o in enumerate(part.offsets))}


def search(postings: Postings, query: str) -> set[int]:
    """Record ids holding every part of the query (no synonyms)."""
    parts = query_parts(query)
    if not parts:
        return set()
    found = part_records(postings, parts[0])
    for part in parts[1:]:
        found &= part_records(postings, part)
    return found


def read_gzip_json(path: Path):
    return json.loads(gzip.decompress(path.read_bytes()))
