"""Publishing anywhere: the built site at any address, a plain `mkdocs build`, the deploy files.

The site is built once here (strict, with site_url) and served with the
shipped nginx configuration (tests/deploy_support.py); the browser checks
(CSP, the 404 page under another path) are in tests/browser/test_deploy_browser.py.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import yaml

from generator.build.pipeline import build
from generator.mkdocs_adapter.plugin import inline_script_hashes
from site_support import ROOT, make_project, tree_digest, write_records

import deploy_support

MATERIAL_PARTIALS = Path(__import__("material").__file__).parent / "templates" / "partials" / "javascripts"
OUR_SCRIPTS = ROOT / "generator" / "mkdocs_adapter" / "overrides" / "assets" / "showcase" / "material"
NGINX_AVAILABLE = Path(deploy_support.NGINX).exists()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("deploy")
    result = build(make_project(root), strict=True)
    assert result.ok, result.report.as_text()
    return result.site_dir


def _set_site_url(root: Path, value: str | None) -> None:
    config = root / "site_config.yml"
    document = yaml.safe_load(config.read_text(encoding="utf-8"))
    if value is None:
        document.pop("site_url", None)
    else:
        document["site_url"] = value
    config.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


# ---- any address -----------------------------------------------------------------


def test_a_site_without_site_url_builds(tmp_path):
    """Missing or empty alike (both reach the engine as no site_url): once, a build costs seconds."""
    make_project(tmp_path)
    _set_site_url(tmp_path, None)
    from generator.schema.site_config import load_site_config

    result = build(load_site_config(tmp_path / "site_config.yml"), strict=True)
    assert result.ok, result.report.as_text()
    record = (result.site_dir / "records" / "ceshi-lanwan" / "index.html").read_text(encoding="utf-8")
    assert "测试蓝湾" in record
    # No absolute address to name: no canonical link and no share image with a wrong relative URL.
    assert 'rel="canonical"' not in record and "og:image" not in record
    assert "_shell_" not in record


def test_404_page_links_relative_to_a_base_it_names(built):
    page = (built / "404.html").read_text(encoding="utf-8")
    assert '<base href="/meihao-jiayuan/" data-showcase-root>' in page  # site_url's path
    assert page.index("<base") < page.index("<link")  # before anything that loads
    assert "页面不存在" in page and 'action="search/"' in page and 'href="./"' in page
    links = re.findall(r'(?:href|src|action)="([^"]+)"', page.replace('<base href="/meihao-jiayuan/"', ""))
    # Relative to the root (<base>), never //assets or a path MkDocs made absolute from site_url.
    assert not [link for link in links if link.startswith("/")], links


def test_wechat_folder_has_an_index_page(built):
    page = (built / "wechat" / "index.html").read_text(encoding="utf-8")
    for province, slug in (("湖北", "hubei"), ("北京", "beijing")):
        assert f'<a href="{slug}/">{province}</a>' in page
        assert (built / "wechat" / slug / "index.html").exists()


# ---- a plain `mkdocs build` ----------------------------------------------------------


def _mkdocs_build(root: Path, out: Path, *config: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", *config, "-d", str(out)],
        cwd=root, capture_output=True, text=True, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def test_plain_mkdocs_build_gives_the_same_site_search_included(built, tmp_path):
    """Typed bare, as MkDocs users and gh-deploy do: mkdocs.yml inherits site_config.yml."""
    make_project(tmp_path)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    run = _mkdocs_build(tmp_path, tmp_path / "mkdocs-site")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "mkdocs-site" / "assets" / "search" / "index" / "index.json").exists()
    assert tree_digest(tmp_path / "mkdocs-site") == tree_digest(built)


def test_plain_mkdocs_build_stops_at_a_broken_record(tmp_path):
    make_project(tmp_path)
    write_records(tmp_path, {"050-huai.yml": {"kind": "estate", "series": "national-2022", "number": 50}})
    run = _mkdocs_build(tmp_path, tmp_path / "mkdocs-site", "-f", str(tmp_path / "site_config.yml"))
    assert run.returncode != 0
    assert "记录校验未通过" in run.stderr and "050-huai.yml" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "mkdocs-site" / "index.html").exists()


def test_plain_mkdocs_build_leaves_a_folder_it_did_not_make(tmp_path):
    """MkDocs empties site_dir before writing: not a folder holding someone's files."""
    make_project(tmp_path)
    (tmp_path / "mkdocs-site").mkdir()
    (tmp_path / "mkdocs-site" / "notes.txt").write_text("编辑的笔记", encoding="utf-8")
    run = _mkdocs_build(tmp_path, tmp_path / "mkdocs-site", "-f", str(tmp_path / "site_config.yml"))
    assert run.returncode != 0 and ".showcase-site" in run.stderr and "Traceback" not in run.stderr
    assert [p.name for p in (tmp_path / "mkdocs-site").iterdir()] == ["notes.txt"]


