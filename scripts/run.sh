#!/usr/bin/env bash
# `make run`: the portal with demo data on embedded defaults (SQLite, a local OpenSearch node,
# a local Redis as the Celery broker, one worker) at http://127.0.0.1:8000.
# Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

ensure_apt redis-server fonts-noto-cjk
scripts/venv.sh

VAR="$PWD/var"
services_init "$VAR/run"
trap 'say "stopping"; stop_all' EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=portal.settings.dev
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6380/0}"
export SEARCH_URL="${SEARCH_URL:-http://127.0.0.1:9201}"

start_redis "$VAR/redis" 6380
start_opensearch "$VAR/opensearch" 9200
say "migrating the database"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py search_index --ensure
.venv/bin/python manage.py seed_demo
start_worker "$VAR/run/logs/worker.log"

say "the portal is at http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/); Ctrl-C stops it"
.venv/bin/python manage.py runserver 127.0.0.1:8000 &
echo $! > "$PIDS_DIR/server.pid"
wait "$(cat "$PIDS_DIR/server.pid")"
