"""Made-up residents with a coherent 居民身份证 (second-generation resident ID card).

The 18-digit number (GB 11643) is the 6-digit region code of the birth place, the
birth date, a 3-digit sequence (odd for men, even for women: the 17th digit) and
a check digit; `stdnum.cn.ric.validate` accepts every generated number. The
validity period follows the age at issue: 5 years under 16, 10 up to 25, 20 up
to 45, and 长期 (long term) from 46.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, fields
from typing import Literal

from stdnum.cn import ric

from samples.documents import regions
from samples.documents.people import HOMELANDS, random_ethnicity, random_name, residence_address
from samples.faces import PEOPLE

LongTerm = Literal["long_term"]


@dataclass
class IdentityRecord:
    name: str
    sex: str  # 男 / 女
    ethnicity: str  # 民族 as printed: 汉, 维吾尔, ...
    birth_date: dt.date
    address: str  # 住址
    id_number: str  # 公民身份号码
    issuer: str  # 签发机关
    valid_from: dt.date
    valid_until: dt.date | LongTerm
    person: str  # whose face is the portrait: "astronaut" or "grace_hopper"


def random_identity(rng: random.Random, *, as_of: dt.date | None = None,
                    province: str | None = None, **overrides: object) -> IdentityRecord:
    """A resident whose fields agree with each other and whose card is valid on `as_of`
    (today if None) for more than a year yet, registered in `province` (any if None).

    Any field can be forced through `overrides`; the fields not forced are made to
    agree with the forced ones (a forced `id_number` fixes the birth date and sex,
    a forced `birth_date` or `sex` goes into the number).
    """
    _check_fields(overrides)
    as_of = as_of or dt.date.today()
    forced_number = overrides.get("id_number")
    sex = overrides.get("sex") or _sex_of(forced_number) or rng.choice(("男", "女"))
    ethnicity = overrides.get("ethnicity") or random_ethnicity(rng)
    birth = (overrides.get("birth_date") or _birth_of(forced_number)
             or _random_birth(rng, as_of, province))
    birth_region = (_region_of(forced_number)
                    or _birth_region(rng, ethnicity, birth.year, province))
    number = forced_number or id_number(rng, birth_region.code, birth, sex)
    home = _home_region(rng, birth_region)
    valid_from, valid_until = _validity(rng, birth, as_of)
    values = dict(
        name=random_name(rng, sex, ethnicity), sex=sex, ethnicity=ethnicity, birth_date=birth,
        address=residence_address(rng, home), id_number=number, issuer=issuer_for(home),
        valid_from=valid_from, valid_until=valid_until, person=rng.choice(PEOPLE))
    values.update(overrides)
    return IdentityRecord(**values)


def id_number(rng: random.Random, region_code: str, birth: dt.date, sex: str) -> str:
    """A valid 18-digit number; the sequence's last digit is odd for 男, even for 女."""
    sequence = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if sex == "男"
                                                        else (0, 2, 4, 6, 8))
    body = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def with_check_digit(number17: str) -> str:
    """Complete 17 digits with their check digit."""
    return number17 + ric.calc_check_digit(number17 + "0")


def issuer_for(region: regions.Region) -> str:
    """签发机关: a city district's 分局 of the city police, else the county's 公安局."""
    municipality = region.code[:2] in regions.MUNICIPALITIES
    if region.county.endswith("区") and (region.city or municipality) and region.county[-2:] != "林区":
        return f"{region.city or region.province}公安局{region.county[:-1]}分局"
    return f"{region.county}公安局"


def validity_years(age_at_issue: int) -> int | None:
    """Years a card issued at that age is valid; None for 长期."""
    if age_at_issue < 16:
        return 5
    if age_at_issue <= 25:
        return 10
    if age_at_issue <= 45:
        return 20
    return None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 2月29日
        return day.replace(year=day.year + years, day=28)


def _check_fields(overrides: dict[str, object]) -> None:
    unknown = set(overrides) - {f.name for f in fields(IdentityRecord)}
    if unknown:
        raise TypeError(f"IdentityRecord has no field(s) {sorted(unknown)}")


def _sex_of(number: object) -> str | None:
    if not isinstance(number, str) or len(number) < 17 or not number[16].isdigit():
        return None
    return "男" if int(number[16]) % 2 else "女"


def _birth_of(number: object) -> dt.date | None:
    try:
        return ric.get_birth_date(number) if isinstance(number, str) else None
    except Exception:  # noqa: BLE001 - a deliberately broken number has no birth date
        return None


def _region_of(number: object) -> regions.Region | None:
    return regions.region_of(number) if isinstance(number, str) else None


def _random_birth(rng: random.Random, as_of: dt.date, province: str | None) -> dt.date:
    """An adult of 18 to 70 (the people who file websites), born when a region code of
    the province existed (stdnum refuses a code newer than the birth date)."""
    earliest, latest = add_years(as_of, -70), add_years(as_of, -18)
    if province is not None:
        first_code = min(r.since for r in regions.regions(province))
        if dt.date(max(first_code, 1), 1, 1) < latest:
            earliest = max(earliest, dt.date(max(first_code, 1), 1, 1))
    return earliest + dt.timedelta(days=rng.randrange((latest - earliest).days))


def _birth_region(rng: random.Random, ethnicity: str, year: int,
                  province: str | None) -> regions.Region:
    candidates = regions.regions(province, born=year) or regions.regions(province)
    homes = HOMELANDS.get(ethnicity)
    if homes and province is None and rng.random() < 0.85:
        candidates = tuple(r for r in candidates if r.code[:2] in homes) or candidates
    return rng.choice(candidates)


def _home_region(rng: random.Random, birth_region: regions.Region) -> regions.Region:
    """Most people live where they were registered; some moved within the province."""
    if rng.random() < 0.75:
        return birth_region
    return rng.choice(regions.regions(birth_region.province))


def _validity(rng: random.Random, birth: dt.date,
              as_of: dt.date) -> tuple[dt.date, dt.date | LongTerm]:
    """An issue date whose validity period still has more than a year to run."""
    first_adult_card = add_years(birth, 16)
    for _ in range(40):
        earliest = max(first_adult_card, add_years(as_of, -19))
        span = max((as_of - earliest).days - 7, 1)
        issued = earliest + dt.timedelta(days=rng.randrange(span))
        years = validity_years(_age(birth, issued))
        until: dt.date | LongTerm = "long_term" if years is None else add_years(issued, years)
        if until == "long_term" or until > add_years(as_of, 1):
            return issued, until
    issued = as_of - dt.timedelta(days=30)
    years = validity_years(_age(birth, issued))
    return issued, "long_term" if years is None else add_years(issued, years)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
