#!/usr/bin/env bash
# `make fuzz`: the release lifecycle state machine (tests/classification/test_release_lifecycle.py)
# for much longer than `make test` runs it, with new random sequences every run. Starts
# PostgreSQL, Redis and OpenSearch like `make test` (on ports of their own, so that both can run
# at once) and stops them on exit. LIFECYCLE_EXAMPLES and LIFECYCLE_STEPS set the length;
# arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

ensure_apt postgresql redis-server fonts-noto-cjk
scripts/venv.sh
search/node/engine.sh fetch

TMP="$(mktemp -d /tmp/portal-fuzz.XXXXXX)"
chmod 755 "$TMP"
services_init "$TMP"
cleanup() {
  local code=$?
  stop_all
  rm -rf "$TMP"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=portal.settings.test
export DATABASE_URL="postgres://postgres@127.0.0.1:5442/portal_fuzz_test"
export CELERY_BROKER_URL="redis://127.0.0.1:6392/0"
export SEARCH_URL="http://127.0.0.1:9251"
export SEARCH_INDEX_PREFIX="fuzz"
export PORTAL_TEST_SERVICES=1
export MEDIA_ROOT="$TMP/media" PRIVATE_MEDIA_ROOT="$TMP/private"
# About 60,000 steps (some three hours); derandomize off: each run explores new sequences.
export LIFECYCLE_EXAMPLES="${LIFECYCLE_EXAMPLES:-200}"
export LIFECYCLE_STEPS="${LIFECYCLE_STEPS:-300}"
export LIFECYCLE_DERANDOMIZE=0

start_postgres "$TMP/postgres" 5442
start_redis "$TMP/redis" 6392
start_opensearch "$TMP/opensearch" 9250

say "release lifecycle: $LIFECYCLE_EXAMPLES examples of up to $LIFECYCLE_STEPS steps"
.venv/bin/python -m pytest tests/classification/test_release_lifecycle.py -k lifecycle -s "$@"
