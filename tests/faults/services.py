"""Private services for the fault tests, started and stopped by the tests themselves.

Each runs on a free loopback port with its data in a throwaway folder, so that killing or
restarting it never touches the PostgreSQL, Redis and worker the rest of the suite uses. The
commands are those of scripts/services.sh (a trust-auth cluster owned by user postgres, a Redis
without persistence, a Celery worker), driven from Python so that a test can kill one at the
moment it chooses.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import redis

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``condition`` until it is true; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.05)


class Redis:
    """A Redis without persistence (as `make test` runs it) that can be stopped and started
    again on the same port; ``appendonly`` turns on the AOF, as docker/compose.yaml runs it."""

    def __init__(self, folder: Path, appendonly: bool = False) -> None:
        self.folder = folder
        self.port = free_port()
        self.appendonly = appendonly
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis.from_url(self.url(db), socket_timeout=5)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.appendonly else []
        self.process = subprocess.Popen(
            [
                "redis-server",
                *("--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder)),
                *("--save", "", "--appendonly", "no", *persistence),
                *("--logfile", str(self.folder / "redis.log")),
            ],
            start_new_session=True,
        )
        try:
            wait_until(self._answers, 20, f"Redis on port {self.port}")
        except BaseException:
            self.stop()
            raise

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.ConnectionError:
            return False

    def idle(self) -> bool:
        """No task queued and none taken but unacknowledged (Celery's Redis transport keeps
        taken messages in the ``unacked`` hash until the task ends)."""
        client = self.client()
        queued = sum(client.llen(queue) for queue in ("default", "mail", "search", "pdf"))
        return queued == 0 and client.hlen("unacked") == 0

    def stop(self) -> None:
        """SIGTERM and wait: what lives only in memory is gone."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


class Postgres:
    """A throwaway PostgreSQL cluster owned by user postgres, as scripts/services.sh makes one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.bin = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version)[-1])

    def _as_postgres(self, *command: str, check: bool = True) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=check,
            timeout=120,
            stdout=subprocess.DEVNULL,
        )

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o755)
        self._as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-w", "-t", "60", "-o", options, "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast", check: bool = True) -> None:
        """``immediate`` is a crash as far as clients are concerned: connections drop at once.
        ``check=False`` for clean-up, where the cluster may never have started."""
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=check
        )

    def url(self, name: str, **options: str) -> str:
        query = "&".join(f"{key}={value}" for key, value in options.items())
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}" + (f"?{query}" if query else "")

    def copy_database(self, source: dict, name: str) -> None:
        """Create ``name`` as a copy of the database ``source`` (Django's settings dict of an
        already migrated database): a dump and restore takes a second, migrating ~25 s."""
        subprocess.run(
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             name],
            check=True, timeout=60,
        )  # fmt: skip
        dump = subprocess.Popen(
            [str(self.bin / "pg_dump"), "-Fc", "-h", source["HOST"] or "127.0.0.1",
             "-p", str(source["PORT"] or 5432), "-U", source["USER"] or "postgres",
             source["NAME"]],
            stdout=subprocess.PIPE,
            env={**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""},
        )  # fmt: skip
        subprocess.run(
            [str(self.bin / "pg_restore"), "--no-owner", "-h", "127.0.0.1", "-p", str(self.port),
             "-U", "postgres", "-d", name],
            stdin=dump.stdout, check=True, timeout=120,
        )  # fmt: skip
        assert dump.wait(timeout=60) == 0, "pg_dump of the suite's database failed"


def _version(path: Path) -> int:
    return int(path.parent.name)


class Process:
    """A portal process (Celery worker, gunicorn) in its own process group, so that a kill
    reaches its children too, with its output in a log file the test can wait on."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path, ready: str) -> None:
        self.command = command
        # Not a test process itself: the settings must not add a pytest-xdist worker's suffix
        # to the index prefix and folders the test hands over (portal/settings/test.py).
        self.env = {key: value for key, value in env.items() if not key.startswith("PYTEST_XDIST")}
        self.log = log
        self.ready = ready
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                self.command,
                cwd=REPO,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until(lambda: self._started(offset), timeout, f"{self.command[0]} ({self.log})")
        except BaseException:
            self.kill()  # nothing outlives a failed start
            raise

    def _started(self, offset: int) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"{self.command[0]} exited; see {self.log}:\n{self.output()}")
        with self.log.open("rb") as output:
            output.seek(offset)
            return self.ready in output.read().decode("utf-8", "replace")

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")[-4000:] if self.log.exists() else ""

    def signal(self, signum: int) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signum)

    def freeze_when(self, caught: Callable[[], object], timeout: float = 60) -> None:
        """Stop the process (SIGSTOP) at a moment ``caught()`` holds, checked while it is
        frozen, so that the kill that follows lands exactly there."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.signal(signal.SIGSTOP)
            if caught():
                return
            self.signal(signal.SIGCONT)
            time.sleep(0.02)
        raise AssertionError(f"never caught the moment to stop it; see {self.log}")

    def kill(self) -> None:
        """SIGKILL the whole group: no shutdown code runs, nothing is acknowledged."""
        if self.process and self.process.poll() is None:
            self.signal(signal.SIGKILL)
            self.process.wait(timeout=20)
        self.process = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.signal(signal.SIGKILL)
                self.process.wait(timeout=20)
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def celery_worker(env: dict[str, str], log: Path, name: str) -> Process:
    """One prefork child on the queues the fault tests use, as scripts/services.sh starts one."""
    return Process(
        [
            str(VENV_BIN / "celery"),
            *("-A", "portal", "worker", "-Q", "default,mail,search", "-c", "1"),
            *("--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("--hostname", f"{name}@%h"),
        ],
        env,
        log,
        ready="ready.",
    )


def gunicorn(env: dict[str, str], log: Path, port: int) -> Process:
    """The portal as production serves it (docker/Dockerfile runs gunicorn)."""
    return Process(
        [
            str(VENV_BIN / "gunicorn"),
            *("portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"),
            *("--timeout", "60", "--preload", "--access-logfile", "-"),
        ],
        env,
        log,
        ready="Booting worker",  # after --preload has imported the portal
    )
