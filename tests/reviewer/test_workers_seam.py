"""The web and the services reach workers/ only through the module that enqueues
(`workers.dispatch`): no executor, finalizer, queue or Redis-server import, lazy ones
inside functions included. The command line may import any of workers/ (it starts them)."""
from __future__ import annotations

import ast
from pathlib import Path

REVIEWER = Path(__file__).resolve().parents[2] / "reviewer"


def _workers_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "workers"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] == "workers":
            found |= ({f"workers.{alias.name}" for alias in node.names}
                      if node.module == "workers" else {node.module})
    return found


def test_web_and_services_import_only_the_dispatch_module_of_workers():
    reached = {f"{path.relative_to(REVIEWER.parent)}: {module}"
               for wing in ("web", "services") for path in (REVIEWER / wing).rglob("*.py")
               for module in _workers_imports(path) if module != "workers.dispatch"}
    assert reached == set()


def test_the_check_sees_a_lazy_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from workers.executor import MaterialInspection\n"
                      "    import workers.queues\n    from workers import dispatch, inline\n")
    assert _workers_imports(module) == {"workers.executor", "workers.queues",
                                        "workers.dispatch", "workers.inline"}
