"""The workarounds that reach into crewAI's and mem0's internals run on the versions they were written for."""

from __future__ import annotations

import importlib

from concierge.vendor import TARGETED, WORKAROUNDS, version_drift


def test_installed_libraries_are_the_versions_the_workarounds_target() -> None:
    drift = version_drift()
    assert not drift, (
        "a library changed version: re-check every workaround listed for it in concierge/vendor.py "
        f"(WORKAROUNDS), then update TARGETED. Changed: {drift}"
    )


def test_every_listed_workaround_exists_and_names_a_targeted_library() -> None:
    for workaround in WORKAROUNDS:
        assert workaround.library in TARGETED, workaround
        module, _, attribute = workaround.where.partition(":")
        found = importlib.import_module(module)
        for part in filter(None, attribute.split(".")):
            found = getattr(found, part)
