"""Honest home-page figures (generator.present.statistics): a sum keeps its figures' qualifiers and says how
many records it rests on, and nothing is stated below catalogue.statistics.min_records. (Medians and the
charts' distributions are tested in tests/test_site_overview.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalogue import Catalogue, Entry
from generator.present.statistics import combined_qualifier, enough, middle, total
from generator.schema.record import Qualifier, Record
from generator.schema.site_config import load_site_config

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load_site_config(ROOT / "site_config.yml").catalogue
HOUSEHOLDS = CONFIG.metric_by_key["households"]


def entries(*metrics: dict) -> list[Entry]:
    found = []
    for number, figures in enumerate(metrics, start=1):
        record = Record.model_validate({
            "kind": "estate", "series": "national-2022", "number": number, "name": f"测试{number}", "headline": "标题语",
            "slug": f"ceshi-{number}", "status": "published", "location": {"province": "湖北省"}, "summary": "概况。",
            "metrics": figures, "sources": [{"publisher": "测试", "title": "测试"}],
        })
        found.append(Entry(f"projects/{number:03d}.yml", record))
    return found


def test_a_sum_of_approximate_counts_is_approximate_and_counts_its_records() -> None:
    summed = total(entries({"households": {"value": 12000, "qualifier": "约"}}, {"households": 800}, {}, {"households": 200}), HOUSEHOLDS)
    assert (summed.text, summed.records) == ("约1.3万", 3)
    assert total(entries({}), HOUSEHOLDS) is None


def test_a_lower_bound_stays_true_when_rounded() -> None:
    summed = total(entries(*({"households": {"value": 4320, "qualifier": "超过"}},) * 3), HOUSEHOLDS)
    assert summed.text == "1.2万以上"  # 12,960 rounded down


@pytest.mark.parametrize(
    ("qualifiers", "combined"),
    [
        ([None, Qualifier.da], None),
        ([None, Qualifier.yishang, Qualifier.chaoguo], Qualifier.yishang),
        ([None, Qualifier.jin], Qualifier.jin),
        ([Qualifier.jin, Qualifier.yishang], Qualifier.yue),
        ([None, Qualifier.yue], Qualifier.yue),
    ],
)
def test_qualifiers_combine_by_direction(qualifiers, combined) -> None:
    assert combined_qualifier(qualifiers) is combined


def test_the_minimum_comes_from_site_config() -> None:
    relaxed = CONFIG.model_copy(update={"statistics": CONFIG.statistics.model_copy(update={"min_records": 1})})
    assert not enough(1, CONFIG) and enough(1, relaxed) and enough(3, CONFIG)


def test_the_catalogue_itself_states_no_statistic_of_figures() -> None:
    catalogue = Catalogue(config=CONFIG, entries=entries({"owner_satisfaction": 95}))
    assert set(catalogue.headline_figures) == {"records", "provinces", "mechanisms"}


def test_the_shipped_home_page_states_no_median_from_one_record() -> None:
    from generator.build.records import load_catalogue

    catalogue = load_catalogue(load_site_config(ROOT / "site_config.yml"))
    satisfaction = middle(catalogue.visible, CONFIG.metric_by_key["owner_satisfaction"])
    assert satisfaction.records == 1 and not enough(satisfaction.records, catalogue.config)  # 048's "95%以上" alone
    summed = total(catalogue.visible, HOUSEHOLDS)
    assert summed.records == 3 and enough(summed.records, catalogue.config)
