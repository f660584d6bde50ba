"""A throwaway PostgreSQL database per test session, on Debian's PostgreSQL 15.

The cluster is started if it is down (``pg_ctlcluster 15 main start``); the tests connect over
the local socket as a superuser role named after the OS user (created once through the
``postgres`` account). Without PostgreSQL the tests that need it are skipped with the command
that installs it — or, under CI (``CI`` set), fail: CI must run them.
"""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import uuid

import pytest


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _as_postgres(cmd: str) -> subprocess.CompletedProcess:
    if getpass.getuser() == "postgres":
        return _run(["sh", "-c", cmd])
    return _run(["su", "postgres", "-c", cmd])


def _unavailable(reason: str):
    message = (f"PostgreSQL is not available ({reason}): apt-get install -y postgresql-15 "
               "and run as root, or set RASHOMON_TEST_PG to a postgresql:// URL of a database you may drop tables in")
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def server_url() -> str:
    """A postgresql:// URL of a fresh, empty database (dropped by ``drop``)."""
    given = os.environ.get("RASHOMON_TEST_PG")
    if given:
        return given
    if not shutil.which("pg_ctlcluster") or not shutil.which("psql"):
        _unavailable("pg_ctlcluster or psql not found")
    status = _run(["pg_lsclusters", "--no-header"])
    if "online" not in status.stdout:
        started = _run(["pg_ctlcluster", "15", "main", "start"])
        if started.returncode != 0:
            _unavailable(f"pg_ctlcluster 15 main start: {started.stderr.strip()[:200]}")
    user = getpass.getuser()
    if user != "postgres":
        _as_postgres(f"psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='{user}'\" | grep -q 1 || createuser -s {user}")
    name = f"rashomon_test_{uuid.uuid4().hex[:12]}"
    made = _as_postgres(f"createdb -O {user} {name}")
    if made.returncode != 0:
        _unavailable(f"createdb: {made.stderr.strip()[:200]}")
    return f"postgresql:///{name}"


def drop(url: str) -> None:
    if os.environ.get("RASHOMON_TEST_PG"):
        return
    name = url.rsplit("/", 1)[-1]
    _as_postgres(f"dropdb --if-exists --force {name}")


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    """A store location on each engine: a SQLite file, then a fresh PostgreSQL database
    (dropped afterwards). Import it into a test module to run its tests on both."""
    if request.param == "sqlite":
        yield str(tmp_path / "s.db")
    else:
        url = server_url()
        yield url
        drop(url)
