"""Intake through the API and the CLI: shared/CONTRACT.md sections 1-3."""
import io
import json
import threading

import pytest
from PIL import Image

from samples import contract
from tests.pipeline.test_pdf import FAKE_PDF
from tests.reviewer.intake_helpers import post, stored_counts


def _png_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (30000, 30000)).save(out, "PNG")  # 900 MP of zeros, a few hundred KB
    return out.getvalue()


def _big_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (width, height)).save(out, "PNG")
    return out.getvalue()


def _pdf(eof: bool = True) -> bytes:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" \
           b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" \
           b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n"
    return body + (b"%%EOF\n" if eof else b"")


def _set(path, value):
    """A mutation that sets form[path] (dotted, with [i]) to value, or deletes it."""
    def mutate(form, files):
        target, keys = form, path.replace("]", "").replace("[", ".").split(".")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        last = int(keys[-1]) if keys[-1].isdigit() else keys[-1]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value
    return mutate


_DELETE = object()


def _file(name, data):
    def mutate(form, files):
        files[name] = data
    return mutate


def _rename_material(index, name):
    def mutate(form, files):
        old = form["materials"][index]["file"]
        files[name] = files.pop(old)
        form["materials"][index]["file"] = name
    return mutate


def _drop_file(name):
    return lambda form, files: files.pop(name)


def _both(*mutations):
    def mutate(form, files):
        for m in mutations:
            m(form, files)
    return mutate


