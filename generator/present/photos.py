"""A record's photos as every channel shows them: lead first, with alt text, caption, credit and renditions.

The lead photo is the one marked `lead: true`, or else the first listed; the
rest follow in the record's order. URLs of renditions are site-relative
("media/3f/3f9c…-960.webp"); each channel adds its own prefix (the page's
depth, the site's absolute URL, or a file name in an export folder).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.catalogue import Catalogue, Entry
from generator.media import Photo, Rendition

MEDIA_DIR = "media"
# The srcset `sizes` of each place a photo appears (CSS pixels; the site's stylesheet lays them out so).
LEAD_SIZES = "(max-width: 76.25em) 100vw, 46rem"
GALLERY_SIZES = "(max-width: 44.9375em) 50vw, 15rem"
CARD_SIZES = "6rem"


@dataclass(frozen=True)
class PhotoView:
    alt: str
    caption: str | None
    credit: str | None
    lead: bool
    photo: Photo

    @property
    def width(self) -> int:
        return self.photo.width

    @property
    def height(self) -> int:
        return self.photo.height

    @property
    def fallback_url(self) -> str:
        return media_url(self.photo.fallback)

    def srcset(self, prefix: str = "") -> str:
        """The WebP renditions as a srcset ("… 240w, … 480w")."""
        return ", ".join(f"{prefix}{media_url(r)} {r.width}w" for r in self.photo.web)

    @property
    def caption_line(self) -> str:
        """Caption and credit as one line under the photo: 议事亭里的业主会（摄影：张三）."""
        if self.caption and self.credit:
            return f"{self.caption}（{self.credit}）"
        return self.caption or self.credit or ""


def media_url(rendition: Rendition) -> str:
    return f"{MEDIA_DIR}/{rendition.path}"


def record_photos(catalogue: Catalogue, entry: Entry) -> list[PhotoView]:
    """The record's photos, lead first; a record without photos gives []."""
    images = entry.record.images
    if not images:
        return []
    photos = catalogue.photos_of(entry)
    lead = next((index for index, image in enumerate(images) if image.lead), 0)
    order = [lead, *(index for index in range(len(images)) if index != lead)]
    return [
        PhotoView(images[i].alt or "", images[i].caption, images[i].credit, i == lead, photos[i])
        for i in order
        if i < len(photos)
    ]


def lead_photo(catalogue: Catalogue, entry: Entry) -> PhotoView | None:
    photos = record_photos(catalogue, entry)
    return photos[0] if photos else None
