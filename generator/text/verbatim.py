"""How much of a text repeats its source word for word: the longest verbatim run and the verbatim share.

Both texts are compared on their characters that carry words (Chinese
characters, letters, digits): changing punctuation or spacing does not make a
sentence one's own. Parts the caller marks as not copying — quotations,
proper names — are cut out of the text first, so no run crosses them.

The source is indexed once in a suffix automaton (linear in its length); the
text is then walked through it, which gives, for every position, the longest
stretch ending there that occurs anywhere in the source. A source is a few
thousand characters and a record's text a few hundred, so one comparison
takes milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

_BARRIER = "\x00"  # where a masked part was: a run cannot cross it
# Characters compared: CJK ideographs, Latin letters and digits (full-width ones are folded); the rest
# (punctuation, spaces, line breaks) is left out, so a run goes on across a changed comma.
_NOT_COMPARED = re.compile(r"[^\u3400-\u9fff\uf900-\ufaffA-Za-z0-9\x00]+")
# Quotations are the source's own words on purpose; 《》 names a document.
QUOTATIONS = re.compile(r"“[^“”]*”|「[^「」]*」|『[^『』]*』|\"[^\"]*\"|《[^《》]*》")


def comparable(text: str) -> str:
    """The characters compared, in order, and the barriers of masked parts."""
    return _NOT_COMPARED.sub("", text.translate(_FULL_WIDTH))


_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B)}


class SourceIndex:
    """A suffix automaton of one source text (its comparable characters)."""

    def __init__(self, source: str) -> None:
        text = comparable(source.replace(_BARRIER, ""))
        self.length = sum(1 for c in text if c != _BARRIER)
        edges: list[dict[str, int]] = [{}]
        link = [-1]
        longest = [0]
        last = 0
        for char in text:
            current = len(edges)
            edges.append({})
            longest.append(longest[last] + 1)
            link.append(0)
            state = last
            while state != -1 and char not in edges[state]:
                edges[state][char] = current
                state = link[state]
            if state != -1:
                target = edges[state][char]
                if longest[state] + 1 == longest[target]:
                    link[current] = target
                else:
                    clone = len(edges)
                    edges.append(dict(edges[target]))
                    longest.append(longest[state] + 1)
                    link.append(link[target])
                    while state != -1 and edges[state].get(char) == target:
                        edges[state][char] = clone
                        state = link[state]
                    link[target] = link[current] = clone
            last = current
        self._edges, self._link, self._longest = edges, link, longest

    def match_lengths(self, text: str) -> list[int]:
        """For each character of `text` (already comparable), the longest run ending there that the source has."""
        edges, link, longest = self._edges, self._link, self._longest
        state, length = 0, 0
        found = []
        for char in text:
            if char == _BARRIER:
                state, length = 0, 0
                found.append(0)
                continue
            while state and char not in edges[state]:
                state = link[state]
                length = longest[state]
            if char in edges[state]:
                state = edges[state][char]
                length += 1
            else:
                state, length = 0, 0
            found.append(length)
        return found


@dataclass(frozen=True)
class Verbatim:
    """What one text shares word for word with a source."""

    longest: int  # characters in the longest run
    longest_text: str  # that run, as compared (no punctuation)
    copied: int  # characters in runs of at least `min_run`
    compared: int  # characters compared

    @property
    def share(self) -> float:
        """Percentage of the compared characters that stand in a verbatim run."""
        return 100 * self.copied / self.compared if self.compared else 0.0


def masked(text: str, names: Iterable[str] = ()) -> str:
    """The text with quotations and the given names cut out (they are not copying)."""
    text = QUOTATIONS.sub(_BARRIER, text)
    for name in sorted({n for n in names if len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, _BARRIER)
    return text


def verbatim(text: str, sources: Iterable[SourceIndex], min_run: int) -> Verbatim:
    """Runs of `text` (masked by the caller) found word for word in any of the sources."""
    chars = comparable(text)
    lengths = [0] * len(chars)
    for source in sources:
        lengths = [max(pair) for pair in zip(lengths, source.match_lengths(chars))]
    covered = bytearray(len(chars))
    best, best_end = 0, 0
    for end, length in enumerate(lengths):
        if length > best:
            best, best_end = length, end
        if length >= min_run:
            covered[end - length + 1 : end + 1] = b"\x01" * length
    compared = sum(1 for c in chars if c != _BARRIER)
    return Verbatim(best, chars[best_end - best + 1 : best_end + 1] if best else "", sum(covered), compared)
