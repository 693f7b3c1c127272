"""The import contracts of pyproject.toml ([tool.importlinter], checked by `lint-imports` in `make check`):
kept on the code, and able to fail. Each check runs `lint-imports` as `make check` does, on the repository
or on a throwaway copy of pipelines/, schemas/ and pyproject.toml into which one forbidden import is written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parent.parent
CONTRACTS = {
    c["type"]: c["name"]
    for c in tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
}
LAYERS = CONTRACTS["layers"]
ACYCLIC = CONTRACTS["acyclic_siblings"]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` run in root with root's pyproject.toml, importing root's packages."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
            "--no-cache",
            "--no-logo",
        ],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_code(tmp_path: Path) -> Path:
    root = tmp_path / "copy"
    for name in ("pipelines", "schemas"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copyfile(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def module_file(root: Path, module: str) -> Path:
    path = root.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def add_import(root: Path, module: str, imported: str) -> None:
    with module_file(root, module).open("a", encoding="utf-8") as f:
        f.write(f"\nimport {imported}  # noqa: E402, F401 - written by the test\n")


def test_the_contracts_are_kept_on_the_code():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS.values():
        assert f"{name} KEPT" in result.stdout


def test_a_lower_layer_importing_a_higher_one_breaks_the_layers_contract(tmp_path):
    root = copy_of_the_code(tmp_path)
    add_import(root, "schemas.tables", "pipelines.cli")  # the lowest layer imports the highest
    result = lint_imports(root)
    assert result.returncode != 0
    assert f"{LAYERS} BROKEN" in result.stdout
    assert "schemas.tables -> pipelines.cli" in result.stdout


def test_an_import_cycle_between_sibling_modules_breaks_the_acyclic_contract(tmp_path):
    # Two sibling modules of pipelines.extract, the first importing the second: the second imports it back.
    graph = grimp.build_graph("pipelines", cache_dir=None)
    siblings = graph.find_children("pipelines.extract")
    importer, imported = next(
        (a, b) for a in sorted(siblings) for b in sorted(graph.find_modules_directly_imported_by(a) & siblings)
    )
    root = copy_of_the_code(tmp_path)
    add_import(root, imported, importer)
    result = lint_imports(root)
    assert result.returncode != 0
    assert f"{ACYCLIC} BROKEN" in result.stdout
    assert f"{LAYERS} KEPT" in result.stdout
    assert "No cycles are allowed in pipelines.extract." in result.stdout
    a, b = importer.rpartition(".")[2], imported.rpartition(".")[2]
    assert f"- .{a} -> .{b} " in result.stdout or f"- .{b} -> .{a} " in result.stdout  # one of the two to remove
