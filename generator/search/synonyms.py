"""Words readers use interchangeably: a query with one finds records that say another.

The search box expands a query in the browser (assets/search.js): when the
query contains a word from a group, it also searches with that word replaced
by each other word of the group and merges the results. Expanding the query
rather than the index keeps the index small and lets results highlight the
word the record actually uses.

Keep groups to true equivalents in this field; a broader word (电梯 for
加装电梯) would flood the results. Add a group here and rebuild: nothing else
changes.
"""

from __future__ import annotations

from generator.search.tokens import query_parts

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("电动车", "电瓶车", "电动自行车", "电单车"),
    ("业委会", "业主委员会"),
    ("物管会", "物业管理委员会"),
    ("居委会", "居民委员会"),
    ("物业公司", "物业企业", "物业服务企业"),
    ("网格员", "网格管理员"),
    ("充电桩", "充电设施"),
    ("加装电梯", "增设电梯"),
)


def variants(text: str, limit: int = 6) -> list[str]:
    """`text` and its rewrites with synonyms (the browser does the same): 业委会 → [业委会, 业主委员会]."""
    found = [text]
    for group in SYNONYM_GROUPS:
        for word in group:
            if word in text:
                for other in group:
                    rewritten = text.replace(word, other)
                    if rewritten not in found:
                        found.append(rewritten)
    return found[:limit]


def group_keys(group: tuple[str, ...]) -> list[str]:
    """Every index key inside a word of `group`: each pair of neighbouring letters of a run, each lone letter or word.

    The index keeps these keys of a group together in one file (indexer.py), so
    a query that names the group reads all its variants' keys inside the
    group's words in one request instead of one a shard (search.js mirrors this).
    """
    keys: set[str] = set()
    for word in group:
        for part in query_parts(word):
            if part.kind == "run":
                keys.update(part.text[i : i + 2] for i in range(len(part.text) - 1))
            else:
                keys.update(part.keys)
    return sorted(keys)
