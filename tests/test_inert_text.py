"""Inert text: a record full of script, markup and template payloads reaches every channel as plain text.

tests/fixtures/hostile/payload.yml is a valid, published record whose every
free-text field is `〔field〕` followed by the same payload string (script tags,
event handlers, javascript: URLs, Markdown links, XML/CDATA, entities, Typst
and Jinja syntax, CSS and tag closers). It is built into the website and
exported to every format; each output is parsed the way its reader parses it
and must contain the payload as text and never as markup. The same pages are
opened in headless Chromium by tests/browser/test_inert_text_browser.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD_RECORD = ROOT / "tests" / "fixtures" / "hostile" / "payload.yml"
sys.path.insert(0, str(ROOT / "tests"))

from site_support import make_project  # noqa: E402

sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "hostile"))
import make_payload  # noqa: E402

RECORD: dict[str, Any] = yaml.safe_load(PAYLOAD_RECORD.read_text(encoding="utf-8"))
LABEL = re.compile(r"〔([\w-]+)〕")
# What the labelled fields with room for it hold after their label (one-line fields hold part of it).
PAYLOAD = make_payload.PAYLOAD
# Fragments that would do something if they reached a page, a layout or a template as code.
FRAGMENTS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
    '<a href="javascript:window.__pwned=1">点我</a>',
    "<details open ontoggle=window.__pwned=1>",
    "[点我](javascript:window.__pwned=1)",
    "]]><![CDATA[",
    "</w:t></w:r><w:r><w:t>",
    "&amp; &lt;b&gt; &#60;script&#62;",
    '#set page(width: 1cm) #panic("pwned")',
    "{{ 7*7 }} {% if true %}模板{% endif %}",
    "</textarea></title></style></noscript></template><plaintext>",
    "</style><style>body{display:none}</style>",
]
PUBLISHED_LABELS = {"name", "headline", "summary", "what", "how", "highlight-text", "caption", "source-title"}
REVIEW_LABELS = {"review", "todo"}


def labelled_texts() -> dict[str, str]:
    """Label → the field's full text, from the record itself (one source of truth)."""
    found: dict[str, str] = {}

    def walk(value: Any) -> None:
        if isinstance(value, str):
            match = LABEL.match(value)
            if match:
                found[match.group(1)] = value
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(RECORD)
    return found


FIELD_TEXTS = labelled_texts()


def test_payload_record_carries_every_payload_in_every_free_text_field() -> None:
    """Fields with room hold every payload; one-line fields (names, titles, places) as many whole
    payloads as their schema limit allows, each starting at another, so every payload also reaches
    the titles and table cells of every channel."""
    assert PAYLOAD_RECORD.read_text(encoding="utf-8") == make_payload.text(), "run tests/fixtures/hostile/make_payload.py"
    assert all(fragment in PAYLOAD for fragment in FRAGMENTS)
    assert len(FIELD_TEXTS) >= 25
    full = {label for label, text in FIELD_TEXTS.items() if PAYLOAD in text}
    assert {"summary", "what", "how", "highlight-text"} <= full
    partial = [text for label, text in FIELD_TEXTS.items() if label not in full]
    assert not [piece for piece in make_payload.PIECES if not any(piece in text for text in partial)]


# ---- the website ---------------------------------------------------------------------------


def make_payload_project(root: Path):
    """A throwaway project holding the shipped-style records plus the payload record."""
    config = make_project(root)
    shutil.copy(PAYLOAD_RECORD, config.projects_dir / "payload.yml")
    return config


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_payload_project(tmp_path_factory.mktemp("payload-project"))


# Every field carries the same payload, so the record repeats its own review paragraphs word for word
# and its source file is no path inside the repository: the copying check says so, rightly.
COPYING = {"W270", "W271", "W272"}


def test_payload_record_is_valid_with_only_copying_warnings(project) -> None:
    from generator.build.records import load_catalogue

    report = load_catalogue(project, paths=[project.projects_dir / "payload.yml"]).report
    assert {p.code for p in report.problems} == COPYING, report.as_text()


@pytest.fixture(scope="module")
def site(project) -> Path:
    pipeline = pytest.importorskip("generator.build.pipeline", reason="the website build (generator.build.pipeline) is not there yet")
    result = pipeline.build(project)
    assert result.ok and {p.code for p in result.report.problems} <= COPYING, result.report.as_text()
    return result.site_dir


class _Page(HTMLParser):
    """Collects what a browser would treat as code, and the text a reader sees."""

    RAW_TEXT = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._open: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.RAW_TEXT:
            self._open.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            tag, attrs = self._open[-1]
            if tag == "script":
                self.scripts.append((attrs, data))
        else:
            self.text.append(data)


