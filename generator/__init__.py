"""美好家园 showcase: YAML records → website, WeChat, magazine and data exports.

The pipeline is load → validate → model → render → export; `generator.build.pipeline`
runs it, and `generator.cli` is a thin command line over the library.
"""

__version__ = "0.1.0"
