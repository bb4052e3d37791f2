"""Several processes on one embedded server, and persistence across a full stop and restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from concierge.service import ConciergeService

WRITER = """
import json, sys
from concierge.service import ConciergeService
project, prefix, users, turns = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
svc = ConciergeService.from_settings()
stored = 0
for u in range(users):
    scope = svc.scope(f"{prefix}{u:02d}", project_id=project)
    for t in range(turns):
        stored += len(svc.remember(scope, f"I love the town number {t} of {prefix}{u:02d}").stored)
svc.close()
print(json.dumps({"stored": stored}))
"""

READER = """
import json, sys
from concierge.service import ConciergeService
svc = ConciergeService.from_settings()
scope = svc.scope(sys.argv[2], project_id=sys.argv[1])
print(json.dumps([r.text for r in svc.memories(scope)]))
svc.close()
"""


def _run(code: str, *args: str, data_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "CONCIERGE_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _result(proc: subprocess.Popen[str]) -> object:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.slow
def test_two_processes_share_the_embedded_server(service: ConciergeService, state_dir: Path, project: str) -> None:
    procs = [_run(WRITER, project, prefix, "10", "10", data_dir=state_dir) for prefix in ("pa", "pb")]
    assert [_result(p) for p in procs] == [{"stored": 100}, {"stored": 100}]
    for prefix in ("pa", "pb"):
        for u in range(10):
            user = f"{prefix}{u:02d}"
            texts = [r.text for r in service.memories(service.scope(user, project_id=project))]
            assert len(texts) == 10 and all(user in t for t in texts), user


@pytest.mark.slow
def test_memories_survive_a_full_stop_and_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "state"
    data_dir.mkdir()
    assert _result(_run(WRITER, "production", "keep", "1", "3", data_dir=data_dir)) == {"stored": 3}
    # The only process holding the server has exited, so the server has stopped.
    assert not (data_dir / "pg" / "postmaster.pid").exists()
    texts = _result(_run(READER, "production", "keep00", data_dir=data_dir))
    assert sorted(texts) == [f"User loves the town number {t} of keep00" for t in range(3)]
