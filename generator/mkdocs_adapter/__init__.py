"""MkDocs adapter for the showcase site: injects generator.site's pages into MkDocs + Material."""
