"""Shared fixtures: a temporary project folder (raw/ copied byte for byte) and a Dagster instance.

Tests never touch the repository's own releases/, .dagster/ or warehouse/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "raw"


def make_project(root: Path, raw_files: dict[str, bytes] | None = None) -> Path:
    """A project folder with raw/ (the repository's documents, or the given files) and releases/."""
    (root / "raw").mkdir(parents=True)
    (root / "releases").mkdir()
    if raw_files is None:
        for p in sorted(RAW.iterdir()):
            if p.is_file() and not p.name.startswith("."):
                shutil.copyfile(p, root / "raw" / p.name)
    else:
        for name, data in raw_files.items():
            (root / "raw" / name).write_bytes(data)
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def dagster_instance(home: Path):
    """A Dagster instance persisted in home (kept between runs, as DAGSTER_HOME would be)."""
    home.mkdir(parents=True, exist_ok=True)
    return dg.instance_for_test(temp_dir=str(home))


@pytest.fixture
def instance(tmp_path: Path):
    with dagster_instance(tmp_path / "dagster_home") as inst:
        yield inst


@pytest.fixture(scope="session")
def built_release(tmp_path_factory):
    """One full pipeline run on the repository's raw/, shared by read-only integration tests."""
    from pipelines.run import run_pipeline

    root = make_project(tmp_path_factory.mktemp("built") / "project")
    with dagster_instance(root.parent / "dagster_home") as inst:
        summary = run_pipeline(root, inst)
    return root, summary
