"""How the model reads on a page: one wording of figures, places, URLs and a whole record.

The site, the search index and every export channel read a record through
this layer, never through each other, so a figure or a place is worded the
same way everywhere (figures.py, places.py), every page lives where urls.py
says, and a record's printed shape (record.py) is decided once.
"""
