"""The web editor end to end: a record made through the form at /admin/ is a valid record and a page.

The site is built and served with the shipped nginx configuration (its CSP
included); Decap CMS's local backend, decap-server from npm (package.json),
writes into the throwaway project as it would into an editor's working copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

import deploy_support
from generator.build.pipeline import build
from generator.build.records import check_records
from generator.schema.site_config import load_site_config
from site_support import ROOT, make_project

pytestmark = pytest.mark.browser

DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
RECORD = "wangye-huayuan.yml"


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """(project root, admin URL) with decap-server and nginx running."""
    if not DECAP_SERVER.exists() or shutil.which("node") is None:
        pytest.skip("decap-server is not installed (make test runs npm ci)")
    if not Path(deploy_support.NGINX).exists():
        pytest.skip("nginx is not installed (make test installs nginx-light)")
    root = tmp_path_factory.mktemp("cms")
    make_project(root)
    port = deploy_support.free_port()
    config_path = root / "site_config.yml"
    document = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    document["catalogue"]["cms"] = {"backend": "github", "repo": "example/test", "local_port": port}
    config_path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(load_site_config(config_path))
    assert result.ok, result.report.as_text()
    env = {**os.environ, "PORT": str(port), "GIT_REPO_DIRECTORY": str(root), "BIND_HOST": "127.0.0.1"}
    with open(root / "decap.log", "w", encoding="utf-8") as log:
        server = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        with deploy_support.nginx(result.site_dir, tmp_path_factory.mktemp("nginx")) as (base, _):
            # Decap uses its local backend only on localhost (config: local_backend.allowed_hosts).
            yield root, base.replace("127.0.0.1", "localhost") + "admin/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _choose(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(text)
    page.keyboard.press("Enter")


def test_a_record_made_in_the_web_form_passes_check_and_becomes_a_page(browser, editor):
    root, admin = editor
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(
        "window.__violations = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    try:
        page.goto(admin)
        page.get_by_role("button", name="登录").click()  # Decap's own interface, in Chinese
        page.get_by_text("＋ 项目记录").click()
        page.get_by_label("名称", exact=True).wait_for()
        _choose(page, "类型", "小区")
        _choose(page, "系列", "2022年")
        page.get_by_label("编号 (可选)", exact=True).fill("61")
        page.get_by_label("名称", exact=True).fill("网页花园")
        page.get_by_label("标题语", exact=True).fill("网页编辑 不用命令行")
        page.get_by_label("网址标识", exact=True).fill("wangye-huayuan")
        _choose(page, "状态 (可选)", "已发布")
        _choose(page, "省份", "湖北省")
        page.get_by_label("城市 (可选)", exact=True).fill("武汉市")
        street = page.get_by_label("街道 (可选)", exact=True)
        street.fill("写了又删")
        street.fill("")  # an optional field typed in and cleared must not be written as ''
        page.get_by_label("概况", exact=True).fill("通过网页表单新建的记录。")
        page.locator("[id^=metrics-field] [data-testid=expand-button]").first.click()
        page.locator("[id^=households-field] input[type=number]").fill("1200")
        page.get_by_role("button", name="新增来源").click()
        page.get_by_label("发布机构", exact=True).fill("中国物业管理协会")
        page.get_by_label("标题", exact=True).last.fill("网页表单测试")
        page.get_by_role("button", name="发布").first.click()
        page.get_by_text("立即发布").click()
        path = root / "projects" / RECORD
        deadline = time.monotonic() + 30
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        if not path.exists():
            page.screenshot(path=str(root / "cms-failed.png"), full_page=True)
            errors = page.evaluate("[...document.querySelectorAll('[class*=ControlErrorsList], [class*=error]')].map(e => e.textContent).filter(Boolean)")
            print("form errors:", errors, "\nconsole:", "\n".join(messages[-15:]))
        assert path.exists(), (root / "decap.log").read_text(encoding="utf-8") + f"\nscreenshot: {root / 'cms-failed.png'}"
        assert page.evaluate("window.__violations") == []
    finally:
        context.close()

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["location"] == {"province": "湖北省", "city": "武汉市"}
    assert data["metrics"] == {"households": {"value": 1200}}
    config = load_site_config(root / "site_config.yml")
    report = check_records(config, paths=[path])
    assert not report.problems, report.as_text()
    rebuilt = build(config)
    assert rebuilt.ok, rebuilt.report.as_text()
    page_html = (rebuilt.site_dir / "records" / "wangye-huayuan" / "index.html").read_text(encoding="utf-8")
    assert "网页花园" in page_html and "1200" in page_html
    assert "网页花园" in (rebuilt.site_dir / "catalogue" / "index.html").read_text(encoding="utf-8")
