"""Which files a photo is published as: widths, formats and names, decided before any pixel is touched.

Names are content-addressed: the hash of the editor's file and of RECIPE
(the widths, formats and qualities below). The same photo gets the same
names in every build, on every machine and under any record or slug; a
changed photo gets new names (so browsers and CDNs never show a stale
copy), and changing the recipe renames every file, which reprocesses them.
Width and height of every rendition follow from the photo's upright size,
so pages are written with `width`/`height` (no layout shift) without waiting
for the processing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# Bump whenever a width, format or quality below (or in generator.media.process) changes.
RECIPE = "1"
# WebP widths for srcset: a card thumbnail, a phone at 1×/2×, a phone at 3× or a desktop column at 2×.
WEB_WIDTHS = (240, 480, 960, 1600)
# One JPEG for browsers without WebP; also the photo of the WeChat article (WeChat's 1080-pixel
# body width), the share image (og:image) and the Word proof.
FALLBACK_WIDTH = 1080
# The magazine: 3000 pixels on the long side is a full 254 mm page height at 300 dpi.
PRINT_LONG_SIDE = 3000
WEB_QUALITY = 75
JPEG_QUALITY = 82
PRINT_QUALITY = 90
# The magazine's minimum: a half page is the 174 mm type area wide; at 300 dpi that is 2055 pixels.
PRINT_MIN_LONG_SIDE = 2000


@dataclass(frozen=True)
class Rendition:
    """One published file: `path` is where it lives under the cache folder and under the site's media/."""

    path: str  # "3f/3f9c…-960.webp"
    width: int
    height: int

    @property
    def mime(self) -> str:
        return "image/webp" if self.path.endswith(".webp") else "image/jpeg"


@dataclass(frozen=True)
class Photo:
    """An editor's photo as every channel needs it: where it came from, its upright size, its renditions."""

    source: str  # repository-relative path of the editor's file (for messages and the magazine's file names)
    digest: str  # sha256 of its bytes
    width: int
    height: int
    orientation: int  # EXIF orientation of the source (applied to every rendition)
    web: tuple[Rendition, ...]  # WebP, narrowest first
    fallback: Rendition  # JPEG
    print: Rendition  # JPEG at print resolution, made only when a channel asks for it

    @property
    def renditions(self) -> tuple[Rendition, ...]:
        """What the website publishes of this photo."""
        return (*self.web, self.fallback)


def plan(source: str, digest: str, width: int, height: int, orientation: int = 1) -> Photo:
    key = hashlib.sha256(f"{RECIPE}:{digest}".encode()).hexdigest()[:24]
    folder = f"{key[:2]}/{key}"
    widths = sorted({w for w in WEB_WIDTHS if w < width} | {min(width, WEB_WIDTHS[-1])})
    web = tuple(Rendition(f"{folder}-{w}.webp", w, _scaled(height, w, width)) for w in widths)
    fallback_width = min(width, FALLBACK_WIDTH)
    fallback = Rendition(f"{folder}-{fallback_width}.jpg", fallback_width, _scaled(height, fallback_width, width))
    scale = min(1.0, PRINT_LONG_SIDE / max(width, height))
    print_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    printed = Rendition(f"{folder}-print-{print_size[0]}.jpg", *print_size)
    return Photo(source, digest, width, height, orientation, web, fallback, printed)


def _scaled(height: int, new_width: int, width: int) -> int:
    return max(1, round(height * new_width / width))
