"""Everything the website shows of a record, every channel shows.

A record is made with a distinctive value in every field of the schema
(generator.schema.record), walking the pydantic models so that a field added
there is filled here without touching this test. Each value the site's record
page shows must then appear in the WeChat article, the ICML story, the Word
proof, the PDF proof and the JSON data; review material must appear nowhere.
A field that reaches the site but not a channel fails here.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import shutil
import subprocess
import types
import typing
import zipfile
from html.parser import HTMLParser

import pytest

from generator.media import PhotoLibrary
from photo_support import phone_jpeg
from photo_support import write as write_photo
from export_support import site_config
from pydantic import BaseModel

from generator.catalogue import Catalogue, Entry
from generator.exporters import Selection, export
from generator.present.figures import number_label
from generator.present.record import date_text
from generator.schema.record import Record
from generator.site import SiteOptions, SiteRenderer

# Fields whose value is vocabulary (validated against site_config or the divisions table) or a
# URL-safe form: real values, so the site links and words them as it would any record.
VOCABULARY = {
    "kind": "estate",
    "series": "national-2022",
    "slug": "biaoji-shili",
    "status": "published",
    "location.province": "湖北省",
    "location.city": "武汉市",
    "location.district": "硚口区",
    "themes": ["红色物业", "电动车充电"],
    "mechanisms.theme": "联席会议",
}
# Shown on the site as something other than text a channel could repeat (an image file is a
# picture, not words; its caption and credit are checked like any text).
# A photo's alt text is an attribute (read aloud by screen readers), `lead` a choice of place.
NOT_TEXT = {"images.path", "sources.file", "images.alt", "images.lead"}
# `permission` records why a photo may be used: for the editors, not printed.
UNPUBLISHED = {"review", "images.permission"}


class Values:
    """Distinctive values, one per field: 标记01号, 1901, 2001-01-02 …"""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> int:
        self.count += 1
        return self.count


def _unwrap(annotation):
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(arguments[0]) if len(arguments) == 1 else annotation
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation


def _bounds(field) -> tuple[int, int]:
    low, high = 1, 10**6
    for item in field.metadata:
        low = getattr(item, "ge", None) or low
        high = getattr(item, "le", None) or high
    return low, high


def fill(model: type[BaseModel], values: Values, prefix: str = "") -> dict:
    """A value for every field of `model` (recursively), vocabulary from VOCABULARY."""
    data = {}
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        if path in VOCABULARY:
            data[name] = VOCABULARY[path]
            continue
        data[name] = _value(field.annotation, field, values, path)
    return data


def _value(annotation, field, values: Values, path: str):
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return [_value(item, field, values, path)]
    if origin is dict:
        return {}  # metrics: filled from site_config below
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return fill(annotation, values, path + ".")
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return list(annotation)[0].value
    if annotation is bool:
        return True
    n = values.next()
    if annotation is int:
        low, high = _bounds(field)
        return low + 40 + n if low >= 1900 else min(high, 70 + n)
    if annotation is float:
        return 5000 + n
    if annotation is dt.date:
        return dt.date(2021, 3, n % 28 + 1)
    if path.endswith("url"):
        return f"https://example.org/biaoji/{n}"
    if path.endswith("path"):
        return f"images/biaoji/{n}.jpg"
    return f"标记{n:02d}号"


def leaves(data, path: str = ""):
    """(dotted path without list indexes, value) for every leaf of the record data."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for value in data:
            yield from leaves(value, path)
    else:
        yield path, data


def shown(value) -> str:
    """How a value reads on a page."""
    if isinstance(value, dt.date):
        return date_text(value)
    return str(value)


def every_field_is_filled(model: type[BaseModel], data: dict, prefix: str = "") -> list[str]:
    missing = []
    for name, field in model.model_fields.items():
        value = data.get(name)
        if value in (None, [], {}):
            missing.append(prefix + name)
        annotation = _unwrap(field.annotation)
        inner = _unwrap(typing.get_args(annotation)[0]) if typing.get_origin(annotation) is list else annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel) and value:
            missing += every_field_is_filled(inner, value[0] if isinstance(value, list) else value, prefix + name + ".")
    return missing


