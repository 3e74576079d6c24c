"""gzip for the search index's files, made with ISA-L (python-isal) instead of the standard library's zlib.

The index is some 3,300 files and 97 MB before compression at 10,000
records, and compressing them was the largest single step of building it.
Measured on the files of a 10,000-record synthetic build (bench.synthetic),
this 2-core machine, December 2026, CPU seconds for all of them:

    zlib level 4 (lookups) and 1 (excerpt texts), as before    0.91 s   30.5 MB
    zlib-ng level 2                                            0.50 s   32.2 MB
    ISA-L level 2 (what is used)                               0.20 s   33.0 MB

A query downloads a shard or two: about 7% more bytes than at zlib level 4
(the first search stays far inside its 300 KB target, bench/results.md),
for a build that spends 0.7 s less CPU. The output is ordinary gzip (RFC
1952, no timestamp), which search.js inflates with DecompressionStream and
any host can serve as it is; the bytes depend on the isal version only,
which requirements.lock pins.
"""

from __future__ import annotations

from isal import igzip

LEVEL = 2  # ISA-L has 0–3; 3 is slower and, on these files, no smaller


def gzip_bytes(data: bytes) -> bytes:
    """`data` as a gzip member without a timestamp (the same bytes for the same data)."""
    return igzip.compress(data, compresslevel=LEVEL, mtime=0)
