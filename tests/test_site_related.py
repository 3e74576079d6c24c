"""Catalogue.related and .neighbours, indexed for 10,000 records, agree with their plain definitions.

The website asks both for every record page; the plain pairwise versions are
quadratic. These tests pin the indexed versions to the definitions on random
catalogues.
"""

from __future__ import annotations

import random

import pytest

from generator.catalogue import Catalogue, Entry
from generator.schema.site_config import load_site_config
from generator.schema.record import Record
from generator.text.mechanism_names import mechanism_key
from site_support import ROOT

# Some mechanisms named two ways (with and without a generic word): still one mechanism.
MECHANISMS = [f"“做法{i}”" for i in range(12)] + [f"“做法{i}”工作机制" for i in range(4)]


def random_catalogue(seed: int, size: int, tag_pool: int | None = None) -> Catalogue:
    """Random records; a small `tag_pool` makes large groups of records with the same themes."""
    config = load_site_config(ROOT / "site_config.yml").catalogue
    tags = [t.name for t in config.themes] + [tag for t in config.themes for tag in t.tags]
    rng = random.Random(seed)
    tags = tags[: tag_pool or len(tags)]
    entries = []
    for i in range(size):
        record = Record.model_validate({
            "kind": "estate", "series": rng.choice(["national-2022", "local-practices"]),
            "number": i + 1, "status": "published", "name": f"项目{i}", "headline": "标题语",
            "slug": f"p-{rng.randrange(10**6):06d}-{i}", "location": {"province": "湖北省"}, "summary": "概况",
            "themes": rng.sample(tags, rng.randrange(0, min(4, len(tags) + 1))),
            "mechanisms": [{"name": name, "what": "是什么", "theme": rng.choice(tags + [None])}
                           for name in rng.sample(MECHANISMS, rng.choice([0, 0, 0, 1, 2]))],
            "sources": [{"publisher": "测试", "title": "测试"}],
        })
        entries.append(Entry(f"projects/{i}.yml", record))
    return Catalogue(config=config, entries=entries)


def related_by_definition(catalogue: Catalogue, entry: Entry, limit: int = 4) -> list[Entry]:
    own_themes = {t.name for t in catalogue.themes_of(entry)}
    own_mechanisms = {mechanism_key(m.name) for m in entry.record.mechanisms}
    scored = []
    for other in catalogue.visible:
        if other is entry:
            continue
        shared_mech = own_mechanisms & {mechanism_key(m.name) for m in other.record.mechanisms}
        shared_themes = own_themes & {t.name for t in catalogue.themes_of(other)}
        score = 3 * len(shared_mech) + len(shared_themes)
        if score:
            scored.append((-score, other.record.slug, other))
    return [other for _, _, other in sorted(scored, key=lambda t: t[:2])[:limit]]


@pytest.mark.parametrize("tag_pool", [None, 2])
@pytest.mark.parametrize("seed", range(4))
def test_related_matches_its_definition(seed, tag_pool):
    catalogue = random_catalogue(seed, 120, tag_pool)
    for entry in catalogue.visible:
        for limit in (1, 4, 10):
            assert catalogue.related(entry, limit) == related_by_definition(catalogue, entry, limit), entry.slug


@pytest.mark.parametrize("seed", range(3))
def test_neighbours_are_the_series_order(seed):
    catalogue = random_catalogue(seed, 60)
    for series in catalogue.by_series.values():
        for position, entry in enumerate(series):
            before, after = catalogue.neighbours(entry)
            assert before is (series[position - 1] if position else None)
            assert after is (series[position + 1] if position + 1 < len(series) else None)


def test_one_mechanism_named_two_ways_is_one_index_entry() -> None:
    from generator.present.urls import mechanism_anchor

    catalogue = random_catalogue(0, 0)
    config = catalogue.config
    names = ["“四公开一监督”", "“四公开一监督”工作机制", "“四公开一监督”"]
    entries = [
        Entry(f"projects/{i}.yml", Record.model_validate({
            "kind": "estate", "series": "local-practices", "status": "published", "name": f"项目{i}", "headline": "标题语",
            "slug": f"p-{i}", "location": {"province": "湖北省"}, "summary": "概况",
            "mechanisms": [{"name": name, "what": "公开服务标准。"}], "sources": [{"publisher": "测试", "title": "测试"}],
        }))
        for i, name in enumerate(names)
    ]
    catalogue = Catalogue(config=config, entries=entries)
    [use] = catalogue.mechanisms.values()
    assert use.name == "“四公开一监督”" and len(use.entries) == 3
    assert len({mechanism_anchor(name) for name in names}) == 1
    assert catalogue.related(entries[1]) == [entries[0], entries[2]]
