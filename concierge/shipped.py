"""The defaults shipped inside the package: the policy files, the catalog, the example scenarios, the
needs sets (``concierge eval --needs``) and the UI's guided demo scripts.

In the repository they live top-level (``config/``, ``data/catalog/``, ``data/scenarios/``, ``data/needs/``,
``data/demo/``) and ``concierge/_defaults/`` holds symlinks to them. A checkout, an editable install and a wheel (whose
build copies the files in) all find them the same way, through ``importlib.resources``, so an installed
package never depends on a source tree beside it.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

ShippedName = Literal["config", "catalog", "scenarios", "needs", "demo"]


def shipped_dir(name: ShippedName) -> Path:
    """The folder of shipped defaults ``name`` (a real folder: the package is installed unzipped)."""
    return Path(str(files("concierge").joinpath("_defaults", name)))
