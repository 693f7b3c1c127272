"""The Parquet file of every table: the CSV's rows, typed, its descriptions in the file, the same bytes
for the same rows, checked before publishing, valid for frictionless, and the README's example that
reads it with DuckDB and pandas.

Releases are published from small hand-built tables (``release_helpers``), as in tests/test_release.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from release_helpers import base_rows, publish_rows
from test_release import _rewrite_csv

from pipelines.publish.package import verify_release
from pipelines.publish.tables import PARQUET_OPTIONS, read_csv_table, read_parquet_table, write_parquet
from schemas.tables import TABLES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    return publish_rows(tmp_path_factory.mktemp("parquet") / "releases", base_rows()).path


def test_every_table_has_a_parquet_file_with_its_csvs_rows_and_types(release):
    for name, table in TABLES.items():
        df = read_parquet_table(release / "data" / f"{name}.parquet")
        pd.testing.assert_frame_equal(df, read_csv_table(name, (release / "data" / f"{name}.csv").read_bytes()))
        types = {f.name: pq.read_schema(release / "data" / f"{name}.parquet").field(f.name).type for f in table.fields}
        expected = {"string": pa.string(), "date": pa.string(), "integer": pa.int64(), "number": pa.float64()}
        assert types == {f.name: expected.get(f.type, pa.bool_()) for f in table.fields}, name
    projects = read_parquet_table(release / "data" / "projects.parquet")
    assert str(projects["phase"].dtype) == "Int64" and str(projects["approximate"].dtype) == "boolean"


def test_column_and_table_descriptions_and_usage_warnings_are_in_the_files_metadata(release):
    for name, table in TABLES.items():
        schema = pq.read_schema(release / "data" / f"{name}.parquet")
        for f in table.fields:
            assert schema.field(f.name).metadata[b"description"].decode() == f.description, (name, f.name)
            assert schema.field(f.name).nullable is not f.required
        kv = {k.decode(): v.decode() for k, v in schema.metadata.items()}
        assert (kv["name"], kv["title"], kv["description"]) == (name, table.title, table.description)
        assert json.loads(kv["usage_warnings"]) == list(table.usage_warnings)
        assert json.loads(kv["column_descriptions"]) == {f.name: f.description for f in table.fields}
        assert "pandas" not in kv  # built from the table definition, not from a DataFrame


def test_the_same_rows_give_the_same_parquet_bytes_with_the_fixed_writer_settings(release, tmp_path):
    for name in TABLES:
        csv_path = release / "data" / f"{name}.csv"
        again = tmp_path / f"{name}.parquet"
        write_parquet(name, csv_path, again)
        assert again.read_bytes() == (release / "data" / f"{name}.parquet").read_bytes(), name
    meta = pq.ParquetFile(release / "data" / "events.parquet").metadata
    assert meta.created_by == f"parquet-cpp-arrow version {pa.__version__}"
    assert meta.num_row_groups == 1 and meta.row_group(0).column(0).compression == "ZSTD"
    assert PARQUET_OPTIONS["compression_level"] == 9
    # The pinned pyarrow is the one that made these bytes: a new version must be pinned on purpose.
    pinned = re.search(r"^pyarrow==(\S+)$", (ROOT / "requirements.lock").read_text(), re.M)
    assert pinned and pinned.group(1) == pa.__version__


def _staged(release: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(release, tmp_path / "staged"))


def test_verification_refuses_a_parquet_file_whose_rows_or_schema_are_not_its_csvs(release, tmp_path):
    folder = _staged(release, tmp_path)
    assert verify_release(folder) == []
    path = folder / "data" / "events.parquet"
    table = pq.read_table(path)
    pq.write_table(table.slice(0, len(table) - 1), path)  # one row fewer, the same schema
    assert "data/events.parquet: its 1 rows are not those of data/events.csv" in verify_release(folder)

    bare = table.replace_schema_metadata(None)  # the descriptions left out
    pq.write_table(bare, path)
    assert any("data/events.parquet: its schema or metadata" in p for p in verify_release(folder))
    write_parquet("events", folder / "data" / "events.csv", path)
    assert verify_release(folder) == []
    events = (folder / "data" / "events.csv").read_text(encoding="utf-8").replace("first meeting", "nan", 1)
    _rewrite_csv(folder, "events", events.encode("utf-8"))
    write_parquet("events", folder / "data" / "events.csv", path)
    assert "data/events.parquet: the text 'nan' in description, which frictionless would read as missing" in (
        verify_release(folder)
    )
    path.write_bytes(b"not parquet")
    assert any("data/events.parquet: not a readable Parquet file" in p for p in verify_release(folder))
    path.unlink()
    assert any("data/events.parquet: file missing" in p for p in verify_release(folder))


def test_frictionless_validates_the_package_with_its_parquet_resources(release, tmp_path):
    from frictionless import Package

    report = Package(str(release / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert {task.name for task in report.tasks} >= {f"{name}-parquet" for name in TABLES}

    # ... and it reads them: a Parquet value that breaks a constraint is an error.
    folder = _staged(release, tmp_path)
    path = folder / "data" / "memberships.parquet"
    table = pq.read_table(path)
    status = pa.array(["partner"] * len(table), type=pa.string())
    pq.write_table(table.set_column(table.schema.get_field_index("status"), table.schema.field("status"), status), path)
    report = Package(str(folder / "datapackage.json")).validate()
    assert [t.name for t in report.tasks if not t.valid] == ["memberships-parquet"]


def readme_parquet_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(
        r"<!-- BEGIN PARQUET EXAMPLE -->\n```python\n(.*?)```\n<!-- END PARQUET EXAMPLE -->", readme, re.S
    )
    assert found, "README.md has no Parquet example between its markers"
    return found.group(1)


def test_the_readme_example_reads_every_parquet_file_with_duckdb_and_pandas_as_many_rows_as_the_csv(release):
    done = subprocess.run(
        [sys.executable, "-c", readme_parquet_example()], cwd=release, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    counted = {}
    for line in done.stdout.splitlines():
        if found := re.fullmatch(r"data/(\w+)\.parquet (\d+) (\d+)", line):
            counted[found.group(1)] = (int(found.group(2)), int(found.group(3)))
    csv_rows = {name: len(read_csv_table(name, (release / "data" / f"{name}.csv").read_bytes())) for name in TABLES}
    assert counted == {name: (n, n) for name, n in csv_rows.items()}
    assert sum(csv_rows.values()) > 10
    assert TABLES["commitments"].usage_warnings[0] in done.stdout  # the warnings, read from the file by DuckDB
