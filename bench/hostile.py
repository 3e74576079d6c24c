"""How long and how much memory `showcase check` needs per bad input.

The issue asks that every bad input be answered within 1 s and bounded memory;
timing belongs here, not in unit tests (the test machine is noisy). This runs
the load stage on each file of tests/fixtures/invalid/ and on a few inputs
made here at the size limit (MAX_BYTES), and prints max / median / p95 time
and the peak traced memory of the worst input.

    .venv/bin/python -m bench.hostile            # corpus + inputs at the size limit + many files at odds
    .venv/bin/python -m bench.hostile --corpus   # corpus only

The last part checks a folder of N files (default 2,000) that all share one
number, one slug and one name: the conflicts must be reported once per group
(the report's size is printed; it once was 117 MB at 2,000 files).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from generator.schema.site_config import load_site_config
from generator.build.records import load_catalogue
from generator.load.files import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]
INVALID = ROOT / "tests" / "fixtures" / "invalid"


def near_limit_inputs(folder: Path) -> list[Path]:
    """The worst a file under the size limit can do: many keys, many list items, one huge value, a 50 MB file."""
    budget = MAX_BYTES - 200
    made = {
        "limit-many-unknown-keys.yml": "".join(f"k{i}: 1\n" for i in range(budget // 10)),
        "limit-many-unknown-themes.yml": "themes:\n" + "".join(f"  - 主题{i}\n" for i in range(budget // 16)),
        "limit-one-long-value.yml": "name: " + "很" * (budget // 3) + "\n",
        "limit-deep-flow.yml": "x: " + "[" * (budget // 2),
        "limit-many-tabs.yml": "\t\n" * (budget // 2),
        "limit-many-control-characters.yml": "a\x01\n" * (budget // 3),
        "limit-many-unknown-metrics.yml": "kind: estate\nmetrics:\n" + "".join(f"  m{i}: 1\n" for i in range(budget // 10)),
        "limit-alias-bomb.yml": "a: &a [" + ",".join(["x"] * 100) + "]\n" + "".join(f"b{i}: [*a,*a,*a,*a,*a]\n" for i in range(budget // 30)),
        "limit-yaml11-numbers.yml": "".join(f"k{i}: 0{i % 8}{i % 8}_{i % 10}\n" for i in range(budget // 14)),
        "limit-one-long-name.yml": "kind: estate\nname: " + "名" * (budget // 3 - 10) + "\n",
        "limit-invisible-name.yml": "kind: estate\nname: " + "\u3164" * (budget // 3 - 10) + "\n",
        "limit-many-question-marks.yml": "kind: estate\nsummary: " + "测?" * (budget // 4 - 10) + "\n",
    }
    paths = []
    for name, text in made.items():
        path = folder / name
        path.write_text(text[:budget], encoding="utf-8")
        paths.append(path)
    huge = folder / "limit-fifty-megabytes.yml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: the size is what the checker sees first
    paths.append(huge)
    return paths


def measure(paths: list[Path]) -> list[tuple[float, int, int, str]]:
    """(seconds, peak traced bytes, problems, name) per input: timed without tracemalloc, which slows Python 3–5×."""
    config = load_site_config(ROOT / "site_config.yml")
    results = []
    for path in paths:
        started = time.perf_counter()
        report = load_catalogue(config, paths=[path]).report
        elapsed = time.perf_counter() - started
        tracemalloc.start()
        load_catalogue(config, paths=[path])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results.append((elapsed, peak, len(report.problems), path.name))
    return results


def summary(label: str, results: list[tuple[float, int, int, str]]) -> None:
    times = sorted(r[0] for r in results)
    worst = max(results)
    heaviest = max(results, key=lambda r: r[1])
    p95 = times[int(len(times) * 0.95) - 1] if len(times) >= 20 else times[-1]
    print(f"{label}: {len(results)} inputs, {sum(r[2] for r in results)} problems")
    print(f"  time   median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, max {worst[0] * 1000:.1f} ms ({worst[3]})")
    print(f"  memory peak {heaviest[1] / 1e6:.1f} MB ({heaviest[3]})")
    slow = [r for r in results if r[0] > 1.0]
    for elapsed, peak, problems, name in sorted(slow, reverse=True):
        print(f"  over 1 s: {name}: {elapsed:.2f} s, {peak / 1e6:.1f} MB, {problems} problems")


def files_at_odds(folder: Path, count: int) -> None:
    """count valid records sharing one number, slug and name: the report must stay small."""
    minimal = (ROOT / "tests" / "fixtures" / "valid" / "minimal.yml").read_text(encoding="utf-8")
    for index in range(count):
        (folder / f"{index:05d}-same.yml").write_text(minimal, encoding="utf-8")
    config = load_site_config(ROOT / "site_config.yml")
    started = time.perf_counter()
    tracemalloc.start()
    report = load_catalogue(config, paths=[folder], cache=False).report
    text = report.as_text()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    elapsed = time.perf_counter() - started
    print(f"{count:,} files sharing a number, a slug and a name: {len(text.splitlines())} lines, "
          f"{len(text.encode()):,} bytes of report, {elapsed:.1f} s, traced peak {peak / 1e6:.0f} MB")


def main() -> None:
    corpus = sorted(INVALID.glob("*.yml"))
    summary("corpus (tests/fixtures/invalid)", measure(corpus))
    if "--corpus" in sys.argv:
        return
    with tempfile.TemporaryDirectory(prefix="showcase-hostile-") as folder:
        summary(f"at the size limit ({MAX_BYTES:,} bytes)", measure(near_limit_inputs(Path(folder))))
    with tempfile.TemporaryDirectory(prefix="showcase-hostile-") as folder:
        files_at_odds(Path(folder), int(os.environ.get("HOSTILE_FILES", "2000")))
    import resource

    print(f"process peak RSS (Python + libyaml + pydantic): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
