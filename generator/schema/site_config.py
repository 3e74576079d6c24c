"""site_config.yml: the catalogue's typed settings.

The file is also the MkDocs configuration. We read the `catalogue:` key
ourselves and hand the rest to MkDocs (see `mkdocs_config_text`), because
MkDocs' strict mode rejects keys it does not know.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from generator.errors import UserError
from generator.schema.types import HttpUrl, Slug

DEFAULT_CONFIG = "site_config.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Series(_Strict):
    id: Slug
    title: str
    short_title: str
    issuer: str | None = None
    year: int | None = None
    numbered: bool = False
    size: int | None = Field(None, ge=1, description="编号系列的名额，编号须在 1..size 之间")
    description: str | None = None

    @model_validator(mode="after")
    def _numbered_needs_size(self) -> "Series":
        if self.numbered and self.size is None:
            raise ValueError(f"编号系列 {self.id} 需要 size（名额）")
        return self


class Theme(_Strict):
    name: str
    slug: Slug
    description: str | None = None
    tags: list[str] = Field(default_factory=list)


class MetricDefinition(_Strict):
    key: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    label: str
    unit: str
    type: Literal["integer", "number", "percent"]
    min: float | None = None
    max: float | None = None


class OpenData(_Strict):
    """Who publishes the open data (data/records.json and .csv) and under which terms."""

    publisher: str = Field("美好家园项目展示编辑部", description="发布者")
    license: str = Field("项目资料来源于公开报道，由编辑部整理；转载请注明原始来源和本站。", description="使用条件（许可）")
    license_url: str | None = Field(None, description="许可全文的网址")
# The figures the home, province and theme pages chart, when site_config.yml names none.
DEFAULT_CHARTS = ("households", "building_area", "owner_satisfaction", "fee_collection_rate")


class StatisticsConfig(_Strict):
    """Statistics over many records: shown only when they rest on enough records."""

    min_records: int = Field(
        3, ge=1, description="一个统计数字或图表至少依据几个项目的数据；不足时不显示（例如只有一个项目有满意度时不显示中位数）"
    )
    charts: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CHARTS),
        description="首页、省份页、主题页画出分布图的指标（catalogue.metrics 中的 key），按此顺序",
    )


class CopyingThresholds(_Strict):
    """When a published record's own words repeat its source too closely (generator.checks.copying)."""

    longest_run: int = Field(30, ge=5, description="描述文字与来源连续逐字相同达到这么多字就警告")
    share: float = Field(50, gt=0, le=100, description="描述文字中与来源逐字相同的字达到这个百分比就警告")
    min_run: int = Field(12, ge=4, description="连续这么多字相同才计入照抄比例（短语重合不算）")


class CmsConfig(_Strict):
    """The web editor at /admin/ (Decap CMS, generator.cms): which repository it commits records to."""

    backend: Literal["github", "gitlab", "gitea"] = Field("github", description="记录仓库所在的平台")
    repo: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)+$")] | None = Field(
        None, description="仓库，如 meihao/showcase（GitLab 可含子组）"
    )
    branch: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._/-]+$")] = "main"
    base_url: Annotated[str, StringConstraints(pattern=r"^https://[^\s\"'<>]+$")] | None = Field(
        None, description="OAuth 登录服务的地址（GitHub 不在 Netlify 上时需要）"
    )
    api_root: Annotated[str, StringConstraints(pattern=r"^https://[^\s\"'<>]+$")] | None = Field(
        None, description="自建 GitLab/Gitea 的 API 地址"
    )
    local_port: int = Field(8081, ge=1024, le=65535, description="本地编辑时 decap-server 的端口")


class CatalogueConfig(_Strict):
    projects_dir: str = "projects"
    edit_url: HttpUrl | None = Field(None, description="“编辑此记录”链接，{path} 替换为记录路径")
    series: list[Series] = Field(min_length=1)
    themes: list[Theme] = Field(min_length=1)
    metrics: list[MetricDefinition] = Field(default_factory=list)
    open_data: OpenData = Field(default_factory=OpenData)
    statistics: StatisticsConfig = Field(default_factory=StatisticsConfig)
    copying: CopyingThresholds = Field(default_factory=CopyingThresholds)
    cms: CmsConfig = Field(default_factory=CmsConfig)

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @model_validator(mode="after")
    def _edit_url_names_the_record(self) -> "CatalogueConfig":
        if self.edit_url is not None and "{path}" not in self.edit_url:
            raise ValueError(f"edit_url 须含 {{path}}（替换为记录的路径），现在是 {self.edit_url}")
        return self

    @model_validator(mode="after")
    def _unique_names(self) -> "CatalogueConfig":
        for label, names in (
            ("系列 id", [s.id for s in self.series]),
            ("主题或标签", [t.name for t in self.themes] + [tag for t in self.themes for tag in t.tags]),
            ("主题 slug", [t.slug for t in self.themes]),
            ("指标 key", [m.key for m in self.metrics]),
        ):
            seen: set[str] = set()
            for name in names:
                if name in seen:
                    raise ValueError(f"{label}重复：{name}")
                seen.add(name)
        return self

    @model_validator(mode="after")
    def _charts_are_metrics(self) -> "CatalogueConfig":
        known = {m.key for m in self.metrics}
        unknown = [key for key in self.statistics.charts if key not in known]
        # Only charts someone asked for by name must exist: the defaults chart what the metrics define.
        if unknown and "statistics" in self.model_fields_set and "charts" in self.statistics.model_fields_set:
            raise ValueError(f"statistics.charts 中的指标未在 metrics 中定义：{'、'.join(unknown)}")
        return self

    @cached_property
    def chart_metrics(self) -> list[MetricDefinition]:
        """The metrics the pages chart, in statistics.charts order (defaults missing from metrics are skipped)."""
        return [self.metric_by_key[key] for key in self.statistics.charts if key in self.metric_by_key]

    @cached_property
    def series_by_id(self) -> dict[str, Series]:
        return {s.id: s for s in self.series}

    @cached_property
    def metric_by_key(self) -> dict[str, MetricDefinition]:
        return {m.key: m for m in self.metrics}

    @cached_property
    def metric_labels(self) -> dict[str, str]:
        """Metric key → its Chinese label (业主满意度), for messages."""
        return {m.key: m.label for m in self.metrics}

    @cached_property
    def theme_of_tag(self) -> dict[str, Theme]:
        """Every theme name and tag → the top-level theme it belongs to."""
        mapping: dict[str, Theme] = {}
        for theme in self.themes:
            mapping[theme.name] = theme
            for tag in theme.tags:
                mapping[tag] = theme
        return mapping


