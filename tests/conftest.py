"""Shared fixtures and helpers: a temporary project folder (raw/ copied byte for byte), a Dagster
instance, the command-line run as `make release` does it, and digests of folders.

Tests never touch the repository's own releases/, .dagster/ or warehouse/.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
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
    from pipelines.orchestration.runner import run_pipeline

    root = make_project(tmp_path_factory.mktemp("built") / "project")
    with dagster_instance(root.parent / "dagster_home") as inst:
        summary = run_pipeline(root, inst)
    return root, summary


# --- Helpers shared by the test modules -------------------------------------------------------------


def released_template(base: Path, raw_files: dict[str, bytes]) -> Path:
    """A project of these documents under base, run once (releases/1.0.0 and warehouse/ exist), with
    its Dagster home beside it: a module's template that its tests copy (``private_copy``)."""
    from pipelines.orchestration.runner import run_pipeline

    root = make_project(base / "project", raw_files)
    with dagster_instance(base / "dagster_home") as inst:
        summary = run_pipeline(root, inst)
    assert summary.published and summary.version == "1.0.0"
    return base


def private_copy(template: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(project root, its Dagster home): a copy of a released template that a test may break."""
    shutil.copytree(template, tmp_path / "copy", symlinks=True)
    return tmp_path / "copy" / "project", tmp_path / "copy" / "dagster_home"


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file (sha256) and folder under folder, hidden ones included: equal means byte for byte."""
    folder = Path(folder)
    return {
        p.relative_to(folder).as_posix(): "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
    }


def latest_dir(root: Path) -> Path:
    """The latest release folder of a project."""
    from pipelines.publish.store import read_index

    return root / "releases" / read_index(root / "releases")["latest"]


def makefile_dagster_yaml() -> str:
    """The dagster.yaml the Makefile's `$(DAGSTER_HOME)/dagster.yaml` rule writes (its printf)."""
    rule = (REPO / "Makefile").read_text(encoding="utf-8").split("$(DAGSTER_HOME)/dagster.yaml:\n", 1)[1]
    printf = next(line for line in rule.splitlines() if "printf" in line)
    return printf.split("'")[1].replace("\\n", "\n")


def dagster_home(path: Path) -> Path:
    """A DAGSTER_HOME for a subprocess run, configured as the Makefile does."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "dagster.yaml").write_text(makefile_dagster_yaml())
    return path


def cli_env(home: Path, root: Path | None = None, crash_after: str | None = None) -> dict[str, str]:
    """The environment of `python -m pipelines.cli release` as `make release` gives it (and a crash to inject)."""
    env = {k: v for k, v in os.environ.items() if k not in ("JAC_RELEASE_CRASH_AFTER", "JAC_PROJECT_ROOT")}
    env.update(DAGSTER_HOME=str(home), PYTHONPATH=str(REPO))
    if root is not None:
        env["JAC_PROJECT_ROOT"] = str(root)
    if crash_after:
        env["JAC_RELEASE_CRASH_AFTER"] = crash_after
    return env


def run_cli(
    root: Path, home: Path, crash_after: str | None = None, timeout: float = 900
) -> subprocess.CompletedProcess:
    """`python -m pipelines.cli release --root root`, as `make release` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "release", "--root", str(root)],
        cwd=root,
        env=cli_env(home, root, crash_after),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
