"""Chinese full-text search for the built website: a static index of character bigrams.

    from generator.search import index_site
    stats = index_site(site_dir, catalogue)   # after the pages are written

tokens.py says what the index is keyed by (and why bigrams, not words),
postings.py how the keys' posting lists are built, indexer.py which files
are written, and synonyms.py the words a query is expanded with.
"""

from generator.search.indexer import SearchStats, index_site, install_ui, search_page, write_bundle

__all__ = ["SearchStats", "index_site", "install_ui", "search_page", "write_bundle"]
