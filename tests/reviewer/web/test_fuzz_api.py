"""Hostile input: 2,000+ malformed bodies and uploads; no 5xx, nothing stored."""
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samples import contract
from tests.reviewer.intake_helpers import stored_counts

FUZZ = settings(max_examples=1000, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
EXAMPLE = contract.example()
NAMES = st.sampled_from([m["file"] for m in EXAMPLE["materials"]]) | st.text(max_size=40)
NOT_AN_IMAGE = st.binary(max_size=2048).filter(
    lambda b: not b.startswith((b"\xff\xd8\xff", b"\x89PNG", b"%PDF-")))


def _send(client, token, body: bytes, parts: list[tuple[str, bytes]]):
    data = {"application": (io.BytesIO(body), "application.json")}
    from werkzeug.datastructures import MultiDict

    fields = MultiDict([("application", data["application"])] +
                       [(name, (io.BytesIO(content), name or "x")) for name, content in parts])
    return client.post("/api/v1/applications", data=fields,
                       headers={"Authorization": f"Bearer {token}"},
                       content_type="multipart/form-data")


@FUZZ
@given(body=st.binary(max_size=4096) | st.text(max_size=2000).map(str.encode),
       parts=st.lists(st.tuples(NAMES, st.binary(max_size=1024)), max_size=4))
def test_random_bodies_and_parts_are_refused_cleanly(app, client, api_token, config, body, parts):
    before = stored_counts(config.storage_dir)
    response = _send(client, api_token, body, parts)
    assert response.status_code in (400, 409, 413)
    assert set(response.get_json()["error"]) == {"code", "message", "field"}
    assert stored_counts(config.storage_dir) == before


@FUZZ
@given(index=st.integers(0, len(EXAMPLE["materials"]) - 1), junk=NOT_AN_IMAGE,
       cut=st.integers(0, 5000))
def test_a_valid_form_with_a_hostile_file_is_refused_whole(app, client, api_token, config,
                                                           index, junk, cut):
    files = contract.files_for(EXAMPLE, seed=3)
    name = EXAMPLE["materials"][index]["file"]
    files[name] = junk if cut % 2 else files[name][: cut % 1200]
    before = stored_counts(config.storage_dir)
    response = _send(client, api_token, json.dumps(EXAMPLE).encode(), list(files.items()))
    assert response.status_code == 400, response.get_json()
    assert stored_counts(config.storage_dir) == before
