"""Band keys of the perceptual hash: any copy within 7 bits shares a band."""
import random

from models.material import PHASH_BANDS, Material, phash_bands


def _flip(phash: str, bits: list[int]) -> str:
    value = int(phash, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:064x}"


def test_seven_flipped_bits_anywhere_leave_a_band_whole():
    rng = random.Random(7)
    for _ in range(500):
        phash = f"{rng.getrandbits(256):064x}"
        copy = _flip(phash, rng.sample(range(256), 7))
        assert any(a == b for a, b in zip(phash_bands(phash), phash_bands(copy)))


def test_one_flip_in_each_band_breaks_every_band():
    phash = f"{random.Random(8).getrandbits(256):064x}"
    copy = _flip(phash, [32 * band for band in range(PHASH_BANDS)])
    assert all(a != b for a, b in zip(phash_bands(phash), phash_bands(copy)))


def test_bands_fit_a_signed_32_bit_column_and_are_set_on_the_row():
    phash = "f" * 64
    material = Material()
    material.set_phash(phash)
    assert [getattr(material, f"phash_b{i}") for i in range(PHASH_BANDS)] == [2**31 - 1] * 8
    material.set_phash(None)
    assert material.phash_b7 is None and material.phash is None
