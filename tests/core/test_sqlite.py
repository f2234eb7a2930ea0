"""SQLite as the embedded default: the web process and the Celery worker write the same file.

Two real processes with the settings of `make run` (portal.settings.dev, DATABASE_URL naming a
temporary SQLite file): one holds a write transaction for a while, the other reads and then
writes in its own transaction meanwhile. Both must succeed; none may see "database is locked".
The suite itself stays on PostgreSQL: these processes never touch the test database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys, time
from pathlib import Path
import django
django.setup()
from django.db import connection, transaction

role, signals = sys.argv[1], Path(sys.argv[2])


def wait_for(name):
    deadline = time.monotonic() + 60
    while not (signals / name).exists():
        assert time.monotonic() < deadline, name
        time.sleep(0.02)


if role == "setup":
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, who TEXT)")
        cursor.execute("PRAGMA journal_mode")
        print(cursor.fetchone()[0])
elif role == "worker":
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO rows (who) VALUES ('worker')")
        (signals / "locked").touch()  # the write lock is held from here until the commit
        wait_for("release")
        cursor.execute("INSERT INTO rows (who) VALUES ('worker')")
elif role == "reader":
    wait_for("locked")
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM rows")
        print(cursor.fetchone()[0], round(time.monotonic() - started, 2))
    (signals / "read").touch()
else:
    wait_for("locked")
    (signals / "web-started").touch()
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM rows")  # a read first, then a write
        seen = cursor.fetchone()[0]
        cursor.execute("INSERT INTO rows (who) VALUES ('web')")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM rows")
        print(seen, cursor.fetchone()[0], round(time.monotonic() - started, 2))
"""


def _environment(database: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "DEBUG"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev", DATABASE_URL=f"sqlite:///{database}"
    )
    return environment


def _start(role: str, signals: Path, database: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, role, str(signals)],
        cwd=ROOT,
        env=_environment(database),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen) -> str:
    stdout, stderr = process.communicate(timeout=60)
    assert "database is locked" not in stderr
    assert process.returncode == 0, stderr
    return stdout.strip()


def _wait_for(path: Path, *processes: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        for process in processes:
            assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, f"{path.name} never came"
        time.sleep(0.05)


def test_web_and_worker_write_the_same_sqlite_file_at_once(tmp_path) -> None:
    database, signals = tmp_path / "db.sqlite3", tmp_path
    assert _finish(_start("setup", signals, database)) == "wal"

    worker = _start("worker", signals, database)
    reader = _start("reader", signals, database)
    web = _start("web", signals, database)
    _wait_for(signals / "read", worker, reader)
    _wait_for(signals / "web-started", worker, web)
    time.sleep(1.0)  # the web process is now waiting for the worker's write lock
    (signals / "release").touch()

    seen, rows, waited = _finish(web).split()
    _finish(worker)
    count, seconds = _finish(reader).split()
    # The web process waited for the worker's commit, then read and wrote after it.
    assert (int(seen), int(rows)) == (2, 3)
    assert float(waited) >= 0.9
    # WAL: the reader was not blocked by the writer and saw the last committed state.
    assert int(count) == 0 and float(seconds) < 1.0
