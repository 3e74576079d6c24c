"""Small charts of the figures, drawn when the site is built: inline SVG, no script in the reader's browser.

Why pygal: it is a maintained charting library that renders SVG in Python at
build time, so a chart is finished markup in the page — readable with
JavaScript off, as light as a few kilobytes of text, printed as vectors —
and its stacked bars and legend let a chart keep the sources' qualifiers
("95%以上") apart from exact figures instead of dropping them. Browser
charting libraries (ECharts, Vega) would need a script on every index page
and draw nothing without it; matplotlib draws text as paths (no page
fonts, large files).

pygal's SVG carries an inline <style>, a configuration <script> and a
comment stamped with today's date. A strict Content-Security-Policy blocks
the first two and the third would make two builds differ, so `_finish`
removes all three; the chart's look comes from the site's stylesheet
(showcase.css, `.sc-chart`), which styles the classes pygal gives its
elements. The figures behind every chart are also in a data table beside it
(templates/_charts.html), from the same `Distribution`.
"""

from __future__ import annotations

import sys
from functools import cache, lru_cache
from types import ModuleType
from xml.etree import ElementTree

from markupsafe import Markup

from generator.present.statistics import Distribution

WIDTH = 360  # drawn at a phone's column width, so the text is its true size there
BAR_HEIGHT = 26
FONT_SIZE = 12  # px, as showcase.css sets it: pygal places labels by it


@cache
def _pygal() -> ModuleType:
    """pygal, imported when the first chart is drawn (record pages never need it), and tamed:

    - it appends a finder to sys.meta_path for its map plugins, which Python
      3.11 asks about every module that fails to import, with an ImportWarning
      each time; we use no map plugin, so the finder goes;
    - it serializes with lxml when lxml is installed (a test requirement) and
      with the standard library's ElementTree otherwise: always the latter, so
      a site builds byte-identical on either machine.
    """
    import pygal
    from pygal.etree import etree

    sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]
    etree.to_etree()
    return pygal
EXACT = "确数"
QUALIFIED = "带限定词（以上、超过、近、约…）"


def chart_label(distribution: Distribution) -> str:
    """What the chart shows, in words: the chart's accessible name (the data table has the details)."""
    bands = "，".join(f"{b.label} {b.count} 个" for b in distribution.bins)
    return f"{distribution.label}分布（{distribution.records} 个项目）：{bands}"


def distribution_svg(distribution: Distribution) -> Markup:
    """A horizontal bar per band, exact and qualified figures stacked; the count printed on each bar."""
    return _chart(
        tuple((b.label, b.exact, len(b.qualified)) for b in distribution.bins),
        chart_label(distribution),
    )


@lru_cache(maxsize=256)
def _chart(bands: tuple[tuple[str, int, int], ...], label: str) -> Markup:
    """Charts are cached by their data: pages of a small catalogue often show the same spread."""
    pygal = _pygal()
    qualified_any = any(q for _, _, q in bands)
    chart = pygal.HorizontalStackedBar(
        width=WIDTH,
        height=40 + BAR_HEIGHT * len(bands) + (34 if qualified_any else 0),
        explicit_size=False,  # viewBox only: the stylesheet sizes it to its column
        no_prefix=True,
        js=[],
        disable_xml_declaration=True,
        show_legend=qualified_any,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        # Horizontal: x is the value axis (each bar prints its count instead), y the bands.
        show_x_labels=False,
        show_x_guides=False,
        show_y_guides=False,
        print_values=True,
        print_zeroes=False,
        # pygal's sizes only: colours and fonts come from showcase.css.
        style=pygal.style.Style(label_font_size=FONT_SIZE, major_label_font_size=FONT_SIZE, value_font_size=FONT_SIZE,
                                legend_font_size=FONT_SIZE, legend_box_size=FONT_SIZE),
        margin=6,
        margin_left=6 + _label_deficit([name for name, _, _ in bands]),
        spacing=6,
        truncate_label=-1,
        truncate_legend=-1,
        rounded_bars=2,
        pretty_print=False,
    )
    # pygal draws horizontal categories bottom-up; reversed, the first band is on top as in the table.
    chart.x_labels = [name for name, _, _ in reversed(bands)]
    chart.add(EXACT, [exact or None for _, exact, _ in reversed(bands)])
    chart.add(QUALIFIED, [qualified or None for _, _, qualified in reversed(bands)])
    return Markup(_finish(chart.render_tree(), label))


def _label_deficit(labels: list[str]) -> float:
    """How much wider the band labels are than pygal reckons: it allots every character 0.6 em,
    a Chinese character takes a full em."""
    def width(text: str) -> float:
        return sum(FONT_SIZE if ord(char) >= 0x2E80 or char in "–%" else 0.6 * FONT_SIZE for char in text)

    return max(0.0, max(width(label) - 0.6 * FONT_SIZE * len(label) for label in labels))


def _finish(root: ElementTree.Element, label: str) -> str:
    """pygal's tree without what a strict CSP or a reproducible build refuses, named for assistive technology.

    Gone: the <style>, <script>, comments (one is dated) and stock <title>; the tooltip box (its
    script is gone, and it carries a style attribute); every id and style attribute (pygal's
    legend ids repeat in every chart, and a page shows several).
    """
    for parent in list(root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str) or child.tag.rpartition("}")[2] in ("style", "script", "title"):
                parent.remove(child)
            elif child.get("class") == "tooltip":
                parent.remove(child)
    for element in root.iter():
        element.attrib.pop("id", None)
        element.attrib.pop("style", None)
    for defs in [c for c in root if c.tag.rpartition("}")[2] == "defs" and not len(c)]:
        root.remove(defs)
    root.attrib.pop("id", None)
    root.set("class", "sc-chart__svg")
    root.set("role", "img")
    root.set("aria-label", label)
    return ElementTree.tostring(root, encoding="unicode", short_empty_elements=True)