BAD = {
    "unknown filing type": (_set("filing_type", "renewal"), 400, "invalid_value", "filing_type"),
    "unknown province": (_set("province", "台湾省"), 400, "invalid_value", "province"),
    "province short name": (_set("province", "浙江"), 400, "invalid_value", "province"),
    "unknown nature": (_set("subject.nature", "company"), 400, "invalid_value", "subject.nature"),
    "unknown cert type": (_set("subject.cert_type", "driving_licence"), 400, "invalid_value",
                          "subject.cert_type"),
    "enterprise with an ID card": (_set("subject.cert_type", "resident_id"), 400,
                                   "invalid_value", "subject"),
    "leader with a business license": (_set("subject.leader.cert_type", "business_license"),
                                       400, "invalid_value", "subject.leader.cert_type"),
    "missing external id": (_set("external_id", _DELETE), 400, "missing_field", "external_id"),
    "external id with a slash": (_set("external_id", "ICP/1"), 400, "invalid_value",
                                 "external_id"),
    "missing subject": (_set("subject", _DELETE), 400, "missing_field", "subject"),
    "subject is a string": (_set("subject", "杭州云帆"), 400, "invalid_value", "subject"),
    "missing leader mobile": (_set("subject.leader.mobile", _DELETE), 400, "missing_field",
                              "subject.leader.mobile"),
    "empty subject name": (_set("subject.name", ""), 400, "invalid_value", "subject.name"),
    "over-long subject name": (_set("subject.name", "名" * 300), 400, "invalid_value",
                               "subject.name"),
    "naive submitted_at": (_set("submitted_at", "2026-11-20T10:00:00"), 400, "invalid_value",
                           "submitted_at"),
    "garbage submitted_at": (_set("submitted_at", "yesterday"), 400, "invalid_value",
                             "submitted_at"),
    "garbage validity": (_set("subject.leader.cert_valid_until", "someday"), 400,
                         "invalid_value", "subject.leader.cert_valid_until"),
    "unknown content type": (_set("websites.0.content_type", "gaming"), 400, "invalid_value",
                             "websites[0].content_type"),
    "unknown service type": (_set("websites.0.service_type", "app"), 400, "invalid_value",
                             "websites[0].service_type"),
    "two domains in one website": (_set("websites.0.domain", "a.cn,b.cn"), 400,
                                   "invalid_value", "websites[0].domain"),
    "websites is a string": (_set("websites", "yunfan-tech.cn"), 400, "invalid_value",
                             "websites"),
    "no websites on a first filing": (_set("websites", []), 400, "invalid_value", "websites"),
    "no materials": (_set("materials", []), 400, "invalid_value", "materials"),
    "unknown material kind": (_set("materials.0.kind", "selfie"), 400, "invalid_value",
                              "materials[0].kind"),
    "malformed person ref": (_set("materials.1.person", "boss"), 400, "invalid_value",
                             "materials[1].person"),
    "person ref to a missing website": (_set("materials.3.person", "website_leader:4"), 400,
                                        "invalid_value", "materials"),
    "duplicate material file names": (_set("materials.2.file", "leader_front.jpg"), 400,
                                      "invalid_value", "materials"),
    "path traversal file name": (_rename_material(0, "../../etc/passwd.jpg"), 400,
                                 "invalid_value", "materials[0].file"),
    "file name with a slash": (_rename_material(0, "sub/license.jpg"), 400, "invalid_value",
                               "materials[0].file"),
    "file name with a NUL": (_rename_material(0, "lic\x00ense.jpg"), 400, None, None),
    "missing file": (_drop_file("face.jpg"), 400, "missing_file", "materials[3].file"),
    "unexpected file part": (_file("extra.jpg", contract.jpeg(9)), 400, "unexpected_file",
                             "materials"),
    "png named .jpg": (_file("license.jpg", contract.png(1)), 400, "type_mismatch",
                       "materials[0].file"),
    "jpeg named .png": (_both(_rename_material(0, "license.png")), 400, "type_mismatch",
                        "materials[0].file"),
    "text named .jpg": (_file("license.jpg", b"just some text, honestly"), 400,
                        "unsupported_type", "materials[0].file"),
    "gif named .jpg": (_file("license.jpg", b"GIF89a" + b"\x00" * 200), 400,
                       "unsupported_type", "materials[0].file"),
    "exe named .jpg": (_file("license.jpg", b"MZ\x90\x00" + b"\x00" * 500), 400,
                       "unsupported_type", "materials[0].file"),
    "truncated jpeg": (_file("license.jpg", contract.jpeg(2, (800, 600))[:3000]), 400,
                       "corrupt_image", "materials[0].file"),
    "zero-byte file": (_file("license.jpg", b""), 400, "empty_file", "materials[0].file"),
    "decompression bomb": (_both(_rename_material(0, "license.png"),
                                 _file("license.png", _png_bomb())), 400, "too_many_pixels",
                           "materials[0].file"),
    "over the pixel limit": (_both(_rename_material(0, "license.png"),
                                   _file("license.png", _big_png(7000, 6000))), 400,
                             "too_many_pixels", "materials[0].file"),
    "tiny image": (_file("license.jpg", contract.jpeg(3, (8, 8))), 400, "corrupt_image",
                   "materials[0].file"),
    "file over 10 MB": (_file("license.jpg", contract.jpeg(4, (100, 100)) + b"\0" * 10_500_000),
                        413, "too_large", "materials[0].file"),
    "pdf for an ID card": (_both(_rename_material(1, "leader_front.pdf"),
                                 _file("leader_front.pdf", _pdf())), 400, "unsupported_type",
                           "materials[1].file"),
    "fake pdf with a javascript action as the verification form": (
        _both(_rename_material(4, "form.pdf"), _file("form.pdf", FAKE_PDF)), 400,
        "corrupt_pdf", "materials[4].file"),
    "truncated pdf": (_both(_set("materials.4.kind", "verification_form"),
                            _rename_material(4, "form.pdf"),
                            _file("form.pdf", _pdf(eof=False))), 400, "corrupt_pdf",
                      "materials[4].file"),
}


@pytest.fixture
def valid():
    form = contract.example()
    return form, contract.files_for(form, seed=1)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_and_nothing_is_stored(client, api_token, config, valid, case):
    mutate, status, code, field = BAD[case]
    form, files = valid
    mutate(form, files)
    before = stored_counts(config.storage_dir)
    response = post(client, api_token, form, files)
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    if code:
        assert error["code"] == code
    if field:
        assert error["field"] == field
    assert error["message"]
    assert stored_counts(config.storage_dir) == before


