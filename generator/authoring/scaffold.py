"""`showcase new`: start a record from a template an editor fills in."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.authoring.writer import write_new_file
from generator.errors import UserError
from generator.schema.divisions import DIVISIONS
from generator.schema.site_config import SiteConfig
from generator.text.slugs import slugify
from generator.text.suggest import did_you_mean


def record_filename(slug: str, number: int | None) -> str:
    return f"{number:03d}-{slug}.yml" if number is not None else f"{slug}.yml"


def new_record(
    config: SiteConfig,
    name: str,
    series: str,
    number: int | None,
    province: str,
    city: str | None,
    district: str | None,
) -> Path:
    catalogue = config.catalogue
    if series not in catalogue.series_by_id:
        raise UserError(f"未知系列 {series}{did_you_mean(series, catalogue.series_by_id)}")
    chosen = catalogue.series_by_id[series]
    if chosen.numbered and number is None:
        raise UserError(f"系列 {series} 是编号系列，请用 --number 给出编号（1–{chosen.size}）")
    if chosen.numbered and number is not None and not 1 <= number <= (chosen.size or number):
        raise UserError(f"编号应在 1–{chosen.size} 之间（系列 {series} 共 {chosen.size} 个名额），现在是 {number}")
    if not chosen.numbered and number is not None:
        raise UserError(f"系列 {series} 不编号；请去掉 --number {number}")
    name = _checked_name(name)
    province = DIVISIONS.province_short_names.get(province, province)
    if province not in DIVISIONS.provinces:
        hint = did_you_mean(province, DIVISIONS.provinces) or "；请写全称，如 湖北省"
        raise UserError(f"未知省份 {province}{hint}")
    slug = slugify(name)
    target = config.projects_dir / record_filename(slug, number)
    environment = Environment(
        loader=PackageLoader("generator.authoring", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML output: values are emitted through the |yaml_str filter
    )
    environment.filters["yaml_str"] = _yaml_string
    text = environment.get_template("new_record.yml.j2").render(
        name=name, series=series, number=number, slug=slug, stem=target.stem,
        province=province, city=city, district=district,
    )
    write_new_file(target, text)
    return target


def _checked_name(name: str) -> str:
    """The name as the record schema takes it (stripped, one line, visible, not too long), or why not."""
    from pydantic import TypeAdapter, ValidationError

    from generator.schema.messages import translate
    from generator.schema.record import Name

    try:
        return TypeAdapter(Name).validate_python(name)
    except ValidationError as exc:
        raise UserError(translate(exc.errors()[0], ("name",))[1]) from None


def _yaml_string(value: str) -> str:
    """A double-quoted YAML scalar, safe for any text the editor typed."""
    import json

    return json.dumps(value, ensure_ascii=False)
