"""After a full run with real workers, neither Redis nor any log line holds an ID number,
a mobile number, or image bytes (raw, base64, or as a bytes repr)."""
from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import random
import zlib
from pathlib import Path
from typing import Iterator

import pytest
import redis

from samples.applications import build_application
from tests.reviewer.intake_helpers import post
from tests.workers.conftest import wait_until_done

pytestmark = pytest.mark.slow
SUBMITTED = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).replace(microsecond=0)
# Realistic photos: the ID numbers are printed on the cards, so OCR reads them too.
SCENARIOS = ("clean_individual", "id_number_mismatch")
IMAGE_TEXT_MARKERS = (b"/9j/", b"iVBORw0KGgo", b"\\xff\\xd8\\xff", b"\\x89PNG", b"JFIF\\x00")


def _values(connection: redis.Redis) -> Iterator[tuple[str, bytes]]:
    """Every key name and every stored value, of every Redis type."""
    for key in connection.scan_iter(count=500):
        name = key.decode(errors="replace")
        yield name, key
        kind = connection.type(key).decode()
        if kind == "string":
            yield name, connection.get(key) or b""
        elif kind == "hash":
            for field, value in connection.hgetall(key).items():
                yield f"{name}[{field.decode(errors='replace')}]", field + b"\n" + value
        elif kind == "list":
            yield from ((name, v) for v in connection.lrange(key, 0, -1))
        elif kind == "set":
            yield from ((name, v) for v in connection.smembers(key))
        elif kind == "zset":
            yield from ((name, m) for m, _ in connection.zrange(key, 0, -1, withscores=True))
        elif kind == "stream":
            for entry_id, fields in connection.xrange(key):
                yield name, entry_id + b"".join(k + v for k, v in fields.items())
        else:
            raise AssertionError(f"unexpected Redis type {kind} at {name}")


def _readable(value: bytes) -> list[bytes]:
    """The value and what it unpacks to: RQ stores job data and results zlib-compressed."""
    out = [value]
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS, zlib.MAX_WBITS | 16):
        try:
            out.append(zlib.decompress(value, wbits))
        except zlib.error:
            pass
    return out


def _needles(forms: list[dict], files: list[bytes]) -> dict[bytes, str]:
    needles: dict[bytes, str] = {}
    for form in forms:
        for person in _people(form):
            if person.get("cert_type") == "resident_id":
                number = person["cert_number"]
                needles[number.encode()] = f"ID number {number}"
                needles[number.lower().encode()] = f"ID number {number}"
            for key in ("mobile", "emergency_phone"):
                if person.get(key):
                    needles[person[key].encode()] = f"{key} {person[key]}"
        if form["subject"]["cert_type"] == "resident_id":
            number = form["subject"]["cert_number"]
            needles[number.encode()] = f"ID number {number}"
    for data in files:
        middle = len(data) // 2
        needles[data[:12]] = "a file's first bytes"
        needles[data[middle:middle + 24]] = "a file's bytes"
        for skip in range(3):  # base64 of the file starting at any alignment
            encoded = base64.b64encode(data[middle + skip:middle + skip + 48])
            needles[encoded[4:36]] = "a file's bytes in base64"
            needles[data[middle + skip:middle + skip + 12].hex().encode()] = "a file's bytes in hex"
    for marker in IMAGE_TEXT_MARKERS:
        needles[marker] = f"image bytes marker {marker!r}"
    return needles


def _people(form: dict) -> Iterator[dict]:
    yield form["subject"]["leader"]
    for site in form["websites"]:
        if site.get("leader"):
            yield site["leader"]


def _found(needles: dict[bytes, str], where: str, value: bytes) -> list[str]:
    return [f"{what} in {where}" for text in _readable(value) for needle, what in needles.items()
            if needle in text]


def test_scanner_finds_what_it_looks_for():
    form = {"subject": {"cert_type": "resident_id", "cert_number": "11010519491231002X",
                        "leader": {"cert_type": "resident_id", "cert_number": "11010519491231002X",
                                   "mobile": "13912345678"}}, "websites": []}
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 4
    needles = _needles([form], [jpeg])
    job = zlib.compress(json.dumps({"args": ["11010519491231002x"]}).encode())
    assert _found(needles, "job", job)
    assert _found(needles, "log", b"phone=13912345678")
    assert _found(needles, "log", repr(jpeg[:40]).encode())
    assert _found(needles, "log", base64.b64encode(jpeg))
    assert _found(needles, "log", base64.b64encode(jpeg[1:]))
    assert not _found(needles, "log", b"run 12 finished: 3 findings, material 7 cached")


def test_no_id_number_or_image_bytes_in_redis_or_logs(app, config, client, api_token, workers,
                                                      tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    forms, files, ids = [], [], []
    workers.start(2)
    for n, scenario in enumerate(SCENARIOS):
        folder = tmp_path / f"application-{n}"
        form = build_application(random.Random(f"pii-{n}"), scenario, folder,
                                 external_id=f"ICP-PII-{n:03d}", submitted_at=SUBMITTED)
        form.pop("_expected_codes")
        uploads = {m["file"]: (folder / m["file"]).read_bytes() for m in form["materials"]}
        response = post(client, api_token, form, uploads)
        assert response.status_code == 201, response.get_json()
        forms.append(form)
        files += uploads.values()
        ids.append(response.get_json()["id"])
    states = wait_until_done(ids, timeout=420)  # done, or failed after its retries: the
    assert all(len(s) == 1 for s in states.values()), states  # failure paths log the most
    for application_id in ids:  # the report, as the API caller reads it
        response = client.get(f"/api/v1/applications/{application_id}",
                              headers={"Authorization": f"Bearer {api_token}"})
        assert response.status_code == 200
    workers.stop()

    needles = _needles(forms, files)
    leaks, keys = [], 0
    for where, value in _values(redis.Redis.from_url(config.redis_url)):
        keys += 1
        leaks += _found(needles, f"Redis {where}", value)
    assert keys > 0  # the workers' queues, jobs and results were there to scan
    logs = [(p.name, p.read_bytes()) for p in sorted(Path(tmp_path).glob("worker*.log"))]
    assert logs and all(text for _, text in logs)
    logs.append(("app log", caplog.text.encode()))
    logs += [("app log record", str(r.__dict__).encode()) for r in caplog.records]
    for where, text in logs:
        leaks += _found(needles, where, text)
    assert sorted(set(leaks)) == []