RAW = {
    "truncated json": b'{"external_id": "ICP-1", "filing_ty',
    "json array": b"[1, 2, 3]",
    "empty body": b"",
    "not utf-8": b"\xff\xfe{\x00}",
    "json null": b"null",
}


@pytest.mark.parametrize("case", sorted(RAW))
def test_malformed_json_is_refused(client, api_token, config, valid, case):
    _, files = valid
    before = stored_counts(config.storage_dir)
    response = post(client, api_token, None, files, raw=RAW[case])
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"
    assert stored_counts(config.storage_dir) == before


def test_missing_application_part(client, api_token, config):
    response = client.post("/api/v1/applications", data={},
                           headers={"Authorization": f"Bearer {api_token}"})
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "application"


def test_duplicate_file_parts_are_refused(client, api_token, config, valid):
    form, files = valid
    extra = [("face.jpg", (io.BytesIO(contract.jpeg(5)), "face.jpg"))]
    before = stored_counts(config.storage_dir)
    response = post(client, api_token, form, files, extra=extra)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "duplicate_file"
    assert stored_counts(config.storage_dir) == before


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "Bearer ", "bearer"])
def test_requests_without_a_valid_token_get_401_and_nothing_else(client, config, valid,
                                                                 header):
    form, files = valid
    headers = {"Authorization": header} if header else {}
    response = client.post("/api/v1/applications", headers=headers, data={})
    assert response.status_code == 401
    assert set(response.get_json()) == {"error"}
    assert client.get("/api/v1/applications/x", headers=headers).status_code == 401


def test_a_token_is_marked_used_by_a_refused_request_too(client, api_token):
    from models import ApiToken, db

    response = client.post("/api/v1/applications", data={"application": "{not json"},
                           headers={"Authorization": f"Bearer {api_token}"})
    assert response.status_code == 400
    db.session.expire_all()
    row = db.session.execute(db.select(ApiToken)).scalar_one()
    assert row.last_used_at is not None


def test_a_revoked_token_is_refused(app, client, valid):
    from models import ApiToken, db, utcnow

    row, plain = ApiToken.issue("gone")
    row.revoked_at = utcnow()
    db.session.add(row)
    db.session.commit()
    form, files = valid
    assert post(client, plain, form, files).status_code == 401


def test_tokens_are_stored_hashed(app, api_token):
    from models import ApiToken, db

    stored = db.session.execute(db.select(ApiToken.token_hash)).scalars().all()
    assert api_token not in stored and ApiToken.digest(api_token) in stored


def test_the_contract_example_is_accepted_and_stored_once(client, api_token, config, valid):
    form, files = valid
    response = post(client, api_token, form, files)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "status"} and body["status"] == "inspecting"
    again = post(client, api_token, form, files)
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    assert stored_counts(config.storage_dir) == (1, 5, 5)


def test_the_loser_of_a_race_between_twins_deletes_none_of_the_winners_files(
        client, api_token, config, valid, monkeypatch):
    """Two identical submissions checked the database and the store before either stored
    anything: the second fails on the external id and must not delete the bytes the first
    one's materials now point at (the same bytes, the same content address)."""
    import reviewer.services.intake
    from models.storage import LocalStorage

    form, files = valid
    assert post(client, api_token, form, files).status_code == 201
    before = stored_counts(config.storage_dir)
    looks = []
    original = reviewer.services.intake._existing

    def twin_not_yet_committed(*args):  # at the first look; the look after the failure finds it
        looks.append(args)
        return original(*args) if len(looks) > 1 else None

    monkeypatch.setattr(reviewer.services.intake, "_existing", twin_not_yet_committed)
    monkeypatch.setattr(LocalStorage, "exists", lambda self, sha256: False)
    again = post(client, api_token, form, files)
    assert again.status_code == 200 and len(looks) == 2
    assert stored_counts(config.storage_dir) == before == (1, 5, 5)


def test_same_external_id_with_other_content_is_a_conflict(client, api_token, config, valid):
    form, files = valid
    assert post(client, api_token, form, files).status_code == 201
    form["subject"]["name"] = "另一家公司有限公司"
    before = stored_counts(config.storage_dir)
    response = post(client, api_token, form, files)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"
    assert stored_counts(config.storage_dir) == before