# ---- no inline script but one, allowed by its hash ------------------------------------


def _inline_scripts(html: str) -> list[str]:
    """Bodies of executable inline <script> elements (JSON data blocks do not run)."""
    found = []
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        if "src=" in attributes or 'type="application/json"' in attributes:
            continue
        found.append(body)
    return found


def test_pages_run_no_inline_script_but_the_404_root_finder(built):
    for path in built.rglob("*.html"):
        scripts = _inline_scripts(path.read_text(encoding="utf-8"))
        if path.name == "404.html":
            assert len(scripts) == 1
        else:
            assert scripts == [], path


@pytest.mark.parametrize("name", ["base", "palette", "content"])
def test_our_script_files_are_materials_inline_scripts(name):
    """Material's inline scripts, moved to files: a Material upgrade that changes them fails here."""
    theirs = re.findall(r"<script>(.*?)</script>", (MATERIAL_PARTIALS / f"{name}.html").read_text(encoding="utf-8"), re.S)
    ours = {
        "base": ["base.js"], "palette": ["palette.js"], "content": ["content-tabs.js", "content.js"],
    }[name]
    assert len(theirs) == len(ours)
    for script, file in zip(theirs, ours):
        text = (OUR_SCRIPTS / file).read_text(encoding="utf-8").strip()
        if file == "base.js":  # the scope comes from a data attribute instead of a template value
            script = script.replace('new URL("{{ config.extra.scope | d(base_url) }}",location)',
                                    "new URL(document.currentScript.dataset.mdScope,document.baseURI)")
        assert text == script


