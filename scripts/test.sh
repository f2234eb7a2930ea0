#!/usr/bin/env bash
# `make test`: install what is missing, start PostgreSQL, Redis, OpenSearch and a Celery worker
# on loopback with throwaway data, run ruff, bandit and the whole pytest suite against them, stop
# what was started (on failure too). The exit code is the suite's.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

ensure_apt postgresql redis-server fonts-noto-cjk chromium chromium-driver poppler-utils curl
scripts/venv.sh
search/node/engine.sh fetch

TMP="$(mktemp -d /tmp/portal-test.XXXXXX)"
chmod 755 "$TMP"
services_init "$TMP"
cleanup() {
  local code=$?
  stop_all
  if [[ $code -ne 0 && -d "$TMP/logs" ]]; then
    for log in "$TMP"/logs/*.log; do
      [[ -f "$log" ]] || continue
      say "last lines of $log"
      tail -n 40 "$log" >&2
    done
  fi
  rm -rf "$TMP"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=portal.settings.test
export DATABASE_URL="postgres://postgres@127.0.0.1:5440/portal_test"
# One cluster per test process (portal/settings/test.py says why).
export TEST_DATABASE_URLS="$DATABASE_URL,postgres://postgres@127.0.0.1:5443/portal_test"
export CELERY_BROKER_URL="redis://127.0.0.1:6390/0"
export SEARCH_URL="http://127.0.0.1:9261"
export SEARCH_INDEX_PREFIX="test"
export PORTAL_TEST_SERVICES=1
export MEDIA_ROOT="$TMP/media" PRIVATE_MEDIA_ROOT="$TMP/private"  # uploads of one run only

start_postgres "$TMP/postgres" 5440
start_postgres "$TMP/postgres2" 5443
start_redis "$TMP/redis" 6390
start_opensearch "$TMP/opensearch" 9260
start_worker "$TMP/logs/worker.log"
say "search indices"
.venv/bin/python manage.py search_index --ensure

say "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

say "bandit"
.venv/bin/bandit -c pyproject.toml -r . -ll -q

say "pytest"
# Two processes, each with its own database cluster, indices and upload folders
# (portal/settings/test.py), handed tests in the suite's order; the cluster and the fault tests
# (xdist_group) each stay in one process.
# ARGS="-n 0" runs the suite in one process.
set +e
.venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
code=$?
set -e
exit "$code"
