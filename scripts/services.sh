# shellcheck shell=bash
# Start and stop the services the portal needs, on loopback, with data under a given folder.
# Sourced by run.sh and test.sh; every start_* records a pid file so that stop_all ends
# exactly what was started, on failure too.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PIDS_DIR=""

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

services_init() {  # services_init DIR: pid files and logs go under DIR
  PIDS_DIR="$1/pids"
  mkdir -p "$PIDS_DIR" "$1/logs"
}

ensure_apt() {  # ensure_apt PACKAGE... : install the Debian packages that are missing
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds="$1" what="$2"
  shift 2
  for _ in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  say "$what did not come up within ${seconds}s"
  return 1
}

start_postgres() {  # start_postgres DATA_DIR PORT: a throwaway cluster owned by user postgres
  local data="$1" port="$2" bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  mkdir -p "$data"
  chown postgres:postgres "$data"
  if [[ ! -f "$data/PG_VERSION" ]]; then
    runuser -u postgres -- "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  say "starting PostgreSQL on 127.0.0.1:$port"
  runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  echo "postgres:$data" > "$PIDS_DIR/postgres-$port.ctl"
}

stop_postgres() {  # every cluster start_postgres started
  local ctl data bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  for ctl in "$PIDS_DIR"/postgres-*.ctl; do
    [[ -f "$ctl" ]] || continue
    data="$(cut -d: -f2- "$ctl")"
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    rm -f "$ctl"
  done
}

start_redis() {  # start_redis DATA_DIR PORT
  local data="$1" port="$2"
  mkdir -p "$data"
  say "starting Redis on 127.0.0.1:$port"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$data" --daemonize yes \
    --pidfile "$PIDS_DIR/redis.pid" --logfile "$data/redis.log" --save "" --appendonly no
  wait_for 20 Redis redis-cli -p "$port" ping
}

start_opensearch() {  # start_opensearch DATA_DIR BASE_PORT (HTTP answers on BASE_PORT+1)
  "$REPO_ROOT/search/node/engine.sh" start "$1" "$2" "$PIDS_DIR/opensearch.pid"
}

start_worker() {  # start_worker LOGFILE: one Celery worker on every queue, in the background
  say "starting a Celery worker"
  "$REPO_ROOT/.venv/bin/celery" -A portal worker -Q default,mail,search,pdf -c 2 \
    --loglevel INFO --without-gossip --without-mingle --hostname "portal@%h" \
    >"$1" 2>&1 &
  echo $! > "$PIDS_DIR/worker.pid"
  wait_for 60 "the Celery worker" grep -q "ready" "$1"
}

stop_pidfile() {  # stop_pidfile NAME: TERM the process of PIDS_DIR/NAME.pid, then KILL
  local file="$PIDS_DIR/$1.pid" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop_all() {
  [[ -n "$PIDS_DIR" ]] || return 0
  stop_pidfile server
  stop_pidfile worker
  "$REPO_ROOT/search/node/engine.sh" stop "$PIDS_DIR/opensearch.pid" || true
  stop_pidfile redis
  stop_postgres
}
