"""What a record and the site config may say, declared once.

- `record` — the record schema (pydantic), the single source for validation,
  the JSON Schema editors get (`json_schema`) and the field docs;
- `site_config` — site_config.yml: the MkDocs settings passed through and the
  catalogue vocabulary (series, themes, metrics);
- `types` — field types both share (Text, Slug, Number …);
- `divisions` — the place vocabulary: China's administrative divisions (GB/T 2260);
- `messages` — pydantic's error types in plain Chinese, one table;
- `pickling` — a shorter pickle for the models (records travel pickled from the checking workers).
"""
