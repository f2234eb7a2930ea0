"""Load test: a mixed population of portal users (Locust) against the portal as production runs
it — gunicorn, production settings (DEBUG off, whitenoise's compressed manifest static files,
Redis cache, persistent database connections), a Celery worker — on the demo data, indexed.

The population (bench/support/load_users.py) is mostly readers: anonymous visitors, procurement
officers searching and matching, enterprises editing their profile through the real form, and
one officer publishing from the procurement desk. 50 users for 5 minutes by default;
``LOAD_USERS`` and ``LOAD_SECONDS`` shorten it while developing, ``WEB_CONCURRENCY`` and
``WEB_THREADS`` size gunicorn. Prints throughput and p50/p95/p99 per kind of request, the
errors, and ends with ``load: N requests, E errors, p95 X ms``; exits 1 when a request failed
(a missed latency target is printed, not failed: a shared host's figures are noisy).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from support import ROOT, setup_django

setup_django()

from support.load_data import prepare  # noqa: E402

#: 2 cores: the sync workers of production (docker/: WEB_CONCURRENCY 3) block on the engine
#: and the database for most of a request, so a few threads each keep both cores busy.
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "3"))
THREADS = int(os.environ.get("WEB_THREADS", "4"))
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(folder: Path) -> dict[str, str]:
    """The environment of a production deployment behind one TLS-terminating proxy, with
    throwaway secrets: the bench's database, broker and engine, a Redis cache beside them."""
    broker = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6391/0")
    base, _, db = broker.rpartition("/")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CACHE_URL": f"{base}/{(int(db or 0) + 1) % 16}",
        "EMAIL_URL": "dummymail://",
        "TRUSTED_PROXY_COUNT": "1",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DEBUG", None)
    return env


def start(folder: Path, env: dict[str, str]) -> tuple[list[subprocess.Popen], int]:
    """collectstatic (as the image build does), a Celery worker and gunicorn; the port."""
    venv = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    logs = open(folder / "server.log", "w")  # noqa: SIM115 — kept open for the processes
    worker = subprocess.Popen(  # noqa: S603
        [
            str(venv / "celery"),
            "-A",
            "portal",
            "worker",
            "-Q",
            "default,mail,search,pdf",
            "-c",
            "1",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=logs,
        stderr=subprocess.STDOUT,
    )
    server = subprocess.Popen(  # noqa: S603 — the Dockerfile's command line
        [
            str(venv / "gunicorn"),
            "portal.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            f"--threads={THREADS}",
            "--worker-tmp-dir=/dev/shm",
            "--timeout=60",
            "--graceful-timeout=30",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=logs,
        stderr=subprocess.STDOUT,
    )
    processes = [server, worker]
    deadline = time.monotonic() + 90
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers=PROXY_HEADERS)
    while time.monotonic() < deadline:
        try:
            # A fixed http://127.0.0.1 address: no file: or custom scheme can reach urlopen.
            with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310  # nosec B310
                if answer.status == 200:
                    return processes, port
        except OSError:
            time.sleep(0.5)
    stop(processes)
    raise SystemExit(f"gunicorn did not answer /healthz within 90 s; see {folder}/server.log")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="portal-load-"))
    try:
        logging.disable(logging.INFO)  # the seeders' and Wagtail's progress lines
        plan = prepare()
        logging.disable(logging.NOTSET)
        env = production_env(folder)
        processes, port = start(folder, env)
        try:
            plan["host"] = f"http://127.0.0.1:{port}"
            plan["server_pids"] = [processes[0].pid]  # gunicorn: its workers are counted
            plan_file = folder / "plan.json"
            plan_file.write_text(json.dumps(plan, ensure_ascii=False))
            print(
                f"  gunicorn: {WORKERS} workers × {THREADS} threads, production settings; "
                f"{plan['enterprises']:,} enterprises, {len(plan['notices'])} public notices"
            )
            return subprocess.run(  # noqa: S603
                [sys.executable, str(ROOT / "bench" / "support" / "load_users.py"), str(plan_file)],
                cwd=ROOT,
                check=False,
            ).returncode
        finally:
            stop(processes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
