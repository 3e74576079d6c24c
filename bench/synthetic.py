"""Synthetic catalogues for benchmarks: N records that validate, under a temp folder.

Every record is deterministic in its index (record i is the same whatever N),
so timings at different N compare like with like, and every record is marked
synthetic three ways: the name starts with 【合成】, the slug with `syn-`, and
`notes` says 合成数据，仅用于性能测试.

Series: the national series has only 100 numbered slots, so records 1–100
fill `national-2022` and the rest go to synthetic numbered rounds of 500 slots
each (`synthetic-01`, `synthetic-02`, … — like provincial rounds, which name
hundreds a year), with every fourth record in the unnumbered `local-practices`.
The rounds are added to a temp copy of site_config.yml; the real one is never
touched. Only the mainland's 31 provincial-level divisions are used, with real
cities and districts from generator.schema.divisions, so location checks pass.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench import phrases
from generator.present.places import province_short
from generator.schema.divisions import DIVISIONS

REPO = Path(__file__).resolve().parent.parent
NATIONAL_SERIES = "national-2022"
NATIONAL_SLOTS = 100
LOCAL_SERIES = "local-practices"
ROUND_SIZE = 500
SYNTHETIC_PREFIX = "【合成】"
SYNTHETIC_NOTE = "合成数据，仅用于性能测试"
SEED = 20220815


@dataclass
class SyntheticSite:
    """A generated catalogue: a temp site_config.yml pointing at its own projects/ and content/."""

    root: Path
    config_path: Path
    projects_dir: Path
    docs_dir: Path
    slugs: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        return len(self.slugs)


def round_id(index: int) -> str:
    return f"synthetic-{index:02d}"


def placement(i: int) -> tuple[str, int | None]:
    """(series, number) of record i (0-based): national first, then rounds and local practices."""
    if i < NATIONAL_SLOTS:
        return NATIONAL_SERIES, i + 1
    rest = i - NATIONAL_SLOTS
    if rest % 4 == 3:
        return LOCAL_SERIES, None
    numbered = rest - rest // 4  # position among numbered records after the national 100
    return round_id(numbered // ROUND_SIZE + 1), numbered % ROUND_SIZE + 1


def rounds_needed(n: int) -> int:
    series = {placement(i)[0] for i in range(NATIONAL_SLOTS, n)}
    return sum(1 for s in series if s.startswith("synthetic-"))


# ---- one record -------------------------------------------------------------


def _vocabulary(site_config: dict[str, Any]) -> list[str]:
    """Theme names and tags in site_config order (records list themes in that order)."""
    themes = site_config["catalogue"]["themes"]
    return [name for t in themes for name in (t["name"], *t.get("tags", []))]


def _location(rng: random.Random, province: str) -> dict[str, str]:
    cities = sorted(DIVISIONS.cities_of(province))
    city = rng.choice(cities)
    counties = sorted(DIVISIONS.counties_of(province, city))
    location = {"province": province, "city": city}
    if counties:
        location["district"] = rng.choice(counties)
    word = rng.choice(phrases.PLACE_WORDS)
    location["street"] = f"{word}街道"
    location["community"] = f"{rng.choice(phrases.PLACE_WORDS)}社区"
    return location


def _qualified(rng: random.Random, value: float, qualifiers: tuple[str, ...]) -> Any:
    """A figure, qualified as sources often do ('超过1000户', '95%以上') about a third of the time."""
    if rng.random() < 0.35:
        return {"value": value, "qualifier": rng.choice(qualifiers)}
    return value


def _metrics(rng: random.Random, kind: str) -> dict[str, Any]:
    if kind == "practice":
        estates = rng.randint(8, 320)
        return {
            "estates": _qualified(rng, estates, ("超过", "近", "约")),
            "households": rng.randint(3000, 90000),
            "service_area": round(estates * rng.uniform(4e4, 1.5e5), 2),
            "property_coverage": _qualified(rng, round(rng.uniform(70, 99), 1), ("以上", "达")),
        }
    households = rng.randint(260, 6500)
    metrics: dict[str, Any] = {
        "households": _qualified(rng, households, ("超过", "近", "约")),
        "population": int(households * rng.uniform(2.4, 3.1)),
        "buildings": max(1, households // rng.randint(60, 140)),
        "building_area": round(households * rng.uniform(75, 125), 2),
        "green_rate": _qualified(rng, round(rng.uniform(28, 46), 1), ("达", "以上")),
        "owner_satisfaction": _qualified(rng, round(rng.uniform(86, 99.5), 1), ("以上", "达", "超过")),
        "fee_collection_rate": _qualified(rng, round(rng.uniform(82, 99.8), 1), ("以上", "达")),
    }
    if rng.random() < 0.5:
        metrics["party_member_share"] = round(rng.uniform(3, 15), 1)
    return metrics


def _unique_in_city(name: str, city: str, taken: set[tuple[str, str]], i: int) -> str:
    candidates = [name] + [f"{name}{phase}期" for phase in PHASES] + [f"{name}{i + 1}号院"]
    chosen = next(c for c in candidates if (city, c) not in taken)
    taken.add((city, chosen))
    return chosen


def _fill(text: str, rng: random.Random, context: dict[str, str]) -> str:
    return text.format(n=rng.randint(3, 260), **context)


PHASES = "二三四五六七八九"


def synthetic_record(i: int, vocabulary: list[str], taken: set[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Record i (0-based) as the mapping a YAML file holds. Deterministic in i (and in `taken`).

    `taken` holds the (city, name) pairs already generated: a name met again in
    the same city gets a phase (二期, 三期 …) or, past those, its number, as real
    estates do, so the set carries no duplicate-name warnings that a real
    catalogue would not (W252 is for one name in one city).
    """
    rng = random.Random(f"{SEED}-{i}")
    series, number = placement(i)
    province = phrases.MAINLAND_PROVINCES[i % len(phrases.MAINLAND_PROVINCES)]
    location = _location(rng, province)
    head, head_py = rng.choice(phrases.NAME_HEADS)
    if series == LOCAL_SERIES:
        kind = rng.choice(("practice", "community"))
    else:
        kind = rng.choice(("estate", "estate", "estate", "community"))
    if kind == "practice":
        topic, topic_py = rng.choice(phrases.PRACTICE_TOPICS)
        place = location.get("district") or location["city"]
        name, slug_words = f"{place}{topic}", topic_py
    elif kind == "community":
        name, slug_words = f"{head}社区", f"{head_py}-shequ"
    else:
        tail, tail_py = rng.choice(phrases.ESTATE_TAILS)
        name, slug_words = f"{head}{tail}", f"{head_py}-{tail_py}"
    if taken is not None:
        name = _unique_in_city(name, location["city"], taken, i)
    slug = f"syn-{slug_words}-{i + 1:05d}"

    company = f"{location['city'].removesuffix('市')}{rng.choice(phrases.COMPANY_HEADS)}物业服务有限公司"
    metrics = _metrics(rng, kind)
    year_built = rng.randint(1982, 2019)
    context = {
        "name": name,
        "city": location["city"],
        "district": location.get("district", location["city"]),
        "province_short": province_short(province),
    }
    households = metrics["households"]
    households_text = households["value"] if isinstance(households, dict) else households
    opening = (
        f"{name}位于{location['city']}{location.get('district', '')}{location['street']}{location['community']}，"
        f"{year_built}年建成，共有住户{households_text}户，由{company}提供物业服务。"
    )
    summary = opening + "".join(rng.sample(phrases.SUMMARY_SENTENCES, rng.randint(3, 4))) + _fill(rng.choice(phrases.SUMMARY_CLOSINGS), rng, context)

    mechanisms = []
    for mech_name, tag, what, how in rng.sample(phrases.MECHANISMS, rng.randint(3, 5)):
        mechanism = {"name": mech_name, "what": what, "how": how}
        if tag in vocabulary:
            mechanism = {"name": mech_name, "theme": tag, "what": what, "how": how}
        mechanisms.append(mechanism)
    highlights = [
        {"title": title, "text": _fill(text, rng, context)}
        for title, text in rng.sample(phrases.HIGHLIGHTS, rng.randint(3, 5))
    ]
    used = {m["theme"] for m in mechanisms if "theme" in m}
    themes = [t for t in vocabulary if t in used]

    record: dict[str, Any] = {
        "kind": kind,
        "series": series,
        **({"number": number} if number is not None else {}),
        "name": SYNTHETIC_PREFIX + name,
        "headline": rng.choice(phrases.HEADLINES),
        "slug": slug,
        "status": "published",
        "location": location,
        "summary": summary,
        "metrics": metrics,
        "facts": {
            "property_company": company,
            "year_built": year_built,
            "committee_founded": rng.randint(max(year_built + 1, 1995), 2022),
            "estate_type": rng.choice(phrases.ESTATE_TYPES),
        },
        "mechanisms": mechanisms,
        "highlights": highlights,
        "themes": themes,
        "recognitions": [
            {"title": _fill(title, rng, context), "level": level, "year": rng.randint(2018, 2023)}
            for title, level in rng.sample(phrases.RECOGNITIONS, rng.randint(0, 2))
        ],
        "sources": [
            {
                "publisher": "合成数据生成器（bench.synthetic）",
                "title": f"{name}（合成样例，非真实项目）",
                "date": dt.date(2023, rng.randint(1, 12), rng.randint(1, 28)),
                "url": f"https://example.org/synthetic/{slug}",
            }
        ],
        "notes": [SYNTHETIC_NOTE],
    }
    if kind == "practice":
        del record["facts"]["year_built"], record["facts"]["committee_founded"], record["facts"]["estate_type"]
    if not record["recognitions"]:
        del record["recognitions"]
    return record


