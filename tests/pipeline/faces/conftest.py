"""One FaceMatcher for the whole module run (the dlib models take a second to load)."""
from __future__ import annotations

import pytest

from pipeline.faces import FaceMatcher, FaceSettings


@pytest.fixture(scope="session")
def matcher() -> FaceMatcher:
    return FaceMatcher(FaceSettings())