@pytest.fixture(scope="module")
def full_record(tmp_path_factory) -> tuple[Catalogue, dict]:
    config = site_config().catalogue
    data = fill(Record, Values())
    plain, qualified = config.metrics[0], config.metrics[-1]
    data["metrics"] = {plain.key: 4321, qualified.key: {"value": 87, "qualifier": "以上", "note": "标记指标说明"}}
    record = Record.model_validate(data)
    # Real photo files (drawn here) behind the record's photo paths, as the loader would find them.
    root = tmp_path_factory.mktemp("full-record")
    library = PhotoLibrary(root, persist=False)
    planned = []
    for index, image in enumerate(record.images):
        path = write_photo(root / "projects" / image.path, phone_jpeg(2000, 1500, seed=index))
        planned.append(library.photo(path, path.relative_to(root).as_posix()))
    photos = {"projects/073-biaoji-shili.yml": tuple(planned)}
    return Catalogue(config, [Entry("projects/073-biaoji-shili.yml", record)], photos=photos, library=library), data


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        # A link out of the site is content (a source's address); a link within it is navigation.
        self.parts += [value for name, value in attrs if name == "href" and value and value.startswith("http")]


def html_text(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def channel_texts(catalogue: Catalogue, out) -> dict[str, str]:
    texts = {}
    wechat, *_photos = export(catalogue, "wechat", Selection(), out / "wechat")  # the article, then its photos
    texts["wechat"] = html_text(wechat.read_text(encoding="utf-8"))
    icml, *_links = export(catalogue, "icml", Selection(), out / "icml")  # the story, then Links/
    story = icml.read_text(encoding="utf-8")
    texts["icml"] = "\n".join(re.findall(r"<Content>([^<]*)</Content>", story) + re.findall(r'DestinationURL="([^"]*)"', story))
    (docx,) = export(catalogue, "docx", Selection(), out / "docx")
    with zipfile.ZipFile(docx) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    texts["docx"] = "\n".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", document) + re.findall(r'Target="(http[^"]*)"', rels))
    (data, _schema) = export(catalogue, "json", Selection(), out / "json")
    texts["json"] = json.dumps(json.loads(data.read_text(encoding="utf-8")), ensure_ascii=False)
    if shutil.which("pdftotext"):
        (pdf,) = export(catalogue, "pdf", Selection(), out / "pdf")
        # -raw: the order Typst wrote the text in (reading order), not poppler's guess at two columns
        texts["pdf"] = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return {name: _unescape(text) for name, text in texts.items()}


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def _flat(text: str) -> str:
    """Without white space: a PDF breaks lines inside a value."""
    return re.sub(r"\s+", "", text)


def test_the_record_fills_every_field_of_the_schema(full_record):
    _catalogue, data = full_record
    assert every_field_is_filled(Record, data) == []


def test_every_channel_shows_what_the_site_shows(full_record, tmp_path):
    catalogue, data = full_record
    (entry,) = catalogue.visible
    site = _flat(html_text(SiteRenderer(catalogue, SiteOptions()).record_page(entry).content))
    values = [(path, shown(value)) for path, value in leaves(data) if path not in NOT_TEXT | UNPUBLISHED and path.split(".")[0] not in UNPUBLISHED]
    on_site = [(path, text) for path, text in values if _flat(text) in site]
    # The site itself shows every field (kind, status and the slug are shown as words or in the URL).
    assert {path for path, _ in values} - {path for path, _ in on_site} <= {"kind", "status", "slug", "series"}
    figures = ["4321户", "87%以上", "标记指标说明"]
    assert all(figure in site for figure in figures)
    number = _flat(number_label(data["number"]))  # 第 71 号: the site's wording of the number, never "No. 71"
    assert number in site
    missing = {}
    for channel, text in channel_texts(catalogue, tmp_path).items():
        flat = _flat(text)
        wanted = [text_ for _, text_ in on_site] + figures
        absent = [(path, text_) for path, text_ in on_site if _flat(text_) not in flat] + [("metrics", f) for f in figures if f not in flat]
        if channel == "json":  # data: the values as stored (dates as YYYY-MM-DD, figures as numbers)
            absent = [(p, t) for p, t in absent if not p.startswith(("metrics",)) and "年" not in t]
        elif number not in flat or "No." in flat:
            absent.append(("number", number))
        if absent:
            missing[channel] = absent
        review = [value for path, value in leaves(data) if path.startswith("review")]
        assert not [value for value in review if _flat(str(value)) in flat], f"{channel} publishes review material"
        assert wanted
    assert missing == {}, f"shown on the site but not in: {missing}"
