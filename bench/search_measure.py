"""Measure the first search: bytes downloaded and time to results, in headless Chromium.

    python -m bench.search_measure 1000 10000          # synthetic catalogues (bench.synthetic)
    python -m bench.search_measure --project /tmp/syn10k   # an existing bench.synthetic folder
    python -m bench.search_measure --site site/        # an already built site

For each query a fresh browser context (empty cache) opens the home page,
then the query runs through the same code as the search box
(`showcaseSearch.findRecords` + the metadata of the top results). Bytes are
the response bodies fetched for the search (manifest, shards, large
postings, metadata chunks); "compressed" is what a gzip-serving host sends
(the index files are gzip already and are counted as they are). Times are
wall-clock in the page: "cold" includes those downloads from a local server,
"warm" is a second, different query in the same page. Not a test: speed and
size are reported, `make bench` records them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.search_harness import chromium, serve, write_shell_pages

DEFAULT_QUERIES = ("四公开一监督", "电动车", "业委会", "武汉", "锦绣花园")
RESULTS_SHOWN = 6

_RUN_QUERY = """async ([query, shown]) => {
  const t0 = performance.now();
  const found = await window.showcaseSearch.findRecords(query);
  const data = await Promise.all(found.results.slice(0, shown).map((r) => r.data()));
  return { count: found.results.length, ms: performance.now() - t0, titles: data.map((d) => d.meta.title) };
}"""


@dataclass
class QueryMeasurement:
    query: str
    results: int
    requests: int
    bytes_raw: int
    bytes_compressed: int
    cold_ms: float
    warm_ms: float


def _compressed_size(body: bytes) -> int:
    return min(len(body), len(gzip.compress(body, compresslevel=6, mtime=0)))


def measure_site(site_dir: Path, queries: tuple[str, ...] = DEFAULT_QUERIES) -> list[QueryMeasurement]:
    """Run each query cold in a fresh browser context against `site_dir` (which has index_site's output)."""
    if not (site_dir / "search" / "index.html").exists() and not (site_dir / "index.html").exists():
        write_shell_pages(site_dir, {})
    measurements = []
    with serve(site_dir) as base, chromium() as browser:
        for i, query in enumerate(queries):
            context = browser.new_context()
            page = context.new_page()
            page.goto(base)
            page.wait_for_function("window.showcaseSearch !== undefined")
            responses: list = []
            capturing = [True]

            def record(response, responses=responses, capturing=capturing) -> None:
                if capturing[0] and response.ok:
                    responses.append(response)

            page.on("response", record)
            cold = page.evaluate(_RUN_QUERY, [query, RESULTS_SHOWN])
            capturing[0] = False
            # Bodies are read after the timed query: reading one is a DevTools round trip
            # through the browser, which inside the query would be timed as search work.
            bodies = [response.body() for response in responses]
            other = queries[(i + 1) % len(queries)]
            warm = page.evaluate(_RUN_QUERY, [other, RESULTS_SHOWN])
            measurements.append(
                QueryMeasurement(
                    query=query,
                    results=cold["count"],
                    requests=len(bodies),
                    bytes_raw=sum(len(b) for b in bodies),
                    bytes_compressed=sum(_compressed_size(b) for b in bodies),
                    cold_ms=round(cold["ms"], 1),
                    warm_ms=round(warm["ms"], 1),
                )
            )
            context.close()
    return measurements


def measure_synthetic(n: int, queries: tuple[str, ...] = DEFAULT_QUERIES, project: Path | None = None) -> dict:
    """Index N synthetic records (generated in a temp folder, or the bench.synthetic folder `project`), measure."""
    from generator.schema.site_config import load_site_config

    with tempfile.TemporaryDirectory(prefix="search-measure-") as scratch:
        root = Path(scratch)
        if project is None:
            from bench.synthetic import generate

            config_path = generate(n, root / "project").config_path
        else:
            config_path = project / "site_config.yml"
        site_dir = root / "site"
        site_dir.mkdir()
        step = _index_in_child(load_site_config(config_path), site_dir)
        write_shell_pages(site_dir, {})
        measured = measure_site(site_dir, queries)
    return {
        "records": step["records"],
        "index_seconds": step["seconds"],
        "index_cpu_seconds": step["cpu_seconds"],
        "index_peak_rss_mb": step["peak_rss_mb"],
        "bundle_bytes": step["bytes"],
        "bundle_files": step["files"],
        "index_words": step["words"],
        "queries": [asdict(m) for m in measured],
        "median_first_search_kb": round(statistics.median(m.bytes_compressed for m in measured) / 1024, 1),
        "max_first_search_kb": round(max(m.bytes_compressed for m in measured) / 1024, 1),
        "median_cold_ms": statistics.median(m.cold_ms for m in measured),
        "median_warm_ms": statistics.median(m.warm_ms for m in measured),
    }


def _index_in_child(config, site_dir: Path) -> dict:
    """Load the records and run index_site in a fresh process, so its peak memory is the step's own.

    Peak RSS is the larger of the indexing process and its helpers, read after
    the catalogue is loaded: the search step's peak with the catalogue in
    memory, as in a build.
    """
    import subprocess

    command = [sys.executable, "-m", "bench.search_measure", "--index-job", str(config.path), str(site_dir)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _index_job(config_path: str, site_dir: str) -> dict:
    import resource

    from generator.schema.site_config import load_site_config
    from generator.build.records import load_catalogue
    from generator.search import index_site

    catalogue = load_catalogue(load_site_config(Path(config_path)))
    before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    stats = index_site(Path(site_dir), catalogue)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before))
    return {
        "records": stats.pages,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": max(after[0].ru_maxrss, after[1].ru_maxrss) // 1024,
        "bytes": stats.bytes,
        "files": stats.files,
        "words": stats.words,
    }


