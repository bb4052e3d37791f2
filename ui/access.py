"""Who can reach the demo: the bind address check and the shared-password settings' names.

No Streamlit import: ``concierge ui`` uses this before it starts the server.
"""

from __future__ import annotations

import ipaddress

PASSWORD_ENV = "CONCIERGE_UI_PASSWORD"
PASSWORD_SECRET = "ui_password"  # key in .streamlit/secrets.toml


def is_local_address(address: str | None) -> bool:
    """True only for addresses other machines cannot reach: ``localhost`` and loopback IPs.

    An empty or missing address is Streamlit's default, which listens on every interface.
    """
    host = (address or "").strip().strip("[]").lower()
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(address: str | None, port: object) -> str | None:
    """One line for the operator when the UI is reachable from other machines, else None."""
    if is_local_address(address):
        return None
    where = address or "every network interface"
    return (
        f"the UI listens on {where} (port {port}), not only on this machine: unless a shared password is set "
        f"({PASSWORD_ENV}, or {PASSWORD_SECRET} in .streamlit/secrets.toml), anyone who can reach it can open "
        "any user id and read, export or forget that user's memories. Use --address localhost to keep it local."
    )
