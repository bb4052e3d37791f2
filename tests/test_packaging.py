"""The wheel is a working install: it carries the default config, catalog and scenarios, and runs outside the checkout.

The wheel is built from a copy of the source (nothing is written into the checkout) without build isolation
(nothing is downloaded), and installed into a fresh venv that reuses this venv's dependencies through a
``.pth`` file (torch is not installed again).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from concierge.runtime_env import PROJECT_ROOT

_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "state", "__pycache__", "build", "dist", "*.egg-info", ".*cache")


def _shipped_files() -> dict[str, list[str]]:
    found = {
        "config": sorted(p.name for p in (PROJECT_ROOT / "config").glob("*.yaml")),
        "catalog": sorted(p.name for p in (PROJECT_ROOT / "data" / "catalog").glob("*.json")),
        "scenarios": sorted(p.name for p in (PROJECT_ROOT / "data" / "scenarios").glob("*.yaml")),
        "needs": sorted(p.name for p in (PROJECT_ROOT / "data" / "needs").glob("*.yaml")),
    }
    assert all(found.values()), found
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("src") / "concierge"
    shutil.copytree(PROJECT_ROOT, source, symlinks=True, ignore=_NOT_SOURCE)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (built,) = out.glob("concierge-*.whl")
    return built


def test_the_wheel_carries_the_default_config_catalog_and_scenarios(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, files in _shipped_files().items():
        missing = [f for f in files if f"concierge/_defaults/{folder}/{f}" not in names]
        assert not missing, f"{folder} files missing from the wheel: {missing}"
    assert {"ui/app.py", "ui/views/chat.py", "ui/views/simulate.py"} <= names


@pytest.mark.slow
def test_the_installed_wheel_runs_eval_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # Installed first, while the venv sees nothing else: pip must not find (and touch) another concierge.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    # This venv's packages (torch, crewai, ...) after the new venv's own: the wheel's concierge wins.
    (site / "zz_shared_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env["CONCIERGE_DATA_DIR"] = str(tmp_path / "state")

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=workdir, env=env, capture_output=True, text=True, timeout=600)

    where = run(
        python, "-c", "import concierge, concierge.shipped as s; print(concierge.__file__, s.shipped_dir('scenarios'))"
    )
    assert where.returncode == 0, where.stderr
    package_file, scenarios = where.stdout.split()
    assert Path(package_file).is_relative_to(site) and Path(scenarios).is_relative_to(site)
    assert not Path(package_file).is_relative_to(PROJECT_ROOT)

    result = run(venv / "bin" / "concierge", "eval", Path(scenarios) / "nut_allergy_rain.yaml", "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["passed"] is True and report["counts"]["passed"] > 0
    needs = Path(scenarios).parent / "needs" / "needs_set.yaml"
    scored = run(venv / "bin" / "concierge", "eval", "--needs", needs, "--json")
    assert scored.returncode == 0, scored.stderr[-2000:]
    assert not (workdir / "data").exists()  # state went to CONCIERGE_DATA_DIR, nowhere else
