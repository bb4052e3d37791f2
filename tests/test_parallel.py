"""The suite's split over xdist workers (tests/parallel.py): a module's shared fixture is built on one worker."""

from __future__ import annotations

from pathlib import Path

from tests.parallel import scope_of


def test_a_module_with_a_module_fixture_is_one_unit_and_any_other_test_is_its_own(tmp_path: Path) -> None:
    (tmp_path / "test_shared.py").write_text('@pytest.fixture(scope="module")\ndef server(): ...\n')
    (tmp_path / "test_plain.py").write_text("@pytest.fixture\ndef server(): ...\n")
    shared = ["test_shared.py::test_one", "test_shared.py::test_two[x]"]
    plain = ["test_plain.py::test_one", "test_plain.py::test_two[x]"]
    assert {scope_of(nodeid, tmp_path) for nodeid in shared} == {"test_shared.py"}
    assert [scope_of(nodeid, tmp_path) for nodeid in plain] == plain
    assert scope_of("test_gone.py::test_one", tmp_path) == "test_gone.py::test_one"  # no such file: its own unit
