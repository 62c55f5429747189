"""Findings: every problem an inspection reports, as data.

A finding has a stable code (see shared/CONTRACT.md), a severity and its evidence.
The catalogue below gives each code its Chinese title, the explanation shown to a
reviewer and the default severity; checks may lower or raise the severity of a
particular finding (a low-confidence read is a warning, not a block).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"block": 3, "warn": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Code:
    code: str
    title: str  # 中文标题, shown in the review desk and in reject reasons
    severity: Severity
    mail_resolvable: bool = False  # an original sent by post can settle it (邮寄资料)


_CATALOGUE = [
    Code("MATERIAL_MISSING", "缺少必需的备案资料", Severity.BLOCK),
    Code("MATERIAL_UNREADABLE", "资料文件损坏或无法读取，需重新上传", Severity.BLOCK),
    Code("MATERIAL_WRONG_KIND", "上传资料类型与所选类型不符", Severity.BLOCK),
    Code("IMAGE_LOW_RESOLUTION", "图片分辨率过低，文字无法清晰辨认", Severity.BLOCK),
    Code("IMAGE_BLURRY", "图片模糊", Severity.BLOCK),
    Code("IMAGE_EXPOSURE", "图片过暗、过曝或关键信息处有反光", Severity.BLOCK),
    Code("IMAGE_GRAYSCALE", "证件为复印件或黑白扫描件，需提供彩色原件", Severity.BLOCK, True),
    Code("IMAGE_RECAPTURED", "图片为翻拍（屏幕或打印件），需提供原件拍摄", Severity.BLOCK, True),
    Code("DOCUMENT_INCOMPLETE", "证件边角不完整或被遮挡", Severity.BLOCK),
    Code("DUPLICATE_UPLOAD", "该图片已用于其他主体的备案", Severity.BLOCK),
    Code("ID_NAME_MISMATCH", "身份证姓名与填写信息不一致", Severity.BLOCK),
    Code("ID_NUMBER_MISMATCH", "身份证号码与填写信息不一致", Severity.BLOCK),
    Code("ID_NUMBER_INVALID", "身份证号码校验位或出生日期无效", Severity.BLOCK),
    Code("ID_EXPIRED", "证件已过期", Severity.BLOCK),
    Code("ID_EXPIRES_SOON", "证件有效期不足 3 个月", Severity.BLOCK),
    Code("ID_UNREADABLE", "身份证信息无法识别", Severity.WARN),
    Code("LICENSE_NAME_MISMATCH", "营业执照名称与主办单位名称不一致", Severity.BLOCK),
    Code("LICENSE_CODE_MISMATCH", "统一社会信用代码与填写信息不一致", Severity.BLOCK),
    Code("LICENSE_CODE_INVALID", "统一社会信用代码校验无效", Severity.BLOCK),
    Code("LICENSE_LEGAL_REP_MISMATCH", "主体负责人不是营业执照上的法定代表人", Severity.WARN),
    Code("LICENSE_UNREADABLE", "营业执照信息无法识别", Severity.WARN),
    Code("LICENSE_NO_CREDIT_CODE", "营业执照未载统一社会信用代码（旧版或个体工商户执照，以注册号核对）",
         Severity.WARN),
    Code("FACE_NOT_FOUND", "照片或证件中未检测到人脸", Severity.BLOCK),
    Code("FACE_MULTIPLE", "照片中出现多个人", Severity.BLOCK),
    Code("FACE_MISMATCH", "核验照片与身份证人像不是同一人", Severity.BLOCK),
    Code("PHOTO_BACKGROUND", "照片背景不符合要求", Severity.BLOCK),
    Code("PHOTO_CLOTHING", "幕布照片中不得穿红色或蓝色上衣", Severity.BLOCK),
    Code("SITE_NAME_INVALID", "网站名称不符合命名规范", Severity.BLOCK),
    Code("SITE_NAME_FORBIDDEN_WORD", "网站名称包含禁用词", Severity.BLOCK),
    Code("SITE_COUNT_EXCEEDED", "网站或域名数量超出所在省份限制", Severity.BLOCK),
    Code("INDIVIDUAL_LEADER_DIFFERS", "个人备案的网站负责人须为主体负责人本人", Severity.BLOCK),
    Code("ADDRESS_PROVINCE_MISMATCH", "地址与所选省份不一致", Severity.BLOCK),
    Code("ADDRESS_NOT_DETAILED", "地址未详细到门牌号", Severity.BLOCK),
    Code("CONTACT_INVALID", "联系方式不正确", Severity.BLOCK),
    Code("CERT_NUMBER_INVALID", "证件号码或证件类型无效", Severity.BLOCK),
    Code("PRE_APPROVAL_REQUIRED", "网站内容需要前置审批文件", Severity.BLOCK),
    Code("DOMAIN_INVALID", "域名不符合要求", Severity.BLOCK),
    Code("ORDER_EXPIRED", "备案订单超过 45 天未更新", Severity.BLOCK),
]
CATALOGUE: dict[str, Code] = {c.code: c for c in _CATALOGUE}


@dataclass
class Finding:
    """One problem found by one check."""

    code: str
    message: str  # 中文说明：错在哪里、如何修改
    severity: Severity | None = None  # None: the catalogue default for the code
    material: str | None = None  # file name as given at intake; None for the form
    field: str | None = None
    expected: str | None = None
    observed: str | None = None
    evidence: dict[str, Any] = dataclass_field(default_factory=dict)  # box, scores, rule id...

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"unknown finding code {self.code!r}")
        self.severity = Severity(self.severity or CATALOGUE[self.code].severity)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["severity"] = str(self.severity)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        return cls(**data)


def highest_severity(findings: list[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)
