"""Queue rows name what is wrong; the queue searches external id, subject name, domain and
mail tracking number."""
from __future__ import annotations

import re

import pytest

from models import MailRequest, Website, db
from pipeline.findings import CATALOGUE
from reviewer.services import runtime
from reviewer.web.desk.queue import BadFilter, QueueFilters
from tests.reviewer.factories import make_application


def listed(client, query: str = "") -> set[str]:
    body = client.get("/queue" + query).get_data(as_text=True)
    return set(re.findall(r'href="/applications/([0-9a-f]{32})"', body))


@pytest.fixture
def three(users):
    store = runtime.storage()
    made = [make_application(store, subject_name=name) for name in
            ("杭州云帆科技", "宁波海港贸易", "温州百货_%商行")]
    db.session.get(Website, made[1].websites[0].id).domain = "haigang-trade.cn"
    db.session.add(MailRequest(application_id=made[2].id, items=["id_card_front"],
                               address="杭州", tracking_number="SF1234567890"))
    db.session.commit()
    return made


@pytest.mark.parametrize("words, which", [("云帆", 0), ("haigang-trade", 1), ("SF1234567890", 2),
                                          ("_%商", 2)])
def test_the_queue_finds_by_name_domain_and_tracking_number(client, login, three, words, which):
    login("reviewer")
    assert listed(client, f"?q={words}") == {three[which].id}


def test_the_queue_finds_by_external_id(client, login, three):
    login("reviewer")
    assert listed(client, f"?q={three[1].external_id}") == {three[1].id}
    assert listed(client, "?q=没有这家") == set()


def test_a_search_longer_than_100_characters_is_refused():
    with pytest.raises(BadFilter):
        QueueFilters.from_args({"q": "长" * 101})


def test_queue_rows_name_the_worst_findings(client, login, three):
    login("reviewer")
    body = client.get("/queue").get_data(as_text=True)
    names = re.findall(r'<div class="top-findings small">([^<]+)</div>', body)
    titles = [CATALOGUE[c].title for c in ("CONTACT_INVALID", "ID_NAME_MISMATCH",
                                           "LICENSE_LEGAL_REP_MISMATCH")]
    assert names == ["、".join(titles)] * 3  # blocks first, then the warning
