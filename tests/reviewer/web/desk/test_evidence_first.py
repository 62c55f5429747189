"""Evidence first: the viewer opens on the first block finding's material with that finding
in focus, and the reject panel comes with the case's findings ticked."""
from __future__ import annotations

import re

from reviewer.services import runtime
from tests.reviewer.factories import make_application


def test_the_page_opens_on_the_first_block_finding(client, login, users):
    application = make_application(runtime.storage())
    login("reviewer")
    body = client.get(f"/applications/{application.id}").get_data(as_text=True)
    opened = re.findall(r'<figure class="material on"[^>]*data-name="([^"]+)"', body)
    assert opened == ["leader_front.jpg"]
    focused = re.findall(r'<article class="finding [a-z]+ current"[^>]*>\s*<header><b>[^<]*</b>'
                         r' <span class="mono muted small">([A-Z_]+)', body)
    assert focused == ["ID_NAME_MISMATCH"]
    assert body.index('id="faces"') < body.index('id="findings"') < body.index('id="decide"')


def test_the_reject_panel_ticks_the_case_findings(client, login, users):
    application = make_application(runtime.storage())
    login("reviewer")
    body = client.get(f"/applications/{application.id}").get_data(as_text=True)
    panel = body[body.index('id="panel-reject"'):body.index('id="panel-mail"')]
    ticked = set(re.findall(r'name="reasons" value="([A-Z_]+)" checked', panel))
    assert ticked == {"ID_NAME_MISMATCH", "CONTACT_INVALID", "LICENSE_LEGAL_REP_MISMATCH"}
    assert 'class="reason-search"' in panel
