import pytest

from concierge.errors import InvalidInputError
from concierge.scope import Scope, validate_id


@pytest.mark.parametrize(
    "bad", ["", "   ", "../x", "a' OR 1=1", "x" * 300, "a/b", "tab\tid", ".hidden", "a..b", None, 42]
)
def test_invalid_ids_are_refused_with_a_reason(bad: object) -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        validate_id("user_id", bad)
    assert "user_id" in str(excinfo.value)


def test_similar_ids_are_different_users() -> None:
    ids = {validate_id("user_id", v) for v in ["alice", "Alice", "alice2", "zoë", "zoe"]}
    assert len(ids) == 5


def test_composed_and_decomposed_unicode_are_the_same_user() -> None:
    assert validate_id("user_id", "zo\u00eb") == validate_id("user_id", "zoe\u0308")


def test_scope_requires_a_user() -> None:
    with pytest.raises(InvalidInputError, match="user_id"):
        Scope("local", "production", "")
    assert Scope("local", "production", "alice", None).run_id is None
