"""The whole tree's imports, read from the source (lazy imports inside functions count):
no import circle anywhere, and the layers point one way (STYLE.md).

    reviewer.cli -> reviewer.web -> reviewer.services -> models, workers.dispatch
    workers -> models, pipeline;  pipeline -> nothing of ours

The web and service wings reach workers/ only through `workers.dispatch`, the module
that enqueues: never the executors, the finalizer or the worker.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from config import ROOT

PACKAGES = ("reviewer", "workers", "models", "pipeline", "samples")
ENQUEUE_MODULE = "workers.dispatch"


def module_files(root: Path = ROOT) -> dict[str, Path]:
    found = {"config": root / "config.py"}
    for package in PACKAGES:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph(files: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports (`from a import b` is `a.b` when that is a
    module, else `a`). A submodule's import of its own package is not implied: only
    what is written counts."""
    return {name: {target for target in _imports(name, path, files) if target != name}
            for name, path in files.items()}


def _imports(name: str, path: Path, files) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {_owner(alias.name, files) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, name, path)
            found |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in files
                      else _owner(base, files) for alias in node.names}
    return found - {None}


def _absolute(node: ast.ImportFrom, name: str, path: Path) -> str:
    if not node.level:
        return node.module or ""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _owner(name: str, files) -> str | None:
    while name and name not in files:
        name = name.rpartition(".")[0]
    return name or None


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def in_wing(module: str, *wings: str) -> bool:
    return any(module == wing or module.startswith(wing + ".") for wing in wings)


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(module_files())


def test_the_graph_covers_every_wing(graph):
    assert {"reviewer.web.desk.views", "reviewer.services.intake", "reviewer.cli.commands",
            "workers.dispatch", "models.inspection", "pipeline.form"} <= graph.keys()
    assert "reviewer.services.intake" in graph["reviewer.web.api"]


def test_no_import_circle(graph):
    assert circles(graph) == []


def test_the_circle_check_sees_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("wing", ["reviewer.web", "reviewer.services"])
def test_web_and_services_reach_workers_only_through_the_enqueue_module(graph, wing):
    reached = {(module, target) for module, targets in graph.items() if in_wing(module, wing)
               for target in targets if in_wing(target, "workers")}
    assert reached, f"{wing} enqueues through {ENQUEUE_MODULE}"
    assert {pair for pair in reached if pair[1] != ENQUEUE_MODULE} == set()


LAYERS = {  # what each part must not import
    "pipeline": ("models", "workers", "reviewer", "config"),
    "models": ("workers", "reviewer", "pipeline.ocr", "pipeline.faces"),
    "workers": ("reviewer",),
    "reviewer.services": ("reviewer.web", "reviewer.cli"),
    "reviewer.web": ("reviewer.cli",),
}


@pytest.mark.parametrize("part", sorted(LAYERS))
def test_layers_point_one_way(graph, part):
    wrong = sorted((module, target) for module, targets in graph.items() if in_wing(module, part)
                   for target in targets if in_wing(target, *LAYERS[part]))
    assert wrong == []
