"""Lighthouse on every page type of a built site, served compressed, as a phone sees it.

    python -m bench.lighthouse                 # 200 synthetic records (bench.synthetic), built here
    python -m bench.lighthouse --records 1000
    python -m bench.lighthouse --site site/    # an already built site

Lighthouse (npm, pinned in bench/lighthouse/package.json; `npm ci` there once)
drives Debian Chromium through CHROME_PATH, with its default mobile profile
(a mid-range phone, simulated slow 4G, 4× slower CPU). The site is served
with gzip like any static host (bench.search_harness). For each page type
the script prints performance, accessibility, CLS and LCP, and exits 1 when a
target is missed: performance ≥ 95, CLS 0, accessibility 100 (issue 17), and
for each missed page where its main-thread time went (Lighthouse's
mainthread-work-breakdown, ms of the simulated 4× slower CPU) and its long
tasks. Scores move with the machine's load, so the load average is printed
first: compare old and new sites in turns on one machine, not across days.
Slow (about half a minute a page): a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bench.search_harness import CHROMIUM, serve

HERE = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
TARGETS = {"performance": 95, "accessibility": 100, "cls": 0.0}


@dataclass
class Score:
    page: str
    performance: int
    accessibility: int
    cls: float
    lcp_ms: float
    tbt_ms: float = 0.0
    main_thread: dict[str, float] | None = None  # ms by Lighthouse's group (styleLayout, scriptEvaluation …)
    long_tasks: list[tuple[str, float]] | None = None  # (script or "" for the page itself, ms)

    def missed(self) -> list[str]:
        missed = []
        if self.performance < TARGETS["performance"]:
            missed.append(f"performance {self.performance} < {TARGETS['performance']}")
        if self.accessibility < TARGETS["accessibility"]:
            missed.append(f"accessibility {self.accessibility} < {TARGETS['accessibility']}")
        if self.cls > TARGETS["cls"]:
            missed.append(f"CLS {self.cls:.3f} > 0")
        return missed


def page_types(site_dir: Path) -> dict[str, str]:
    """One URL of every page type the built site has (the first province, theme, tag and record found)."""
    def first(pattern: str) -> str:
        found = sorted(site_dir.glob(pattern))
        return found[0].parent.relative_to(site_dir).as_posix() + "/" if found else ""

    pages = {
        "home": "",
        "catalogue": "catalogue/",
        "provinces": "provinces/",
        "province": first("provinces/*/index.html"),
        "theme": first("themes/*/index.html"),
        "tag": quote(first("themes/*/*/index.html")),
        "mechanisms": "mechanisms/",
        "series": first("series/*/index.html"),
        "record": first("records/*/index.html"),
        "search": "search/?q=" + quote("电动车"),
        "about": "about/",
    }
    return {name: url for name, url in pages.items() if url or name == "home"}


def run_lighthouse(url: str) -> dict:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"Lighthouse is not installed: cd {HERE} && npm ci")
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
        "--only-categories=performance,accessibility",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed for {url}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def score(name: str, report: dict) -> Score:
    categories = report["categories"]
    audits = report["audits"]
    return Score(
        page=name,
        performance=round(categories["performance"]["score"] * 100),
        accessibility=round(categories["accessibility"]["score"] * 100),
        cls=float(audits["cumulative-layout-shift"]["numericValue"]),
        lcp_ms=float(audits["largest-contentful-paint"]["numericValue"]),
        tbt_ms=float(audits["total-blocking-time"]["numericValue"]),
        main_thread={
            item["group"]: float(item["duration"])
            for item in audits["mainthread-work-breakdown"].get("details", {}).get("items", [])
        },
        long_tasks=[
            (str(item.get("url", "")).rsplit("/", 1)[-1].split("?")[0], float(item["duration"]))
            for item in audits.get("long-tasks", {}).get("details", {}).get("items", [])
        ],
    )


def measure_site(site_dir: Path) -> list[Score]:
    scores = []
    with serve(site_dir, compress=True) as base:
        for name, url in page_types(site_dir).items():
            scores.append(score(name, run_lighthouse(base + url)))
            print(_row(scores[-1]), flush=True)
    return scores


def _row(s: Score) -> str:
    flag = "" if not s.missed() else "  ← " + "; ".join(s.missed())
    return f"| {s.page} | {s.performance} | {s.accessibility} | {s.cls:.3f} | {s.lcp_ms:.0f} ms | {s.tbt_ms:.0f} ms |{flag}"


def _where_the_time_went(s: Score) -> str:
    """A missed page's main-thread time by group and its five longest tasks."""
    groups = "、".join(f"{group} {ms:.0f}" for group, ms in sorted((s.main_thread or {}).items(), key=lambda kv: -kv[1]))
    tasks = "、".join(f"{url or '页面本身'} {ms:.0f}" for url, ms in sorted(s.long_tasks or [], key=lambda t: -t[1])[:5])
    return f"{s.page}：主线程 {sum((s.main_thread or {}).values()):.0f} ms（{groups}）；长任务 ms：{tasks or '无'}"


def build_synthetic(records: int, work: Path) -> Path:
    from bench.synthetic import generate
    from generator.build.pipeline import build
    from generator.schema.site_config import load_site_config

    synthetic = generate(records, work / "project")
    result = build(load_site_config(synthetic.config_path), out_dir=work / "site")
    if not result.ok:
        raise SystemExit(result.report.as_text())
    return result.site_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--site", type=Path, help="an already built site folder")
    args = parser.parse_args(argv)
    print(f"负载（1/5/15 分钟平均）：{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| 页面 | 性能 | 无障碍 | CLS | LCP | TBT |\n| --- | ---: | ---: | ---: | ---: | ---: |", flush=True)
    with tempfile.TemporaryDirectory(prefix="showcase-lighthouse-") as work:
        site_dir = args.site or build_synthetic(args.records, Path(work))
        scores = measure_site(site_dir)
    missed = [s for s in scores if s.missed()]
    for s in missed:
        print(_where_the_time_went(s))
    print(f"\n{len(scores) - len(missed)} / {len(scores)} 个页面达到目标（性能 ≥ 95、CLS 0、无障碍 100）")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
