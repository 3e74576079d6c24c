"""Decap CMS's configuration, generated from the record schema and site_config.yml.

Why Decap CMS (and not Sveltia CMS): Decap ships a Simplified Chinese
interface (locale zh_Hans); its object and list widgets hold our nested
record (location, figures with qualifiers, mechanisms, sources) as it is;
and its local backend (decap-server, from npm) writes into a working copy,
so an editor can try it on a laptop and the tests can drive it end to end
in headless Chromium. Sveltia's local mode needs the browser's folder
picker, which no headless browser offers.

Every field of the form comes from the pydantic models (generator.schema.record):
nested models become object widgets, lists of them list widgets, enums and
the catalogue's vocabulary (series, themes and tags, provinces, metric keys)
select widgets; labels are the Chinese headers of generator.schema.sheet and
hints the fields' descriptions. A field added to the schema appears in the
form without a change here. Optional text typed in and cleared again is
not written as "" (the schema refuses empty text): admin.js drops empty
values before every save.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from generator.schema.record import KIND_LABELS, Kind, Record, Status
from generator.schema.sheet import LEFT_OUT, Vocabulary, _kind, _label, _unwrap
from generator.schema.site_config import CatalogueConfig

ADMIN_DIR = "admin"
TEMPLATES = Path(__file__).parent / "templates"
BUNDLE = "decap-cms.js"  # Decap's script, beside the page (generator.build.vendor puts it there)
# Fields an editor writes as paragraphs.
LONG_TEXT = {"summary", "what", "how", "text", "note"}
STATUS_LABELS = {Status.draft: "草稿（不在网站上显示）", Status.published: "已发布"}
UPLOADS_DIR = "uploads"  # photos uploaded through the form: projects/uploads/, written as uploads/<name>
# Record fields the form leaves out: review material is written by the importer for editors at a desk.
FORM_LEFT_OUT = {"review"}


def decap_config(config: CatalogueConfig, projects_dir: str = "projects") -> dict[str, Any]:
    cms = config.cms
    backend: dict[str, Any] = {"name": cms.backend, "branch": cms.branch}
    if cms.repo:
        backend["repo"] = cms.repo
    if cms.base_url:
        backend["base_url"] = cms.base_url
    if cms.api_root:
        backend["api_root"] = cms.api_root
    backend["commit_messages"] = {
        "create": "CMS: 新建记录 {{slug}}", "update": "CMS: 修改记录 {{slug}}", "delete": "CMS: 删除记录 {{slug}}",
        "uploadMedia": "CMS: 上传图片 {{path}}", "deleteMedia": "CMS: 删除图片 {{path}}",
    }
    return {
        "locale": "zh_Hans",
        "backend": backend,
        # On this computer (localhost) with `npx decap-server` running, the editor saves into the working copy.
        "local_backend": {"url": f"http://localhost:{cms.local_port}/api/v1", "allowed_hosts": ["localhost", "127.0.0.1"]},
        # A photo's path is relative to projects/ (generator.schema.record.Image). Uploads go to their own
        # folder below it, so the media library lists only photos: never a record file it could replace
        # or delete (replacing an upload of the same name asks first, as Decap does).
        "media_folder": f"{projects_dir}/{UPLOADS_DIR}",
        "public_folder": UPLOADS_DIR,
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [
            {
                "name": "records",
                "label": "项目记录",
                "label_singular": "项目记录",
                "description": "每个项目一条记录。保存后由 showcase check 校验；status 改为“已发布”才会出现在网站上。",
                "folder": projects_dir,
                "extension": "yml",
                "format": "yml",
                "create": True,
                "delete": False,  # a published record is removed in review, not by one click
                "slug": "{{fields.slug}}",
                "identifier_field": "name",
                "summary": "{{fields.number}} {{fields.name}}（{{fields.status}}）",
                "sortable_fields": ["number", "name"],
                "editor": {"preview": False},
                "fields": _fields(Record, (), Vocabulary(config), config),
            }
        ],
    }


def _fields(model: type[BaseModel], path: tuple[str, ...], vocabulary: Vocabulary, config: CatalogueConfig) -> list[dict[str, Any]]:
    found = []
    for name, field in model.model_fields.items():
        if not path and name in FORM_LEFT_OUT:
            continue
        widget = _widget(name, field, (*path, name), vocabulary, config)
        if widget is not None:
            found.append(widget)
    return found


def _widget(name: str, field: Any, path: tuple[str, ...], vocabulary: Vocabulary, config: CatalogueConfig) -> dict[str, Any] | None:
    inner, is_list = _unwrap(field.annotation)
    base: dict[str, Any] = {"name": name, "label": _label(name, field), "required": field.is_required()}
    if field.description:
        base["hint"] = field.description
    if path == ("metrics",):
        return {**base, "widget": "object", "collapsed": True, "hint": "每项数字与来源一致；有“以上”“近”等限定词时选在旁边", "fields": [
            {"name": m.key, "label": f"{m.label}（{m.unit}）", "widget": "object", "required": False, "collapsed": False, "fields": [
                {"name": "value", "label": "数值", "widget": "number", "value_type": "int" if m.type == "integer" else "float",
                 "required": False, **({"min": m.min} if m.min is not None else {}), **({"max": m.max} if m.max is not None else {})},
                {"name": "qualifier", "label": "限定词", "widget": "select", "required": False,
                 "options": list(vocabulary.choices(("metrics", m.key, "qualifier"), _qualifier()))},
                {"name": "note", "label": "说明", "widget": "string", "required": False},
            ]} for m in config.metrics
        ]}
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        fields = _fields(inner, path, vocabulary, config)
        if is_list:
            widget = {**base, "widget": "list", "fields": fields, "collapsed": False}
            widget["label_singular"] = base["label"]
            if field.metadata and any(getattr(m, "min_length", None) for m in field.metadata):
                widget["min"] = 1
            return widget
        return {**base, "widget": "object", "fields": fields, "collapsed": False}
    loc = (*path, 0) if is_list else path
    choices = _options(loc, inner, vocabulary)
    if choices:
        widget = {**base, "widget": "select", "options": choices}
        if is_list:
            widget["multiple"] = True
        if name == "status":
            widget["default"] = Status.draft.value
        return widget
    if is_list:
        return {**base, "widget": "list", "field": {"name": name, "label": base["label"], "widget": "text"}}
    kind = _kind(inner)
    if kind == "boolean":
        return {**base, "widget": "boolean"}  # no default: Decap would give every list an item to hold it
    if kind in ("integer", "number"):
        widget = {**base, "widget": "number", "value_type": "int" if kind == "integer" else "float"}
        for bound, key in (("ge", "min"), ("le", "max")):
            for meta in field.metadata:
                if getattr(meta, bound, None) is not None:
                    widget[key] = getattr(meta, bound)
        return widget
    if kind == "date":
        return {**base, "widget": "datetime", "date_format": "YYYY-MM-DD", "format": "YYYY-MM-DD", "time_format": False, "picker_utc": True}
    if path == ("images", "path"):
        return {**base, "widget": "image", "choose_url": False}  # pick or upload; the path is written for you
    if name == "slug":
        return {**base, "widget": "string", "pattern": ["^[a-z0-9]+(-[a-z0-9]+)*$", "只能用小写字母、数字和连字符，如 gezhouba-chengshi-huayuan"]}
    return {**base, "widget": "text" if name in LONG_TEXT else "string"}


def _qualifier() -> type:
    from generator.schema.record import Qualifier

    return Qualifier


def _options(loc: tuple, annotation: Any, vocabulary: Vocabulary) -> list[Any]:
    if loc == ("kind",):
        return [{"label": label, "value": kind.value} for kind, label in KIND_LABELS.items()]
    if loc == ("status",):
        return [{"label": label, "value": status.value} for status, label in STATUS_LABELS.items()]
    if loc == ("series",):
        return [{"label": s.title, "value": s.id} for s in vocabulary.config.series]
    return list(vocabulary.choices(loc, annotation))


def admin_pages(config: CatalogueConfig, projects_dir: str = "projects") -> dict[str, str]:
    """admin/index.html, admin/admin.js and admin/config.yml (Decap reads config.yml beside its page)."""
    config_text = "# Generated from the record schema and site_config.yml by generator/cms; do not edit.\n" + yaml.safe_dump(
        decap_config(config, projects_dir), allow_unicode=True, sort_keys=False, width=4096
    )
    return {
        f"{ADMIN_DIR}/index.html": (TEMPLATES / "index.html").read_text(encoding="utf-8"),
        f"{ADMIN_DIR}/admin.js": (TEMPLATES / "admin.js").read_text(encoding="utf-8"),
        f"{ADMIN_DIR}/config.yml": config_text,
    }


def config_json(config: CatalogueConfig) -> str:
    """The configuration as JSON (for tests and tools that check it)."""
    return json.dumps(decap_config(config), ensure_ascii=False, indent=2)
