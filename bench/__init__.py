"""Benchmarks: our build against the peers on the same synthetic catalogue.

`make bench [N=…]` runs `python -m bench.run --records N`. The synthetic
records (bench.synthetic) are only ever written under a temporary folder and
every one of them is marked 合成 in its name and notes, so none can be
mistaken for, or published as, a real estate.
"""
