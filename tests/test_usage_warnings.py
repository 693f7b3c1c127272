"""Usage warnings, declared once per table in schemas/tables.py: what they say, and that the README
dictionary, the DuckDB comments, datapackage.json, the Parquet files and the catalogue all show them."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html import escape

import duckdb
from release_helpers import base_rows, publish_rows

from pipelines.catalogue import render_catalogue
from schemas.ddl import comment_sql
from schemas.dictionary import data_dictionary_markdown
from schemas.tables import FIELDS, TABLES


def test_every_table_warns_and_the_warnings_say_what_its_rows_really_mix():
    assert all(t.usage_warnings for t in TABLES.values())
    text = {name: " ".join(t.usage_warnings) for name, t in TABLES.items()}
    assert "`currency`" in text["commitments"] and "mix currencies" in text["commitments"]
    assert "`budget_currency`" in text["projects"]
    assert "`unit`" in text["metrics"] and "`subject`" in text["metrics"]
    assert "`reference_year`" in text["indicators"] and "ratio" in text["indicators"]
    assert all("`same_as`" in text[n] for n in ("events", "commitments", "metrics", "indicators"))
    assert "`events.same_as`" in text["documents"]
    assert "`status`" in text["memberships"]


def test_a_column_a_warning_names_is_one_its_table_has():
    """`name` in a warning is a column of the table, or `table.column` of another: never a stale name."""
    for name, table in TABLES.items():
        for warning in table.usage_warnings:
            for ref in re.findall(r"`([a-z_.]+)`", warning):
                other, _, column = ref.rpartition(".")
                if ref in FIELDS or other:
                    assert column in TABLES[other or name].field_names, (name, ref)


def test_the_readme_dictionary_and_the_duckdb_comment_show_each_warning():
    markdown = data_dictionary_markdown()
    for name, table in TABLES.items():
        section = markdown.split(f"### `{name}` ")[1].split("\n### ")[0]
        assert all(f"- {w}" in section for w in table.usage_warnings), name
    comment = comment_sql(TABLES["commitments"])[0]
    assert all(w.replace("'", "''") in comment for w in TABLES["commitments"].usage_warnings)
    assert comment_sql(replace(TABLES["commitments"], usage_warnings=()))[0].count("Warning:") == 0


def test_a_release_shows_the_warnings_in_duckdb_datapackage_json_and_the_catalogue(tmp_path):
    releases = tmp_path / "releases"
    folder = publish_rows(releases, base_rows()).path
    with duckdb.connect(str(folder / "japan-asean-cooperation.duckdb"), read_only=True) as con:
        comments = dict(con.sql("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptions = {r["name"]: r["description"] for r in package["resources"]}
    page = render_catalogue(releases)
    for name, table in TABLES.items():
        for warning in table.usage_warnings:
            assert warning in comments[name] and warning in descriptions[name], (name, warning)
            assert warning in descriptions[f"{name}-parquet"], (name, warning)
            assert f"<li>{escape(warning)}</li>" in page, (name, warning)
