"""Export times and peak memory: `showcase export` of every synthetic record, one format at a time.

Each format runs as its own `showcase export --format F` process on the
synthetic catalogue (all records, one selection), measured like a build
(bench.measure.run_measured: wall time, and the peak of the process tree's
memory). The PDF export typesets in batches and joins them streaming
(generator.exporters.pdf_export, pdf_parts), so its peak should not grow
with N; the DOCX export resolves each style once.

    python -m bench.exports --records 200          # on its own
    make bench N=1000                              # with the builds (bench.run), exports also at 10,000
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.measure import directory_bytes, run_measured
from bench.synthetic import SyntheticSite, generate
from generator.exporters import EXPORTER_BY_NAME

FORMATS = tuple(EXPORTER_BY_NAME)
# The export targets: (key, label, limit, unit, the N they are defined at).
TARGETS = (
    ("pdf_peak_gb", "PDF 导出峰值内存 ≤ 1.5 GB", 1.5, "GB", 10_000),
    ("docx_seconds", "DOCX 导出 ≤ 10 秒", 10.0, "s", 1_000),
)


def measure(site: SyntheticSite, work: Path, formats: tuple[str, ...] = FORMATS, say=lambda message: None) -> list[dict[str, Any]]:
    """One cold export per format of every record: seconds, peak memory, output size and file count."""
    rows = []
    for name in formats:
        out = work / f"export-{name}"
        shutil.rmtree(out, ignore_errors=True)
        say(f"导出 {name} …")
        command = [sys.executable, "-m", "generator", "export", "--config", str(site.config_path), "--format", name, "--out", str(out)]
        run = run_measured(command, site.root, {"PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "")})
        row: dict[str, Any] = {"format": name, "seconds": run.seconds, "peak_bytes": run.peak_bytes}
        if run.returncode != 0:
            last = run.stderr_tail.strip().splitlines()[-1:] or [""]
            row["error"] = f"导出失败（退出码 {run.returncode}）：{last[0]}"
        else:
            files = [p for p in out.rglob("*") if p.is_file()]
            row.update(output_bytes=directory_bytes(out), files=len(files))
        say(f"  {run.seconds:.2f} s，峰值 {run.peak_bytes / 1024**2:.0f} MB")
        rows.append(row)
        shutil.rmtree(out, ignore_errors=True)
    return rows


def target_values(records: int, rows: list[dict[str, Any]]) -> dict[str, tuple[float, int]]:
    """Measured values for the targets, with the N they were measured at."""
    by_format = {row["format"]: row for row in rows if not row.get("error")}
    values = {}
    if "pdf" in by_format:
        values["pdf_peak_gb"] = (by_format["pdf"]["peak_bytes"] / 1024**3, records)
    if "docx" in by_format:
        values["docx_seconds"] = (by_format["docx"]["seconds"], records)
    return values


def render(records: int, rows: list[dict[str, Any]], seconds, size) -> list[str]:
    """The exports table and the export targets, as Markdown lines (bench.report adds them to a section)."""
    lines = [
        "",
        f"导出（`showcase export`，全部 {records:,} 条记录，每种格式一次）：",
        "",
        "| 格式 | 耗时 | 峰值内存 | 输出总量 | 文件数 | 备注 |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['format']} | {seconds(row.get('seconds'))} | {size(row.get('peak_bytes'))} | "
            f"{size(row.get('output_bytes'))} | {row.get('files', '—')} | {row.get('error', '')} |"
        )
    values = target_values(records, rows)
    lines += ["", "导出目标：", "", "| 目标 | 定义于 | 实测 | 是否达到 |", "| --- | ---: | ---: | --- |"]
    for key, label, limit, unit, defined_at in TARGETS:
        if key not in values:
            lines.append(f"| {label} | {defined_at:,} 条 | — | 未测 |")
            continue
        value, measured_at = values[key]
        verdict = ("是" if value <= limit else "否") if measured_at == defined_at else f"（在 {measured_at:,} 条实测，目标按 {defined_at:,} 条定义）"
        lines.append(f"| {label} | {defined_at:,} 条 | {value:.2f} {unit} | {verdict} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    from bench.report import _bytes, _seconds

    parser = argparse.ArgumentParser(prog="python -m bench.exports", description="导出耗时与峰值内存（合成记录）")
    parser.add_argument("--records", "-n", type=int, default=1000)
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"逗号分隔，默认 {','.join(FORMATS)}")
    args = parser.parse_args(argv)
    unknown = set(args.formats.split(",")) - set(FORMATS)
    if unknown:
        parser.error(f"未知格式 {'、'.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="showcase-bench-exports-") as folder:
        work = Path(folder)
        site = generate(args.records, work / "source")
        rows = measure(site, work, tuple(args.formats.split(",")), lambda message: print(message, file=sys.stderr, flush=True))
    print("\n".join(render(args.records, rows, _seconds, _bytes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