def record_filename(record: dict[str, Any]) -> str:
    number = record.get("number")
    if number is not None and record["series"] == NATIONAL_SERIES:
        return f"{number:03d}-{record['slug']}.yml"
    return f"{record['slug']}.yml"


def record_text(record: dict[str, Any]) -> str:
    header = f"# {SYNTHETIC_NOTE}：由 bench.synthetic 生成，不是真实项目，不得发布。\n"
    return header + yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10**6)


# ---- the site around the records -------------------------------------------


def synthetic_site_config(source: dict[str, Any], n: int) -> dict[str, Any]:
    """site_config.yml's mapping with local paths and the synthetic numbered rounds added."""
    config = dict(source)
    config["docs_dir"] = "content"
    config["site_dir"] = "site"
    catalogue = dict(config["catalogue"])
    catalogue["projects_dir"] = "projects"
    rounds = [
        {
            "id": round_id(k),
            "title": f"{SYNTHETIC_PREFIX}性能测试第{k}批（{ROUND_SIZE}个名额）",
            "short_title": f"合成第{k}批",
            "issuer": "合成数据生成器",
            "numbered": True,
            "size": ROUND_SIZE,
            "description": f"{SYNTHETIC_NOTE}：不是真实评选。",
        }
        for k in range(1, rounds_needed(n) + 1)
    ]
    catalogue["series"] = [s for s in catalogue["series"] if not str(s["id"]).startswith("synthetic-")] + rounds
    config["catalogue"] = catalogue
    return config


