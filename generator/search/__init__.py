"""Chinese full-text search for the built website (Pagefind, bigram tokens).

    from generator.search import index_site
    stats = index_site(site_dir, catalogue)   # after the pages are written

See tokens.py for why the index holds bigram tokens instead of words, and
synonyms.py for the words a query is expanded with.
"""

from generator.search.indexer import SearchStats, index_site

__all__ = ["SearchStats", "index_site"]
