"""Issue 16: a reviewer's 200 cases a day, each task done as the reviewer would, in Debian's
Chromium at 1366x768 against one `reviewer run --demo` shared by the module.

Demo cases (samples.applications.SCENARIOS, in order): DEMO-0004 an ID number that does
not match the form, DEMO-0005 an invalid ID number (two block findings), DEMO-0006 an
expired ID card. Screenshots go to artifacts/screenshots/.
"""
from __future__ import annotations

import json

import pytest

from reviewer.demo import DEMO_PASSWORD
from samples.applications import SCENARIOS

pytestmark = pytest.mark.slow

VIEWPORT = {"width": 1366, "height": 768}


def demo_id(scenario: str) -> str:
    return f"DEMO-{SCENARIOS.index(scenario) + 1:04d}"


@pytest.fixture
def desk(shared_desk_server, browser, desk_screenshots, request):
    """A fresh reviewer session; `desk.shot(name)` saves the viewport as the reviewer sees it."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    desk = Desk(shared_desk_server, page, desk_screenshots, request.node.name)
    yield desk
    context.close()


class Desk:
    def __init__(self, server, page, folder, test_name: str):
        self.server, self.page, self.folder, self.test = server, page, folder, test_name

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.folder / f"{self.test}-{name}.png"))

    def log_in(self, username: str = "reviewer") -> None:
        self.page.goto(f"{self.server.url}/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()
        assert "/login" not in self.page.url

    def application_id(self, external_id: str) -> str:
        return self.server.query("SELECT id FROM applications WHERE external_id = ?",
                                 external_id)[0][0]

    def open(self, external_id: str) -> None:
        self.page.goto(f"{self.server.url}/applications/{self.application_id(external_id)}")
        assert external_id in self.page.inner_text(".app-meta")

    def status(self, external_id: str) -> str:
        return self.server.query("SELECT status FROM applications WHERE external_id = ?",
                                 external_id)[0][0]

    def audit_actions(self, external_id: str) -> list[str]:
        return [a for (a,) in self.server.query(
            "SELECT action FROM audit_events WHERE target_id = ? ORDER BY id",
            self.application_id(external_id))]


def test_1_approving_over_block_findings_needs_acknowledgement_and_can_be_undone(desk):
    case = demo_id("invalid_id_number")
    desk.log_in()
    desk.open(case)
    blocks = {code for (code,) in desk.server.query(
        "SELECT f.code FROM findings f JOIN applications a ON a.latest_run_id = f.run_id "
        "WHERE a.external_id = ? AND f.severity = 'block'", case)}
    assert len(blocks) >= 2
    desk.page.keyboard.press("a")
    desk.page.keyboard.press("Enter")
    desk.page.wait_for_timeout(500)
    assert desk.status(case) == "awaiting_review"  # a then Enter approves nothing
    panel = desk.page.locator("#panel-approve")
    boxes = panel.locator("input[name=acknowledged]")
    assert {boxes.nth(i).get_attribute("value") for i in range(boxes.count())} == blocks
    desk.shot("asks-acknowledgement")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    panel.locator("textarea[name=note]").fill("已电话核实证件号码为识别误差（浏览器测试）")
    panel.locator("button[type=submit]").click()
    desk.page.wait_for_load_state()
    assert desk.status(case) == "approved"
    [(acknowledged, against)] = desk.server.query(
        "SELECT d.acknowledged, d.against_recommendation FROM decisions d JOIN applications a "
        "ON a.id = d.application_id WHERE a.external_id = ?", case)
    assert set(json.loads(acknowledged)) == blocks and against
    flash = desk.page.locator(".flash.ok", has_text="初审通过")
    desk.shot("approved-with-undo")
    flash.locator("button", has_text="撤销").click()
    desk.page.wait_for_load_state()
    assert desk.status(case) == "awaiting_review"
    assert "已撤销" in desk.page.inner_text(".flashes")
    assert desk.audit_actions(case)[-2:] == ["decision.approve", "decision.undo"]
    desk.shot("undone")
