"""Reading an application folder for `reviewer intake DIR` (CONTRACT section 1).

Only what `application.json` names is read, only from inside DIR (a symlink that
resolves elsewhere is refused), and no file is read past its size limit: the size
is checked with stat first and the read itself is bounded, in case the file grows.
"""
from __future__ import annotations

from pathlib import Path

from reviewer.services.intake import MAX_FORM_BYTES, IntakeError, IntakeLimits, parse_form


def read_folder(folder: Path, limits: IntakeLimits) -> tuple[bytes, dict[str, bytes]]:
    raw = _read_inside(folder, "application.json", MAX_FORM_BYTES, "application")
    if raw is None:
        raise IntakeError("missing_file", f"{folder / 'application.json'} does not exist",
                          "application")
    form = parse_form(raw)
    files, total = {}, 0
    for index, material in enumerate(form.materials):
        if material.file in files:
            continue
        data = _read_inside(folder, material.file, limits.max_file_bytes,
                            f"materials[{index}].file")
        if data is not None:
            files[material.file] = data
            total += len(data)
        if total > limits.max_application_bytes:
            raise IntakeError("too_large", f"the files add up to more than "
                              f"{limits.max_application_bytes} bytes", "materials", 413)
    return raw, files


def _read_inside(folder: Path, name: str, limit: int, field: str) -> bytes | None:
    """The file's bytes; None if there is no such file (intake then says which)."""
    path = folder / name
    if not path.is_file():
        return None
    if not path.resolve().is_relative_to(folder.resolve()):
        raise IntakeError("outside_folder", f"{name} is a link to a file outside {folder}",
                          field)
    if path.stat().st_size > limit:
        raise IntakeError("too_large", f"{name} has {path.stat().st_size} bytes; the limit "
                          f"is {limit}", field, 413)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise IntakeError("too_large", f"{name} has more than {limit} bytes", field, 413)
    return data
