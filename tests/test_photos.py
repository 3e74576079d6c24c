"""Photos end to end on photos the tests draw (tests/photo_support.py): the check, processing, the site, the channels.

One project is built once for the module (tests/site_support.make_project:
047 has a lead JPEG, a sideways phone JPEG with GPS and a PNG) and every
channel is exported from it once; the check cases each get a small project.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator.build.pipeline import build  # noqa: E402
from generator.build.records import check_records, load_catalogue  # noqa: E402
from generator.exporters import Selection, export  # noqa: E402
from generator.media import PhotoLibrary  # noqa: E402
import photo_support as ps  # noqa: E402
from export_support import check_story  # noqa: E402
from site_support import make_project, records  # noqa: E402

RECORD = "047-ceshi-huayuan.yml"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("photos")
    PhotoLibrary.forget()
    config = make_project(root)
    result = build(config)
    assert result.ok, result.report.as_text()
    return config, result


@pytest.fixture(scope="module")
def exports(built, tmp_path_factory):
    config, _ = built
    catalogue = load_catalogue(config)
    out = tmp_path_factory.mktemp("exports")
    written = {name: export(catalogue, name, Selection(numbers=(47,)), out / name) for name in ("wechat", "icml", "pdf", "docx")}
    return out, written


# ---- the check ----------------------------------------------------------------------------------


def _check(tmp_path: Path, images: list[dict], files: dict[str, bytes], status: str = "published") -> list[str]:
    config = make_project(tmp_path)
    for name, data in files.items():
        ps.write(tmp_path / "projects" / name, data)
    record = records()[RECORD]
    record.update(images=images, status=status)
    (tmp_path / "projects" / RECORD).write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    PhotoLibrary.forget()
    report = check_records(config, paths=[config.projects_dir / RECORD])
    return [f"{p.code} {p.message}" for p in report.sorted()]


def _entry(path: str, **extra) -> dict:
    return {"path": path, "alt": "大门", "permission": "本刊摄影", **extra}


def test_every_photo_problem_is_reported_at_once_in_chinese(tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.jpg"
    outside.write_bytes(ps.phone_jpeg(2400, 1800))
    good = ps.phone_jpeg(2400, 1800, seed=5)
    files = {
        "p/good.jpg": good,
        "p/copy.jpg": good,
        "p/notes.jpg": b"just text named like a photo\n",
        "p/cut.jpg": ps.phone_jpeg(2400, 1800, seed=6)[:4000],
        "p/anim.png": ps.gif(),  # a GIF named .png: judged by its bytes
        "p/bomb.png": ps.bomb_png(11000),
        "p/small.jpg": ps.phone_jpeg(800, 600, seed=7),
    }
    (tmp_path / "projects" / "p").mkdir(parents=True)
    (tmp_path / "projects" / "p" / "escape.jpg").symlink_to(outside)
    images = [
        _entry("p/good.jpg", lead=True), _entry("p/missing.jpg"), _entry("../site_config.yml"), _entry("/etc/passwd"),
        _entry("p/escape.jpg"), _entry("p/notes.jpg"), _entry("p/cut.jpg"), _entry("p/anim.png"), _entry("p/bomb.png"),
        _entry("p/good.jpg"), _entry("p/copy.jpg"), {"path": "p/small.jpg", "lead": True},
    ]
    found = _check(tmp_path, images, files)
    codes = [line.split()[0] for line in found]
    assert sorted(codes) == sorted(["E241", "E240", "E240", "E240", "E242", "E243", "E244", "E245", "E248", "E248", "W240", "E246", "E247", "E249"]), found
    text = "\n".join(found)
    assert "20000" not in text and "11000×11000" in text  # measured from the header, never decoded
    assert "长边至少 2000 像素" in text and "GIF" in text and "第 1 张是同一个文件" in text and "内容完全相同" in text


def test_a_draft_may_lack_alt_and_permission_and_small_photos_only_warn(tmp_path: Path) -> None:
    found = _check(tmp_path, [{"path": "p/small.jpg"}], {"p/small.jpg": ps.phone_jpeg(800, 600)}, status="draft")
    assert [line.split()[0] for line in found] == ["W240"]


# ---- processing -----------------------------------------------------------------------------------


def test_published_files_are_upright_resized_and_carry_no_metadata(built) -> None:
    config, _ = built
    site = config.site_dir
    files = sorted((site / "media").rglob("*.*"))
    assert len(files) == 15  # 3 photos × (4 WebP widths + 1 JPEG)
    for path in files:
        meta = ps.metadata_of(path.read_bytes())
        assert not meta["exif"] and not meta["gps"] and not meta["icc"] and not meta["xmp"] and not meta["comment"], path
        assert b"TestPhone" not in path.read_bytes() and b"resident" not in path.read_bytes()
    sizes = {p: ps.metadata_of(p.read_bytes())["size"] for p in files if p.name.endswith("-1080.jpg")}
    upright = [p for p, size in sizes.items() if size == (1080, 810)]
    assert upright  # the sideways phone photo (stored 1500×2000, orientation 6) is upright
    with Image.open(upright[0]) as image:
        red, green, _ = image.convert("RGB").getpixel((20, 20))
        assert red > 180 and green < 80  # the red mark is top-left, where it belongs


def test_an_unchanged_rebuild_processes_nothing_and_a_changed_photo_only_itself(built) -> None:
    config, _ = built
    assert build(config).photos_processed == 0
    before = {p.name for p in (config.site_dir / "media").rglob("*.*")}
    ps.write(config.projects_dir / "047-ceshi-huayuan" / "gate.jpg", ps.phone_jpeg(2000, 1500, orientation=6, seed=9))
    result = build(config)
    assert result.photos_processed == 1
    after = {p.name for p in (config.site_dir / "media").rglob("*.*")}
    assert len(after - before) == 5 and len(before - after) == 5  # the old photo's files are gone from the site


def test_a_rendition_deleted_from_the_cache_by_hand_is_made_again(built) -> None:
    """The library's list of made renditions is trusted on rebuilds; a file gone behind its back is made again when needed."""
    from generator.build.photos import spare_folder

    config, _ = built
    shutil.rmtree(spare_folder(config.site_dir))  # the next build links every file from the cache
    cached = sorted(PhotoLibrary.for_root(config.root).folder.rglob("*.webp"))[0]
    cached.unlink()
    assert build(config).ok
    assert cached.is_file() and (config.site_dir / "media" / cached.relative_to(cached.parents[1])).is_file()


