"""The photo stage: editors' photo files → probed, upright, metadata-free renditions in a content-addressed cache.

    probe (what a file is, from its bytes)  →  renditions (names and sizes, planned)
        →  process (Pillow: decode once, resize, turn upright, encode, no metadata)
    library: the stat-keyed index of probes and the cache folder of renditions (.cache/media/)

The checks read `probe` (through the library), the catalogue carries each
record's planned `Photo`s, the conductor (generator.build.photos) makes the
missing renditions in its workers and publishes them under the site's
media/, and the exporters ask for the print rendition. This stage imports no
other stage of generator/: it knows files and pixels, not records.

Measured against (bench/images.py, `python -m bench.run --images-only`): Hugo's
image processing and Eleventy Image (sharp/libvips) on the same generated
phone photos, cold and with nothing changed; and, for the choice of Pillow,
libvips itself on the same work (generator.media.process).
"""

from generator.media.library import PhotoLibrary
from generator.media.probe import Probe
from generator.media.renditions import PRINT_MIN_LONG_SIDE, Photo, Rendition

__all__ = ["PRINT_MIN_LONG_SIDE", "Photo", "PhotoLibrary", "Probe", "Rendition"]
