"""`reviewer intake DIR` on hostile folders: exit 2 with the contract's JSON error,
nothing read from outside DIR, nothing read past its size limit."""
from __future__ import annotations

import json
import os
import tracemalloc

import pytest

from samples import contract
from tests.reviewer.intake_helpers import stored_counts
from tests.reviewer.services.test_intake import DEEP


@pytest.fixture
def valid():
    form = contract.example()
    return form, contract.files_for(form, seed=1)


def refused(app, folder) -> dict:
    result = app.test_cli_runner().invoke(args=["intake", str(folder)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return json.loads(result.output.strip().splitlines()[-1])["error"]


def test_a_deeply_nested_application_json_exits_2_with_a_json_error(app, tmp_path, valid,
                                                                     config):
    _, files = valid
    folder = contract.write_folder(tmp_path / "deep", {}, files)
    (folder / "application.json").write_bytes(DEEP)
    error = refused(app, folder)
    assert (error["code"], error["field"]) == ("malformed_json", "application")
    assert stored_counts(config.storage_dir)[0] == 0


def test_a_material_linked_from_outside_the_folder_is_refused(app, tmp_path, valid, config):
    form, files = valid
    folder = contract.write_folder(tmp_path / "case", form, files)
    secret = tmp_path / "elsewhere" / "license.jpg"
    secret.parent.mkdir()
    (folder / "license.jpg").rename(secret)
    os.symlink(secret, folder / "license.jpg")
    error = refused(app, folder)
    assert (error["code"], error["field"]) == ("outside_folder", "materials[0].file")
    assert stored_counts(config.storage_dir) == (0, 0, 0)


def test_a_huge_material_is_refused_without_being_read(app, tmp_path, valid, config):
    form, files = valid
    folder = contract.write_folder(tmp_path / "case", form, files)
    with open(folder / "face.jpg", "r+b") as handle:
        handle.truncate(400 * 1024 * 1024)  # sparse: 400 MB on paper, nothing on disk
    tracemalloc.start()
    try:
        error = refused(app, folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024, peak  # the whole file would be 400 MB
    assert (error["code"], error["field"]) == ("too_large", "materials[3].file")
