"""Every command README.md shows runs: the shell commands of its ``sh`` blocks and of its inline code,
and its SQL examples, in one temporary copy of the project, in the order the README gives them.

Belongs here: finding the commands in README.md, the few that a test cannot run (each with the
reason), and running the others as a reader would (from the project folder, the virtual
environment's tools on PATH, DAGSTER_HOME=.dagster as the README says), checking their exit status,
and that the one-partition command materialised that partition.
The README's Python example (Parquet) is run by ``test_release.py``.
Does not belong here: what the commands do in detail (their own tests).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import REPO

README = REPO / "README.md"

# Commands a test cannot run (a command starting with one of these), each with the reason.
NOT_RUN = {
    "make test": "runs the whole suite, this test included (about six minutes)",
    "make dev": "starts the Dagster UI and daemon, which run until stopped",
    "make bench": "the benchmark takes many minutes and is not a test (the README says CI does not run it)",
    "frictionless validate": "names the tool in prose; the full command is run from 'Check a download'",
    "python -m pipelines add": "an example whose file and URL are placeholders; tests/test_sources.py runs the command",
}
DOWNLOAD = "../download"  # where a reader saved the zip of the latest version
# Commands the README says to run elsewhere than the project folder.
RUN_IN = {
    "sha256sum -c SHA256SUMS": "releases/<version>",
    "unzip japan-asean-cooperation-<version>.zip": DOWNLOAD,
    "cd japan-asean-cooperation-<version> && python3 verify.py": DOWNLOAD,
}
# Words a shell command shown in inline code starts with (other code spans name files, columns, options).
COMMAND_WORDS = {"make", "dagster", "duckdb", "cd", "sha256sum", "frictionless", "python"}
PARTITION_TAG = "dagster/partition"


def readme_commands(text: str) -> list[str]:
    """The shell commands README.md shows, in order, each once: the lines of ``sh`` blocks (without
    their comments) and inline code spans of at least two words that start with a command or an
    environment assignment."""
    commands: list[str] = []
    in_sh = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_sh = line.strip() == "```sh" if not in_sh else False
            continue
        if in_sh:
            if command := line.split("#", 1)[0].strip():
                commands.append(command)
            continue
        for span in re.findall(r"`([^`\n]+)`", line):
            words = span.split()
            first = next((w for w in words if not re.fullmatch(r"[A-Z_]+=\S*", w)), "")
            if len(words) >= 2 and first in COMMAND_WORDS:
                commands.append(span)
    return list(dict.fromkeys(commands))


def readme_sql(text: str) -> list[str]:
    return re.findall(r"^```sql\n(.*?)^```", text, flags=re.M | re.S)


def test_the_readme_shows_the_commands_this_test_runs():
    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert commands[0] == "make release"  # run first: the others need a project that has run
    assert {"make shell", "JAC_EXTRACT_WORKERS=1 make release"} <= set(commands)
    assert any(PARTITION_TAG in c for c in commands), "the one-partition command"
    assert all(any(c.startswith(skipped) for c in commands) for skipped in NOT_RUN), "a skipped command is gone"
    assert "--partition" not in " ".join(c for c in commands if c.startswith("dagster job")), (
        "Dagster's job execute has no --partition option"
    )


def _project_copy(target: Path) -> Path:
    """The project's files (no run state) and the test's virtual environment, linked as .venv and
    marked installed, so that `make` installs nothing."""
    installed = Path(sys.prefix) / ".installed"
    if not installed.exists():
        pytest.skip(f"{installed} is missing: the virtual environment was not made by `make install`")
    shutil.copytree(
        REPO,
        target,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            ".dagster",
            "warehouse",
            ".pytest_cache",
            "__pycache__",
            ".releases-staging",
            ".pipeline.lock",
        ),
    )
    (target / ".venv").symlink_to(sys.prefix)
    older = installed.stat().st_mtime - 60
    for name in ("requirements.lock", "pyproject.toml"):
        os.utime(target / name, (older, older))
    return target


def _latest(root: Path) -> str:
    return json.loads((root / "releases" / "index.json").read_text(encoding="utf-8"))["latest"]


@pytest.mark.slow
def test_every_readme_command_runs(tmp_path):
    text = README.read_text(encoding="utf-8")
    root = _project_copy(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JAC_PROJECT_ROOT", "DAGSTER_HOME")}
    env.update(PATH=f"{root / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}", DAGSTER_HOME=str(root / ".dagster"))
    document = sorted(p.name for p in (root / "raw").iterdir() if p.suffix == ".txt")[0]
    ran, started = [], time.monotonic()
    for command in readme_commands(text):
        if command.startswith(tuple(NOT_RUN)):
            continue
        version = _latest(root) if (root / "releases" / "index.json").exists() else "1.0.0"
        shown = (
            command.replace("<version>", version)
            .replace("<file name>", document)
            .replace("<file>", f"releases/{version}/japan-asean-cooperation.duckdb")
        )
        cwd = (root / RUN_IN.get(command, ".").replace("<version>", version)).resolve()
        if RUN_IN.get(command) == DOWNLOAD and not cwd.exists():
            cwd.mkdir()
            shutil.copy2(next((root / "releases" / version).glob("*.zip")), cwd)
        before = time.time()
        # Commands that open a shell (make shell, duckdb -readonly) read one query and end.
        done = subprocess.run(
            ["bash", "-c", shown], cwd=cwd, env=env, input="SELECT 42;\n", capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"{shown}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        if PARTITION_TAG in command:
            _assert_partition_materialised(root / ".dagster", document, before)
        ran.append(command)
    assert len(ran) >= 8, ran
    # The SQL examples, on the latest release as `make shell` opens it.
    with duckdb.connect(
        str(root / "releases" / _latest(root) / "japan-asean-cooperation.duckdb"), read_only=True
    ) as con:
        for query in readme_sql(text):
            assert con.execute(query).fetchall(), query
    assert time.monotonic() - started < 300


def _assert_partition_materialised(home: Path, document: str, since: float) -> None:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for key in ("document_facts",):
            records = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=dg.AssetKey(key), asset_partitions=[document]), limit=1
            ).records
            assert records and records[0].timestamp >= since, (key, document)
