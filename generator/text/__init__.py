"""Chinese text as the records and articles carry it: conversion artifacts, spacing, slugs, suggestions.

The lowest layer after `generator.errors`: every stage that reads or writes
text (checks, importers, pages, exports) uses these helpers, and they use
nothing of ours.
"""
