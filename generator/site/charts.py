"""Small charts of the figures, drawn when the site is built: inline SVG, no script in the reader's browser.

A chart is finished markup in the page — readable with JavaScript off, a
few kilobytes of text, printed as vectors — and its stacked bars keep the
sources' qualifiers ("95%以上") apart from exact figures instead of dropping
them. Its look comes from the site's stylesheet (showcase.css, `.sc-chart`):
no <style>, <script> or style attribute, which a strict Content-Security-
Policy would refuse. The figures behind every chart are also in a data table
beside it (templates/_charts.html), from the same `Distribution`.

Why drawn here rather than by a charting library: the one kind of chart the
site has (a horizontal bar per band, two stacked parts) is some forty lines
of SVG, while pygal, which drew it before, took about 100 ms per chart
where this module takes 0.2 ms (measured side by side on the same six bands,
the medians of 15 draws each, December 2026). A catalogue's index pages
carry 156 charts: with pygal they were a sixth of a 1,000-record build's
time. pygal also wrote two and a half times the markup (tooltip machinery
whose script a strict CSP refuses, removed again afterwards) and placed its
labels assuming 0.6 em per character, too narrow for Chinese. Browser charting
libraries (ECharts, Vega) would need a script on every index page and draw
nothing without it; matplotlib draws text as paths (no page fonts, large
files).
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from generator.present.statistics import Distribution

WIDTH = 360  # drawn at a phone's column width, so the text is its true size there
BAR_HEIGHT = 26
SPACING = 6  # between bars
MARGIN = 6
FONT_SIZE = 12  # px, as showcase.css sets it: labels are placed by it
LABEL_GAP = 6  # between a band's label and its bar
LEGEND_ROW = 18
EXACT = "确数"
QUALIFIED = "带限定词（以上、超过、近、约…）"


def chart_label(distribution: Distribution) -> str:
    """What the chart shows, in words: the chart's accessible name (the data table has the details)."""
    bands = "，".join(f"{b.label} {b.count} 个" for b in distribution.bins)
    return f"{distribution.label}分布（{distribution.records} 个项目）：{bands}"


def distribution_svg(distribution: Distribution) -> Markup:
    """A horizontal bar per band, exact and qualified figures stacked; the count printed on each part."""
    return _chart(
        tuple((b.label, b.exact, len(b.qualified)) for b in distribution.bins),
        chart_label(distribution),
    )


def text_width(text: str) -> float:
    """The width a line of text takes at FONT_SIZE: a Chinese character a full em, Latin letters and digits about 0.6 em."""
    return sum(FONT_SIZE if ord(char) >= 0x2E80 or char in "–%" else 0.6 * FONT_SIZE for char in text)


def _number(value: float) -> str:
    """A coordinate as short as it can be written (SVG needs no more than a tenth of a pixel)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@lru_cache(maxsize=256)
def _chart(bands: tuple[tuple[str, int, int], ...], label: str) -> Markup:
    """Charts are cached by their data: pages of a small catalogue often show the same spread."""
    qualified_any = any(qualified for _, _, qualified in bands)
    label_width = max((text_width(name) for name, _, _ in bands), default=0.0)
    left = MARGIN + label_width + LABEL_GAP
    plot_width = WIDTH - left - MARGIN
    largest = max((exact + qualified for _, exact, qualified in bands), default=0) or 1
    scale = plot_width / largest
    bars_height = len(bands) * (BAR_HEIGHT + SPACING) - SPACING
    height = MARGIN + bars_height + MARGIN + (2 * LEGEND_ROW + MARGIN if qualified_any else 0)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sc-chart__svg" viewBox="0 0 {WIDTH} {_number(height)}"'
        f' role="img" aria-label="{escape(label)}">'
    ]
    for row, (name, exact, qualified) in enumerate(bands):
        top = MARGIN + row * (BAR_HEIGHT + SPACING)
        baseline = _number(top + BAR_HEIGHT / 2 + FONT_SIZE * 0.35)
        parts.append(f'<text class="sc-chart__band" x="{_number(left - LABEL_GAP)}" y="{baseline}">{escape(name)}</text>')
        x = left
        outside = []  # counts whose part is too narrow to hold them: printed after the bar
        for kind, count in (("exact", exact), ("qualified", qualified)):
            if not count:
                continue
            width = count * scale
            parts.append(
                f'<rect class="sc-chart__bar sc-chart__bar--{kind}" x="{_number(x)}" y="{top}"'
                f' width="{_number(width)}" height="{BAR_HEIGHT}" rx="2" />'
            )
            if text_width(str(count)) + 4 <= width:
                parts.append(
                    f'<text class="sc-chart__value sc-chart__value--{kind}" x="{_number(x + width / 2)}" y="{baseline}">{count}</text>'
                )
            else:
                outside.append(str(count))
            x += width
        if outside:
            parts.append(f'<text class="sc-chart__value sc-chart__value--outside" x="{_number(x + 4)}" y="{baseline}">{"+".join(outside)}</text>')
    if qualified_any:
        legend_top = MARGIN + bars_height + MARGIN
        for index, (kind, name) in enumerate((("exact", EXACT), ("qualified", QUALIFIED))):
            top = legend_top + index * LEGEND_ROW
            parts.append(
                f'<rect class="sc-chart__bar sc-chart__bar--{kind}" x="{MARGIN}" y="{_number(top + 2)}"'
                f' width="{FONT_SIZE}" height="{FONT_SIZE}" rx="2" />'
                f'<text class="sc-chart__legend" x="{MARGIN + FONT_SIZE + 6}" y="{_number(top + FONT_SIZE)}">{escape(name)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
