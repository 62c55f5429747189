from tests.reviewer.factories import desk_env  # noqa: F401  (autouse)
