"""What an editor's photo file is, read from its bytes, never from its name: format, size, orientation, soundness.

`probe` reads the whole file once (the content hash needs every byte) and
asks Pillow only for the header: the pixels are never decoded here, so a
"decompression bomb" (20000×20000 pixels of one colour, a few KB of PNG) is
measured and refused without being unpacked. A truncated file is found by
its missing end marker (JPEG EOI after the first scan, PNG IEND, the RIFF
length of WebP, the box lengths of HEIF), which costs a search through bytes
already in memory rather than a decode.
"""

from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass
from typing import Any

# Formats a phone or camera gives and every channel can take after conversion.
SUPPORTED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC/HEIF"}
# More pixels than this is refused unopened: a 200-megapixel phone mode would be 40 % over,
# and the largest of these decoded in one worker stays near 400 MB.
MAX_PIXELS = 120_000_000
# Orientations (EXIF 0x0112) that turn the picture on its side: width and height swap when shown.
SIDEWAYS = {5, 6, 7, 8}
ORIENTATION_TAG = 0x0112

_heif_registered = False
_image_module: Any = None


def pillow() -> Any:
    """PIL.Image with Pillow's own guard set for every decode in this process (generator.media.renditions
    decodes only probed files). Imported on first use, not with this module: a `showcase check` of
    records without photos never opens one, and Pillow was a twentieth of its start-up (import CPU
    with -X importtime, 2026-12-03: about 50 of 1,000 ms under load)."""
    global _image_module
    if _image_module is None:
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        _image_module = Image
    return _image_module


def _register_heif() -> bool:
    """HEIC/HEIF through pillow-heif when it is installed (phones' default format)."""
    global _heif_registered
    if not _heif_registered:
        try:
            from pillow_heif import register_heif_opener
        except ImportError:
            return False
        register_heif_opener()
        _heif_registered = True
    return True


@dataclass(frozen=True)
class Probe:
    """A photo as found: `problem` is None for a usable one, else (code, Chinese message)."""

    digest: str = ""  # sha256 of the bytes
    format: str = ""  # Pillow's name: JPEG, PNG, WEBP, HEIF
    width: int = 0  # as shown, after the EXIF orientation is applied
    height: int = 0
    orientation: int = 1
    problem: tuple[str, str] | None = None

    @property
    def long_side(self) -> int:
        return max(self.width, self.height)


def probe_bytes(data: bytes) -> Probe:
    digest = hashlib.sha256(data).hexdigest()
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1", b"ftyphevc", b"ftypavif"):
        _register_heif()
    from PIL import UnidentifiedImageError

    Image = pillow()
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # opening reads the header only; we compare below
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error):
        return Probe(digest, problem=("E242", "不是图片文件（按文件内容判断，与扩展名无关），或文件头已损坏"))
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    with image:
        kind = image.format or ""
        width, height = image.size
        if kind not in SUPPORTED:
            names = "、".join(SUPPORTED.values())
            return Probe(digest, kind, width, height, problem=("E244", f"不支持的图片格式 {kind or '未知'}；请另存为 {names}"))
        if width * height > MAX_PIXELS:
            return Probe(digest, kind, width, height, problem=(
                "E245", f"像素过多：{width}×{height}，超过上限 {MAX_PIXELS // 1_000_000} 兆像素（可能是“解压炸弹”）；请缩小后再放入"))
        try:
            orientation = int(image.getexif().get(ORIENTATION_TAG, 1) or 1)
        except Exception:  # noqa: BLE001 - a damaged EXIF block: shown as stored, and stripped anyway
            orientation = 1
    if orientation not in range(1, 9):
        orientation = 1
    if not _complete(kind, data):
        return Probe(digest, kind, width, height, problem=("E243", "图片文件不完整（被截断或已损坏）；请重新从相机或手机导出"))
    if orientation in SIDEWAYS:
        width, height = height, width
    return Probe(digest, kind, width, height, orientation)


def _complete(kind: str, data: bytes) -> bool:
    if kind == "JPEG":
        scan = data.find(b"\xff\xda")  # start of the first scan; FF D9 inside scan data is impossible (FF is stuffed)
        return scan > 0 and data.find(b"\xff\xd9", scan) > 0
    if kind == "PNG":
        return data.rfind(b"IEND\xaeB`\x82") > 0
    if kind == "WEBP":
        return len(data) >= 12 and int.from_bytes(data[4:8], "little") + 8 <= len(data)
    if kind == "HEIF":
        return _boxes_complete(data)
    return True


def _boxes_complete(data: bytes) -> bool:
    """ISO base media boxes (HEIF): every top-level box ends inside the file."""
    position = 0
    while position + 8 <= len(data):
        size = int.from_bytes(data[position : position + 4], "big")
        if size == 1 and position + 16 <= len(data):
            size = int.from_bytes(data[position + 8 : position + 16], "big")
        elif size == 0:
            return True  # the last box runs to the end of the file
        if size < 8:
            return False
        position += size
    return position == len(data)
