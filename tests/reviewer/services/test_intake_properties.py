"""Property test: whatever JSON arrives, intake answers 2xx or 4xx and a refusal stores nothing."""
import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samples import contract
from tests.reviewer.intake_helpers import post, stored_counts

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8),
                                                                       children, max_size=3),
    max_leaves=6)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, prefix + (index,))


EXAMPLE = contract.example()
PATHS = [p for p in _paths(EXAMPLE) if p]


@st.composite
def mutated_forms(draw):
    form = copy.deepcopy(EXAMPLE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        target = form
        try:
            for key in path[:-1]:
                target = target[key]
            if draw(st.booleans()):
                target[path[-1]] = draw(JSON_VALUES)
            else:
                del target[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
    return form


FILES = contract.files_for(EXAMPLE, seed=7)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(form=mutated_forms())
def test_any_form_gets_a_clean_answer(app, client, api_token, config, form):
    before = stored_counts(config.storage_dir)
    response = post(client, api_token, form, FILES)
    assert response.status_code in (200, 201, 400, 409, 413), response.get_data(as_text=True)
    body = response.get_json()
    if response.status_code >= 400:
        assert set(body["error"]) == {"code", "message", "field"}
        assert stored_counts(config.storage_dir) == before
    else:
        assert set(body) == {"id", "status"}