# ---- the site -------------------------------------------------------------------------------------


def test_record_page_cards_and_share_image(built) -> None:
    config, _ = built
    page = (config.site_dir / "records" / "ceshi-huayuan" / "index.html").read_text(encoding="utf-8")
    lead = page.index("sc-photo--lead")
    assert page.index("sc-record__head") < lead < page.index("sc-figures")
    assert 'fetchpriority="high"' in page[lead : lead + 1500] and page.count('loading="lazy"') >= 2
    assert "议事亭里的业主会" in page and "摄影：张三" in page and 'alt="业主在议事亭开会"' in page
    assert re.search(r'<meta property="og:image" content="https://example.org/meihao-jiayuan/media/[0-9a-f]{2}/[0-9a-f]{24}-1080\.jpg"', page)
    for img in re.findall(r"<img [^>]*>", page):
        if "media/" in img:
            assert re.search(r'width="\d+" height="\d+"', img), img
    bare = (config.site_dir / "records" / "ceshi-lanwan" / "index.html").read_text(encoding="utf-8")
    assert "sc-photo" not in bare and "lightbox.js" not in bare  # no photo markup without photos
    for listing in ("index.html", "provinces/hubei/index.html", "catalogue/index.html", "themes/dangjian/index.html"):
        text = (config.site_dir / listing).read_text(encoding="utf-8")
        if "ceshi-huayuan" in text and "sc-card" in text:
            assert "sc-card__thumb" in text, listing


