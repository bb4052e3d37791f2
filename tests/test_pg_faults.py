"""The PostgreSQL faults of a first deployment, classified and explained (no server needed: psycopg's own
error classes, as the server's SQLSTATE makes them). The real server cases are in test_api_processes.py."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from concierge.memory.pg_faults import CommitUnknownError, connection_lost, explain_ddl_failure, retry_once

WHERE = "DATABASE_URL=postgresql://app:***@db/app"


@pytest.mark.parametrize(
    ("error", "fix"),
    [
        (errors.UndefinedFile('extension "vector" is not available'), "install pgvector"),
        (errors.InsufficientPrivilege('permission denied to create extension "vector"'), "CREATE EXTENSION vector"),
        (errors.InsufficientPrivilege("permission denied for schema public"), "GRANT CREATE ON SCHEMA public"),
    ],
    ids=["not-installed", "not-superuser", "no-create-on-schema"],
)
def test_each_ddl_failure_is_one_line_naming_its_fix(error: Exception, fix: str) -> None:
    explained = explain_ddl_failure(error, WHERE)
    assert explained is not None
    assert fix in str(explained) and WHERE in str(explained) and "\n" not in str(explained)


def test_other_errors_are_not_explained_as_ddl_failures() -> None:
    assert explain_ddl_failure(errors.UniqueViolation("duplicate key"), WHERE) is None
    assert explain_ddl_failure(ValueError("permission denied for schema public"), WHERE) is None


def test_a_terminated_backend_is_a_lost_connection_and_a_refused_one_is_not() -> None:
    assert connection_lost(errors.AdminShutdown("terminating connection due to administrator command"))
    assert connection_lost(psycopg.OperationalError("server closed the connection unexpectedly"))
    assert not connection_lost(psycopg.OperationalError("connection refused"))
    assert not connection_lost(errors.InsufficientPrivilege("permission denied"))


class _Conn:
    def __init__(self, fail_work: bool, fail_commit: bool) -> None:
        self.fail_work, self.fail_commit = fail_work, fail_commit

    def commit(self) -> None:
        if self.fail_commit:
            raise errors.AdminShutdown("terminating connection due to administrator command")


class _Pool:
    """A pool handing out the given connections in order (the boundary retry_once talks to)."""

    def __init__(self, *conns: _Conn) -> None:
        self.conns = list(conns)
        self.handed = 0

    def connection(self) -> _Pool:
        return self

    def __enter__(self) -> _Conn:
        self.handed += 1
        return self.conns[self.handed - 1]

    def __exit__(self, *_exc: object) -> None:
        return None


def _work(conn: _Conn) -> str:
    if conn.fail_work:
        raise errors.AdminShutdown("terminating connection due to administrator command")
    return "done"


def test_work_lost_before_its_commit_is_retried_once_on_a_fresh_connection() -> None:
    pool = _Pool(_Conn(fail_work=True, fail_commit=False), _Conn(fail_work=False, fail_commit=False))
    assert retry_once(pool, _work, commit=True) == "done" and pool.handed == 2
    twice = _Pool(_Conn(True, False), _Conn(True, False))
    with pytest.raises(errors.AdminShutdown):
        retry_once(twice, _work, commit=True)


def test_a_connection_lost_during_the_commit_is_not_retried() -> None:
    pool = _Pool(_Conn(fail_work=False, fail_commit=True), _Conn(fail_work=False, fail_commit=False))
    with pytest.raises(CommitUnknownError, match="may or may not be stored"):
        retry_once(pool, _work, commit=True)
    assert pool.handed == 1
