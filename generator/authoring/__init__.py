"""What writes into projects/: `showcase new` (scaffold), `showcase import` (importing) and the one record writer.

The article formats themselves are read by generator.importers; this package
plans what to write, validates every draft with the same checks as
`showcase check` before writing anything, and never replaces an editor's file.
"""
