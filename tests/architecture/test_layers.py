"""The house rules of the package: imports run one way down the pipeline (import-linter's contracts in
pyproject.toml), no cycles, no imports hidden in functions, no reaching for another package's private names."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generator"
STAGES = ("sources", "parse", "identity", "graph", "export", "incremental", "commands", "check")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def modules() -> list[tuple[str, ast.Module]]:
    return [
        (str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contract_fails_when_a_lower_stage_imports_a_higher_one(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    lower = tmp_path / "generator" / "parse" / "text.py"
    lower.write_text(lower.read_text(encoding="utf-8") + "\nfrom generator.export import apkg  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "generator.parse.text -> generator.export.apkg" in result.stdout


def test_no_import_cycle():
    graph = grimp.build_graph("generator")
    edges = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    assert list(nx.simple_cycles(edges)) == []


def test_no_import_inside_a_function():
    hidden = [
        f"{path}:{node.lineno}"
        for path, tree in modules()
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert hidden == []


def _package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else ""


def test_no_package_imports_another_packages_private_names():
    found = []
    for path, tree in modules():
        here = _package_of(".".join(Path(path).with_suffix("").parts))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator."):
                private = [alias.name for alias in node.names if alias.name.startswith("_")]
                if private and _package_of(node.module + ".x") != here:
                    found.append(f"{path}:{node.lineno} {node.module}.{private}")
    assert found == []


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_what_it_owns_and_exports_its_names(stage):
    init = PACKAGE / stage / "__init__.py"
    tree = ast.parse(init.read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree) or ""
    assert len(docstring.split()) >= 12, f"{init}: the docstring should say what the stage owns"
    exported = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
    ]
    assert exported, f"{init}: no __all__"
