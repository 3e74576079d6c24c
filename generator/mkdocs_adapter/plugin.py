"""The `showcase` MkDocs plugin: generated pages in, one shared chrome for records.

Order of events in a build, and what each does here:
  on_config        add our theme overrides and assets; load the pages if the
                   conductor did not hand them over (plain `mkdocs build`)
  on_files         add index pages and the record shell as generated files
  on_page_markdown give generated pages their title, description, share data
  on_page_content  swap in the page's finished HTML (Markdown is bypassed)
  on_template_context  the 404 page's links relative to a <base> (any mount path)
  on_post_page     hand the record shell (generator.site.shell), the first
                   page built, to the conductor as soon as it is rendered: the
                   record pages are written while MkDocs writes the rest
  on_post_build    keep the rendered record shell for the conductor to fill
                   once per record; write the sitemap.
                   Under a plain `mkdocs build` (no conductor) also write the
                   record pages and the search index.
Record pages never pass through Markdown or the theme one by one: that is
the design that keeps a 10,000-record build fast.
"""

from __future__ import annotations

import hashlib
from base64 import b64encode
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils import normalize_url

from generator.catalogue import Catalogue
from generator.mkdocs_adapter.config import ShowcaseConfig
from generator.present.pages import Page, SitePages
from generator.search.indexer import ui_version
from generator.site.render import ASSETS_DIR, ASSETS_URL
from generator.site.shell import SHELL_URL, TOKENS, Shell, share_image_url
from generator.site.sitemap import write_sitemap
from generator.site.template_cache import bytecode_cache
from generator.text.cjk import join_cjk_lines

OVERRIDES_DIR = Path(__file__).parent / "overrides"
SEARCH_TEMPLATES_DIR = Path(__file__).parent.parent / "search" / "templates"
SHELL_SRC = f"{SHELL_URL}index.md"
# The 404 page's root finder (see overrides/404.html): inline, allowed by its hash in the deploy CSP.
SITE_ROOT_SCRIPT = (Path(__file__).parent / "site_root.js").read_text(encoding="utf-8").strip()


