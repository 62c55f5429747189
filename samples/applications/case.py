"""One application being built, and the shape of a scenario that changes it."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from samples.documents import CompanyRecord, IdentityRecord



@dataclass
class Case:
    """The true records (what the documents show), the form (what the applicant
    typed) and the pictures (file name -> BGR image)."""

    rng: random.Random
    nature: str  # "enterprise" or "individual"
    province: str
    submitted_at: dt.datetime
    leader: IdentityRecord  # what the leader's ID card shows
    company: CompanyRecord | None  # what the license shows (None for a person)
    form: dict[str, Any] = field(default_factory=dict)
    images: dict[str, np.ndarray] = field(default_factory=dict)
    expected: set[str] = field(default_factory=set)

    @property
    def today(self) -> dt.date:
        return self.submitted_at.date()

    @property
    def leader_form(self) -> dict[str, Any]:
        return self.form["subject"]["leader"]

    def material(self, kind: str) -> dict[str, Any]:
        return next(m for m in self.form["materials"] if m["kind"] == kind)


Hook = Callable[[Case], None]


@dataclass(frozen=True)
class Scenario:
    """What a scenario should make a checker find, and where it changes the case."""

    expected: tuple[str, ...]
    nature: str | None = None  # "enterprise" / "individual"; None: either
    records: Hook | None = None  # before anything is rendered: what the documents show
    form: Hook | None = None  # after the form is filled in: what the applicant typed
    images: Hook | None = None  # after the photos are taken: the pictures
