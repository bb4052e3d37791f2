"""``concierge serve`` and ``concierge api-key``: what the CLI runs, kept out of the CLI module."""

from __future__ import annotations

import contextlib
import ipaddress
import sys
from collections.abc import Iterator

from concierge.api.keys import KeyInfo, KeyStore
from concierge.settings import Settings, load_settings


@contextlib.contextmanager
def key_store(settings: Settings | None = None) -> Iterator[KeyStore]:
    from concierge.api.database import ApiDatabase

    db = ApiDatabase(settings or load_settings())
    try:
        yield KeyStore(db)
    finally:
        db.close()


def format_keys(keys: list[KeyInfo]) -> str:
    """One line per key: name, scope, created, last used, and whether it is revoked. Never the key."""
    if not keys:
        return "(no API keys; create one: concierge api-key create --name NAME --project P)"
    lines = []
    for k in keys:
        used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never"
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "live"
        lines.append(
            f"{k.name}  org={k.org_id} project={k.project_id}  created {k.created_at:%Y-%m-%d %H:%M}  "
            f"last used {used}  {state}"
        )
    return "\n".join(lines)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(host: str, port: int, workers: int, verbose: bool) -> int:
    """Check the settings and the database (creating the API's tables once, before any worker), then run uvicorn."""
    import uvicorn

    from concierge.api.config import load_api_settings
    from concierge.api.database import ApiDatabase

    load_api_settings()  # a bad CONCIERGE_API_* variable: one line now, not one per worker
    db = ApiDatabase(load_settings())  # held while serving: the embedded server stays up between workers
    try:
        print(f"Concierge API on http://{host}:{port} (docs at /docs; Ctrl-C to stop)", file=sys.stderr, flush=True)
        if not _is_loopback(host):
            print(
                "warning: the API speaks plain HTTP; expose it only behind a reverse proxy that terminates TLS",
                file=sys.stderr,
                flush=True,
            )
        uvicorn.run(
            "concierge.api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info" if verbose else "warning",
            access_log=verbose,
            timeout_graceful_shutdown=30,
        )
    finally:
        db.close()
    return 0
