"""The application form of shared/CONTRACT.md section 1, as pydantic models.

`FilingForm` is the whole `application.json`; its parts are `FormSubject`, `FormPerson`,
`FormWebsite` and `FormMaterial`, named apart from the database rows of models/.
Intake validates `application.json` with these models; the form rules read them.
Unknown keys are ignored (the contract grows by adding optional keys); unknown
values of a value set are refused.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (BaseModel, ConfigDict, Field, ValidationInfo, field_validator,
                      model_validator)

PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
)
FilingType = Literal["first_filing", "new_site_external", "new_site_internal", "access", "change"]
Nature = Literal[
    "individual", "enterprise", "institution", "social_group", "government",
    "private_non_enterprise", "other",
]
PERSONAL_CERTS = ("resident_id", "passport", "hk_macao_permit", "tw_permit",
                  "hk_macao_residence", "tw_residence")
UNIT_CERTS = ("business_license", "institution_cert", "social_group_cert",
              "private_non_enterprise_cert")
CertType = Literal[
    "resident_id", "passport", "hk_macao_permit", "tw_permit", "hk_macao_residence",
    "tw_residence", "business_license", "institution_cert", "social_group_cert",
    "private_non_enterprise_cert",
]
ContentType = Literal[
    "enterprise_portal", "general_portal", "news", "publishing", "culture", "broadcasting",
    "education", "medicine", "healthcare", "ride_hailing", "bulletin", "other",
]
MaterialKind = Literal[
    "business_license", "id_card_front", "id_card_back", "face_photo", "curtain_photo",
    "verification_form", "handheld_id_photo", "handheld_license_photo",
    "authorization_letter", "domain_certificate", "domain_owner_proof",
    "site_construction_plan", "pre_approval", "commitment_letter", "other",
]
# Which certificate a subject of each nature files with (主办单位证件类型).
NATURE_CERTS: dict[str, tuple[str, ...]] = {
    "individual": PERSONAL_CERTS,
    "enterprise": ("business_license",),
    "institution": ("institution_cert",),
    "social_group": ("social_group_cert",),
    "private_non_enterprise": ("private_non_enterprise_cert",),
    "government": UNIT_CERTS,
    "other": UNIT_CERTS,
}
Text = Annotated[str, Field(min_length=1, max_length=200)]
OptionalText = Annotated[str, Field(max_length=500)]
_PERSON_REF = re.compile(r"^(subject_leader|website_leader:(0|[1-9][0-9]{0,2}))$")
_FILE_NAME = re.compile(r"^[^/\\\x00-\x1f]{1,128}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)


class FormPerson(_Model):
    name: Text
    cert_type: CertType
    cert_number: Annotated[str, Field(min_length=1, max_length=40)]
    cert_valid_until: dt.date | Literal["long_term"]
    mobile: Annotated[str, Field(min_length=1, max_length=40)]
    phone2: Annotated[str, Field(max_length=40)] = ""
    emergency_phone: Annotated[str, Field(max_length=40)] = ""
    email: Annotated[str, Field(min_length=1, max_length=254)]

    @field_validator("cert_type")
    @classmethod
    def _personal(cls, value: str) -> str:
        if value not in PERSONAL_CERTS:
            raise ValueError("a responsible person files with a personal certificate")
        return value


class FormSubject(_Model):
    nature: Nature
    cert_type: CertType
    name: Text
    cert_number: Annotated[str, Field(min_length=1, max_length=40)]
    cert_address: Annotated[str, Field(min_length=1, max_length=300)]
    mail_address: Annotated[str, Field(min_length=1, max_length=300)]
    investor: Annotated[str, Field(max_length=200)] = ""
    remarks: OptionalText = ""
    leader: FormPerson

    @model_validator(mode="after")
    def _cert_fits_nature(self) -> "FormSubject":
        if self.cert_type not in NATURE_CERTS[self.nature]:
            raise ValueError(
                f"cert_type {self.cert_type} does not fit a subject of nature {self.nature}")
        return self


class Access(_Model):
    cloud_service: Annotated[str, Field(max_length=100)] = ""
    ip: Annotated[str, Field(max_length=100)] = ""
    service_code: Annotated[str, Field(max_length=100)] = ""


class FormWebsite(_Model):
    name: Text
    domain: Annotated[str, Field(min_length=1, max_length=253)]
    content_type: ContentType
    service_type: Literal["website"]
    languages: Annotated[list[Annotated[str, Field(min_length=2, max_length=35)]],
                         Field(max_length=60)] = []
    pre_approvals: Annotated[list[ContentType], Field(max_length=12)] = []
    leader: FormPerson | None = None
    access: Access | None = None

    @field_validator("domain")
    @classmethod
    def _one_domain(cls, value: str) -> str:
        if re.search(r"[\s,;，；、]", value):
            raise ValueError("each website has exactly one domain")
        return value


class FormMaterial(_Model):
    kind: MaterialKind
    file: str
    person: str | None = None

    @field_validator("file")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not _FILE_NAME.match(value) or value in (".", ".."):
            raise ValueError("a file name without path separators or control characters")
        return value

    @field_validator("person")
    @classmethod
    def _person_ref(cls, value: str | None) -> str | None:
        if value is not None and not _PERSON_REF.match(value):
            raise ValueError("subject_leader or website_leader:N")
        return value


class FilingForm(_Model):
    external_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[\w.:-]+$")]
    filing_type: FilingType
    province: str
    submitted_at: dt.datetime
    subject: FormSubject
    websites: Annotated[list[FormWebsite], Field(max_length=100)]
    materials: Annotated[list[FormMaterial], Field(min_length=1, max_length=60)]

    @field_validator("province")
    @classmethod
    def _province(cls, value: str) -> str:
        if value not in PROVINCES:
            raise ValueError("the full name of a mainland province-level division")
        return value

    @field_validator("submitted_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("a time with its UTC offset, e.g. 2026-11-20T10:00:00+08:00")
        return value

    # Checks across fields sit on the later field (its error names it): fields are
    # validated in order, so `info.data` holds the earlier ones that were valid.
    @field_validator("websites")
    @classmethod
    def _some_website(cls, value: list[FormWebsite], info: ValidationInfo) -> list[FormWebsite]:
        if not value and info.data.get("filing_type", "change") != "change":
            raise ValueError("at least one website")
        return value

    @field_validator("materials")
    @classmethod
    def _materials_match(cls, value: list[FormMaterial], info: ValidationInfo) -> list[FormMaterial]:
        files = [m.file for m in value]
        if len(set(files)) != len(files):
            raise ValueError("each material names a different file")
        websites = info.data.get("websites")
        for material in value:
            index = _website_index(material.person)
            if websites is not None and index is not None and index >= len(websites):
                raise ValueError(f"{material.person} names no website")
        return value

    def leader_for(self, person: str | None) -> FormPerson | None:
        """The person a material's `person` reference points at."""
        if person == "subject_leader":
            return self.subject.leader
        index = _website_index(person)
        if index is None:
            return None
        return self.websites[index].leader or self.subject.leader


def _website_index(person: str | None) -> int | None:
    if person and person.startswith("website_leader:"):
        return int(person.split(":", 1)[1])
    return None
