"""The peers `make bench` builds on the same synthetic records.

Each module has `prepare(catalogue, work) -> bench.measure.System`: it writes
the peer's project (config, Markdown pages, templates) under `work` and
returns the command to build it. Peers are installed into their own venvs
(bench.baselines.venvs), never into the project's.
"""