def test_nginx_csp_allows_exactly_the_inline_script_of_the_site():
    conf = (ROOT / "deploy" / "nginx" / "showcase-http.conf").read_text(encoding="utf-8")
    hashes = set(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", conf))
    assert hashes == set(inline_script_hashes()), f"put {inline_script_hashes()} into showcase-http.conf"


# ---- the deploy files, checked by their own linters and schemas --------------------------


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.skip(f"{name} is not installed (requirements-test.lock)")
    return str(path)


@pytest.mark.parametrize("path, schema", [
    (".github/workflows/pages.yml", "vendor.github-workflows"),
    (".gitlab-ci.yml", "vendor.gitlab-ci"),
])
def test_ci_files_match_their_platforms_schema(path, schema):
    """check-jsonschema ships SchemaStore's schemas for both: no network needed."""
    run = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", schema, str(ROOT / path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("path", [".github/workflows/pages.yml", ".gitlab-ci.yml"])
def test_ci_files_check_every_record_test_and_publish_the_site(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    commands = [line.strip().removeprefix("- ").removeprefix("run: ") for line in text.splitlines()]
    for needed in ("make check", "make test", "make site"):
        assert needed in commands, f"{path} does not run {needed}"
    assert "debian:bookworm" in text  # the README's machine: Debian 12, Python 3.11


def test_dockerfile_passes_hadolint_and_ships_the_tested_nginx_files():
    run = subprocess.run([_tool("hadolint"), "--config", str(ROOT / ".hadolint.yaml"), str(ROOT / "Dockerfile")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY deploy/nginx/showcase-http.conf deploy/nginx/showcase-server.conf /etc/nginx/showcase/" in dockerfile
    assert "COPY deploy/docker/nginx.conf /etc/nginx/nginx.conf" in dockerfile
    assert "RUN make site" in dockerfile and "root /srv/site;" in (ROOT / "deploy/docker/nginx.conf").read_text(encoding="utf-8")


# ---- served by nginx with the shipped configuration ------------------------------------


@pytest.fixture(scope="module")
def served(built, tmp_path_factory):
    if not NGINX_AVAILABLE:
        pytest.skip("nginx is not installed (make test installs nginx-light)")
    with deploy_support.nginx(built, tmp_path_factory.mktemp("nginx")) as urls:
        yield urls


def _get(url: str, encoding: str = "gzip, br") -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    try:
        with urllib.request.urlopen(request) as response:
            return {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return {k.lower(): v for k, v in error.headers.items()} | {"status": str(error.code)}, error.read()


def test_department_config_is_valid_nginx(tmp_path):
    if not NGINX_AVAILABLE:
        pytest.skip("nginx is not installed")
    text = (ROOT / "deploy" / "nginx" / "department.conf").read_text(encoding="utf-8")
    text = text.replace("/etc/nginx/showcase/", f"{ROOT / 'deploy' / 'nginx'}/").replace("listen 80;", "listen 127.0.0.1:8;")
    text = text.replace("listen [::]:80;", "").replace("/var/www/meihao-jiayuan", str(tmp_path))
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\nhttp {{\n"
                    f"include /etc/nginx/mime.types;\n{text}\n}}\n", encoding="utf-8")
    run = subprocess.run([deploy_support.NGINX, "-t", "-q", "-c", str(conf)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_pages_go_out_compressed_and_revalidated(served):
    root, _ = served
    headers, body = _get(root + "catalogue/")
    assert headers["content-encoding"] == "br" and headers["cache-control"] == "no-cache"
    headers, body = _get(root + "catalogue/", encoding="gzip")
    assert headers["content-encoding"] == "gzip" and "项目目录" in gzip.decompress(body).decode("utf-8")
    for name in ("content-security-policy", "x-content-type-options", "referrer-policy"):
        assert name in headers


def test_search_shards_go_out_as_they_are(served, built):
    """They are gzip data already (search.js inflates them): no second compression, no Content-Encoding."""
    root, _ = served
    index = built / "assets" / "search" / "index"
    shard = sorted((index / "s").iterdir())[0].relative_to(built).as_posix()
    headers, body = _get(f"{root}{shard}?v=1")
    assert "content-encoding" not in headers and headers["content-type"] == "application/octet-stream"
    assert body == (built / shard).read_bytes() and body[:2] == b"\x1f\x8b"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    headers, _ = _get(root + "assets/search/index/index.json")  # the manifest is asked for without a version
    assert headers["cache-control"] == "no-cache"


def test_versioned_assets_are_kept_for_a_year(served, built):
    root, _ = served
    page = (built / "index.html").read_text(encoding="utf-8")
    assets = re.findall(r'(?:href|src)="(assets/[^"]+)"', page)
    versioned = [a for a in assets if "?v=" in a or re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", a)]
    assert len(versioned) >= 5, assets
    for asset in versioned:
        headers, _ = _get(root + asset)
        assert headers["cache-control"] == "public, max-age=31536000, immutable", asset


def test_missing_pages_answer_404_with_the_chinese_page(served):
    root, sub = served
    for base in (root, sub):
        headers, body = _get(base + "no/such/page/", encoding="identity")
        assert headers["status"] == "404" and "页面不存在" in body.decode("utf-8")
    headers, _ = _get(root + ".git/config", encoding="identity")
    assert headers["status"] == "404"


def test_folders_redirect_relatively(served):
    """/catalogue → /catalogue/ without naming the host and port (right behind a container's port mapping)."""
    root, _ = served
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(root + "catalogue")
        raise AssertionError("no redirect")
    except urllib.error.HTTPError as error:
        assert error.code == 301 and error.headers["Location"] == "/catalogue/"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# ---- requirements: a production build installs no test-only package ---------------------


def _pins(name: str) -> dict[str, str]:
    from packaging.utils import canonicalize_name

    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return {canonicalize_name(line.split("==")[0]): line.split("==")[1] for line in lines if line and not line.startswith("#")}


def test_runtime_and_test_requirements_are_split_and_pinned():
    import importlib.metadata as metadata
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    runtime, tests = _pins("requirements.lock"), _pins("requirements-test.lock")
    assert not runtime.keys() & tests.keys()
    assert {"playwright", "pytest", "hypothesis"} <= tests.keys() and not {"playwright", "pytest", "greenlet"} & runtime.keys()
    # Everything the declared run-time dependencies need, down to the leaves, is pinned for `make site`.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    needed: set[str] = set()
    todo = [Requirement(r).name for r in project["dependencies"]]
    while todo:
        name = canonicalize_name(todo.pop())
        if name in needed:
            continue
        needed.add(name)
        for requirement in metadata.requires(name) or []:
            parsed = Requirement(requirement)
            if parsed.marker is None or parsed.marker.evaluate({"extra": ""}):
                todo.append(parsed.name)
    assert needed <= runtime.keys(), f"not in requirements.lock: {sorted(needed - runtime.keys())}"
    for name, version in runtime.items():
        assert metadata.version(name) == version, name
