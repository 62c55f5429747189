"""A material's file for an authorised viewer; every view and download is audited.

What the browser displays is always a JPEG drawn by the server: a photo without its
metadata, a PDF as its rendered first page (PDFium runs none of its JavaScript). The
uploaded bytes themselves only leave as a download the browser will not open inline.
"""
from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user

from models import Material, db
from models.audit import record
from pipeline.imageio import working_jpeg
from pipeline.pdf import PdfUnreadable
from reviewer.services import runtime
from reviewer.web.desk.blueprint import bp
from reviewer.web.desk.access import material_or_abort
from reviewer.web.desk.materials import personal_boxes

VIEWER_MAX_SIDE = 2000


def _stored_bytes(material_id: int, action: str) -> tuple[Material, bytes | None]:
    material = material_or_abort(material_id)
    if material.purged_at is not None:
        return material, None
    data = runtime.storage().get(material.sha256)
    record(action, actor=current_user.username, actor_id=current_user.id,
           target_type="application", target_id=material.application_id,
           detail={"material": material.id, "kind": material.kind})
    db.session.commit()
    return material, data


def _gone():
    return render_template("error.html", status=410, title="gone",
                           message="此资料已按保存期限删除。"), 410


@bp.get("/materials/<int:material_id>")
def material_file(material_id: int):
    """The picture to show: a metadata-free JPEG of the photo or of a PDF's page 1, an ID
    card's number painted over unless `full=1` asks for it (a reveal, audited as one)."""
    material, data = _stored_bytes(material_id, "material.view")
    if data is None:
        return _gone()
    cover = personal_boxes(material)
    if request.args.get("full") == "1" and cover:
        cover = []
        record("pii.reveal", actor=current_user.username, actor_id=current_user.id,
               target_type="application", target_id=material.application_id,
               detail={"field": f"material:{material.id}", "kind": material.kind})
        db.session.commit()
    try:
        body = working_jpeg(data, max_side=VIEWER_MAX_SIDE, cover=cover)
    except (PdfUnreadable, OSError, ValueError):
        return render_template("error.html", status=422, title="unreadable",
                               message="此资料文件已损坏或无法显示，请下载原件查看。"), 422
    response = Response(body, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=600"
    return response


@bp.get("/materials/<int:material_id>/original")
def material_original(material_id: int):
    """The uploaded bytes, as an attachment of no type a browser would render."""
    material, data = _stored_bytes(material_id, "material.download")
    if data is None:
        return _gone()
    suffix = {"application/pdf": "pdf", "image/png": "png"}.get(material.mime, "jpg")
    response = Response(data, mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="material-{material.id}.{suffix}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
