"""The benchmark's synthetic catalogue: valid, realistic, clearly synthetic, never in projects/.

Speed is measured by `make bench`, not here: these tests only check the generator.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

# bench/ is a top-level package that is not installed (it is no part of the
# product); `python -m pytest` finds it from the repository root, bare `pytest` may not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import phrases  # noqa: E402
from bench.synthetic import (  # noqa: E402
    NATIONAL_SLOTS,
    REPO,
    ROUND_SIZE,
    SYNTHETIC_NOTE,
    SYNTHETIC_PREFIX,
    _vocabulary,
    generate,
    placement,
    synthetic_record,
)
from generator.schema.site_config import load_site_config  # noqa: E402
from generator.build.records import load_catalogue  # noqa: E402

N = 140  # > 100 national slots, so rounds and local practices appear too


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    return generate(N, tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="module")
def catalogue(site):
    return load_catalogue(load_site_config(site.config_path))


@pytest.fixture(scope="module")
def vocabulary() -> list[str]:
    return _vocabulary(yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8")))


def test_every_record_passes_check_without_warnings(site, catalogue):
    assert catalogue.report.as_text().endswith(f"检查了 {N} 个文件：0 个错误，0 个警告。")
    assert len(catalogue.entries) == N == site.records
    assert len(catalogue.visible) == N  # all published, so the build shows all of them


def test_all_mainland_provinces_with_real_places(catalogue):
    provinces = Counter(e.record.location.province for e in catalogue.entries)
    assert set(provinces) == set(phrases.MAINLAND_PROVINCES)
    assert len(phrases.MAINLAND_PROVINCES) == 31
    assert all(e.record.location.city for e in catalogue.entries)


def test_every_record_is_marked_synthetic(catalogue):
    for entry in catalogue.entries:
        record = entry.record
        assert record.name.startswith(SYNTHETIC_PREFIX)
        assert record.slug.startswith("syn-")
        assert record.notes == [SYNTHETIC_NOTE]


def test_record_files_carry_the_synthetic_header(site):
    for path in site.projects_dir.iterdir():
        assert path.read_text(encoding="utf-8").startswith(f"# {SYNTHETIC_NOTE}")


def test_series_numbers_are_unique_and_within_slots(catalogue):
    config = catalogue.config
    numbers = [(e.record.series, e.record.number) for e in catalogue.entries if e.record.number is not None]
    assert len(numbers) == len(set(numbers))
    for series, number in numbers:
        assert 1 <= number <= config.series_by_id[series].size
    series = Counter(e.record.series for e in catalogue.entries)
    assert series["national-2022"] == NATIONAL_SLOTS
    assert series["local-practices"] > 0 and series["synthetic-01"] > 0


@pytest.mark.parametrize("n", [1, 100, 101, 2_000, 10_000])
def test_placement_never_reuses_a_slot(n):
    slots = [placement(i) for i in range(n)]
    numbered = [slot for slot in slots if slot[1] is not None]
    assert len(numbered) == len(set(numbered))
    assert all(number <= (NATIONAL_SLOTS if series == "national-2022" else ROUND_SIZE) for series, number in numbered)


def test_text_is_realistic_in_size_and_figures_carry_qualifiers(vocabulary):
    records = [synthetic_record(i, vocabulary) for i in range(300)]
    prose = [
        len("".join(
            [r["summary"]]
            + [m[k] for m in r["mechanisms"] for k in ("name", "what", "how")]
            + [h[k] for h in r["highlights"] for k in ("title", "text")]
        ).encode("utf-8"))
        for r in records
    ]
    assert 2000 <= statistics.median(prose) <= 3200  # ~2.5 KB of prose, like the pages
    qualified = [v for r in records for v in r["metrics"].values() if isinstance(v, dict)]
    assert {q["qualifier"] for q in qualified} >= {"以上", "超过", "近", "约", "达"}
    assert len({r["slug"] for r in records}) == len(records)


def test_records_depend_only_on_their_index(vocabulary, tmp_path):
    assert synthetic_record(123, vocabulary) == synthetic_record(123, vocabulary)
    small = generate(3, tmp_path / "small")
    large = generate(5, tmp_path / "large")
    for path in small.projects_dir.iterdir():
        assert path.read_bytes() == (large.projects_dir / path.name).read_bytes()


def test_temp_config_keeps_real_series_and_adds_marked_rounds(site):
    config = load_site_config(site.config_path)
    real = load_site_config(REPO / "site_config.yml")
    ids = [s.id for s in config.catalogue.series]
    assert ids[: len(real.catalogue.series)] == [s.id for s in real.catalogue.series]
    rounds = [s for s in config.catalogue.series if s.id.startswith("synthetic-")]
    assert rounds and all(s.title.startswith(SYNTHETIC_PREFIX) for s in rounds)
    assert config.projects_dir == site.projects_dir
    assert config.docs_dir == site.docs_dir


@pytest.mark.parametrize("folder", ["projects", "projects/sub", "content", "."])
def test_refuses_to_write_into_the_repository(folder):
    with pytest.raises(ValueError, match="临时目录"):
        generate(1, REPO / folder)
    assert not any(p.name.startswith("syn-") for p in (REPO / "projects").glob("*.yml"))