def _print_table(report: dict) -> None:
    print(f"\n{report['records']} records: index {report['index_seconds']} s ({report['index_cpu_seconds']} s CPU, "
          f"peak {report['index_peak_rss_mb']} MB), bundle {report['bundle_bytes'] / 1e6:.1f} MB in "
          f"{report['bundle_files']} files, {report['index_words']} keys")
    print(f"{'query':<12} {'results':>7} {'requests':>8} {'raw KB':>8} {'gzip KB':>8} {'cold ms':>8} {'warm ms':>8}")
    for q in report["queries"]:
        print(f"{q['query']:<12} {q['results']:>7} {q['requests']:>8} {q['bytes_raw'] / 1024:>8.1f} "
              f"{q['bytes_compressed'] / 1024:>8.1f} {q['cold_ms']:>8} {q['warm_ms']:>8}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="首次搜索的下载量与响应时间（Chromium 实测）")
    parser.add_argument("records", nargs="*", type=int, help="合成记录数，如 1000 10000")
    parser.add_argument("--site", type=Path, help="测量已构建的网站目录（含 assets/search/index/）")
    parser.add_argument("--project", type=Path, action="append", help="已生成的合成记录目录（bench.synthetic，含 site_config.yml）")
    parser.add_argument("--query", action="append", help="查询词（可多次给出）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument("--index-job", nargs=2, metavar=("CONFIG", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.index_job:
        print(json.dumps(_index_job(*args.index_job)))
        return 0
    queries = tuple(args.query) if args.query else DEFAULT_QUERIES
    reports = []
    if args.site:
        measured = measure_site(args.site, queries)
        reports.append({"site": str(args.site), "queries": [asdict(m) for m in measured]})
    for project in args.project or []:
        reports.append(measure_synthetic(0, queries, project=project))
    for n in args.records or ([] if args.site or args.project else [1000]):
        reports.append(measure_synthetic(n, queries))
    if args.json:
        json.dump(reports, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for report in reports:
            if "records" in report:
                _print_table(report)
            else:
                print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
