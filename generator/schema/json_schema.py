"""The JSON Schema editors' VS Code uses, generated from the models.

`schema/record.schema.json` is committed (records point at it with
`# yaml-language-server: $schema=../schema/record.schema.json`) and a test
fails when it is stale. The vocabulary from site_config.yml (series ids,
themes, metric keys) is written into it so the editor completes them too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.files import write_atomically
from generator.schema.site_config import CatalogueConfig
from generator.schema.record import Record

SCHEMA_PATH = Path("schema") / "record.schema.json"
SCHEMA_ID = "https://example.org/meihao-jiayuan/schema/record.schema.json"


def record_schema(config: CatalogueConfig) -> dict[str, Any]:
    schema = Record.model_json_schema()
    properties = schema["properties"]
    properties["series"]["enum"] = [s.id for s in config.series]
    theme_names = list(config.theme_of_tag)
    properties["themes"]["items"]["enum"] = theme_names
    schema["$defs"]["Mechanism"]["properties"]["theme"]["anyOf"][0]["enum"] = theme_names
    metrics = properties["metrics"]
    metrics["propertyNames"] = {"enum": [m.key for m in config.metrics]}
    metrics["description"] = "数据：" + "；".join(f"{m.key} = {m.label}（{m.unit}）" for m in config.metrics)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def schema_text(config: CatalogueConfig) -> str:
    return json.dumps(record_schema(config), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schema(config: CatalogueConfig, root: Path) -> Path:
    target = root / SCHEMA_PATH
    write_atomically(target, schema_text(config))
    return target
