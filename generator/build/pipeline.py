"""The one conductor: load → validate → model → render → write.

`build` checks everything before it writes anything: records are loaded and
validated (generator.build.records), the photos' missing renditions are
made in workers (generator.build.photos) while the index pages, WeChat articles and
downloads are rendered in memory (generator.build.site), and only then does
the page engine (MkDocs, generator.mkdocs_adapter) write the site — into a
staging folder next to the target, which replaces the previous site in one
step at the end (generator.build.swap). Record pages are rendered where they
are written, and the search index is built alongside in a worker of its own.
A build that fails at any stage leaves the previous site exactly as it was.
"""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Protocol

from generator.build import heap
from generator.build.photos import MediaFolder, RenditionWork, make_renditions, unique_photos
from generator.build.records import CatalogueLoader
from generator.build.swap import check_replaceable, mark, remove_abandoned_work, staging_folder, swap_into_place
from generator.catalogue import Catalogue
from generator.errors import Report, UserError, printable, relative
from generator.files import os_reason, undecodable_names, unportable_name
from generator.media import PhotoLibrary
from generator.progress import Bar, progress_bar
from generator.schema.site_config import SiteConfig

if TYPE_CHECKING:  # imported when a build has its records (_import_site_stages)
    from generator.present.pages import SitePages
    from generator.site import SiteOptions
    from generator.site.shell import Shell


def _import_site_stages() -> None:
    """The render, search and channel stages, imported while the workers check the records: numpy,
    Jinja and the site's templates take a quarter of a second to import, a core's idle time then,
    while importing them first delayed the checking workers by as much (10,000 records)."""
    importlib.import_module("generator.build.site")


class Engine(Protocol):
    """What writes the site's chrome and index pages (and renders the record shell)."""

    name: str

    def write_site(
        self, config: SiteConfig, site: SitePages, site_dir: Path, *, strict: bool, on_shell: Callable[[Shell], None] | None = None
    ) -> Shell | None:
        """Write the site into `site_dir`; the record shell (None without records). `on_shell`, if the
        engine can, is called with the shell as soon as it exists, while the engine goes on writing."""
        ...


# The page engines, by name → "module:class", imported when used (the registry is the plug point:
# moving the page shell to another engine adds a row here and touches nothing else).
ENGINES = {"mkdocs": "generator.mkdocs_adapter.engine:MkDocsEngine"}
DEFAULT_ENGINE = "mkdocs"


def engine(name: str = DEFAULT_ENGINE) -> Engine:
    module_name, _, class_name = ENGINES[name].partition(":")
    return getattr(importlib.import_module(module_name), class_name)()


@dataclass
class Prepared:
    """Everything a build needs, gathered before writing: `site` is None when validation failed."""

    catalogue: Catalogue
    report: Report
    site: SitePages | None


@dataclass
class BuildResult:
    ok: bool
    report: Report
    site_dir: Path | None = None
    pages: int = 0
    records: int = 0
    photos: int = 0  # photos the site shows
    photos_processed: int = 0  # of those, photos whose renditions this build made (the rest came from the cache)
    # What `showcase serve` needs to patch single record pages without a full build.
    catalogue: Catalogue | None = None
    options: SiteOptions | None = None
    shell: Shell | None = None


@contextmanager
def _photo_errors() -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        where = f"：{exc.filename}" if exc.filename else ""
        raise UserError(f"处理照片时出错（之前的网站保持不变）：{exc.strerror or exc}{where}") from None


def _check_page_names(config: SiteConfig) -> None:
    """Names in content/ the page engine cannot write (a GBK name from a Windows zip), refused before anything is written."""
    bad = undecodable_names(config.docs_dir)
    if bad:
        lines = [f"  {relative(path, config.root)}：{unportable_name(path.name)}" for path in bad[:20]]
        raise UserError("content/ 中有文件名不是 UTF-8 编码，网站无法生成（原有网站保持不变）：\n" + "\n".join(lines))


# What a build does, in order: the steps its progress bar counts.
BUILD_STAGES = ("校验记录", "处理照片", "渲染页面", "写出页面", "写出项目页", "搜索索引", "替换网站")


class _Stages:
    """Name the stage a build is in on its progress bar and count the stages done."""

    def __init__(self, bar: Bar) -> None:
        self.bar = bar
        self.started = 0

    def __call__(self, name: str) -> None:
        if self.started:
            self.bar.update(1)
        self.started += 1
        self.bar.set_description_str(f"构建网站：{name}")

    def done(self) -> None:
        self.bar.update(1)


