"""config.py keeps the app's settings: `attach` gives them to an app, `current()` reads
them back, and nothing else in the tree knows where an app keeps them."""
from __future__ import annotations

import ast
import subprocess
import sys

import pytest

import config as config_module
from config import ROOT, attach, current

SKIPPED = (".venv", "instance", "node_modules")


def project_files() -> list:
    return sorted(path for path in ROOT.rglob("*.py")
                  if not set(path.relative_to(ROOT).parts) & set(SKIPPED))


def naming_the_key(path) -> list[int]:
    """Lines of `path` where the string the app's settings are kept under appears."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value == config_module._APP_KEY]


def test_only_config_py_names_where_the_app_keeps_its_settings():
    files = project_files()
    assert len(files) > 100 and ROOT / "reviewer" / "web" / "__init__.py" in files
    named = {str(path.relative_to(ROOT)): lines for path in files
             if (lines := naming_the_key(path))}
    assert list(named) == ["config.py"], named


def test_the_scan_sees_a_reader_that_names_the_key(tmp_path):
    reader = tmp_path / "reader.py"
    reader.write_text(f"from flask import current_app\n\n"
                      f"x = current_app.extensions[{config_module._APP_KEY!r}].mail_address\n")
    assert naming_the_key(reader) == [3]


def test_current_is_the_config_the_app_was_built_with(app, config):
    assert current() is config
    changed = config.replace(undo_seconds=7)
    attach(app, changed)
    assert current() is changed


def test_current_outside_an_app_says_so():
    with pytest.raises(RuntimeError, match="application context"):
        current()


def test_reading_settings_does_not_load_flask():
    code = ("import json, sys, config\n"
            "config.load_config({})\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'flask')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
