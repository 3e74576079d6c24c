"""The web editor's form (generator/cms) is generated from the record schema and site_config.yml."""

from __future__ import annotations

import yaml
from pydantic import BaseModel

from generator.cms import admin_pages, decap_config
from generator.schema.record import Record
from generator.schema.sheet import _unwrap
from generator.schema.site_config import load_site_config
from site_support import ROOT

CONFIG = load_site_config(ROOT / "site_config.yml").catalogue


def _collection() -> dict:
    return decap_config(CONFIG)["collections"][0]


def _schema_paths(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found = set()
    for name, field in model.model_fields.items():
        if not prefix and name == "review":
            continue
        inner, _ = _unwrap(field.annotation)
        found.add((*prefix, name))
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            found |= _schema_paths(inner, (*prefix, name))
    return found


def _form_paths(fields: list[dict], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found = set()
    for field in fields:
        path = (*prefix, field["name"])
        found.add(path)
        if path != ("metrics",) and "fields" in field:
            found |= _form_paths(field["fields"], path)
    return found


def test_every_record_field_is_in_the_form():
    assert _form_paths(_collection()["fields"]) == _schema_paths(Record)


def test_vocabulary_comes_from_site_config_as_choices():
    fields = {f["name"]: f for f in _collection()["fields"]}
    assert fields["themes"]["options"] == list(CONFIG.theme_of_tag) and fields["themes"]["multiple"]
    assert [o["value"] for o in fields["series"]["options"]] == [s.id for s in CONFIG.series]
    assert [m["name"] for m in fields["metrics"]["fields"]] == [m.key for m in CONFIG.metrics]
    households = fields["metrics"]["fields"][0]
    assert households["label"] == "住户（户）" and households["fields"][0]["value_type"] == "int"
    mechanism_theme = {f["name"]: f for f in fields["mechanisms"]["fields"]}["theme"]
    assert mechanism_theme["options"] == list(CONFIG.theme_of_tag)
    province = {f["name"]: f for f in fields["location"]["fields"]}["province"]
    assert "湖北省" in province["options"] and province["required"]
    assert fields["sources"]["min"] == 1 and fields["status"]["default"] == "draft"


def test_labels_and_hints_are_chinese_and_the_ui_too():
    config = decap_config(CONFIG)
    assert config["locale"] == "zh_Hans"
    labels = [f["label"] for f in _collection()["fields"]]
    assert "名称" in labels and "概况" in labels and all(not label.isascii() for label in labels)


def test_admin_files_load_no_script_from_elsewhere():
    files = admin_pages(CONFIG)
    page = files["admin/index.html"]
    assert '<script src="decap-cms.js"></script>' in page and "http" not in page.split("<body>")[1]
    assert yaml.safe_load(files["admin/config.yml"]) == decap_config(CONFIG)


def test_uploads_never_land_among_the_records():
    """The media library lists (and may replace or delete) what is in media_folder: never projects/ itself."""
    config = decap_config(CONFIG, "projects")
    assert config["media_folder"] == "projects/uploads" and config["public_folder"] == "uploads"
    assert _collection()["folder"] == "projects" and "delete" in _collection() and not _collection()["delete"]
    photo = {f["name"]: f for f in {f["name"]: f for f in _collection()["fields"]}["images"]["fields"]}["path"]
    assert photo["widget"] == "image" and photo["choose_url"] is False
