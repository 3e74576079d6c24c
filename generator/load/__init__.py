"""The load stage: find the record files and read each one safely into data with positions.

- `files` — which files are records; reading one with hard limits;
- `yaml_reader` — bytes → a `SourceDocument` (data, line/column of every
  key and value, and every YAML surprise as a located Problem);
- `plain_yaml` — the fast path of `yaml_reader` for the plain block YAML
  records are written in (measured against PyYAML's own node walk).
"""
