"""The index behind Catalogue.related: bit sets instead of comparing every pair of records.

The website asks for the related records of every record; comparing each
with all others is quadratic (hours at 10,000 records). Python ints are
unbounded bit sets: bit i stands for the i-th visible record in slug order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.catalogue.catalogue import Entry


@dataclass
class RelatedIndex:
    """Bit sets for Catalogue.related: bit i is entries[i] (visible records in slug order)."""

    entries: list[Entry] = field(default_factory=list)
    position: dict[str, int] = field(default_factory=dict)
    mechanism_bits: dict[str, int] = field(default_factory=dict)
    theme_bits: dict[str, int] = field(default_factory=dict)


def exactly(sets: list[int]) -> list[int]:
    """exactly[j] = the bits that are in exactly j of `sets` (j = 0..len(sets)).

    Python ints are unbounded bit sets; -1 is "every bit", so exactly[0] is infinite,
    which is fine: related() only ever intersects it with a finite set.
    """
    at_least = [-1] + [0] * len(sets)
    for bits in sets:
        for j in range(len(sets), 0, -1):
            at_least[j] |= at_least[j - 1] & bits
    return [at_least[j] & ~at_least[j + 1] for j in range(len(sets))] + [at_least[len(sets)]]


