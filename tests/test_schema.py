"""The committed JSON Schema is generated from the models and must not go stale."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.schema.site_config import load_site_config
from generator.schema.json_schema import SCHEMA_PATH, schema_text

ROOT = Path(__file__).resolve().parents[1]


def test_committed_schema_is_fresh() -> None:
    config = load_site_config(ROOT / "site_config.yml")
    committed = (ROOT / SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == schema_text(config.catalogue), "run `make schema` and commit schema/record.schema.json"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "projects").glob("*.yml")) + sorted((ROOT / "tests/fixtures/valid").glob("*.yml")), ids=lambda p: p.name
)
def test_records_validate_against_json_schema(path: Path) -> None:
    """What VS Code accepts matches what `showcase check` accepts for valid records."""
    schema = json.loads((ROOT / SCHEMA_PATH).read_text(encoding="utf-8"))
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    # JSON has no date type: dates travel as ISO strings, as VS Code's YAML server reads them.
    record = json.loads(json.dumps(record, default=str))
    jsonschema.validate(record, schema)


def test_records_point_at_the_schema() -> None:
    for path in (ROOT / "projects").glob("*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/record.schema.json", path.name


def test_records_pickle_to_the_same_models() -> None:
    """Workers hand records to the main process pickled (generator.schema.pickling): every model
    comes back equal, with the same fields set, and every enum as the same member."""
    import pickle

    from generator.schema.record import Record

    for path in sorted((ROOT / "tests/fixtures/valid").glob("*.yml")):
        record = Record.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        again = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        assert again == record and again.model_dump() == record.model_dump(), path.name
        assert again.model_fields_set == record.model_fields_set and again.location.model_fields_set == record.location.model_fields_set
        assert again.kind is record.kind and again.status is record.status
        assert (again.__pydantic_extra__, again.__pydantic_private__) == (record.__pydantic_extra__, record.__pydantic_private__)
