from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, exists
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow


class Material(db.Model):
    """An uploaded file. The bytes live in content-addressed storage under `sha256`."""

    __tablename__ = "materials"
    __table_args__ = (UniqueConstraint("application_id", "original_name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    person: Mapped[str | None] = mapped_column(String(32))
    original_name: Mapped[str] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    pages: Mapped[int] = mapped_column(default=1)
    version: Mapped[int] = mapped_column(default=1)
    phash: Mapped[str | None] = mapped_column(String(128))
    # The perceptual hash cut into eight bands (31 bits of each 32): a copy within 7
    # bits (re-saved and resized copies measure 0-4) shares at least one band exactly,
    # so candidates come from an index lookup; the exact distance is computed for those.
    phash_b0: Mapped[int | None] = mapped_column(index=True)
    phash_b1: Mapped[int | None] = mapped_column(index=True)
    phash_b2: Mapped[int | None] = mapped_column(index=True)
    phash_b3: Mapped[int | None] = mapped_column(index=True)
    phash_b4: Mapped[int | None] = mapped_column(index=True)
    phash_b5: Mapped[int | None] = mapped_column(index=True)
    phash_b6: Mapped[int | None] = mapped_column(index=True)
    phash_b7: Mapped[int | None] = mapped_column(index=True)
    purged_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    application = relationship("Application", back_populates="materials")

    def set_phash(self, phash: str | None) -> None:
        self.phash = phash
        bands = phash_bands(phash) if phash else [None] * PHASH_BANDS
        for index, value in enumerate(bands):
            setattr(self, f"phash_b{index}", value)

    @classmethod
    def band_columns(cls) -> list:
        return [getattr(cls, f"phash_b{index}") for index in range(PHASH_BANDS)]


PHASH_BANDS = 8


def purged_upload(application_id):
    """SQL: the application (an id, or the column in a correlated query) has an upload that
    retention purged. Nothing can inspect it again."""
    return exists().where(Material.application_id == application_id,
                          Material.purged_at.is_not(None))


def phash_bands(phash: str) -> list[int]:
    """Eight band keys of a hex hash: the low 31 bits of each eighth (an int column)."""
    width = max(1, len(phash) // PHASH_BANDS)
    return [int(phash[i * width:(i + 1) * width] or "0", 16) & 0x7FFFFFFF
            for i in range(PHASH_BANDS)]


class MaterialResult(db.Model):
    """A stored `pipeline.analysis.MaterialAnalysis`: one per (sha256, kind, pipeline version)."""

    __tablename__ = "material_results"
    __table_args__ = (UniqueConstraint("sha256", "kind", "pipeline_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    pipeline_version: Mapped[str] = mapped_column(String(32))
    analysis: Mapped[dict[str, Any]] = mapped_column(JSON)
    seconds: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