def _refuse_repository_folders(root: Path) -> None:
    """Synthetic records must never land in the real projects/ or content/."""
    resolved = root.resolve()
    inside = any(resolved.is_relative_to((REPO / name).resolve()) for name in ("projects", "content"))
    if inside or resolved == REPO.resolve():
        raise ValueError(f"拒绝在 {resolved} 生成合成数据：只能写到临时目录")


def generate(n: int, root: Path, *, source_config: Path = REPO / "site_config.yml") -> SyntheticSite:
    """Write N synthetic records and a matching site_config.yml under `root` (a fresh temp folder)."""
    if n < 1:
        raise ValueError("记录数 N 至少为 1")
    _refuse_repository_folders(root)
    root.mkdir(parents=True, exist_ok=True)
    source = yaml.safe_load(source_config.read_text(encoding="utf-8"))
    config = synthetic_site_config(source, n)
    vocabulary = _vocabulary(config)

    docs_dir = root / "content"
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    real_docs = source_config.parent / str(source.get("docs_dir", "docs"))
    if real_docs.is_dir():
        shutil.copytree(real_docs, docs_dir)
    else:
        docs_dir.mkdir()
    projects_dir = root / "projects"
    if projects_dir.exists():
        shutil.rmtree(projects_dir)
    projects_dir.mkdir()

    site = SyntheticSite(root=root, config_path=root / "site_config.yml", projects_dir=projects_dir, docs_dir=docs_dir)
    taken: set[tuple[str, str]] = set()
    for i in range(n):
        record = synthetic_record(i, vocabulary, taken)
        (projects_dir / record_filename(record)).write_text(record_text(record), encoding="utf-8")
        site.slugs.append(record["slug"])
    header = f"# {SYNTHETIC_NOTE}：bench.synthetic 从 site_config.yml 生成的临时配置。\n"
    site.config_path.write_text(
        header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8"
    )
    return site
