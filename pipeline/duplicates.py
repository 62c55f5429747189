"""Duplicate uploads: the same picture already used by another subject's application.

An exact copy has the same sha256 (compared by the caller). A near-identical copy
(re-saved as JPEG, resized, converted to PNG) has a perceptual hash within
`NEAR_DUPLICATE_BITS`: a 16x16 DCT hash (256 bits) of the whole image, which keeps
enough detail that two different photos of ID cards on a desk stay far apart.
"""
from __future__ import annotations

import numpy as np

from pipeline.analysis import MaterialAnalysis
from pipeline.findings import Finding

HASH_SIZE = 16  # 16x16 low DCT frequencies -> 256 bits, 64 hex digits
# Re-saving and resizing move a 256-bit hash by <= ~12 bits; different photos of the same
# kind of document differ by >= ~60 (bench/quality.py prints both distributions).
NEAR_DUPLICATE_BITS = 24
# Cards of one template photographed alike can come closer than that: two people's ID
# backs, the same emblem and title at the same place, were 8 bits apart. What was read
# tells them apart: the printed identity of the document, or the face in the photo.
IDENTITY_FIELDS = {"id_card_front": ("id_number", "name"),
                   "id_card_back": ("issuer", "valid_from", "valid_until"),
                   "business_license": ("credit_code", "registration_number", "name")}
SAME_PERSON_DISTANCE = 0.6  # dlib's own line between two descriptors of one person


def perceptual_hash(image_bgr: np.ndarray) -> str:
    """Hex DCT hash of the image: stable under re-saving, resizing and colour conversion."""
    import imagehash
    from PIL import Image

    grey = image_bgr if image_bgr.ndim == 2 else image_bgr[..., :3].mean(axis=2)
    picture = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8))
    return str(imagehash.phash(picture, hash_size=HASH_SIZE))


def hash_distance(a: str, b: str) -> int:
    """Hamming distance in bits between two hashes of `perceptual_hash`."""
    if len(a) != len(b):
        raise ValueError("hashes of different sizes cannot be compared")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def is_near_duplicate(a: str, b: str) -> bool:
    return len(a) == len(b) and hash_distance(a, b) <= NEAR_DUPLICATE_BITS


def shows_something_else(a: MaterialAnalysis | None, b: MaterialAnalysis | None) -> bool:
    """Whether two near-identical pictures are of different documents or people: a
    field of the document's identity read on both and different, or faces of two
    people. Unread (or no analysis) proves nothing: the pictures' likeness stands."""
    if a is None or b is None:
        return False
    if a.extracted and b.extracted:
        for name in IDENTITY_FIELDS.get(a.kind, ()):
            mine, theirs = a.extracted.fields.get(name), b.extracted.fields.get(name)
            if mine and theirs and _plain(mine) != _plain(theirs):
                return True
    if len(a.faces) == 1 and len(b.faces) == 1:
        distance = np.linalg.norm(np.subtract(a.faces[0].encoding, b.faces[0].encoding))
        return bool(distance > SAME_PERSON_DISTANCE)
    return False


def _plain(value: str) -> str:
    return "".join(value.split())


def duplicate_finding(material: str, other_application: str, *, exact: bool,
                      distance: int) -> Finding:
    """DUPLICATE_UPLOAD naming the application that already used the picture."""
    how = "完全相同" if exact else "几乎相同（重新保存或缩放过）"
    return Finding(
        "DUPLICATE_UPLOAD",
        f"该图片与备案申请 {other_application} 中已使用的图片{how}。"
        "每个主体须上传本主体自己的证件和照片，请重新拍摄上传。",
        material=material, observed=other_application,
        evidence={"other_application": other_application, "exact": exact,
                  "distance_bits": distance, "threshold_bits": NEAR_DUPLICATE_BITS})
