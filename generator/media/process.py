"""Making the renditions of one photo: decode once, turn upright, resize down, encode, keep no metadata.

What a published file carries is only pixels: every rendition is saved
with its metadata emptied (Pillow would otherwise copy a source's comment
and more into resized copies), so GPS coordinates, the phone's make, the
date and any comment never leave the editor's machine (tests/test_photos.py
reads every published file back). Colours in
another profile (an iPhone's Display P3) are converted to sRGB first, so
dropping the profile does not change how they look.

One decode serves every width: JPEG sources are decoded at the smallest
DCT scale that still covers the largest rendition (Pillow's draft mode), and
each smaller width is resized from the previous one. The picture is turned
upright after resizing, where it is cheapest.

Measured against libvips (pyvips 3.2 with libvips 8.18, thumbnail with
shrink-on-load) on a 4032×3024 phone JPEG of 2.8 MB, EXIF-rotated, making the
same four WebP widths and one JPEG: 0.75 s of CPU with Pillow, 0.73 s with
libvips, peak memory 170 MB against 120 MB. The same speed, so Pillow: it
is the Python ecosystem's standard, reads the EXIF orientation and HEIC (with
pillow-heif) the same way the checks do, and needs no second native library.
bench/images.py measures the whole stage against Hugo and Eleventy Image.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Iterable

from PIL import Image, ImageCms

from generator.media.probe import MAX_PIXELS, SIDEWAYS, _register_heif
from generator.media.renditions import JPEG_QUALITY, PRINT_QUALITY, WEB_QUALITY, Photo, Rendition

# EXIF orientation → the transpose that makes the picture upright (as Pillow's ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.createProfile("sRGB")


def make(data: bytes, photo: Photo, renditions: Iterable[Rendition], folder: Path) -> int:
    """Write the renditions (paths under `folder`) from the photo's bytes; returns how many were written."""
    wanted = sorted(renditions, key=lambda r: r.width, reverse=True)
    if not wanted:
        return 0
    _register_heif()
    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > MAX_PIXELS:  # the file changed since it was checked
            raise ValueError(f"{photo.source}: too many pixels")
        sideways = photo.orientation in SIDEWAYS
        largest = wanted[0]
        target = (largest.height, largest.width) if sideways else (largest.width, largest.height)
        if image.format == "JPEG":
            image.draft("RGB", target)
        current = _srgb(image)
    written = 0
    for rendition in wanted:
        size = (rendition.height, rendition.width) if sideways else (rendition.width, rendition.height)
        if current.size != size:
            current = current.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        upright = current.transpose(_UPRIGHT[photo.orientation]) if photo.orientation in _UPRIGHT else current
        _save(upright, rendition, folder / rendition.path)
        written += 1
    return written


def _srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB: other colour profiles converted, transparency laid on white."""
    profile = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    else:
        image.load()
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB") or image
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: the pixels as they are
    return image


def _save(image: Image.Image, rendition: Rendition, target: Path) -> None:
    """Encode to a temporary file beside the target and rename it into place (never a half-written file).

    Pillow carries a source's `info` (EXIF, ICC, XMP, the JPEG comment) over to every resized copy
    and writes some of it back when saving: the copy is saved with an empty `info`.
    """
    image.info = {}
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            if rendition.path.endswith(".webp"):
                image.save(out, "WEBP", quality=WEB_QUALITY, method=4)
            else:
                quality = PRINT_QUALITY if "-print-" in rendition.path else JPEG_QUALITY
                image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
