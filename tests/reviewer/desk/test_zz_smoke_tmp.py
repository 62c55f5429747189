from reviewer import services
from tests.reviewer.factories import make_application


def test_smoke(app, client, users, login):
    a = make_application(services.storage(), subject_name="<script>alert(1)</script>")
    login("reviewer")
    for url in ["/", "/queue", f"/applications/{a.id}", "/queue?status=all&sort=risk"]:
        r = client.get(url, follow_redirects=True)
        print(url, r.status_code)
        assert r.status_code == 200, r.get_data(as_text=True)[:3000]
    body = client.get(f"/applications/{a.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    open("/tmp/smoke/app.html", "w").write(body)
    m = a.materials[0]
    r = client.get(f"/materials/{m.id}")
    assert r.status_code == 200 and r.mimetype == "image/jpeg"
    login("supervisor")
    for url in ["/supervision/audit", "/supervision/sampling", "/supervision/statistics", "/supervision/health", "/supervision/reprocess", "/supervision/reprocess?preview=1", "/supervision/export.csv?status=all", "/supervision/audit/verify"]:
        r = client.get(url)
        print(url, r.status_code)
        assert r.status_code == 200, r.get_data(as_text=True)[:3000]
    login("admin")
    for url in ["/admin/users", "/admin/tokens", "/admin/rq/"]:
        r = client.get(url)
        print(url, r.status_code)
        assert r.status_code == 200, r.get_data(as_text=True)[:3000]
