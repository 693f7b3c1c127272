"""How a version is cited: its identifier, the citation text, the creators and CITATION.cff.

Belongs here: the dataset's name and title, who made it, its home, the stable identifier of each
version (``version_id``), the citation text of a version, the CITATION.cff of a version (CFF 1.2.0),
and keeping the repository's CITATION.cff in step with the latest release (``write_citation``).
All of it is a pure function of the version and its release date, so the same version always gets
the same identifier and the same bytes.
No DOI has been assigned to this dataset: nothing here claims one. The identifier of a version is a
name-based UUID (RFC 9562, version 5) of the package name and version, written as a URN: anyone can
recompute it, and it never changes for a version.
Does not belong here: the rest of datapackage.json (``pipelines.publish.package``), the page.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from pipelines.publish.store import publish_lock, read_index, staging_root, write_bytes_atomic

PACKAGE_NAME = "japan-asean-cooperation"
DATASET_TITLE = "Japan–ASEAN cooperation: facts extracted from public documents"
ABSTRACT = (
    "Facts about Japan–ASEAN cooperation (JAIF projects, ASEAN statistics, summits and ministerial meetings, "
    "pledges, programmes and their results) extracted from public Japanese and English documents, each with "
    "the exact quote and offsets it comes from."
)
KEYWORDS = ("Japan", "ASEAN", "JAIF", "official development assistance", "open data")
# The people behind the dataset, as a group: the project has no list of named authors to credit.
CREATOR = "Japan–ASEAN cooperation data project maintainers"
# The catalogue page of every version, relative to a version's datapackage.json: the project has no
# public web address yet, and none is invented here.
HOMEPAGE = "../index.html"
NO_DOI = "No DOI has been assigned to this dataset."
CITATION_FILE = "CITATION.cff"


def version_id(version: str) -> str:
    """The stable identifier of a version: a URN of a UUID named after the package and version."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{PACKAGE_NAME}/{version}"))


def citation_text(version: str, created: str) -> str:
    """How to cite this version, in one line (created: the release's ISO timestamp)."""
    return (
        f"{CREATOR} ({created[:4]}). {DATASET_TITLE} (version {version}) [Data set], released {created[:10]}. "
        f"{version_id(version)}. {NO_DOI}"
    )


def contributors() -> list[dict]:
    """The Data Package ``contributors``."""
    return [{"title": CREATOR, "roles": ["creator"]}]


def citation_cff(version: str, created: str) -> str:
    """CITATION.cff (CFF 1.2.0) of this version. Every scalar is written as a JSON string, which is a
    quoted YAML string: a date stays text (as the CFF schema wants), whatever the YAML reader."""

    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    lines = [
        "# Written by the publisher (pipelines/publish/citation.py) when a version is published; do not edit.",
        "cff-version: 1.2.0",
        f"message: {q('If you use these data, please cite them as below. ' + NO_DOI)}",
        "type: dataset",
        f"title: {q(DATASET_TITLE)}",
        f"version: {q(version)}",
        f"date-released: {q(created[:10])}",
        "authors:",
        f"  - name: {q(CREATOR)}",
        "identifiers:",
        "  - type: other",
        f"    value: {q(version_id(version))}",
        f"    description: {q(f'Stable identifier of version {version} (a name-based UUID). ' + NO_DOI)}",
        "license: CC-BY-4.0",
        f"abstract: {q(ABSTRACT)}",
        "keywords:",
        *(f"  - {q(k)}" for k in KEYWORDS),
    ]
    return "\n".join(lines) + "\n"


def write_citation(releases_dir: Path, target: Path) -> bool:
    """Bring target (the repository's CITATION.cff) in step with the latest release in releases_dir;
    True when it was rewritten. Nothing is written when nothing is released, or when the file is
    already right."""
    with publish_lock(releases_dir):  # read the index another publish may be replacing, once it is done
        index = read_index(releases_dir)
        latest = next((v for v in index["versions"] if v["version"] == index["latest"]), None)
        if latest is None:
            return False
        data = citation_cff(latest["version"], latest["created"]).encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            return False
        write_bytes_atomic(target, data, staging_root(releases_dir))
        return True