@lru_cache(maxsize=1)
def assets_version() -> str:
    """A digest of our scripts and stylesheets as installed: pages load them as …?v=<digest>."""
    digest = hashlib.sha256()
    for folder in (ASSETS_DIR, OVERRIDES_DIR / "assets"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def inline_script_hashes() -> list[str]:
    """CSP sources ('sha256-…') of every inline script the site's pages run (deploy configurations list them)."""
    digest = hashlib.sha256(SITE_ROOT_SCRIPT.encode("utf-8")).digest()
    return [f"'sha256-{b64encode(digest).decode('ascii')}'"]


class ShowcasePlugin(BasePlugin[ShowcaseConfig]):
    def __init__(self) -> None:
        # Set by the conductor (generator.mkdocs_adapter.engine) before MkDocs runs; loaded in on_config otherwise.
        self.site: SitePages | None = None
        self._loaded_here = False  # plain `mkdocs build`: the plugin writes the record pages and search itself
        self._catalogue: Catalogue | None = None  # what it loaded then
        self._media = None  # and its photos' media/ folder (generator.build.photos.MediaFolder)
        self._generated: dict[str, Page] = {}  # src_uri → page MkDocs renders from our HTML
        self._injected: dict[str, Page] = {}  # src_uri → generated part of a hand-written page
        self._files: Files | None = None
        # The rendered record chrome of the last build, for the conductor to fill with each record page.
        self.shell: Shell | None = None
        # Set by the conductor: called with the shell as soon as MkDocs has rendered it (see on_post_page).
        self.on_shell: Callable[[Shell], None] | None = None

    # ---- events -------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        if not config.use_directory_urls:
            raise PluginError("showcase: 需要 use_directory_urls: true（记录页面统一放在 records/<slug>/ 下）")
        # Our overrides sit just above the theme, below any custom_dir the site sets.
        theme_dirs = config.theme.dirs
        position = 1 if config.theme.custom_dir else 0
        theme_dirs.insert(position, str(OVERRIDES_DIR))
        # The search feature owns its header box template; the header includes it by name.
        theme_dirs.insert(position + 1, str(SEARCH_TEMPLATES_DIR))
        # Versioned like every script and stylesheet we add: a server may let browsers keep them for a year.
        config.extra_css.append(f"{ASSETS_URL}showcase.css?v={assets_version()}")
        config.extra_javascript.append(f"{ASSETS_URL}catalogue.js?v={assets_version()}")
        if self.site is None:
            self.site = self._load_site(config)
            self._loaded_here = True
        return config

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # The theme's templates, compiled once per installation instead of once per build.
        env.bytecode_cache = env.bytecode_cache or bytecode_cache()
        env.globals["search_ui_version"] = ui_version()
        env.globals["showcase_assets_version"] = assets_version()
        return env

    def on_template_context(self, context: dict, *, template_name: str, config: MkDocsConfig) -> dict:
        """The 404 page is served at any missing URL: its links are relative to the <base> it names
        (MkDocs makes them absolute from site_url, which is wrong wherever the site is served elsewhere)."""
        if not self.config.enabled or template_name != "404.html":
            return context
        context["base_url"] = "."
        context["extra_css"] = [normalize_url(path, None, ".") for path in config.extra_css]
        context["extra_javascript"] = [normalize_url(str(path), None, ".") for path in config.extra_javascript]
        context["showcase_root"] = urlsplit(config.site_url or "/").path or "/"
        context["showcase_root_script"] = Markup(SITE_ROOT_SCRIPT)
        return context

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled or self.site is None:
            return files
        self._files = files
        self.shell = None
        self._generated.clear()
        self._injected.clear()
        in_nav = _nav_sources(config.nav)
        for page in self.site.indexes:
            if files.get_file_from_path(page.src_uri) is not None:
                self._injected[page.src_uri] = page
                continue
            inclusion = InclusionLevel.UNDEFINED if page.src_uri in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content="", inclusion=inclusion))
            self._generated[page.src_uri] = page
        self._check_records_dir(files)
        for path, content in sorted(self.site.files.items()):
            files.append(File.generated(config, path, content=content))
        for path in sorted(self.site.placed):
            files.append(File.generated(config, path, content=b""))
        for asset in sorted(ASSETS_DIR.iterdir()):
            if asset.is_file():
                files.append(File.generated(config, ASSETS_URL + asset.name, abs_src_path=str(asset)))
        if self.site.records:
            # First of all pages: MkDocs builds pages in this order, and the record pages can be
            # written as soon as the shell exists (on_post_page). It is in no nav, list or sitemap.
            shell = File.generated(config, SHELL_SRC, content="", inclusion=InclusionLevel.NOT_IN_NAV)
            files = self._files = Files([shell, *files])
        return files

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        if not self.config.enabled:
            return markdown
        src = page.file.src_uri
        if src == SHELL_SRC:
            page.meta.update(
                title=TOKENS["title"],
                description=TOKENS["description"],
                hide=["toc"],
                showcase_generated=True,
                # Without a site_url there is no absolute image URL to share (share_image_url).
                showcase_share={"type": "article", "image": TOKENS["image"] if config.site_url else ""},
            )
            records = self.site.records if self.site else []
            page.edit_url = TOKENS["edit"] if records and records[0].edit_url else None
        elif src in self._generated:
            core = self._generated[src]
            # Material prints meta title/description unescaped (MkDocs' Jinja has no autoescape),
            # and a description can quote record names: hand them over already escaped.
            page.meta.setdefault("title", Markup.escape(core.title))
            page.meta.setdefault("description", Markup.escape(core.description))
            page.meta.setdefault("hide", ["navigation", "toc"] if core.wide else ["toc"])
            page.meta.update(showcase_generated=True, showcase_share=self._share(core, config))
            page.edit_url = None  # generated from records: there is no Markdown file to edit
        elif src in self._injected:
            page.meta.setdefault("showcase_share", self._share(self._injected[src], config))
        return markdown

    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        if not self.config.enabled:
            return html
        src = page.file.src_uri
        if src == SHELL_SRC:
            return TOKENS["content"]
        if src in self._generated:
            return self._generated[src].content
        # Hand-written pages: a Markdown paragraph's line breaks between Chinese characters are not spaces.
        html = join_cjk_lines(html)
        if src in self._injected:
            generated = self._injected[src].content
            if self.config.marker in html:
                return html.replace(self.config.marker, generated, 1)
            return html + generated
        return html

    @event_priority(-100)  # last: the page as MkDocs writes it, whatever other plugins did to it
    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        """The shell, as soon as it is rendered, to the conductor (`on_shell`), which starts writing the
        record pages while MkDocs writes the other pages: the other core would otherwise wait for MkDocs
        (about 2 s of a 10,000-record build, December 2026). Not when another plugin acts after the
        build (it might read the site folder: it must not see some of the record pages)."""
        if self.config.enabled and self.on_shell is not None and page.file.src_uri == SHELL_SRC:
            if config.plugins.events["post_build"] == [self.on_post_build]:
                # What MkDocs writes (and _take_shell would read back): encoded as MkDocs encodes the page.
                written = output.encode("utf-8", errors="xmlcharrefreplace").decode("utf-8")
                self.shell = Shell(written, site_url=config.site_url or "")
                self.on_shell(self.shell)
        return output

    @event_priority(-50)  # after other plugins wrote their files: the sitemap must see them all
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.site is None:
            return
        site_dir = Path(config.site_dir)
        self.shell = self._take_shell(site_dir, config)
        if self._loaded_here:
            # A plain `mkdocs build`: what the conductor adds to the site otherwise, this plugin adds
            # here, so `mkdocs build` and `mkdocs gh-deploy` give the whole site, search included.
            from generator.build.site import write_record_pages
            from generator.build.swap import mark
            from generator.search import index_site

            if self.shell is not None:
                write_record_pages(site_dir, self.shell, self.site.records)
            if self._media is not None:
                self._media.fill(site_dir)
            assert self._catalogue is not None
            index_site(site_dir, self._catalogue)
            mark(site_dir)  # a later `showcase build` may replace this site
        write_sitemap(site_dir, *self._sitemap_urls(config))

    # ---- loading ------------------------------------------------------------

    def _load_site(self, config: MkDocsConfig) -> SitePages:
        """Plain `mkdocs build/serve`: read the records ourselves (the pipeline normally hands them over)."""
        from generator.build.pipeline import media_for, prepare
        from generator.build.swap import check_replaceable
        from generator.schema.site_config import load_site_config

        # MkDocs empties site_dir next: only a site a build made (marked, as below) or an empty folder.
        check_replaceable(Path(config.site_dir))

        if not config.config_file_path:
            raise PluginError("showcase: 找不到 site_config.yml，请用 showcase build 构建")
        # A relative `site_config` (mkdocs.yml names site_config.yml) is beside the MkDocs config file.
        path = Path(config.config_file_path).parent / (self.config.site_config or Path(config.config_file_path).name)
        site_config = load_site_config(path)
        prepared = prepare(site_config, include_drafts=self.config.include_drafts)
        if prepared.site is None:
            raise PluginError("showcase: 记录校验未通过：\n" + prepared.report.as_text())
        self._catalogue = prepared.catalogue
        # Photos before anything is written, as in `showcase build`: a photo that fails stops the build here.
        self._media = media_for(site_config, prepared.catalogue, Path(config.site_dir))
        return prepared.site

    # ---- checking -----------------------------------------------------------

    def _check_records_dir(self, files: Files) -> None:
        """records/ belongs to the generated record pages; a hand-written page there would be overwritten."""
        clashing = sorted(f.src_uri for f in files if f.src_uri.startswith("records/") and f.is_documentation_page())
        if clashing:
            raise PluginError(f"showcase: content/records/ 由记录自动生成，请移走这些文件：{', '.join(clashing)}")

    # ---- writing ------------------------------------------------------------

    def _take_shell(self, site_dir: Path, config: MkDocsConfig) -> Shell | None:
        """The rendered record chrome, read and removed from the site (it is not a page of its own)."""
        if not (self.site and self.site.records):
            return None
        shell_path = site_dir / SHELL_URL / "index.html"
        shell = self.shell or Shell(shell_path.read_text(encoding="utf-8"), site_url=config.site_url or "")
        shell_path.unlink()
        shell_path.parent.rmdir()
        return shell

    def _sitemap_urls(self, config: MkDocsConfig) -> tuple[list[str], dict[str, str]]:
        """Every page's URL, and the last-change dates known: a record page's record's, a generated
        page about the whole catalogue the newest record's (hand-written pages have none)."""
        base = config.site_url or ""
        records = self.site.records if self.site else []
        newest = getattr(records, "newest", None)
        generated = {page.src_uri for page in self._generated.values()} | set(self._injected)
        urls = []
        lastmods: dict[str, str] = {}
        for file in self._files.documentation_pages() if self._files else []:
            if file.src_uri == SHELL_SRC or file.page is None:
                continue
            url = file.page.canonical_url or file.page.abs_url or file.url
            urls.append(url)
            if newest and file.src_uri in generated:
                lastmods[url] = newest
        # Record URLs are plain relative folders (records/<slug>/): each joins the base's folder, worked out
        # once, as urljoin would join it (urljoin on each of 10,000 took a third of a second of the build).
        folder = urljoin(base, "x")[:-1]
        record_urls = [folder + url for url in (getattr(records, "urls", None) or [page.url for page in records])]
        urls += record_urls
        for url, lastmod in zip(record_urls, getattr(records, "lastmods", None) or []):
            if lastmod:
                lastmods[url] = lastmod
        return urls, lastmods

    # ---- share previews -----------------------------------------------------

    def _share(self, page: Page, config: MkDocsConfig) -> dict[str, str]:
        return {"type": "website", "image": share_image_url(page, config.site_url or "")}


def _nav_sources(nav: list | None) -> set[str]:
    """Every page path the configured nav lists (nav entries are nested lists and dicts)."""
    found: set[str] = set()

    def walk(item: object) -> None:
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav or [])
    return found
