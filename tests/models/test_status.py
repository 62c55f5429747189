import itertools

import pytest

from models.status import ALLOWED, IllegalTransition, Status, check_transition, transition


class _App:
    status = "submitted"
    last_activity_at = None


LEGAL = [(s, t) for s, targets in ALLOWED.items() for t in sorted(targets)]
ILLEGAL = [(s, t) for s, t in itertools.product(Status, Status) if t not in ALLOWED[s]]


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_every_legal_transition_moves_and_touches_activity(source, target):
    app = _App()
    app.status = source.value
    assert transition(app, target) == target
    assert app.status == target.value
    assert app.last_activity_at is not None


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_illegal_transition_raises_and_writes_nothing(source, target):
    app = _App()
    app.status = source.value
    with pytest.raises(IllegalTransition):
        transition(app, target)
    assert app.status == source.value
    assert app.last_activity_at is None


def test_the_documented_path_is_legal():
    path = ["submitted", "inspecting", "awaiting_review", "awaiting_mail", "mail_received",
            "awaiting_review", "approved"]
    for current, target in zip(path, path[1:]):
        check_transition(current, target)


def test_expired_is_final_and_unknown_status_is_refused():
    assert ALLOWED[Status.EXPIRED] == frozenset()
    with pytest.raises(ValueError):
        check_transition("submitted", "teleported")