def test_stored_uploads_are_encrypted_content_addressed_and_not_named(client, api_token,
                                                                      config, valid):
    form, files = valid
    assert post(client, api_token, form, files).status_code == 201
    stored = [p for p in config.storage_dir.rglob("*") if p.is_file()]
    names = {p.name for p in stored}
    assert not names & set(files)
    for path in stored:
        assert files[next(iter(files))][:3] != path.read_bytes()[:3]  # not plain JPEG bytes
        assert len(path.name) == 64


def test_get_returns_the_contract_shape(client, api_token, valid):
    form, files = valid
    created = post(client, api_token, form, files).get_json()
    response = client.get(f"/api/v1/applications/{created['id']}",
                          headers={"Authorization": f"Bearer {api_token}"})
    body = response.get_json()
    assert response.status_code == 200
    assert set(body) == {"id", "external_id", "status", "inspection", "recommendation",
                         "findings", "extracted", "faces"}
    assert set(body["inspection"]) == {"state", "pipeline_version", "started_at", "finished_at"}
    assert body["external_id"] == form["external_id"]
    assert body["inspection"]["state"] == "pending"


def test_cli_and_http_return_identical_json(app, client, api_token, valid):
    form, files = valid
    created = post(client, api_token, form, files).get_json()
    http = client.get(f"/api/v1/applications/{created['id']}",
                      headers={"Authorization": f"Bearer {api_token}"}).get_json()
    result = app.test_cli_runner().invoke(args=["show", created["id"], "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == http
    by_external_id = client.get(f"/api/v1/applications/{form['external_id']}",
                                headers={"Authorization": f"Bearer {api_token}"})
    assert by_external_id.get_json() == http  # as `reviewer show` takes either
    missing = client.get(f"/api/v1/applications/{'z' * 5000}",
                         headers={"Authorization": f"Bearer {api_token}"})
    assert missing.status_code == 404 and len(missing.get_data()) < 300


def test_cli_intake_refusal_exits_2_with_the_error_on_stderr(app, tmp_path, valid, config):
    form, files = valid
    form["filing_type"] = "renewal"
    folder = contract.write_folder(tmp_path / "bad", form, files)
    result = app.test_cli_runner(mix_stderr=False).invoke(args=["intake", str(folder)]) \
        if _supports_mix_stderr(app) else app.test_cli_runner().invoke(args=["intake",
                                                                              str(folder)])
    assert result.exit_code == 2
    error = json.loads(result.stderr.strip().splitlines()[-1])["error"]
    assert error == {"code": "invalid_value", "message": error["message"],
                     "field": "filing_type"}
    assert stored_counts(config.storage_dir)[0] == 0


def _supports_mix_stderr(app) -> bool:
    import inspect

    from click.testing import CliRunner

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


def test_twenty_concurrent_intakes_are_each_stored_once(app, api_token, config):
    results, errors = [], []

    def send(i: int) -> None:
        form = contract.example(external_id=f"ICP-2026-{i:06d}")
        files = contract.files_for(form, seed=100 + i)
        try:
            results.append(post(app.test_client(), api_token, form, files).status_code)
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == [201] * 20
    applications, materials, stored = stored_counts(config.storage_dir)
    assert (applications, materials, stored) == (20, 100, 100)


DEEP = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


@pytest.mark.parametrize("raw, status, code", [
    (DEEP, 400, "malformed_json"),
    (b"[" * 100_000 + b"]" * 100_000, 400, "malformed_json"),
    (b'{"remarks": "' + b"x" * 2_000_000 + b'"}', 413, "too_large"),
], ids=["deep object", "deep array", "2 MB form"])
def test_nested_or_oversized_json_is_a_json_refusal(client, api_token, config, valid, raw,
                                                    status, code):
    _, files = valid
    before = stored_counts(config.storage_dir)
    response = post(client, api_token, None, files, raw=raw)
    assert response.status_code == status and response.is_json
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["field"] == "application"
    assert stored_counts(config.storage_dir) == before