class SiteConfig(BaseModel):
    """The whole file: MkDocs settings we pass through plus the catalogue."""

    model_config = ConfigDict(frozen=True)

    path: Path
    catalogue: CatalogueConfig
    mkdocs: dict

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def projects_dir(self) -> Path:
        return self.root / self.catalogue.projects_dir

    @property
    def docs_dir(self) -> Path:
        return self.root / str(self.mkdocs.get("docs_dir", "docs"))

    @property
    def site_dir(self) -> Path:
        return self.root / str(self.mkdocs.get("site_dir", "site"))

    def mkdocs_config_text(self) -> str:
        """The MkDocs part of the file, as YAML MkDocs can load strictly."""
        return yaml.safe_dump(self.mkdocs, allow_unicode=True, sort_keys=False)


# ---- links in the MkDocs part ----------------------------------------------------------------
# Every address in the file is checked as strictly as a record's source URL: MkDocs accepts
# `javascript://x%0a…` as a site_url (it has a "host"), and a nav entry or the copyright's
# HTML can hold any href. Browsers ignore tabs, line breaks and control characters inside a
# scheme (java\tscript:), so those are removed before looking at it.
_IGNORED_IN_SCHEME = re.compile(r"[\s\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto"}
# Keys whose value is an address: site_url, repo_url, edit_uri, link, href, logo …
_ADDRESS_KEY = re.compile(r"(?:^|_)(?:url|uri|link|href|src)$|^(?:logo|favicon)$")
_ADDRESS_LISTS = {"nav", "extra_css", "extra_javascript"}  # every text in these is an address
_ATTRIBUTE_SCHEME = re.compile(r"(?:href|src|action|formaction|xlink:href)=[\"']?([A-Za-z][A-Za-z0-9+.-]*):", re.IGNORECASE)
_ADDRESS = re.compile(r"^[^\s<>\"'`]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def address_problems(value: object, where: tuple[str | int, ...] = ()) -> list[str]:
    """Every text of the MkDocs settings that is, or holds, a link another scheme than http(s)
    or mailto could make run (javascript:, data:, vbscript:): one line each, by its key path."""
    problems: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            problems += address_problems(item, where + (str(key),))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems += address_problems(item, where + (index,))
    elif isinstance(value, str):
        dotted = ".".join(str(part) for part in where)
        compact = _IGNORED_IN_SCHEME.sub("", value)
        keys = [part for part in where if isinstance(part, str)]
        is_address = bool(keys) and (bool(_ADDRESS_KEY.search(keys[-1])) or keys[0] in _ADDRESS_LISTS)
        scheme = _SCHEME.match(compact)
        shown = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", value if len(value) <= 60 else value[:57] + "…")
        if is_address and scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
            problems.append(f"{dotted}: 只能是 http:// 或 https:// 开头的网址（或站内的相对路径），现在是 “{shown}”")
        elif is_address and value and not _ADDRESS.match(value):
            problems.append(f"{dotted}: 网址中不能有空格、引号或尖括号，现在是 “{shown}”")
        elif scheme and scheme.group(1).lower() in ("javascript", "vbscript", "data", "livescript"):
            problems.append(f"{dotted}: 不能以 {scheme.group(1)}: 开头（会成为可执行的链接），现在是 “{shown}”")
        elif any(found.lower() not in _SAFE_SCHEMES for found in _ATTRIBUTE_SCHEME.findall(compact)):
            problems.append(f"{dotted}: HTML 链接只能指向 http:// 或 https:// 网址，现在是 “{shown}”")
    return problems


def load_site_config(path: str | Path = DEFAULT_CONFIG) -> SiteConfig:
    """Read and validate site_config.yml; every problem becomes one UserError."""
    from pydantic import ValidationError

    from generator.schema.messages import translate

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: 找不到配置文件 site_config.yml，请在项目根目录运行") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: 配置文件不是 UTF-8 编码，请另存为 UTF-8") from None
    try:
        document = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: 配置文件 YAML 语法错误：{exc}") from None
    if not isinstance(document, dict) or "catalogue" not in document:
        raise UserError(f"{path}: 缺少 catalogue: 配置段（系列、主题、指标定义）")
    catalogue_raw = document.pop("catalogue")
    unsafe = address_problems(document)
    if unsafe:
        raise UserError(f"{path}: 网址设置有误：\n" + "\n".join(f"  {line}" for line in unsafe))
    try:
        catalogue = CatalogueConfig.model_validate(catalogue_raw)
    except ValidationError as exc:
        lines = [f"  {translate(err, ('catalogue', *err['loc']))[1]}" for err in exc.errors()]
        raise UserError(f"{path}: catalogue 配置有误：\n" + "\n".join(lines)) from None
    return SiteConfig(path=path.resolve(), catalogue=catalogue, mkdocs=document)
