"""Does a photo problem stop verification? Only then does it block.

A quality finding on a card or license (glare, exposure, a cut-off edge, blur, low
resolution) blocks only when it stops the verification it is there to protect:
- a required field of that material was not read, or was read where the problem
  lies (the glare's regions, the strip along a side past the frame) with low
  confidence or disagreeing with the form (a misread there is the photo's fault as
  often as the applicant's);
- the portrait (ID front) or the face (a face or hand-held photo) could not be
  compared;
- or the document is not the original (IMAGE_GRAYSCALE, IMAGE_RECAPTURED: never
  gated here; mailing the original settles them).
Otherwise it is a warning the reviewer sees on the image, its evidence kept, with
a message saying the fields were read. The evidence says why a finding blocked.
"""
from __future__ import annotations

from pipeline.analysis import MaterialAnalysis
from pipeline.findings import Finding, Severity

GATED = frozenset({"IMAGE_EXPOSURE", "DOCUMENT_INCOMPLETE", "IMAGE_BLURRY",
                   "IMAGE_LOW_RESOLUTION"})
REQUIRED_FIELDS = {"id_card_front": ("name", "id_number"), "id_card_back": ("valid_until",),
                   "business_license": ("name", "credit_code")}
# A license older than the credit code carries a 注册号 instead (either will do).
ALTERNATIVES = {"credit_code": ("registration_number",)}
FACE_KINDS = frozenset({"face_photo", "curtain_photo", "handheld_id_photo"})
# What was read or seen on a material and disagrees with the form, per field.
DISAGREES = frozenset({"ID_NAME_MISMATCH", "ID_NUMBER_MISMATCH", "ID_NUMBER_INVALID",
                       "ID_EXPIRED", "ID_EXPIRES_SOON", "LICENSE_NAME_MISMATCH",
                       "LICENSE_CODE_MISMATCH", "LICENSE_CODE_INVALID"})
NO_FACE = frozenset({"FACE_NOT_FOUND", "FACE_MISMATCH", "FACE_MULTIPLE"})
LOW_CONFIDENCE = 0.80  # compare_documents' line
READ_NOTE = "（关键信息均已识别，不影响核验；请审核人员对照原图确认。）"


def gate_quality(findings: list[Finding], analyses: list[MaterialAnalysis]) -> list[Finding]:
    """Quality blocks that do not stop verification become warnings (in place)."""
    by_file = {a.file: a for a in analyses}
    for finding in findings:
        analysis = by_file.get(finding.material or "")
        if finding.code not in GATED or finding.severity != Severity.BLOCK or analysis is None:
            continue
        reasons = blocking_reasons(finding, analysis, findings)
        if reasons is None:
            continue
        if reasons:
            finding.evidence = {**finding.evidence, "blocks_verification": reasons}
        else:
            finding.severity = Severity.WARN
            finding.message += READ_NOTE
            finding.evidence = {**finding.evidence, "blocks_verification": []}
    return findings


def blocking_reasons(finding: Finding, analysis: MaterialAnalysis,
                     findings: list[Finding]) -> list[str] | None:
    """Why this quality finding stops verification ([] when it does not), or None when
    the material is not one the gate judges (paper: forms, letters)."""
    on_material = [f for f in findings if f.material == analysis.file and f is not finding]
    if analysis.kind in REQUIRED_FIELDS:
        reasons = _field_reasons(finding, analysis, on_material)
        if analysis.kind == "id_card_front" and _no_face(on_material):
            reasons.append("portrait")
        return reasons
    if analysis.kind in FACE_KINDS:
        return ["face"] if _no_face(on_material) or not analysis.faces else []
    return None


def _field_reasons(finding: Finding, analysis: MaterialAnalysis,
                   on_material: list[Finding]) -> list[str]:
    doc = analysis.extracted
    if doc is None:
        return ["not_read"]
    areas = finding.evidence.get("regions") or None
    disagree = {f.field for f in on_material if f.code in DISAGREES}
    reasons = []
    for name in REQUIRED_FIELDS[analysis.kind]:
        name = next((n for n in (name, *ALTERNATIVES.get(name, ())) if doc.fields.get(n)), name)
        if not doc.fields.get(name):
            reasons.append(f"unread:{name}")
        elif not _under(doc.boxes.get(name), areas):
            continue  # read away from the problem: the problem did not change it
        elif name in disagree:
            reasons.append(f"disagrees:{name}")
        elif doc.confidence.get(name, 0.0) < LOW_CONFIDENCE:
            reasons.append(f"low_confidence:{name}")
    return reasons


def _under(box, areas: list[list[float]] | None) -> bool:
    """Whether a field's box lies under one of the problem areas (any, when not known)."""
    if not areas or not box:
        return True
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    return any(min(xs) < x1 and x0 < max(xs) and min(ys) < y1 and y0 < max(ys)
               for x0, y0, x1, y1 in areas)


def _no_face(findings: list[Finding]) -> bool:
    return any(f.code in NO_FACE and f.severity == Severity.BLOCK for f in findings)
