"""Materials in the viewer: what is drawn over each image, and the face crops.

Boxes are in the pixels of the upright (EXIF-applied) image the inspection read,
so each overlay is an SVG whose viewBox is that image's size: it scales with the
served picture whatever its resolution. OCR lines come from the stored
`MaterialAnalysis` of the run's pipeline version; field boxes from the extracted
fields; finding boxes from each finding's evidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models import Application, InspectionRun, Material, MaterialResult, db
from pipeline.analysis import MaterialAnalysis
from pipeline.labels import MATERIAL_KIND_LABELS

# Shown in the viewer as a JPEG the server draws (a PDF: its rendered page 1).
SHOWN_MIMES = ("image/jpeg", "image/png", "application/pdf")
PERSONAL_FIELDS = frozenset({"id_number"})  # read off a card: painted over until revealed
FACE_MARGIN = 0.35  # context around a face box in a crop, as a fraction of its side


@dataclass
class Shape:
    points: str  # SVG polygon points
    css: str  # ocr | field | finding block | face ...
    label: str = ""
    finding_id: int | None = None


@dataclass
class MaterialView:
    material: Material
    label: str
    width: int
    height: int
    is_image: bool
    covered: bool = False  # an ID number on it is painted over until revealed (audited)
    shapes: list[Shape] = field(default_factory=list)
    faces: list[list[int]] = field(default_factory=list)  # top, right, bottom, left
    issues: int = 0  # findings on this material


def points(quad: Any) -> str | None:
    """"x,y x,y ..." for a 4-point quad; None for anything else."""
    try:
        pairs = [(float(x), float(y)) for x, y in quad]
    except (TypeError, ValueError):
        return None
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in pairs) if len(pairs) >= 3 else None


def rect_points(box: Any) -> str | None:
    """A face box (top, right, bottom, left) as polygon points."""
    try:
        top, right, bottom, left = (float(v) for v in box)
    except (TypeError, ValueError):
        return None
    corners = ((left, top), (right, top), (right, bottom), (left, bottom))
    return " ".join(f"{x:.0f},{y:.0f}" for x, y in corners)


def stored_analyses(materials: list[Material],
                    run: InspectionRun | None) -> dict[int, MaterialAnalysis]:
    """Each material's stored analysis of the run's pipeline version, by material id."""
    if run is None or not materials:
        return {}
    rows = db.session.execute(db.select(MaterialResult).where(
        MaterialResult.sha256.in_({m.sha256 for m in materials}),
        MaterialResult.pipeline_version == run.pipeline_version)).scalars().all()
    by_key = {(r.sha256, r.kind): r.analysis for r in rows}
    return {m.id: MaterialAnalysis.from_dict(by_key[(m.sha256, m.kind)])
            for m in materials if (m.sha256, m.kind) in by_key}


def personal_boxes(material: Material) -> list:
    """Where the latest run read a personal number (an ID number) on this material."""
    run = material.application.latest_run
    return [row.box for row in (run.extracted if run else [])
            if row.material_id == material.id and row.field in PERSONAL_FIELDS
            and points(row.box)]


def material_views(application: Application, run: InspectionRun | None) -> list[MaterialView]:
    materials = sorted(application.current_materials(), key=lambda m: m.id)
    analyses = stored_analyses(materials, run)
    findings = run.findings if run else []
    extracted = run.extracted if run else []
    views = []
    for material in materials:
        analysis = analyses.get(material.id)
        view = MaterialView(
            material=material, label=MATERIAL_KIND_LABELS.get(material.kind, material.kind),
            width=int((analysis and analysis.width) or material.width or 1),
            height=int((analysis and analysis.height) or material.height or 1),
            is_image=material.mime in SHOWN_MIMES and material.purged_at is None)
        view.covered = view.is_image and bool(personal_boxes(material))
        _add_shapes(view, analysis, [e for e in extracted if e.material_id == material.id],
                    [f for f in findings if f.material_id == material.id])
        views.append(view)
    return views


def _add_shapes(view: MaterialView, analysis: MaterialAnalysis | None, extracted,
                findings) -> None:
    for line in analysis.lines if analysis else []:
        drawn = points(line.box)
        if drawn:
            view.shapes.append(Shape(drawn, "ocr"))
    for row in extracted:
        drawn = points(row.box)
        if drawn:
            view.shapes.append(Shape(drawn, "field", label=row.field))
    for face in analysis.faces if analysis else []:
        drawn = rect_points(face.box)
        if drawn:
            view.shapes.append(Shape(drawn, "face"))
            view.faces.append([int(v) for v in face.box])
    for finding in findings:
        drawn = points((finding.evidence or {}).get("box"))
        if drawn:
            view.shapes.append(Shape(drawn, f"finding {finding.severity}", label=finding.code,
                                     finding_id=finding.id))
    view.issues = len(findings)


@dataclass
class FaceCrop:
    view: MaterialView
    viewbox: str  # the face with some context, in image pixels


@dataclass
class FaceRow:
    material: str
    reference: str | None
    faces_found: int
    distance: float | None
    threshold: float | None
    match: bool | None
    crops: list[FaceCrop] = field(default_factory=list)


def face_crop(view: MaterialView | None) -> FaceCrop | None:
    if view is None or not view.faces or not view.is_image:
        return None
    top, right, bottom, left = max(view.faces, key=lambda b: (b[1] - b[3]) * (b[2] - b[0]))
    side = max(right - left, bottom - top)
    margin = side * FACE_MARGIN
    x, y = max(0.0, left - margin), max(0.0, top - margin)
    width = min(view.width - x, right - left + 2 * margin)
    height = min(view.height - y, bottom - top + 2 * margin)
    return FaceCrop(view, f"{x:.0f} {y:.0f} {max(width, 1):.0f} {max(height, 1):.0f}")


def face_rows(run: InspectionRun | None, views: list[MaterialView]) -> list[FaceRow]:
    by_id = {v.material.id: v for v in views}
    rows = []
    for face in (run.faces if run else []):
        row = FaceRow(face.material_name, face.reference_name, face.faces_found, face.distance,
                      face.threshold, face.match)
        row.crops = [c for c in (face_crop(by_id.get(face.material_id)),
                                 face_crop(by_id.get(face.reference_material_id))) if c]
        rows.append(row)
    return rows
