"""Photos made by the tests (a plain module): phone-like JPEGs with EXIF orientation and GPS, PNGs, broken files.

No test ships a photo: each is drawn here, so the tests know exactly what
is in it — a red mark in the top-left corner of the upright picture, so a
test can tell whether the rotation was applied — and what metadata a
published copy must have lost.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

# GPS of a resident's home, as a phone writes it (IFD 0x8825): what no published file may carry.
GPS = {1: "N", 2: (30.0, 35.0, 12.5), 3: "E", 4: (114.0, 17.0, 3.2)}
ORIENTATION = 0x0112
GPS_IFD = 0x8825
MARK = (220, 20, 20)


def upright(width: int, height: int, seed: int = 0) -> Image.Image:
    """A picture as it should be seen: a gradient, a red block top-left, a seed-dependent stripe."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 4, height // 4), fill=MARK)
    draw.rectangle((width // 2, height // 2, width // 2 + 10 + seed % 50, height - 1), fill=(20, 120 + seed % 100, 200))
    return image


# EXIF orientation → how a camera stores an upright picture (the inverse of what a viewer applies).
_STORED = {1: None, 3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}


def phone_jpeg(width: int = 1200, height: int = 900, *, orientation: int = 6, seed: int = 0, quality: int = 85) -> bytes:
    """A JPEG like a phone's: stored sideways with EXIF orientation, GPS and a camera model inside.

    `width`×`height` is the upright size the viewer should see.
    """
    picture = upright(width, height, seed)
    turn = _STORED[orientation]
    stored = picture.transpose(turn) if turn is not None else picture
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "TestPhone"  # Make
    exif[0x0132] = "2024:05:01 10:00:00"  # DateTime
    exif[GPS_IFD] = GPS
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=quality, exif=exif.tobytes(), comment=b"resident's home")
    return out.getvalue()


def png(width: int = 800, height: int = 600, *, seed: int = 0, alpha: bool = False) -> bytes:
    image = upright(width, height, seed)
    if alpha:
        image = image.convert("RGBA")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def bomb_png(side: int = 20000) -> bytes:
    """A PNG of side×side pixels of one colour: a few hundred KB that would unpack to over a gigabyte."""
    import struct
    import zlib

    rows = (b"\x00" * (side + 1)) * 500  # filter byte + one grey byte per pixel, 500 rows at a time
    compressor = zlib.compressobj(1)
    data = b"".join(compressor.compress(rows) for _ in range(side // 500)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def gif() -> bytes:
    out = io.BytesIO()
    upright(64, 64).convert("P").save(out, "GIF")
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def metadata_of(data: bytes) -> dict:
    """What a published file says about itself beyond pixels: EXIF tags, GPS, ICC, XMP, comments."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return {
            "exif": dict(exif),
            "gps": dict(exif.get_ifd(GPS_IFD)),
            "icc": image.info.get("icc_profile"),
            "xmp": image.info.get("xmp") or image.info.get("XML:com.adobe.xmp"),
            "comment": image.info.get("comment"),
            "format": image.format,
            "size": image.size,
        }


def phone_heic(width: int = 1200, height: int = 900, *, seed: int = 0) -> bytes:
    """A HEIC like an iPhone's: stored sideways with EXIF orientation 6 and GPS (written by pillow-heif)."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = GPS
    out = io.BytesIO()
    upright(width, height, seed).transpose(Image.Transpose.ROTATE_90).save(out, "HEIF", exif=exif.tobytes(), quality=80)
    return out.getvalue()
