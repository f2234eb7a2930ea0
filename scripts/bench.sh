#!/usr/bin/env bash
# `make bench`: start the services like `make test`, then run every bench/*.py; each prints
# its figures and its ratio against a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

shopt -s nullglob
benches=(bench/*.py)
if ((${#benches[@]} == 0)); then
  say "no benchmarks found in bench/"
  exit 0
fi

ensure_apt postgresql redis-server fonts-noto-cjk
scripts/venv.sh
search/node/engine.sh fetch

TMP="$(mktemp -d /tmp/portal-bench.XXXXXX)"
chmod 755 "$TMP"
services_init "$TMP"
trap 'stop_all; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=portal.settings.bench
export DATABASE_URL="postgres://postgres@127.0.0.1:5441/portal_bench"
export CELERY_BROKER_URL="redis://127.0.0.1:6391/0"
export SEARCH_URL="http://127.0.0.1:9271"
export SEARCH_INDEX_PREFIX="bench"
export OPENSEARCH_HEAP="${OPENSEARCH_HEAP:-2g}"

start_postgres "$TMP/postgres" 5441
runuser -u postgres -- createdb -h 127.0.0.1 -p 5441 portal_bench
start_redis "$TMP/redis" 6391
start_opensearch "$TMP/opensearch" 9270
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py search_index --ensure

for bench in "${benches[@]}"; do
  if [[ -n "${1:-}" && "$bench" != *"$1"* ]]; then continue; fi
  # The growth bench seeds a million profiles (~20 min on a quiet 2-core host): only by name.
  if [[ -z "${1:-}" && "$bench" == *scale* ]]; then continue; fi
  say "$bench"
  .venv/bin/python "$bench"
done
