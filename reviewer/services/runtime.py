"""What every service reads from the app context: the settings, the storage, the intake limits."""
from __future__ import annotations

from dataclasses import dataclass

from config import current as settings
from models.storage import LocalStorage, open_storage


@dataclass(frozen=True)
class IntakeLimits:
    max_file_bytes: int
    max_application_bytes: int
    max_pixels: int


def storage() -> LocalStorage:
    return open_storage(settings())


def intake_limits() -> IntakeLimits:
    c = settings()
    return IntakeLimits(c.max_file_bytes, c.max_application_bytes, c.max_pixels)
