"""Issue 16 item 7: a batch reprocess and the pipeline page follow themselves, in Debian's
Chromium at 1366x768 against one `reviewer run --demo` (its 12 demo cases, two workers).

A MutationObserver (a Playwright init script, outside the page's CSP) reports every new
value of the batch page's done count to the test: a change it sees happened in the page,
not by a reload (which would start a fresh page and observer)."""
from __future__ import annotations

import pytest

from reviewer.cli.demo import DEMO_PASSWORD
from tests.browser.conftest import DEMO_COUNT

pytestmark = pytest.mark.slow

VIEWPORT = {"width": 1366, "height": 768}
OBSERVE_DONE_COUNT = """
document.addEventListener("DOMContentLoaded", () => {
  const figure = document.querySelector('[data-live] [data-field="counts"]');
  if (!figure) { return; }
  const done = () => figure.textContent.split("/")[0];
  window.figureSeen("load:" + done());
  new MutationObserver(() => window.figureSeen(done()))
    .observe(figure, { childList: true, characterData: true, subtree: true });
});
"""


@pytest.fixture
def supervisor(shared_desk_server, browser):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{shared_desk_server.url}/login")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url
    yield context
    context.close()


def start_batch(page, url: str) -> int:
    """Preview every application, start the batch from the page; returns its id."""
    page.goto(f"{url}/supervision/reprocess")
    page.click("button:has-text('预览数量')")
    assert f"符合条件：{DEMO_COUNT} 件" in page.inner_text(".confirm-bar")
    page.click("button:has-text('开始重新检查')")
    page.wait_for_url("**/supervision/reprocess/*")
    return int(page.url.rsplit("/", 1)[1])


def in_page(seen: list[str]) -> list[str]:
    """The values the done count took after the first load and before any reload."""
    values = []
    for value in seen[1:]:
        if value.startswith("load:"):
            break
        values.append(value)
    return values


def test_a_batch_and_the_pipeline_page_follow_themselves_and_a_batch_cancels(
        shared_desk_server, supervisor, desk_screenshots):
    server, shot = shared_desk_server, lambda page, name: page.screenshot(
        path=str(desk_screenshots / f"test_live_batch-{name}.png"))
    health = supervisor.new_page()
    health.goto(f"{server.url}/supervision/health")
    health.evaluate("window.stayed = true")
    done_before = health.inner_text('[data-field="runs.done"]')

    seen: list[str] = []
    page = supervisor.new_page()
    page.expose_function("figureSeen", lambda value: seen.append(value))
    page.add_init_script(OBSERVE_DONE_COUNT)
    first = start_batch(page, server.url)
    for _ in range(50):
        if seen:
            break
        page.wait_for_timeout(100)
    assert seen, "the batch page has no live done count"
    loaded = seen[0].removeprefix("load:")
    assert int(loaded) < DEMO_COUNT and "进行中" in page.inner_text(".batch-figures")
    shot(page, "batch-running")
    for _ in range(240):  # the page polls every 3 s; the test never reloads it
        if [v for v in in_page(seen) if v != loaded]:
            break
        page.wait_for_timeout(500)
    changed = [v for v in in_page(seen) if v != loaded]
    assert changed and int(changed[0]) > int(loaded), seen
    assert "件/分钟" in page.inner_text(".batch-figures")

    # The pipeline page's done count went up with the batch, without a reload.
    health.wait_for_function(
        "before => window.stayed && document.querySelector('[data-field=\"runs.done\"]')"
        ".textContent !== before", arg=done_before, timeout=60_000)
    shot(health, "pipeline-live")

    # A second batch waits behind the first on the reprocess queue: cancel it.
    second = start_batch(page, server.url)
    assert second != first
    page.click("button:has-text('取消批次')")
    page.wait_for_load_state()
    assert "已取消" in page.inner_text(".batch-figures")
    assert page.locator("button:has-text('取消批次')").count() == 0
    shot(page, "batch-cancelled")
    states = dict(server.query("SELECT state, COUNT(*) FROM inspection_runs WHERE batch_id = ? "
                               "GROUP BY state", second))
    assert states.get("cancelled", 0) > 0, states
    assert server.query("SELECT state FROM reprocess_batches WHERE id = ?", second) == [
        ("cancelled",)]
    assert server.query("SELECT action FROM audit_events WHERE action = 'reprocess.cancel' "
                        "AND target_id = ?", str(second)) == [("reprocess.cancel",)]