# ---- the channels ---------------------------------------------------------------------------------


def test_wechat_folder_holds_the_photos_the_article_uses(exports) -> None:
    out, written = exports
    article = next(p for p in written["wechat"] if p.suffix == ".html").read_text(encoding="utf-8")
    sources = re.findall(r'<img [^>]*src="([^"]+)"', article)
    assert len(sources) == 3 and all((out / "wechat" / src).is_file() for src in sources)
    assert article.index("测试·城市花园") < article.index(sources[0]) < article.index("概况及亮点")  # lead after the title


def test_icml_links_its_photos_from_the_links_folder(exports) -> None:
    out, written = exports
    path = next(p for p in written["icml"] if p.suffix == ".icml")
    check_story(path)  # Adobe's structure, the placed photos included
    story = path.read_text(encoding="utf-8")
    links = re.findall(r'LinkResourceURI="file:(Links/[^"]+)"', story)
    assert len(links) == 3 and all((out / "icml" / link).is_file() for link in links)
    assert story.count('AppliedParagraphStyle="ParagraphStyle/图片"') == 3 and "议事亭里的业主会（摄影：张三）" in story
    with Image.open(out / "icml" / links[0]) as image:
        assert max(image.size) >= 2000  # print resolution


def test_pdf_places_the_photos(exports) -> None:
    _, written = exports
    pdf = written["pdf"][0].read_bytes()
    assert len(re.findall(rb"/Subtype\s*/Image", pdf)) == 3
    assert b"TestPhone" not in pdf


def test_docx_embeds_the_photos_with_alt_text_captions_and_page_sizes(exports) -> None:
    from docx import Document

    _, written = exports
    document = Document(str(written["docx"][0]))
    shapes = document.inline_shapes
    assert [s._inline.docPr.get("descr") for s in shapes] == ["业主在议事亭开会", "小区入口的大门和门岗", "楼间的小花园"]  # lead first
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    captions = [text for style, text in paragraphs if style == "图注"]
    assert captions == ["议事亭里的业主会（摄影：张三）", "小区入口（摄影：测试物业）", "来源：测试物业"]
    names = [text for style, text in paragraphs]
    assert names.index("测试·城市花园") < names.index("议事亭里的业主会（摄影：张三）") < names.index("概况及亮点")
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert all(0 < s.width <= text_width and s.height <= section.page_height // 2 for s in shapes)
    assert shapes[0].width == text_width  # the lead photo (3:2) spans the text
    assert abs(shapes[1].width / shapes[1].height - 2000 / 1500) < 0.01  # the sideways phone photo, turned upright
    assert shapes[2].height > shapes[2].width  # the portrait PNG stays portrait


def test_no_exported_photo_carries_metadata(exports) -> None:
    out, written = exports
    photos = [(path, path.read_bytes()) for path in out.rglob("*.jpg")]
    assert len(photos) == 6  # WeChat's folder and ICML's Links/
    with zipfile.ZipFile(written["docx"][0]) as archive:
        photos += [(name, archive.read(name)) for name in archive.namelist() if name.startswith("word/media/")]
    assert len(photos) == 9
    for path, data in photos:
        meta = ps.metadata_of(data)
        assert meta["format"] == "JPEG" and not meta["exif"] and not meta["gps"] and not meta["comment"], path


def test_a_phone_heic_is_read_turned_upright_and_stripped(tmp_path: Path) -> None:
    from generator.media.probe import probe_bytes
    from generator.media.process import make
    from generator.media.renditions import plan

    data = ps.phone_heic(640, 480)
    probe = probe_bytes(data)
    assert probe.problem is None and probe.format == "HEIF" and (probe.width, probe.height) == (640, 480)
    photo = plan("p.heic", probe.digest, probe.width, probe.height, probe.orientation)
    assert make(data, photo, [photo.fallback], tmp_path) == 1
    meta = ps.metadata_of((tmp_path / photo.fallback.path).read_bytes())
    assert meta["size"] == (640, 480) and not meta["gps"] and not meta["exif"]
