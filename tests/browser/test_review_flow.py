"""A reviewer's and a supervisor's day in a real browser, against `reviewer run --demo`.

Real web server, two real RQ workers and the sweeper on the demo applications
(DEMO-0003 is the `id_name_mismatch` scenario of samples.applications.SCENARIOS): the
reviewer filters the queue, opens the name mismatch, rejects it and lands on the next
case; the supervisor finds the decision in the audit log and overturns it. Every page
is saved to artifacts/browser/ for a person to look at.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewer.cli.demo import DEMO_PASSWORD
from samples.applications import SCENARIOS

pytestmark = pytest.mark.slow

MISMATCH_ID = f"DEMO-{SCENARIOS.index('id_name_mismatch') + 1:04d}"
DEMO_ID = re.compile(r"DEMO-\d{4}")
REJECT_NOTE = "身份证姓名与填写的主体负责人姓名不一致（浏览器测试）"
OVERTURN_REASON = "复核：姓名为证件识别误差，改判通过（浏览器测试）"


class Shots:
    """Numbered full-page screenshots in artifacts/browser/."""

    def __init__(self, folder: Path):
        self.folder, self.count = folder, 0

    def __call__(self, page, name: str) -> None:
        self.count += 1
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=True)


def log_in(page, base: str, username: str, shot: Shots) -> None:
    page.goto(f"{base}/login")
    assert "登录" in page.inner_text("h1")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    shot(page, f"login-{username}")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.inner_text("main")


def queue_ids(page) -> list[str]:
    return [DEMO_ID.search(text).group(0)
            for text in page.locator("table.queue td.subject .mono").all_inner_texts()]


def awaiting(server, severity: str | None = None) -> set[str]:
    sql = "SELECT external_id FROM applications WHERE status = 'awaiting_review'"
    rows = server.query(sql + " AND highest_severity = ?", severity) if severity \
        else server.query(sql)
    return {external_id for (external_id,) in rows}


def status_of(server, external_id: str) -> str:
    return server.query("SELECT status FROM applications WHERE external_id = ?",
                        external_id)[0][0]


def filter_block_and_page(page, server, shot: Shots) -> None:
    """最高级别 = 严重: only blocking cases; the filter survives a reload and paging."""
    everything = queue_ids(page)
    assert set(everything) == awaiting(server)
    blocking = awaiting(server, "block")
    assert MISMATCH_ID in blocking and len(blocking) < len(everything)
    page.select_option("#queue-filters select[name=severity]", "block")
    page.click("#queue-filters button[type=submit]")
    page.wait_for_load_state()
    assert "severity=block" in page.url
    assert set(queue_ids(page)) == blocking
    assert page.locator("table.queue tbody tr span.sev.block").count() == len(blocking)
    shot(page, "queue-filtered")
    page.reload()
    assert page.input_value("#queue-filters select[name=severity]") == "block"
    assert set(queue_ids(page)) == blocking
    page.goto(page.url + "&page=2")
    assert "第 2 页" in page.inner_text("nav.pager")
    assert page.input_value("#queue-filters select[name=severity]") == "block"
    page.click("nav.pager a[rel=prev]")
    page.wait_for_load_state()
    assert "severity=block" in page.url and "page=" not in page.url
    assert set(queue_ids(page)) == blocking
    assert page.input_value("#queue-filters select[name=severity]") == "block"
    shot(page, "queue-after-paging")


def open_mismatch(page, shot: Shots) -> None:
    page.click(f"table.queue tr:has-text('{MISMATCH_ID}') td.subject a")
    page.wait_for_load_state()
    assert MISMATCH_ID in page.inner_text(".app-meta")
    finding = page.locator("#findings article.finding.block:has-text('ID_NAME_MISMATCH')")
    assert finding.count() == 1
    assert "身份证姓名与填写信息不一致" in finding.inner_text()
    row = page.locator("#compare tr.mismatch.block:has(th:has-text('姓名'))").first
    assert row.count() == 1
    background = row.locator("td").first.evaluate("c => getComputedStyle(c).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)")
    shot(page, "application-mismatch")


def reject_with_reason(page, server, shot: Shots) -> None:
    page.click("#decide button.dtab.reject")
    panel = page.locator("#panel-reject")
    assert panel.is_visible()
    panel.locator("input[name=reasons][value=ID_NAME_MISMATCH]").check()
    panel.locator("textarea[name=note]").fill(REJECT_NOTE)
    shot(page, "reject-form")
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert status_of(server, MISMATCH_ID) == "rejected"
    assert "驳回" in page.inner_text(".flashes")
    assert "/applications/" in page.url
    next_id = DEMO_ID.search(page.inner_text(".app-meta")).group(0)
    assert next_id != MISMATCH_ID and next_id in awaiting(server)
    assert page.locator("#decide").is_visible()  # the next case is taken and decidable
    shot(page, "next-case")


def find_in_audit_log(page, server, shot: Shots) -> None:
    page.click("nav.mainnav a:has-text('审计日志')")
    page.select_option("form.filters select[name=action]", "decision.")
    page.click("form.filters button.primary")
    page.wait_for_load_state()
    application_id = server.query("SELECT id FROM applications WHERE external_id = ?",
                                  MISMATCH_ID)[0][0]
    row = page.locator(f"table.audit tr:has(a[href$='/{application_id}'])")
    assert row.count() == 1
    text = row.inner_text()
    assert "驳回" in text and "初审员小李" in text and "ID_NAME_MISMATCH" in text
    assert MISMATCH_ID in text
    shot(page, "audit-reject")
    row.locator("a").click()
    page.wait_for_load_state()
    assert MISMATCH_ID in page.inner_text(".app-meta")


def overturn(page, server, shot: Shots) -> None:
    box = page.locator("details#overturn")
    assert "当前为“驳回”" in box.locator("summary").inner_text()
    box.locator("summary").click()
    box.locator("textarea[name=reason]").fill(OVERTURN_REASON)
    shot(page, "overturn-form")
    box.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已改判" in page.inner_text(".flashes")
    assert status_of(server, MISMATCH_ID) == "approved"
    assert page.locator("details#overturn").count() == 0  # the overturn is final
    shot(page, "overturned")
    page.goto(f"{server.url}/supervision/audit?action=decision.overturn")
    text = page.inner_text("table.audit tbody")
    assert "质检改判" in text and "质检主管老张" in text
    shot(page, "audit-overturn")


def processes_of(instance: Path) -> list[str]:
    """Command lines naming the instance folder or its embedded Redis's socket."""
    from config import Config

    needles = (str(instance), str(Config(instance_dir=instance).redis_socket))
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if entry.name.isdigit() and any(needle in command for needle in needles):
            found.append(command)
    return found


def test_reviewer_rejects_and_supervisor_overturns(desk_server, browser, screenshots):
    shot = Shots(screenshots)
    reviewer = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    log_in(reviewer, desk_server.url, "reviewer", shot)
    assert reviewer.inner_text("h1") == "初审队列"
    shot(reviewer, "queue")
    filter_block_and_page(reviewer, desk_server, shot)
    open_mismatch(reviewer, shot)
    reject_with_reason(reviewer, desk_server, shot)
    reviewer.close()

    supervisor = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    log_in(supervisor, desk_server.url, "supervisor", shot)
    find_in_audit_log(supervisor, desk_server, shot)
    overturn(supervisor, desk_server, shot)
    supervisor.close()

    assert processes_of(desk_server.instance)  # the embedded Redis, before the stop
    left = desk_server.stop()
    assert desk_server.process.returncode is not None
    assert not left, f"processes outlived reviewer run: {sorted(left)}"
    assert not processes_of(desk_server.instance)
