"""Chinese labels of the contract's value sets, for messages and the review desk.

Wording follows the filing system's own forms (seeds/001 1.1 基础信息校验, 3.1 网站信息,
seeds/002 备案材料).
"""
from __future__ import annotations

FILING_TYPE_LABELS: dict[str, str] = {
    "first_filing": "首次备案",
    "new_site_external": "新增网站（原备案不在本平台）",
    "new_site_internal": "新增网站（原备案在本平台）",
    "access": "接入备案",
    "change": "变更备案",
}

NATURE_LABELS: dict[str, str] = {
    "individual": "个人",
    "enterprise": "企业",
    "institution": "事业单位",
    "social_group": "社会团体",
    "government": "政府机关",
    "private_non_enterprise": "民办非企业单位",
    "other": "其他",
}

CERT_TYPE_LABELS: dict[str, str] = {
    "resident_id": "居民身份证",
    "passport": "护照",
    "hk_macao_permit": "港澳居民来往内地通行证",
    "tw_permit": "台湾居民来往大陆通行证",
    "hk_macao_residence": "港澳居民居住证",
    "tw_residence": "台湾居民居住证",
    "business_license": "营业执照",
    "institution_cert": "事业单位法人证书",
    "social_group_cert": "社会团体法人登记证书",
    "private_non_enterprise_cert": "民办非企业单位登记证书",
}

CONTENT_TYPE_LABELS: dict[str, str] = {
    "enterprise_portal": "单位门户",
    "general_portal": "综合门户",
    "news": "新闻",
    "publishing": "出版",
    "culture": "文化",
    "broadcasting": "广播电影电视节目",
    "education": "教育",
    "medicine": "药品和医疗器械",
    "healthcare": "医疗保健",
    "ride_hailing": "网络预约车",
    "bulletin": "电子公告",
    "other": "其他",
}

MATERIAL_KIND_LABELS: dict[str, str] = {
    "business_license": "主办单位证件（营业执照等）",
    "id_card_front": "身份证件正面（人像面）",
    "id_card_back": "身份证件反面（国徽面）",
    "face_photo": "人脸核验照片（白色背景）",
    "curtain_photo": "幕布拍照核验照片",
    "verification_form": "网站备案信息真实性核验单",
    "handheld_id_photo": "手持个人证件照片",
    "handheld_license_photo": "手持单位证件照片",
    "authorization_letter": "授权书",
    "domain_certificate": "域名证书",
    "domain_owner_proof": "网站备案域名注册人的证明",
    "site_construction_plan": "网站建设方案书",
    "pre_approval": "前置审批文件",
    "commitment_letter": "备案承诺书",
    "other": "其他资料",
}

SEVERITY_LABELS: dict[str, str] = {"block": "须整改", "warn": "请核实", "info": "提示"}

# Evidence of a finding as the review desk names it; keys not listed here are technical
# and stay in the API's JSON only. `rule` and `check` are shown by their description.
EVIDENCE_LABELS: dict[str, str] = {
    "raw": "识别原文",
    "confidence": "识别置信度",
    "distance": "人脸距离",
    "reference": "对照资料",
    "faces_found": "检测到人脸数",
    "allowed": "允许人脸数",
    "problems": "问题",
    "poor_image": "图片质量问题",
    "other_application": "重复的申请",
    "exact": "完全相同",
    "error": "错误",
    "value": "测得值",
    "threshold": "判定阈值",
    "measure": "测量方式",
    "blue_fraction": "蓝色占比",
    "fraction": "占比",
    "colour": "颜色",
    "scores": "各类别得分",
    "kind": "资料类型",
    "rule": "检查规则",
    "check": "检查规则",
}
# One number about faces is shown once, in the face pair: not again in the finding.
FACE_THRESHOLD_KEYS = frozenset({"match_threshold", "grey_threshold"})
