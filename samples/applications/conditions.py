"""Photo conditions of real uploads (samples.lighting), as whole applications.

The clean conditions (clipped light, shadows, scanner pages, other card tints, a
reflection over a blank part of the card) must
raise no block; the defect conditions name what they plant: a card a quarter out of
the frame, a reflection that wipes out the ID number, a face photo cut from a scene.
"""
from __future__ import annotations

import random

import numpy as np

from samples import camera, lighting, photos
from samples.applications.case import Case, Hook, Scenario
from samples.applications.parts import document_photo
from samples.documents import CORNER_RADIUS, render_id_back, render_id_front, render_license

DOCUMENTS = ("id_card_front", "id_card_back", "business_license")


def _render(case: Case, kind: str) -> np.ndarray | None:
    if kind == "business_license":
        return render_license(case.company) if case.company else None
    return (render_id_front if kind == "id_card_front" else render_id_back)(case.leader)


def _photographed(document: np.ndarray, rng: random.Random, kind: str):
    radius = 0.0 if kind == "business_license" else CORNER_RADIUS
    return document_photo(document, rng, radius)


def _each_document(change) -> Hook:
    """Apply `change(document, rng, kind) -> photo` to every card and license photo."""
    def apply(case: Case) -> None:
        for kind in DOCUMENTS:
            document = _render(case, kind)
            if document is not None:
                photo = change(document, case.rng, kind)
                case.images[case.material(kind)["file"]] = camera.degrade(
                    photo, case.rng, noise=case.rng.uniform(0.5, 2.0))
    return apply


def _clipped(document, rng, kind):
    photo, quad = _photographed(document, rng, kind)
    return lighting.clipped_light(photo, quad, rng)


def _shadow(hard: bool):
    def change(document, rng, kind):
        photo, quad = _photographed(document, rng, kind)
        return lighting.cast_shadow(photo, quad, rng, hard=hard)
    return change


def _scan(document, rng, kind):
    return lighting.scanner_page(document, rng, card=kind != "business_license")


def _tint(document, rng, kind):
    if kind != "business_license":
        document = lighting.tinted(document, rng)
    return _photographed(document, rng, kind)[0]


def _cut_quarter(case: Case) -> None:
    """The ID front a quarter out of the frame on its portrait's side."""
    photo, quad = _photographed(render_id_front(case.leader), case.rng, "id_card_front")
    cut, _ = lighting.cut_quarter(photo, quad, "right")
    case.images[case.material("id_card_front")["file"]] = camera.degrade(cut, case.rng, noise=1.0)


def _glare_over_number(case: Case) -> None:
    """A reflection over the middle of the ID number: its digits are gone."""
    photo, quad = _photographed(render_id_front(case.leader), case.rng, "id_card_front")
    at = (case.rng.uniform(0.55, 0.65), case.rng.uniform(0.84, 0.88))
    shone = lighting.hiding_glare(photo, quad, at, case.rng)
    case.images[case.material("id_card_front")["file"]] = camera.degrade(shone, case.rng, noise=1.0)


def _glare_on_blank(case: Case) -> None:
    """A reflection over the blank band of the ID back, between its title and its lines:
    a blown-out area with no ink under it in the first place."""
    photo, quad = _photographed(render_id_back(case.leader), case.rng, "id_card_back")
    at = (case.rng.uniform(0.3, 0.7), case.rng.uniform(0.52, 0.56))
    shone = lighting.hiding_glare(photo, quad, at, case.rng, radius=0.07)
    case.images[case.material("id_card_back")["file"]] = camera.degrade(shone, case.rng, noise=1.0)


def _scene_face(case: Case) -> None:
    case.images["face.jpg"] = photos.scene_photo(case.leader.person, case.rng)


CONDITIONS: dict[str, Scenario] = {
    "clipped_light": Scenario((), images=_each_document(_clipped)),
    "soft_shadow": Scenario((), images=_each_document(_shadow(hard=False))),
    "hard_shadow": Scenario((), images=_each_document(_shadow(hard=True))),
    "scanner_pages": Scenario((), images=_each_document(_scan)),
    "card_tints": Scenario((), images=_each_document(_tint)),
    "glare_on_blank": Scenario((), images=_glare_on_blank),
    "cut_off_card": Scenario(("DOCUMENT_INCOMPLETE",), "individual", images=_cut_quarter),
    "glare_hides_number": Scenario(("IMAGE_EXPOSURE",), "individual", images=_glare_over_number),
    "scene_face_photo": Scenario(("PHOTO_BACKGROUND",), images=_scene_face),
}
