"""The parts of an application: websites, contact details, material photos, the form."""
from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

import numpy as np

import cv2

from samples import camera, defects, photos
from samples.documents import CORNER_RADIUS, CompanyRecord, IdentityRecord, render_verification_form
from samples.documents.regions import AREA_CODES, regions
from samples.documents.verification import VerificationEntries

# Personal sites named after what they hold: no 网站/主页/博客, no trade, place,
# person or idiom (seeds/001 附录二), with the pinyin a domain would use.
PERSONAL_SITES = (
    ("读书随笔札记", "dushu"), ("花草养护笔记", "huacao"), ("摄影练习记录", "sheying"),
    ("烘焙心得分享", "hongbei"), ("编程学习笔记", "biancheng"), ("古诗词赏析", "gushici"),
    ("跑步训练日记", "paobu"), ("手工折纸教程", "zhezhi"), ("书法练习心得", "shufa"),
    ("围棋对局复盘", "weiqi"), ("家常菜谱记录", "caipu"), ("观鸟记录手册", "guanniao"),
)
_UNIT_SITE_WORDS = ("官网", "官方网站", "门户网站")
_TLDS = ("cn", "com", "com.cn", "net", "cn")
_MAIL_HOSTS = ("163.com", "qq.com", "126.com", "foxmail.com", "sina.com")


def company_site(rng: random.Random, company: CompanyRecord) -> dict[str, Any]:
    """The company's website, named after its 字号 and trade: 云帆信息技术官网."""
    trade = company.name.split(company.trade_name, 1)[-1].split("）")[-1]
    for form in ("股份有限公司", "有限公司"):
        trade = trade.removesuffix(form)
    name = company.trade_name + trade + rng.choice(_UNIT_SITE_WORDS)
    stem = company.trade_name_pinyin + rng.choice(("", "", "-tech", "keji", "group"))
    return _website(rng, name, f"{stem}.{rng.choice(_TLDS)}")


def personal_site(rng: random.Random, province: str, owner: IdentityRecord) -> dict[str, Any]:
    """A personal site; 江苏 prescribes the name 某某的个人主页 (seeds/001 附录二)."""
    name, stem = rng.choice(PERSONAL_SITES)
    if province == "江苏省":
        name = f"{owner.name}的个人主页"
    return _website(rng, name, f"{stem}{rng.randint(2, 999)}.{rng.choice(_TLDS)}",
                    content_type="other")


def _website(rng: random.Random, name: str, domain: str,
             content_type: str = "enterprise_portal") -> dict[str, Any]:
    ip = f"47.{rng.randint(96, 102)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return {"name": name, "domain": domain, "content_type": content_type,
            "service_type": "website", "languages": ["zh-CN"], "pre_approvals": [],
            "leader": None, "access": {"cloud_service": "ECS", "ip": ip,
                                       "service_code": str(uuid.UUID(int=rng.getrandbits(128)))}}


def contacts(rng: random.Random, province: str, domain: str, *, unit: bool) -> dict[str, str]:
    """手机号码, 联系方式2 (a unit's landline, 086-区号-号码), 应急电话, 电子邮箱."""
    mobile = _mobile(rng)
    emergency = _mobile(rng)
    while emergency == mobile:
        emergency = _mobile(rng)
    code = next(c for c, name in _province_codes().items() if name == province)
    landline = f"086-{AREA_CODES[code]}-{rng.randint(2, 8)}{rng.randrange(10 ** 7):07d}"
    host = domain if unit and rng.random() < 0.6 else rng.choice(_MAIL_HOSTS)
    email = f"{domain.split('.')[0].replace('-', '')}{rng.randint(1, 999)}@{host}"
    return {"mobile": mobile, "phone2": landline if unit else "", "emergency_phone": emergency,
            "email": email}


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10 ** 9):09d}"


def _province_codes() -> dict[str, str]:
    return {r.code[:2]: r.province for r in regions()}


def face_photo(person: str, rng: random.Random) -> np.ndarray:
    """The white-background face photo (samples.photos), framed a little differently
    each time, as no two phone photos are: two applications of one sample person must
    not look like one picture uploaded twice (DUPLICATE_UPLOAD)."""
    image = photos.white_background_photo(person, rng)
    h, w = image.shape[:2]
    zoom = rng.uniform(0.72, 0.95)
    crop_w, crop_h = round(w * zoom), round(h * zoom)
    x = round((w - crop_w) / 2 + rng.uniform(-0.05, 0.05) * w)
    y = round(rng.uniform(0, min(0.1 * h, h - crop_h)))
    x = max(0, min(w - crop_w, x))
    return cv2.resize(image[y:y + crop_h, x:x + crop_w], (w, h), interpolation=cv2.INTER_LINEAR)


def clean_photo(document: np.ndarray, rng: random.Random, *,
                corner_radius: float = 0.0) -> np.ndarray:
    """An ordinary good phone photo: a little tilt, a little oblique, JPEG."""
    photo, _ = document_photo(document, rng, corner_radius)
    return camera.degrade(photo, rng, noise=rng.uniform(0.5, 2.0))


def id_photo(card: np.ndarray, rng: random.Random) -> np.ndarray:
    return clean_photo(card, rng, corner_radius=CORNER_RADIUS)


def defective(document: np.ndarray, defect: str, rng: random.Random, kind: str) -> np.ndarray:
    """A photo with one `samples.defects` defect at medium strength."""
    radius = 0.0 if kind == "business_license" else CORNER_RADIUS
    labelled = defects.defective_photo(document, defect, "medium", rng,
                                       lambda doc, r: document_photo(doc, r, radius))
    return labelled.image


def document_photo(document: np.ndarray, rng: random.Random,
            corner_radius: float) -> tuple[np.ndarray, np.ndarray]:
    wide = document.shape[1] > 1200  # a license page, not a card
    return camera.photograph(
        document, rng, tilt_deg=rng.uniform(-6, 6), perspective=rng.uniform(0.0, 0.06),
        background="random", scale=rng.uniform(0.75, 0.95) if wide else rng.uniform(1.0, 1.3),
        margin=rng.uniform(0.08, 0.2), corner_radius=corner_radius)


def verification_form(form: dict[str, Any], rng: random.Random) -> np.ndarray:
    """The signed 真实性核验单 for this form, photographed (a flat scan of one template
    looks too much like another applicant's scan to a whole-page perceptual hash)."""
    subject, leader = form["subject"], form["subject"]["leader"]
    cert_label = "营业执照" if subject["cert_type"] == "business_license" else "居民身份证"
    entries = VerificationEntries(
        subject_name=subject["name"], subject_cert=f"{cert_label} {subject['cert_number']}",
        leader_name=leader["name"], leader_cert=f"居民身份证 {leader['cert_number']}",
        websites=[(site["name"], site["domain"]) for site in form["websites"]],
        date=dt.date.fromisoformat(form["submitted_at"][:10]),
        unit_seal=subject["name"] if subject["nature"] != "individual" else None)
    return clean_photo(render_verification_form(entries, rng=rng), rng)

