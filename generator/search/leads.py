"""The first screen of a query in its first round of downloads: each key's *lead* records.

A search downloads its keys' shards (or their own files), ranks what they
hold, and then needs the display metadata (name, headline, place, URL) of the
results it shows. Fetched by record from the m/ chunks, that is a second round
of requests after the first — six requests at once, one a result, since the
top results of a query are spread over the catalogue. So every file a query
fetches first (s/, y/, k/, see indexer.py) also carries the metadata of its
keys' lead records: the LEAD_RECORDS records that a query of that key alone
shows first in search.js (best field class, then most matches, then
catalogue order). search.js keeps whatever metadata arrived and asks the m/
chunks only for results it did not get this way, so the records, their order
and what is shown stay exactly the same; only where the metadata came from
changes. A one-key query (武汉, 物业) and most longer ones (电动车, 业委会,
四公开一监督: their rarest key's leads are the query's) then show their first
screen without a second round; a run of common keys whose first results are
none of any key's first (锦绣花园 among 280 names with 锦绣 and 487 with 花园)
still fetches what is missing.

Measured against the index without leads (main at 67bf2e5), sites built from
the same 10,000 synthetic records (bench.synthetic), bench.search_measure's
five queries in headless Chromium, the two sites in alternate runs on a
shared, loaded machine (load 10–13), 2026-12-03: the first search's median
went from 189 ms to 100 ms (medians of four runs each; with search.js's other
changes of the same day: the typed query searched while the t2s table loads),
its requests from 6–10 to 2–5 (锦绣花园 still 8), and its download from
51 KB to 46 KB gzip (median; largest 117 → 112 KB: the requests saved weigh
more than the bigger shards). The leads add about 5 KB gzip to a shard (the
metadata of about 100 records), 6 MB to the 25 MB index, and 1–2 s of CPU
to writing it (write_bundle 10.9–11.6 s against 9.2–13.4 s, same load; the
leads here about 0.7 s, in batches of LEAD_BATCH entries in postings.py,
their JSON and gzip the rest).
"""

from __future__ import annotations

import numpy as np

LEAD_RECORDS = 6  # the header dropdown's results (search.js DROPDOWN_SIZE)
COUNTED_MATCHES = 10  # matches of a run past this many add nothing to a record's score (search.js matchRun)
CLASS_LEVELS = 6  # field classes (documents.CLASSES)
_LEVELS = CLASS_LEVELS * COUNTED_MATCHES


def lead_records(keys: list[str], lengths: np.ndarray, rids: np.ndarray, classes, count: int) -> dict[str, list[int]]:
    """key → the (at most `count`) records a query of that key alone ranks first, ascending.

    The entries of all keys come concatenated, key after key (`lengths` per
    key), each key's ascending by record and, within a record, best class
    first: postings order. `classes(firsts)` gives the field class of the
    entries at the indexes `firsts`. A record's score for a key is its first
    entry's class, then how many entries it has (up to COUNTED_MATCHES; one
    for character and word keys, which have one entry a record); ties go to
    the lower record id, as search.js ranks.

    No sort, and one pass over the entries (at 10,000 records there are 9
    million, so every whole-array step counts): a (key, record) group starts
    where the record changes or a key starts. With few score levels
    (class × matches), each key's cut-off level and how many records at that
    level it still takes are found by counting, and ties at the cut-off are
    taken in record order, which they already are.
    """
    if not len(rids):
        return {}
    key_starts = np.cumsum(lengths) - lengths
    new_group = np.empty(len(rids), dtype=bool)
    new_group[0] = True
    np.not_equal(rids[1:], rids[:-1], out=new_group[1:])
    new_group[key_starts] = True
    firsts = np.flatnonzero(new_group)
    del new_group
    level = np.diff(firsts, append=len(rids))  # entries in each group: its matches
    np.minimum(level, COUNTED_MATCHES, out=level)
    level += classes(firsts) * COUNTED_MATCHES - 1  # 0 … _LEVELS - 1, higher is better
    groups_of_key = np.diff(np.searchsorted(firsts, key_starts), append=len(firsts))
    group_key = np.repeat(np.arange(len(keys), dtype=np.int64), groups_of_key)
    # at_least[k, s]: records of key k at level s or higher (a zero column past the top level).
    histogram = np.bincount(group_key * _LEVELS + level, minlength=len(keys) * _LEVELS).reshape(len(keys), _LEVELS)
    at_least = np.zeros((len(keys), _LEVELS + 1), dtype=np.int64)
    at_least[:, :_LEVELS] = np.cumsum(histogram[:, ::-1], axis=1)[:, ::-1]
    enough = at_least[:, :_LEVELS] >= count
    # The cut-off: the highest level with `count` records at it or above (-1: the key has fewer, all are taken).
    cutoff = np.where(enough.any(axis=1), _LEVELS - 1 - np.argmax(enough[:, ::-1], axis=1), -1)
    above = at_least[np.arange(len(keys)), cutoff + 1]
    wanted_ties = count - above  # records still wanted at the cut-off level
    surplus = at_least[np.arange(len(keys)), np.maximum(cutoff, 0)] - above > wanted_ties
    group_cutoff = cutoff[group_key]
    keep = level > group_cutoff
    tie = level == group_cutoff
    keep |= tie & ~surplus[group_key]
    # Keys with more records at the cut-off than wanted take the first, in record order.
    tie &= surplus[group_key]
    tied = np.flatnonzero(tie)
    tied_key = group_key[tied]
    rank = np.arange(len(tied)) - np.searchsorted(tied_key, np.arange(len(keys)))[tied_key]
    keep[tied[rank < wanted_ties[tied_key]]] = True
    kept_key = group_key[keep]
    kept_rid = rids[firsts[keep]].tolist()
    bounds = np.searchsorted(kept_key, np.arange(len(keys) + 1)).tolist()
    return {key: kept_rid[start:stop] for key, start, stop in zip(keys, bounds, bounds[1:])}