def media_for(config: SiteConfig, catalogue: Catalogue, target: Path) -> MediaFolder:
    """The photos' renditions made (or found in the cache) and the media/ folder to put into `target`:
    for a plain `mkdocs build`, which writes into its site folder itself (generator.mkdocs_adapter.plugin)."""
    library = PhotoLibrary.for_root(config.root)
    with _photo_errors():
        make_renditions(catalogue, library)
    return MediaFolder(unique_photos(catalogue), library, target)


def site_options(config: SiteConfig) -> SiteOptions:
    from generator.site import SiteOptions

    return SiteOptions(
        site_name=str(config.mkdocs.get("site_name", "美好家园")),
        edit_url=config.catalogue.edit_url,
        site_url=str(config.mkdocs.get("site_url") or ""),
    )


def prepare(config: SiteConfig, *, include_drafts: bool = False, strict: bool = False, loader: CatalogueLoader | None = None) -> Prepared:
    """Load, validate, model and render — nothing is written here."""
    catalogue = (loader or CatalogueLoader(config)).load(include_drafts=include_drafts, meanwhile=_import_site_stages)
    if catalogue.report.failed(strict):
        return Prepared(catalogue, catalogue.report, None)
    from generator.build.site import render_site

    return Prepared(catalogue, catalogue.report, render_site(catalogue, site_options(config)))


def build(
    config: SiteConfig,
    *,
    out_dir: Path | None = None,
    include_drafts: bool = False,
    strict: bool = False,
    loader: CatalogueLoader | None = None,
    page_engine: Engine | None = None,
    progress: bool = False,
) -> BuildResult:
    """Build the website into `out_dir` (default: site_config's site_dir).

    Returns ok=False with the report when records do not validate (nothing is
    written); raises UserError when the engine fails or the disk refuses (the
    previous site is kept). With `progress`, each stage shows in the terminal
    (generator.progress: only when stderr is one).
    """
    with heap.settled(), progress_bar(len(BUILD_STAGES), "构建网站", "步", enabled=progress) as bar:
        stage = _Stages(bar)
        stage("校验记录")
        catalogue = (loader or CatalogueLoader(config)).load(include_drafts=include_drafts, freeze=True, meanwhile=_import_site_stages)
        if catalogue.report.failed(strict):
            return BuildResult(ok=False, report=catalogue.report)
        from generator.build.site import SiteWork

        target = Path(out_dir or config.site_dir).resolve()
        check_replaceable(target)
        _check_page_names(config)
        options = site_options(config)
        # Photos are made in workers while the pages are rendered and written (pages only need their
        # planned names and sizes); a failure to make one stops the build before the swap.
        stage("处理照片")
        library = PhotoLibrary.for_root(config.root)
        photos = unique_photos(catalogue)
        media = MediaFolder(photos, library, target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            remove_abandoned_work(target)
            with RenditionWork(catalogue, library) as making:
                # The search index needs only the records: it is built alongside the pages and put in
                # before the swap, so a failure there also leaves the previous site (and its search) in place.
                with SiteWork(catalogue, options, beside=target.parent, prefix=f".{target.name}.search-") as work:
                    stage("渲染页面")
                    site = work.pages()
                    with staging_folder(target) as staging:  # removed if anything below fails
                        try:
                            stage("写出页面")
                            # The record pages start as soon as the engine has their shell, while it writes the rest.
                            start = partial(work.start_records, staging.path, records=site.records)
                            shell = (page_engine or engine()).write_site(config, site, staging.path, strict=strict, on_shell=start)
                            stage("写出项目页")
                            if shell is not None:
                                work.write_records(staging.path, shell, site.records)
                        except BaseException:
                            work.stop()  # the workers may still be writing into staging: stopped before it is removed
                            raise
                        stage("搜索索引")
                        work.finish_into(staging.path)
                        with _photo_errors():
                            processed = making.wait()
                        media.fill(staging.path)  # the spare media/, never the live site's
                        mark(staging.path)
                        stage("替换网站")
                        swap_into_place(staging.path, target, keep=media.keep)
        except OSError as exc:  # disk full, read-only, no permission, … (also from a worker process)
            # The target, not exc.filename: that may be a file being copied from, or a staging folder's name.
            raise UserError(f"写入网站 {printable(str(target))} 时出错（之前的网站保持不变）：{os_reason(exc)}") from None
        stage.done()
        return BuildResult(
            ok=True,
            report=catalogue.report,
            site_dir=target,
            pages=len(site.indexes) + len(site.records),
            records=len(site.records),
            photos=len(photos),
            photos_processed=processed,
            catalogue=catalogue,
            options=options,
            shell=shell,
        )
