"""Citing a version: CITATION.cff (valid CFF 1.2.0, in step with the latest release), the version's
identifier and citation in datapackage.json, and the line on the catalogue page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from release_helpers import base_rows, publish_rows
from test_release import _with_added_event

from pipelines.catalogue import render_catalogue
from pipelines.publish.citation import CITATION_FILE, NO_DOI, citation_cff, citation_text, version_id, write_citation
from pipelines.publish.store import read_index

ROOT = Path(__file__).resolve().parents[1]
CFF_KEYS = {
    "cff-version", "message", "type", "title", "version", "date-released", "authors", "identifiers", "license",
    "abstract", "keywords",
}  # fmt: skip


def _latest(releases: Path) -> dict:
    index = read_index(releases)
    return next(v for v in index["versions"] if v["version"] == index["latest"])


def check_cff(text: str) -> dict:
    """The rules of CFF 1.2.0 this file relies on (the schema's required keys and the types of the
    keys it uses); returns the parsed file."""
    cff = yaml.safe_load(text)
    assert set(cff) <= CFF_KEYS and {"cff-version", "message", "title", "authors"} <= set(cff)
    assert cff["cff-version"] == "1.2.0" and cff["type"] in {"dataset", "software"}
    assert all(isinstance(cff[k], str) and cff[k] for k in ("message", "title", "version", "abstract"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cff["date-released"])  # a string, not a YAML date
    assert cff["authors"] and all(set(a) == {"name"} and a["name"] for a in cff["authors"])
    assert all(i["type"] in {"doi", "url", "swh", "other"} and i["value"] for i in cff["identifiers"])
    assert cff["license"] == "CC-BY-4.0" and all(isinstance(k, str) for k in cff["keywords"])
    return cff


def test_the_committed_citation_file_is_the_latest_releases():
    latest = _latest(ROOT / "releases")
    committed = (ROOT / CITATION_FILE).read_text(encoding="utf-8")
    assert committed == citation_cff(latest["version"], latest["created"]), "run the publisher (make release)"
    cff = check_cff(committed)
    assert (cff["version"], cff["date-released"]) == (latest["version"], latest["created"][:10])
    assert cff["identifiers"][0]["value"] == version_id(latest["version"])


def test_the_identifier_is_stable_for_a_version_and_claims_no_doi():
    assert version_id("1.2.0") == version_id("1.2.0") != version_id("1.2.1")
    assert re.fullmatch(
        r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", version_id("1.2.0")
    )
    text = citation_text("1.2.0", "2027-01-02T03:04:05Z")
    assert "version 1.2.0" in text and "2027-01-02" in text and version_id("1.2.0") in text and NO_DOI in text
    assert "doi" not in citation_cff("1.2.0", "2027-01-02T03:04:05Z").replace(NO_DOI, "").lower()


def test_a_published_version_carries_its_citation_and_the_repository_file_follows_it(tmp_path):
    releases, root_file = tmp_path / "releases", tmp_path / CITATION_FILE
    assert write_citation(releases, root_file) is False and not root_file.exists()  # nothing released yet
    first = publish_rows(releases, base_rows())
    package = json.loads((first.path / "datapackage.json").read_text(encoding="utf-8"))
    created = _latest(releases)["created"]
    assert package["id"] == version_id("1.0.0")
    assert package["citation"] == citation_text("1.0.0", created)
    assert package["homepage"] and package["contributors"][0]["title"]
    check_cff((first.path / CITATION_FILE).read_text(encoding="utf-8"))

    assert write_citation(releases, root_file) is True
    assert root_file.read_bytes() == (first.path / CITATION_FILE).read_bytes()
    assert write_citation(releases, root_file) is False  # already in step: not rewritten
    second = publish_rows(releases, _with_added_event())
    assert write_citation(releases, root_file) is True
    assert root_file.read_bytes() == (second.path / CITATION_FILE).read_bytes()
    assert yaml.safe_load(root_file.read_text(encoding="utf-8"))["version"] == "1.1.0"


def test_the_catalogue_says_how_to_cite_the_latest_version(tmp_path):
    releases = tmp_path / "releases"
    publish_rows(releases, base_rows())
    publish_rows(releases, _with_added_event())
    page = render_catalogue(releases)
    line = re.search(r'<p class="cite">How to cite this version: (.*?)</p>', page)
    assert line and "version 1.1.0" in line.group(1) and version_id("1.1.0") in line.group(1)
    assert "9 tables" in page  # the Parquet resources are not counted as tables
