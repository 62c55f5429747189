"""The scenarios: a clean application, or one with exactly one thing wrong.

Each names the finding codes it is built to raise and changes the case at one
stage: the records (what the documents show), the form (what the applicant
typed) or the pictures.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np

from samples.applications.case import Case, Hook, Scenario
from samples.applications.parts import defective, face_photo, id_photo
from samples.documents import random_company, random_identity, render_id_back, render_id_front
from samples.documents import render_license
from samples.documents.company import credit_code
from samples.documents.identity import add_years, with_check_digit
from samples.documents.people import business_address
from samples.documents.regions import regions


def _similar_name(case: Case, name: str) -> str:
    """One character of the given name replaced: 王建国 -> 王健国."""
    index = case.rng.randrange(1, len(name)) if len(name) > 1 else 0
    if name[index] == "·":
        index -= 1
    pool = [c for c in "建健国玉伟明华丽芳敏静红军杰" if c != name[index]]
    return name[:index] + case.rng.choice(pool) + name[index + 1:]


def _rename_leader(case: Case) -> None:
    wrong = _similar_name(case, case.leader.name)
    case.leader_form["name"] = wrong
    if case.nature == "individual":  # the subject is the same person
        case.form["subject"]["name"] = case.form["subject"]["investor"] = wrong


def _renumber_leader(case: Case) -> None:
    """Another valid number: same place, birth date and sex, another sequence."""
    number = case.leader.id_number
    sequence = (int(number[14:17]) + 2 * case.rng.randint(1, 40)) % 1000
    wrong = with_check_digit(f"{number[:14]}{sequence:03d}")
    case.leader_form["cert_number"] = wrong
    if case.nature == "individual":
        case.form["subject"]["cert_number"] = wrong


def _invalid_number(case: Case) -> None:
    number = case.leader.id_number
    wrong_check = next(c for c in "0123456789X" if c != number[-1])
    case.leader = replace(case.leader, id_number=number[:-1] + wrong_check)


def _expired(case: Case) -> None:
    _validity_ending(case, case.today - dt.timedelta(days=case.rng.randint(30, 700)))


def _expiring(case: Case) -> None:
    _validity_ending(case, case.today + dt.timedelta(days=case.rng.randint(10, 80)))


def _validity_ending(case: Case, until: dt.date) -> None:
    """A 20-year card ending on `until`, issued between 27 and 44 years of age."""
    valid_from = add_years(until, -20)
    born = add_years(valid_from, -case.rng.randint(27, 44))
    number = case.leader.id_number
    renumbered = with_check_digit(f"{number[:6]}{born:%Y%m%d}{number[14:17]}")
    case.leader = replace(case.leader, birth_date=born, id_number=renumbered,
                          valid_from=valid_from, valid_until=until)


def _astronaut_on_the_card(case: Case) -> None:
    case.leader = replace(case.leader, person="astronaut")


def _grace_hopper_in_the_photo(case: Case) -> None:
    case.images["face.jpg"] = face_photo("grace_hopper", case.rng)


def _no_face(case: Case) -> None:
    """An empty white wall where the face photo should be."""
    shape = case.images["face.jpg"].shape
    wall = np.asarray([case.rng.uniform(236, 250) for _ in range(3)], np.float32)
    noise = np.random.default_rng(case.rng.getrandbits(32)).normal(0, 2.0, shape)
    case.images["face.jpg"] = np.clip(wall + noise, 0, 255).astype(np.uint8)


def _rename_company(case: Case) -> None:
    """The form names a sister company: same 字号, another trade."""
    company = case.company
    assert company is not None
    renamed = company.name
    while renamed == company.name:
        other = random_company(case.rng, case.province, as_of=case.today,
                               trade_name=company.trade_name)
        renamed = f"{company.name.split(company.trade_name)[0]}{company.trade_name}" \
                  f"{other.name.split(company.trade_name)[-1].split('）')[-1]}"
    case.form["subject"]["name"] = renamed


def _recode_company(case: Case) -> None:
    assert case.company is not None
    case.form["subject"]["cert_number"] = credit_code(case.rng, case.company.credit_code[2:8])


def _other_legal_rep(case: Case) -> None:
    """The license names someone else as 法定代表人 than the leader the form claims."""
    assert case.company is not None
    other = random_identity(case.rng, as_of=case.today, province=case.province)
    case.company = replace(case.company, legal_representative=other.name)


def _bad_site_name(case: Case) -> None:
    site = case.form["websites"][0]
    site["name"] = case.rng.choice((f"中国{site['name']}", site["domain"], site["name"][:2]))


def _forbidden_word(case: Case) -> None:
    site = case.form["websites"][0]
    site["name"] = site["name"][:4] + case.rng.choice(("工作室", "个人空间", "导航", "爱好者"))


def _drop_id_back(case: Case) -> None:
    case.form["materials"].remove(case.material("id_card_back"))
    del case.images["leader_back.jpg"]


def _front_as_back(case: Case) -> None:
    case.images[case.material("id_card_back")["file"]] = id_photo(render_id_front(case.leader),
                                                                  case.rng)


def _mail_elsewhere(case: Case) -> None:
    from pipeline.form import PROVINCES

    other = case.rng.choice([p for p in PROVINCES if p != case.province])
    region = case.rng.choice(regions(other))
    case.form["subject"]["mail_address"] = business_address(case.rng, region)


def _bad_mobile(case: Case) -> None:
    case.leader_form["mobile"] = case.leader_form["mobile"][:-1]


def _bad_domain(case: Case) -> None:
    site = case.form["websites"][0]
    stem, _, tld = site["domain"].partition(".")
    site["domain"] = f"{stem}_{case.rng.choice(('web', 'site', 'home'))}.{tld}"


def _education_site(case: Case) -> None:
    case.form["websites"][0]["content_type"] = "education"


def _defect(kind: str, defect: str) -> Hook:
    """Replace the photo of `kind` with one showing `defect` (samples.defects)."""
    def apply(case: Case) -> None:
        render = {"business_license": lambda: render_license(case.company),
                  "id_card_front": lambda: render_id_front(case.leader),
                  "id_card_back": lambda: render_id_back(case.leader)}[kind]
        case.images[case.material(kind)["file"]] = defective(render(), defect, case.rng, kind)
    return apply


_SCENARIOS: dict[str, Scenario] = {
    "clean_enterprise": Scenario((), "enterprise"),
    "clean_individual": Scenario((), "individual"),
    "id_name_mismatch": Scenario(("ID_NAME_MISMATCH",), "individual", form=_rename_leader),
    "id_number_mismatch": Scenario(("ID_NUMBER_MISMATCH",), "individual", form=_renumber_leader),
    "invalid_id_number": Scenario(("CERT_NUMBER_INVALID", "ID_NUMBER_INVALID"), "individual",
                                  records=_invalid_number),
    "expired_id": Scenario(("ID_EXPIRED",), records=_expired),
    "id_expires_soon": Scenario(("ID_EXPIRES_SOON",), records=_expiring),
    "face_mismatch": Scenario(("FACE_MISMATCH",), records=_astronaut_on_the_card,
                              images=_grace_hopper_in_the_photo),
    "face_not_found": Scenario(("FACE_NOT_FOUND",), images=_no_face),
    "license_name_mismatch": Scenario(("LICENSE_NAME_MISMATCH",), "enterprise",
                                      form=_rename_company),
    "license_code_mismatch": Scenario(("LICENSE_CODE_MISMATCH",), "enterprise",
                                      form=_recode_company),
    "legal_rep_mismatch": Scenario(("LICENSE_LEGAL_REP_MISMATCH",), "enterprise",
                                   records=_other_legal_rep),
    "blurry_id": Scenario(("IMAGE_BLURRY",), images=_defect("id_card_front", "blur")),
    "low_res_id": Scenario(("IMAGE_LOW_RESOLUTION",),
                           images=_defect("id_card_front", "low_resolution")),
    "glare_id": Scenario(("IMAGE_EXPOSURE",), images=_defect("id_card_front", "glare")),
    "recaptured_id": Scenario(("IMAGE_RECAPTURED",), images=_defect("id_card_front", "screen")),
    "grayscale_license": Scenario(("IMAGE_GRAYSCALE",), "enterprise",
                                  images=_defect("business_license", "photocopy")),
    "cut_off_license": Scenario(("DOCUMENT_INCOMPLETE",), "enterprise",
                                images=_defect("business_license", "cut_off")),
    "bad_site_name": Scenario(("SITE_NAME_INVALID",), form=_bad_site_name),
    "forbidden_site_word": Scenario(("SITE_NAME_FORBIDDEN_WORD",), "individual",
                                    form=_forbidden_word),
    "missing_material": Scenario(("MATERIAL_MISSING",), images=_drop_id_back),
    "wrong_material_kind": Scenario(("MATERIAL_WRONG_KIND",), images=_front_as_back),
    "address_province_mismatch": Scenario(("ADDRESS_PROVINCE_MISMATCH",), "enterprise",
                                          form=_mail_elsewhere),
    "contact_invalid": Scenario(("CONTACT_INVALID",), form=_bad_mobile),
    "domain_invalid": Scenario(("DOMAIN_INVALID",), form=_bad_domain),
    "pre_approval_required": Scenario(("PRE_APPROVAL_REQUIRED",), "enterprise",
                                      form=_education_site),
}
SCENARIOS: tuple[str, ...] = tuple(_SCENARIOS)


def scenario_spec(name: str) -> Scenario:
    """A scenario, or a photo condition of samples.applications.conditions."""
    from samples.applications.conditions import CONDITIONS

    spec = _SCENARIOS.get(name) or CONDITIONS.get(name)
    if spec is None:
        raise KeyError(f"no scenario {name!r}; choose from {SCENARIOS + tuple(CONDITIONS)}")
    return spec
