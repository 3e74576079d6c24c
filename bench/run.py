"""`make bench [N=…]`: build N synthetic records with our system and the peers, side by side.

    python -m bench.run --records 1000             # all systems, 3 cold builds each
    python -m bench.run --records 10000 --runs 1   # naive MkDocs takes ~2 min a build at 10k
    python -m bench.run --records 200 --systems ours,hugo --no-save
    python -m bench.run --images-only --records 100 --work /tmp/photos   # photos: ours, Hugo, Eleventy Image

Steps: generate the synthetic catalogue under a temp folder; write the same
records as Markdown for each peer; build each system K times (cold) and
measure; then measure `showcase check`, an edit while `showcase serve` runs,
the first search in Chromium and every export format (bench.exports: time and
peak memory of `showcase export` of all records, at N and at each of
--export-records, where the export targets are defined); print the table and keep it
in bench/results.md (+ results.json). Peers the machine cannot install or run
get a row that says why instead of a number.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import exports, ours
from bench.baselines.venvs import Unavailable
from bench.measure import Measurement, System, empty_trash, measure_interleaved, set_aside
from bench.report import REPO, machine_info, print_section, save_results
from bench.synthetic import generate

PEERS = {"naive": "bench.baselines.naive", "hugo": "bench.baselines.hugo", "zensical": "bench.baselines.zensical"}
IMAGE_SYSTEMS = ("ours", "hugo", "eleventy")
PEER_LABELS = {"naive": "naive MkDocs + Material", "hugo": "Hugo", "zensical": "Zensical"}
ALL_SYSTEMS = ("ours", *PEERS)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _row(measurement: Measurement) -> dict[str, Any]:
    system = measurement.system
    return {
        "name": system.name,
        "label": system.label,
        "seconds": measurement.seconds,
        "run_seconds": [round(r.seconds, 3) for r in measurement.runs],
        "peak_bytes": measurement.peak_bytes,
        "output_bytes": measurement.output_bytes,
        "record_page_bytes": measurement.record_page_bytes,
        "first_search_bytes": measurement.first_search_bytes,
        "note": measurement.first_search_note or system.note,
        "error": measurement.error,
    }


def _unavailable_row(name: str, reason: str) -> dict[str, Any]:
    return {"name": name, "label": PEER_LABELS.get(name, name), "error": f"未测：{reason}"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description="性能基准：我们的生成器与对照系统在同一批合成记录上的比较")
    parser.add_argument("--records", "-n", type=int, default=1000, help="合成记录数 N（默认 1000）")
    parser.add_argument("--runs", "-k", type=int, default=3, help="每个系统冷构建次数，取中位数（默认 3）")
    parser.add_argument("--systems", default=",".join(ALL_SYSTEMS), help=f"逗号分隔，默认 {','.join(ALL_SYSTEMS)}")
    parser.add_argument("--edits", type=int, default=3, help="serve 时改记录的次数（0 跳过）")
    parser.add_argument("--no-search", action="store_true", help="跳过 Chromium 中的首次搜索测量")
    parser.add_argument(
        "--exports", default=",".join(exports.FORMATS),
        help=f"测量哪些导出格式（逗号分隔，默认全部：{','.join(exports.FORMATS)}；空字符串跳过）",
    )
    parser.add_argument(
        "--export-records", default="",
        help="另在这些记录数上测量导出（逗号分隔，如 1000,10000；默认只在 --records 上；make bench 用 1000,10000）",
    )
    parser.add_argument("--work", type=Path, help="工作目录（默认新建临时目录，结束后删除）")
    parser.add_argument("--keep", action="store_true", help="保留工作目录以便查看输出")
    parser.add_argument("--no-save", action="store_true", help="只打印，不写 bench/results.md")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results.md", help="结果文件（旁边写同名 .json）")
    parser.add_argument("--images-only", action="store_true", help="只测照片处理：我们、Hugo、Eleventy Image（bench/images.py）")
    parser.add_argument("--photos-per-record", type=int, default=3, help="照片基准中每条记录的照片数（默认 3）")
    args = parser.parse_args(argv)
    if args.images_only and args.systems == ",".join(ALL_SYSTEMS):
        args.systems = ",".join(IMAGE_SYSTEMS)
    unknown = set(args.systems.split(",")) - set(IMAGE_SYSTEMS if args.images_only else ALL_SYSTEMS)
    if unknown:
        parser.error(f"未知系统 {'、'.join(sorted(unknown))}；可选 {', '.join(ALL_SYSTEMS)}")
    unknown_formats = {f for f in args.exports.split(",") if f} - set(exports.FORMATS)
    if unknown_formats:
        parser.error(f"未知导出格式 {'、'.join(sorted(unknown_formats))}；可选 {', '.join(exports.FORMATS)}")
    try:
        args.export_records = sorted({int(n) for n in args.export_records.split(",") if n.strip()} - {args.records})
    except ValueError:
        parser.error("--export-records 应为逗号分隔的整数，如 1000,10000")
    if args.records < 1 or args.runs < 1 or any(n < 1 for n in args.export_records):
        parser.error("--records 和 --runs 至少为 1")
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    from generator.schema.site_config import load_site_config
    from generator.build.records import load_catalogue

    work = args.work or Path(tempfile.mkdtemp(prefix="showcase-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    wanted = args.systems.split(",")
    notes: list[str] = []
    machine = machine_info()  # load average at the start: how busy the machine was
    try:
        started = time.perf_counter()
        site = generate(args.records, work / "source")
        catalogue = load_catalogue(load_site_config(site.config_path))
        if catalogue.report.failed(False) or len(catalogue.visible) != args.records:
            raise SystemExit("合成记录没有通过校验：\n" + catalogue.report.as_text())
        _say(f"已生成 {args.records} 条合成记录（{time.perf_counter() - started:.1f} s）：{site.root}")
        slugs = [entry.slug for entry in catalogue.visible]

        systems: list[System] = []
        rows: list[dict[str, Any]] = []
        for name in wanted:
            if name == "ours":
                systems.append(ours.prepare(site, work))
                continue
            try:
                systems.append(importlib.import_module(PEERS[name]).prepare(catalogue, work))
            except Unavailable as exc:
                rows.append(_unavailable_row(name, str(exc)))

        extra: dict[str, Any] = {}
        for measurement in measure_interleaved(systems, slugs, args.runs, _say):
            system = measurement.system
            if system.name == "ours" and not measurement.error and not args.no_search:
                _say("在 Chromium 中测量首次搜索 …")
                size, ms, note = ours.measure_first_search(system.out_dir)
                measurement.first_search_bytes = size
                extra.update(first_search_ms=ms, search_note=note)
            rows.append(_row(measurement))
            set_aside(system.out_dir)  # deleted after the run: see measure.py

        if "ours" in wanted:
            _say(f"showcase check × {args.runs} …")
            check_seconds, check_warm, check_note = ours.measure_check(site, args.runs)
            extra.update(check_seconds=check_seconds, check_warm_seconds=check_warm, check_note=check_note)
            if args.edits:
                _say(f"showcase serve：改一条记录 × {args.edits} …")
                build_seconds = next((r["seconds"] for r in rows if r["name"] == "ours" and r["seconds"]), 60.0)
                edit_seconds, edit_note = ours.measure_edit(site, args.edits, timeout=max(30.0, 5 * build_seconds))
                extra.update(edit_seconds=edit_seconds, edit_note=edit_note)

        formats = tuple(f for f in args.exports.split(",") if f)
        if formats:
            extra["exports"] = exports.measure(site, work, formats, _say)
            # The export targets are defined at other sizes (PDF memory at 10,000, DOCX time at 1,000).
            extra["exports_at"] = {}
            for size in args.export_records:
                _say(f"导出：生成 {size} 条合成记录 …")
                other = generate(size, work / f"source-{size}")
                extra["exports_at"][str(size)] = exports.measure(other, work, formats, _say)
                shutil.rmtree(other.root, ignore_errors=True)

        order = {name: i for i, name in enumerate(ALL_SYSTEMS)}
        rows.sort(key=lambda row: order[row["name"]])
        if args.runs == 1:
            notes.append("每个系统只构建了 1 次（--runs 1），数字噪声较大。")
        return {
            "records": args.records,
            "runs": args.runs,
            "machine": machine,
            "systems": rows,
            "ours_extra": extra,
            "notes": notes,
            "peer_versions": _peer_versions(),
        }
    finally:
        if args.keep or args.work is not None:
            empty_trash(work)
            if args.keep:
                _say(f"工作目录保留在 {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _peer_versions() -> dict[str, list[str]]:
    from bench.baselines.venvs import REQUIREMENTS

    return dict(REQUIREMENTS)


def run_images(args: argparse.Namespace) -> dict[str, Any]:
    """The photo part alone (bench/images.py); its photo set is kept in the work folder for later runs."""
    from bench import images

    work = args.work or Path(tempfile.mkdtemp(prefix="showcase-bench-images-"))
    work.mkdir(parents=True, exist_ok=True)
    machine = machine_info()
    try:
        result = images.run(args.records, args.photos_per_record, work, args.systems.split(","), _say, runs=args.runs)
    finally:
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif args.keep:
            _say(f"工作目录保留在 {work}")
    result["machine"] = machine
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.images_only:
        from bench.report import render_images_section, save_images_results

        result = run_images(args)
        sys.stdout.write("\n" + render_images_section(result))
        if not args.no_save:
            save_images_results(result, args.results.with_suffix(".json"), args.results)
        return 0
    result = run(args)
    print_section(result)
    if not args.no_save:
        json_path = args.results.with_suffix(".json")
        save_results(result, json_path, args.results)
        _say(f"已写入 {args.results.relative_to(REPO) if args.results.is_relative_to(REPO) else args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
