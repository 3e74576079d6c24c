"""Compiled templates are reused between runs, recompiled when their source changes,
and a broken cache never breaks a build."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.site import template_cache


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(template_cache.SWITCH, raising=False)
    return tmp_path / "cache" / "showcase" / "templates"


def _environment(templates: Path) -> tuple[jinja2.Environment, list[str]]:
    """An environment like ours, recording which templates it compiles from source."""
    compiled: list[str] = []

    class Recording(jinja2.Environment):
        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[override]
            compiled.append(name)
            return super().compile(source, name, filename, raw, defer_init)

    env = Recording(loader=jinja2.FileSystemLoader(templates), autoescape=True, bytecode_cache=template_cache.bytecode_cache())
    return env, compiled


def test_a_second_run_reuses_the_compiled_template(tmp_path: Path, cache_home: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ name }}</p>", encoding="utf-8")
    first, compiled_first = _environment(templates)
    assert first.get_template("page.html").render(name="锦绣<花园>") == "<p>锦绣&lt;花园&gt;</p>"
    second, compiled_second = _environment(templates)
    assert second.get_template("page.html").render(name="锦绣<花园>") == "<p>锦绣&lt;花园&gt;</p>"
    assert compiled_first == ["page.html"]
    assert compiled_second == []
    assert len(list(cache_home.iterdir())) == 1


def test_an_edited_template_is_compiled_again(tmp_path: Path, cache_home: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ name }}</p>", encoding="utf-8")
    _environment(templates)[0].get_template("page.html").render(name="甲")
    (templates / "page.html").write_text("<h1>{{ name }}</h1>", encoding="utf-8")
    env, compiled = _environment(templates)
    assert env.get_template("page.html").render(name="甲") == "<h1>甲</h1>"
    assert compiled == ["page.html"]


@pytest.mark.parametrize("damage", [b"", b"not a jinja cache file", b"j2\x00garbage" * 50])
def test_a_damaged_entry_is_a_miss(tmp_path: Path, cache_home: Path, damage: bytes) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ name }}</p>", encoding="utf-8")
    _environment(templates)[0].get_template("page.html")
    for entry in cache_home.iterdir():
        entry.write_bytes(damage)
    env, compiled = _environment(templates)
    assert env.get_template("page.html").render(name="乙") == "<p>乙</p>"
    assert compiled == ["page.html"]


def test_no_cache_when_switched_off_or_the_folder_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(template_cache.SWITCH, "0")
    assert template_cache.bytecode_cache() is None
    monkeypatch.delenv(template_cache.SWITCH)
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should go
    assert template_cache.bytecode_cache() is None


def test_an_unwritable_cache_still_renders(tmp_path: Path, cache_home: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("{{ 1 + 1 }}", encoding="utf-8")
    cache = template_cache.bytecode_cache()
    assert cache is not None
    cache.directory = str(tmp_path / "gone")  # type: ignore[attr-defined]  # removed after the cache was set up
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), bytecode_cache=cache)
    assert env.get_template("page.html").render() == "2"


def test_a_build_caches_our_templates_and_the_themes_and_builds_the_same_site(tmp_path: Path, cache_home: Path) -> None:
    from generator.build.pipeline import build
    from generator.site import render
    from tests.site_support import make_project, tree_digest

    render.environment.cache_clear()  # made once per process: make it again with this test's cache folder
    try:
        (tmp_path / "project").mkdir()
        config = make_project(tmp_path / "project")
        first = build(config, out_dir=tmp_path / "one")
        cached = {entry.name for entry in cache_home.iterdir()}
        second = build(config, out_dir=tmp_path / "two")
    finally:
        render.environment.cache_clear()
    assert first.ok and second.ok
    assert len(cached) > 20  # record.html and the index pages, Material's base.html, partials…
    assert {entry.name for entry in cache_home.iterdir()} == cached
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")

