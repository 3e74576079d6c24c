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

Measured (2026-12-03, CPU seconds per photo, eight 4032×3024 phone JPEGs
of the bench's set, half of them EXIF-sideways, the same four WebP widths and
one JPEG, median of three passes on the shared 2-core machine):
- this module (Pillow 13, WebP method 4): 0.85 s; peak memory 160 MB.
- libvips (pyvips 3.2, libvips 8.18; thumbnail with shrink-on-load, each
  smaller width from the previous one, effort 4): 0.66 s, 140 MB.
- Eleventy Image (sharp, effort 4; every width decoded from the file again,
  node's start included): about 1.0 s, 270 MB.
- WebP method 2 instead of 4 would cut ours to 0.60 s, for files 4–6 % larger
  at the same quality setting — and visible banding in smooth gradients
  (skies) in our look at a 960-pixel rendition: kept at 4, as sharp has it.
Cost per photo is decode + a Lanczos resize from the decoded size + WebP
encoding, in about equal parts; sideways photos cost more (the 1600-pixel
rendition of a portrait is 2133 pixels tall, more than a half-scale decode
gives, so the JPEG is decoded at full size). Pillow already spends less CPU
per photo than Eleventy Image does, and libvips' 25 % would come with a
second native library whose threads must never meet a fork
(generator.build.parallel forks): so Pillow, the Python ecosystem's
standard, which reads EXIF orientation and HEIC (pillow-heif) as the checks
do. bench/images.py measures the whole stage against Hugo and Eleventy Image.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Iterable

from PIL import Image, ImageCms

from generator.media.probe import MAX_PIXELS, SIDEWAYS, _register_heif, pillow
from generator.media.renditions import JPEG_QUALITY, PRINT_QUALITY, WEB_QUALITY, Photo, Rendition

pillow()  # the pixel guard, before anything here decodes

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
