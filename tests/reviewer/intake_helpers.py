"""Posting applications to the API in tests."""
from __future__ import annotations

import io
import json
from pathlib import Path

from models import Application, Material, db


def post(client, token: str | None, form, files: dict[str, bytes], *, raw: bytes | None = None,
         extra: list | None = None):
    body = raw if raw is not None else json.dumps(form, ensure_ascii=False).encode()
    data = {"application": (io.BytesIO(body), "application.json", "application/json")}
    for name, content in files.items():
        data[name] = (io.BytesIO(content), name, "application/octet-stream")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if extra:
        data = list(data.items()) + extra
        from werkzeug.datastructures import MultiDict

        data = MultiDict(data)
    return client.post("/api/v1/applications", data=data, headers=headers,
                       content_type="multipart/form-data")


def stored_counts(storage_dir: Path) -> tuple[int, int, int]:
    applications = db.session.scalar(db.select(db.func.count()).select_from(Application))
    materials = db.session.scalar(db.select(db.func.count()).select_from(Material))
    files = sum(1 for p in Path(storage_dir).rglob("*") if p.is_file()) if Path(
        storage_dir).exists() else 0
    return applications, materials, files
