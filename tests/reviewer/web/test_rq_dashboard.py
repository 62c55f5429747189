"""rq-dashboard under the desk: a Content-Security-Policy on its pages, a 503 while Redis
is down, and a delete that works on a job whose execution Redis lost."""
import re

import pytest
from rq import Queue, Worker
from rq.serializers import JSONSerializer

from workers.queues import connect


@pytest.fixture
def admin(client, users, login):
    login("admin")
    return client


def _nonce(policy: str) -> str:
    return re.search(r"'nonce-([^']+)'", policy).group(1)


def test_dashboard_pages_carry_a_policy_that_admits_only_their_own_inline_script(admin):
    page = admin.get("/admin/rq/0/view/workers")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    html = page.get_data(as_text=True)
    inline = [attrs for attrs in re.findall(r"<script([^>]*)>", html)  # what runs, inline
              if "src=" not in attrs and "text/template" not in attrs]
    assert inline and all(f'nonce="{_nonce(policy)}"' in attrs for attrs in inline)
    again = admin.get("/admin/rq/0/view/workers").headers["Content-Security-Policy"]
    assert _nonce(again) != _nonce(policy)  # a fresh nonce each response


@pytest.fixture
def redis_down(app, tmp_path):
    """The dashboard's connection pointed at a socket nobody listens on."""
    app.config["RQ_DASHBOARD_REDIS_URL"] = (f"unix://{tmp_path / 'gone.sock'}",)


@pytest.mark.parametrize("path, kind", [("/admin/rq/0/view/workers", "text/html"),
                                        ("/admin/rq/0/data/queues.json", "application/json")])
def test_a_redis_outage_is_a_503_that_says_so(admin, redis_down, path, kind):
    response = admin.get(path)
    assert response.status_code == 503
    assert response.mimetype == kind
    assert "Redis" in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers


def test_deleting_a_job_whose_execution_redis_lost_works(admin, app, config):
    from tests.reviewer.factories import csrf_token

    connection = connect(config.redis_url)
    queue = Queue("probe-delete", connection=connection, serializer=JSONSerializer)
    job = queue.enqueue("os.getcwd", job_id="probe-lost-execution")
    worker = Worker([queue], connection=connection, serializer=JSONSerializer,
                    name="probe-delete-worker")
    worker.register_birth()
    worker.prepare_execution(job)
    connection.delete(*connection.keys("rq:execution:probe-lost-execution:*"))
    response = admin.post("/admin/rq/job/probe-lost-execution/delete",
                          headers={"X-CSRFToken": csrf_token(admin)})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"status": "OK"}
    assert not connection.exists("rq:job:probe-lost-execution")
    worker.register_death()
