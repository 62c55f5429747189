"""短信核验: who receives the MIIT verification code (seeds/001 9. 短信核验, `data/sms.json`).

The code goes to each distinct 联系方式1 mobile: a subject leader and a website leader
with the same mobile are one person and get one code.
"""
from __future__ import annotations

from pipeline.form import FilingForm, FormPerson
from pipeline.rules.tables import table


def sms_verification_targets(app: FilingForm) -> list[str]:
    """Who must pass SMS verification, as Chinese role labels with names.

    E.g. ["主体负责人 王建国", "网站负责人 李明"]; one person holding both roles is
    "主体负责人兼网站负责人 王建国".
    """
    targets = table("sms")["filing_types"][app.filing_type]["targets"]
    by_mobile: dict[str, tuple[list[str], FormPerson]] = {}
    for role, person in _people(app, targets):
        roles, _ = by_mobile.setdefault(person.mobile, ([], person))
        if role not in roles:
            roles.append(role)
    return [f"{'兼'.join(roles)} {person.name}" for roles, person in by_mobile.values()]


def _people(app: FilingForm, targets: list[str]) -> list[tuple[str, FormPerson]]:
    people = []
    if "subject_leader" in targets:
        people.append(("主体负责人", app.subject.leader))
    if "website_leaders" in targets:
        people += [("网站负责人", site.leader or app.subject.leader) for site in app.websites]
    return people
