"""Golden files for the text formats, rendered from tests/fixtures/export/.

A change in any exporter's output shows up here as a diff to review. After
an intended change, refresh the files on purpose and read the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_export_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import pytest
from export_support import assert_golden, fixture_catalogue

from generator.exporters import Selection, export

CASES = [
    ("wechat", Selection(provinces=("湖北",)), ["wechat-hubei.html"]),
    ("wechat", Selection(series=("local-practices",)), ["wechat-local-practices.html"]),
    ("icml", Selection(provinces=("湖北",)), ["047-shili-huayuan.icml", "048-teshu-zifu.icml"]),
    ("csv", Selection(), ["records-all.csv"]),
    ("json", Selection(), ["records-all.json", "records.schema.json"]),
]


@pytest.mark.parametrize(("format_name", "selection", "names"), CASES, ids=[c[0] + "-" + c[2][0] for c in CASES])
def test_output_matches_golden_file(format_name, selection, names, tmp_path):
    written = export(fixture_catalogue(), format_name, selection, tmp_path)
    assert [p.name for p in written] == names
    for path in written:
        assert_golden(path.name, path.read_bytes().decode("utf-8"))