def parse_html(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


def markup_problems(page: _Page) -> list[str]:
    """Anything from the payload that a browser would run or render as markup."""
    problems = []
    for tag, attrs in page.tags:
        if tag in {"iframe", "plaintext", "svg", "details"} and any("pwned" in (v or "") for v in attrs.values()):
            problems.append(f"<{tag}> from a payload")
        for name, value in attrs.items():
            value = value or ""
            if name.startswith("on") and "pwned" in value:
                problems.append(f"<{tag} {name}=…> event handler from a payload")
            if name in {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}:
                if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                    problems.append(f"<{tag} {name}={value[:40]}> script URL")
            if name == "srcdoc":
                problems.append(f"<{tag} srcdoc> from a payload")
    for attrs, body in page.scripts:
        kind = (attrs.get("type") or "").lower()
        if "pwned" in body and "json" not in kind:
            problems.append("payload inside an executable <script>")
        if "json" in kind and "</script" in body.lower():
            problems.append("</script> left unescaped inside a JSON script block")
    return problems


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_page_turns_a_payload_into_markup(site: Path) -> None:
    pages = html_pages(site)
    assert len(pages) > 10
    problems = {}
    for path in pages:
        found = markup_problems(parse_html(path.read_text(encoding="utf-8")))
        if found:
            problems[path.relative_to(site).as_posix()] = found
    assert not problems


def visible_text(path: Path) -> str:
    return "".join(parse_html(path.read_text(encoding="utf-8")).text)


def squash(text: str) -> str:
    """Without whitespace: pages may turn the summary's line separators (U+2028) into paragraphs."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    "page, labels",
    [
        ("records/payload-xss/index.html", PUBLISHED_LABELS),
        ("catalogue/index.html", {"name"}),
        ("provinces/beijing/index.html", {"name"}),
        ("mechanisms/index.html", {"mechanism-name"}),
    ],
)
def test_payload_is_shown_as_text(site: Path, page: str, labels: set[str]) -> None:
    text = squash(visible_text(site / page))
    for label in labels:
        assert squash(FIELD_TEXTS[label]) in text, f"{label} is not shown verbatim on {page}"


def test_review_material_never_published(site: Path) -> None:
    for path in html_pages(site):
        text = path.read_text(encoding="utf-8")
        assert not any(f"〔{label}〕" in text for label in REVIEW_LABELS), path


def test_attribute_copies_are_exact_prefixes(site: Path) -> None:
    """Titles and share previews (og:title, description) hold the text, maybe shortened, never altered."""
    checked = 0
    for path in html_pages(site):
        for _, attrs in parse_html(path.read_text(encoding="utf-8")).tags:
            for value in attrs.values():
                matches = list(LABEL.finditer(value or ""))
                # One attribute may join several texts (a description: the headline。the summary…).
                for match, following in zip(matches, [*matches[1:], None]):
                    copy = value[match.start() : following.start() if following else None].rstrip("…").rstrip()
                    if following:
                        copy = copy.removesuffix("。")
                    original = FIELD_TEXTS[match.group(1)]
                    assert squash(original).startswith(squash(copy)) or squash(copy) in squash(original), (path, copy[:80])
                    checked += 1
    assert checked > 0


def test_source_link_is_the_http_url_not_a_script(site: Path) -> None:
    page = parse_html((site / "records" / "payload-xss" / "index.html").read_text(encoding="utf-8"))
    hrefs = [attrs.get("href") or "" for tag, attrs in page.tags if tag == "a"]
    assert RECORD["sources"][0]["url"] in hrefs
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]


def test_sitemap_and_other_xml_parse(site: Path) -> None:
    from lxml import etree

    for path in site.rglob("*.xml"):
        etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))


def test_javascript_urls_are_refused_by_the_schema(project, tmp_path: Path) -> None:
    from generator.build.records import load_catalogue

    for index, url in enumerate(["javascript:window.__pwned=1", " javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x",
                                 "https://example.org/\"onmouseover=\"alert(1)", "https://example.org/<script>"]):
        record = yaml.safe_load(PAYLOAD_RECORD.read_text(encoding="utf-8"))
        record["sources"][0]["url"] = url
        path = tmp_path / f"url-{index}.yml"
        path.write_text(yaml.safe_dump(record), encoding="utf-8")  # ASCII with escapes, like the fixture's U+2028
        report = load_catalogue(project, paths=[path]).report
        # The copy sits outside the project, so its photo paths lead out of it (E240): with one run
        # listing every problem, the photo check runs beside the schema's refusal of the URL.
        assert [p.code for p in report.errors if p.code != "E240"] == ["E205"], (url, report.as_text())


# ---- exports ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exports(project, tmp_path_factory):
    exporters = pytest.importorskip("generator.exporters", reason="the exporters are not there yet")
    from generator.build.records import load_catalogue

    catalogue = load_catalogue(project, paths=[project.projects_dir / "payload.yml"])
    assert catalogue.visible
    out = tmp_path_factory.mktemp("payload-exports")

    def run(format_name: str) -> list[Path]:
        return exporters.export(catalogue, format_name, exporters.Selection((), (), ()), out / format_name)

    return run


def test_wechat_html_has_no_code_and_shows_the_payload(exports) -> None:
    [path] = [p for p in exports("wechat") if p.suffix == ".html"]
    page = parse_html(path.read_text(encoding="utf-8"))
    assert not markup_problems(page)
    assert not [tag for tag, _ in page.tags if tag in {"script", "iframe", "object", "embed", "form"}]
    assert not [(tag, name) for tag, attrs in page.tags for name in attrs if name.startswith("on")]
    text = squash("".join(page.text))
    assert squash(FIELD_TEXTS["name"]) in text
    # WeChat allows no outside links, so a URL inside text becomes a numbered note; everything else is verbatim.
    for label in ("summary", "what", "how", "highlight-text"):
        assert f"〔{label}〕" in text, label
    for fragment in FRAGMENTS:
        assert text.count(squash(fragment)) >= 4, fragment
    assert "http://evil.example" in text


def xml_text(data: bytes) -> str:
    from lxml import etree

    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    assert root.getroottree().docinfo.internalDTD is None, "a payload must not add a DOCTYPE"
    return "".join(root.itertext())


def test_icml_parses_and_holds_the_payload_as_text(exports) -> None:
    [path] = [p for p in exports("icml") if p.suffix == ".icml"]  # the photos sit beside it in Links/
    text = squash(xml_text(path.read_bytes()))
    for label in ("name", "summary", "what"):
        assert squash(FIELD_TEXTS[label]) in text, label


def test_docx_parses_and_holds_the_payload_as_text(exports) -> None:
    from lxml import etree

    [path] = exports("docx")
    with zipfile.ZipFile(path) as archive:
        document = archive.read("word/document.xml")
        for name in archive.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                xml_text(archive.read(name))  # every part parses, none gained a DOCTYPE
    root = etree.fromstring(document)
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{namespace}t")) for p in root.iter(f"{namespace}p")]
    text = squash("\n".join(paragraphs))
    for label in ("name", "summary", "what"):
        assert squash(FIELD_TEXTS[label]) in text, label


def test_pdf_compiles_and_prints_the_payload_literally(exports) -> None:
    [path] = exports("pdf")
    assert path.read_bytes().startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    # -raw: the text in the order it was written; poppler's layout guess can set a bracket apart
    # from the word after it when a justified line stretches around unbreakable payload text.
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # Lines wrap anywhere in a PDF: compare without whitespace.
    flat = re.sub(r"\s+", "", text)
    for fragment in FRAGMENTS + [f"〔{label}〕" for label in ("name", "summary")]:
        assert re.sub(r"\s+", "", fragment) in flat, fragment
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > 500 and height > 700, "a `#set page(...)` payload must not change the page size"


def test_csv_round_trips_exactly(exports) -> None:
    [path] = [p for p in exports("csv") if p.suffix == ".csv"]
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    [row] = rows
    cells = set(row.values())
    for label in ("name", "headline", "summary"):
        assert FIELD_TEXTS[label] in cells, label


def test_json_round_trips_exactly(exports) -> None:
    [path] = [p for p in exports("json") if p.name == "records-all.json"]
    data = json.loads(path.read_text(encoding="utf-8"))
    [record] = data["records"]
    assert record["name"] == RECORD["name"]
    assert record["summary"] == RECORD["summary"]
    assert record["mechanisms"][0]["what"] == RECORD["mechanisms"][0]["what"]
    assert "review" not in record


def test_the_checks_catch_an_unescaped_payload() -> None:
    """The page checks above would notice a template that forgot to escape."""
    raw = parse_html(f"<html><body><p>{PAYLOAD}</p></body></html>")
    problems = markup_problems(raw)
    assert any("event handler" in p for p in problems)
    assert any("executable <script>" in p for p in problems)
    assert any("script URL" in p for p in problems)
    assert squash(PAYLOAD) not in squash("".join(raw.text))
    escaped = parse_html(f"<p>{__import__('html').escape(PAYLOAD)}</p>")
    assert not markup_problems(escaped) and squash(PAYLOAD) in squash("".join(escaped.text))
