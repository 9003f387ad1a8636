#!/usr/bin/env bash
# Benchmarks the local cluster with tools/EventChat.LoadTest and writes docs/benchmarks.md and its plots.
#
#   eng/bench.sh                  every scenario BENCH_RUNS times (default 3), about 30 minutes
#   BENCH_QUICK=1 eng/bench.sh    one run each at small sizes, to try the script (under 8 minutes)
#   BENCH_FULL=1 eng/bench.sh     the issue's sizes: persist for 5 minutes, 100,000 idle connections over six
#                                 edges from seven tool processes, held for 10 minutes (well over an hour)
#   eng/bench.sh --report DIR     only writes the report again from an earlier run's results in DIR
#
# Brings the cluster up (eng/cluster.sh up, with the flood limit raised), runs the chat scenarios against
# edges 1 and 2 and the same chat settings against the tool's bare reference server, the idle connections
# against every edge, takes the median of every figure, and brings the cluster down again, also on failure.
# Run as root, from any directory.
#
# Settings (environment): BENCH_SCENARIOS (a subset of "connections chat ladder fanout persist"; a subset
# rewrites only its own sections of docs/benchmarks.md), BENCH_EDGES (2; 6 in full mode),
# BENCH_EDGE_ADDRESSES (the loopback addresses each edge listens on), BENCH_RUNS, BENCH_FANOUT_SENDERS,
# BENCH_PERSIST_SENDERS, BENCH_MAX_SOCKETS_PER_TOOL (connections per tool process, 15000),
# BENCH_RESULTS (where each run's stdout, stderr, CSV and JSON go;
# default /tmp/eventchat-bench/<timestamp>), BENCH_PERSIST_SECONDS, BENCH_PERSIST_DRAIN,
# BENCH_PERSIST_MAX_RATE, BENCH_CONNECTIONS ("1000 5000 10000"), BENCH_CONNECTIONS_HOLD,
# BENCH_ACCESS_TOKEN_LIFETIME (the edges' Auth:AccessTokenLifetime, 04:00:00: the load tool never refreshes),
# BENCH_LADDER ("100 300 1000", msg/s offered), BENCH_LADDER_RUNS, BENCH_IDLE_WAIT, BENCH_REFERENCE_PORT,
# BENCH_NOTE (a sentence for the report's notes, such as what else shared the machine).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=eng/load-lib.sh
source "$REPO_ROOT/eng/load-lib.sh"
CLUSTER="$REPO_ROOT/eng/cluster.sh"
LT_PROJECT="$REPO_ROOT/tools/EventChat.LoadTest"
LT="$LT_PROJECT/bin/Release/net10.0/EventChat.LoadTest"
DOCS="$REPO_ROOT/docs"
PID_DIR="$REPO_ROOT/.cluster/pids"
# The chat scenarios load edges 1 and 2 whatever the number of edges, so their figures compare across modes.
EDGE_URLS=http://127.0.0.1:5001,http://127.0.0.1:5002
ALL_SCENARIOS="connections chat ladder fanout persist"

QUICK=${BENCH_QUICK:-0}
FULL=${BENCH_FULL:-0}
for mode_setting in BENCH_QUICK BENCH_FULL; do
  if [[ ${!mode_setting:-0} != [01] ]]; then
    printf "[bench] ERROR: %s must be 0 or 1, not '%s'\n" "$mode_setting" "${!mode_setting}" >&2
    exit 2
  fi
done
if [[ $QUICK == 1 && $FULL == 1 ]]; then
  printf '[bench] ERROR: BENCH_QUICK and BENCH_FULL exclude each other\n' >&2
  exit 2
fi

# Every default in one place, per mode; the environment overrides each.
if [[ $QUICK == 1 ]]; then
  MODE=quick
  d_edges=2 d_addresses=127.0.0.1
  d_runs=1 d_ladder_runs=1 d_ladder="100 1000" d_connections="1000 3000" d_hold=10
  d_persist=15 d_persist_drain=60 d_chat_duration=10 d_idle_wait=60
elif [[ $FULL == 1 ]]; then
  MODE=full
  # Each process may hold 20,000 open files: 100,000 connections need six edges of ~16,700. Each edge also listens
  # on two more loopback addresses, and the tool takes every edge at every address in turn.
  d_edges=6 d_addresses="127.0.0.1 127.0.1.1 127.0.1.2"
  d_runs=3 d_ladder_runs=3 d_ladder="100 300 1000" d_connections="10000 100000" d_hold=600
  d_persist=300 d_persist_drain=600 d_chat_duration=20 d_idle_wait=600
else
  MODE=default
  d_edges=2 d_addresses=127.0.0.1
  d_runs=3 d_ladder_runs=1 d_ladder="100 300 1000" d_connections="1000 5000 10000" d_hold=15
  d_persist=60 d_persist_drain=60 d_chat_duration=20 d_idle_wait=120
fi
RUNS=${BENCH_RUNS:-$d_runs}
EDGE_COUNT=${BENCH_EDGES:-$d_edges}
read -r -a EDGE_ADDRESSES <<<"${BENCH_EDGE_ADDRESSES:-$d_addresses}"
read -r -a SCENARIOS <<<"${BENCH_SCENARIOS:-$ALL_SCENARIOS}"
LADDER_RUNS=${BENCH_LADDER_RUNS:-$d_ladder_runs}
read -r -a LADDER <<<"${BENCH_LADDER:-$d_ladder}"
read -r -a CONNECTION_SIZES <<<"${BENCH_CONNECTIONS:-$d_connections}"
HOLD=${BENCH_CONNECTIONS_HOLD:-$d_hold}
ACCESS_TOKEN_LIFETIME=${BENCH_ACCESS_TOKEN_LIFETIME:-04:00:00}
PERSIST_SECONDS=${BENCH_PERSIST_SECONDS:-$d_persist}
PERSIST_DRAIN=${BENCH_PERSIST_DRAIN:-$d_persist_drain}
# 0 sends as fast as the edges acknowledge; the 5,000 msg/s target can only be met by an offered load above it.
PERSIST_MAX_RATE=${BENCH_PERSIST_MAX_RATE:-0}
CHAT_DURATION=${BENCH_CHAT_DURATION:-$d_chat_duration}
# Enough offered load to find the ceilings: 40 fan-out senders at 5 msg/s into rooms of 500 members ask for
# 100,000 deliveries a second, and 128 persist senders keep more calls in flight than one edge acknowledges.
FANOUT_SENDERS=${BENCH_FANOUT_SENDERS:-40}
PERSIST_SENDERS=${BENCH_PERSIST_SENDERS:-128}
CHAT_WARMUP=${BENCH_CHAT_WARMUP:-5}
CHAT_DRAIN=${BENCH_CHAT_DRAIN:-20}
# Bounds the wait for the broker's queues to empty between runs, so a backlog does not spill into the next one.
IDLE_WAIT=${BENCH_IDLE_WAIT:-$d_idle_wait}
# Registration hashes passwords on purpose (~0.2 s of edge CPU each here): connections share accounts as
# devices of one user, so setting up 1,000 connections takes seconds, not minutes.
CHAT_CPA=${BENCH_CONNECTIONS_PER_ACCOUNT:-10}
IDLE_CPA=${BENCH_IDLE_CONNECTIONS_PER_ACCOUNT:-100}
# One process may hold at most 20,000 open files here: each edge and each tool process stays below this
# many sockets. Larger connection counts are split over several tool processes.
MAX_PER_EDGE=${BENCH_MAX_SOCKETS_PER_EDGE:-19000}
MAX_PER_TOOL=${BENCH_MAX_SOCKETS_PER_TOOL:-15000}
REFERENCE_PORT=${BENCH_REFERENCE_PORT:-5400}
# .bench/ is not in .gitignore, so results stay out of the checkout unless asked for.
RESULTS=${BENCH_RESULTS:-/tmp/eventchat-bench/$(date -u +%Y%m%dT%H%M%SZ)}
# The 127.0.0.x addresses the client sockets are bound to, so no address runs out of ports: at least eight, more
# when the largest size would use over half of one address's ephemeral ports (check_kernel_limits).
SOURCE_IPS=127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5,127.0.0.6,127.0.0.7,127.0.0.8,127.0.0.9

BENCH_STARTED=$SECONDS
REFERENCE_PID=
SAMPLER_PID=
TOOL_PIDS=()
CLUSTER_STARTED=no
PG_CONNECTION=

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() {
  printf '[bench] ERROR: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

require_whole() {
  # Up to nine digits: bash's arithmetic wraps around beyond 64 bits without a word.
  [[ $2 =~ ^[0-9]{1,9}$ ]] || die "$1 must be a whole number below 1,000,000,000, not '$2'"
}

check_settings() {
  require_whole BENCH_RUNS "$RUNS"
  require_whole BENCH_LADDER_RUNS "$LADDER_RUNS"
  require_whole BENCH_PERSIST_SECONDS "$PERSIST_SECONDS"
  require_whole BENCH_PERSIST_DRAIN "$PERSIST_DRAIN"
  require_whole BENCH_CONNECTIONS_HOLD "$HOLD"
  require_whole BENCH_IDLE_WAIT "$IDLE_WAIT"
  require_whole BENCH_REFERENCE_PORT "$REFERENCE_PORT"
  require_whole BENCH_EDGES "$EDGE_COUNT"
  ((RUNS >= 1 && LADDER_RUNS >= 1)) || die "BENCH_RUNS and BENCH_LADDER_RUNS must be at least 1"
  # The chat scenarios load edges 1 and 2; eng/cluster.sh owns ports 5001-5099.
  ((EDGE_COUNT >= 2 && EDGE_COUNT <= 99)) || die "BENCH_EDGES must be 2 to 99, not $EDGE_COUNT"
  local size load scenario address
  for scenario in "${SCENARIOS[@]}"; do
    [[ " $ALL_SCENARIOS " == *" $scenario "* ]] || die "BENCH_SCENARIOS: '$scenario' is not one of: $ALL_SCENARIOS"
  done
  ((${#SCENARIOS[@]} > 0)) || die "BENCH_SCENARIOS names no scenario"
  ((${#EDGE_ADDRESSES[@]} > 0)) || die "BENCH_EDGE_ADDRESSES names no address"
  for address in "${EDGE_ADDRESSES[@]}"; do
    [[ $address =~ ^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] ||
      die "BENCH_EDGE_ADDRESSES: '$address' is not a 127.x.y.z address"
  done
  [[ ${EDGE_ADDRESSES[0]} == 127.0.0.1 ]] || die "BENCH_EDGE_ADDRESSES must start with 127.0.0.1 (the chat URLs)"
  for size in "${CONNECTION_SIZES[@]}"; do
    require_whole "a size in BENCH_CONNECTIONS" "$size"
    # Connections round-robin over the edges.
    (((size + EDGE_COUNT - 1) / EDGE_COUNT <= MAX_PER_EDGE)) ||
      die "BENCH_CONNECTIONS: $size connections put $(((size + EDGE_COUNT - 1) / EDGE_COUNT)) on each of the" \
        "$EDGE_COUNT edges, above $MAX_PER_EDGE (each process may hold 20,000 open files); raise BENCH_EDGES"
  done
  for load in "${LADDER[@]}"; do
    require_whole "a load in BENCH_LADDER" "$load"
    ((load >= 10)) || die "BENCH_LADDER: $load msg/s is below one message per 100 s for each of 1,000 users"
  done
}

runs_scenario() {
  [[ " ${SCENARIOS[*]} " == *" $1 "* ]]
}

edge_names() {
  local k
  for ((k = 1; k <= EDGE_COUNT; k++)); do printf 'edge-%s\n' "$k"; done
}

# Every edge at every address it listens on, address by address, so that taking them in turn also takes the
# edges in turn.
connection_urls() {
  local address k urls=()
  for address in "${EDGE_ADDRESSES[@]}"; do
    for ((k = 1; k <= EDGE_COUNT; k++)); do urls+=("http://$address:$((5000 + k))"); done
  done
  (IFS=, && printf '%s\n' "${urls[*]}")
}

edge_pid_list() {
  local name pids=()
  for name in $(edge_names); do pids+=("$(edge_pid "$name")"); done
  (IFS=, && printf '%s\n' "${pids[*]}")
}

# ---------------------------------------------------------------- clean-up

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null
  local pid
  for pid in "${TOOL_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  if [[ -n $REFERENCE_PID ]]; then
    kill -TERM "$REFERENCE_PID" 2>/dev/null && wait_for 10 process_gone "$REFERENCE_PID" ||
      kill -KILL "$REFERENCE_PID" 2>/dev/null || true
  fi
  if [[ $CLUSTER_STARTED == yes ]]; then
    log "bringing the cluster down"
    "$CLUSTER" down || printf '[bench] ERROR: eng/cluster.sh down failed\n' >&2
  fi
  if ((status != 0)); then
    printf '[bench] FAILED after %d s (exit %d); results so far: %s\n' \
      "$((SECONDS - BENCH_STARTED))" "$status" "$RESULTS" >&2
  fi
  exit "$status"
}

# ---------------------------------------------------------------- set-up

# The ports must be free, or be held by this checkout's own cluster (its pid files name the holders).
check_ports() {
  local port pids ours=no name found k cluster_ports=(8080)
  for ((k = 1; k <= EDGE_COUNT; k++)); do cluster_ports+=($((5000 + k))); done
  for port in "${cluster_ports[@]}" "$REFERENCE_PORT"; do
    pids=$(listener_pids "$port" | tr '\n' ' ')
    [[ -z $pids ]] && continue
    [[ $port == "$REFERENCE_PORT" ]] &&
      die "port $REFERENCE_PORT (the reference server) is taken by pid(s) $pids; set BENCH_REFERENCE_PORT"
    found=no
    for name in $(edge_names) nginx; do
      if [[ " $pids" == *" $(cat "$PID_DIR/$name.pid" 2>/dev/null) "* ]]; then found=yes; fi
    done
    [[ $found == yes ]] || die "port $port is held by pid(s) $pids, not this checkout's cluster; free it first"
    ours=yes
  done
  if [[ $ours == yes ]]; then
    # A running cluster would keep its flood limit of 30 per 10 s; restart it with the raised one.
    log "this checkout's cluster is running; stopping it so it starts again with the flood limit raised"
    "$CLUSTER" down
  fi
}

# The kernel's limits that matter for many loopback connections, checked (and the ephemeral port range widened
# when it is too narrow) here rather than by hand: the open-file limit is raised in main.
check_kernel_limits() {
  local lo hi ports largest=0 size needed count i ips=()
  read -r lo hi </proc/sys/net/ipv4/ip_local_port_range
  for size in "${CONNECTION_SIZES[@]}"; do ((size > largest)) && largest=$size; done
  runs_scenario connections || largest=0
  # A client socket bound to an address before it connects takes a port of its own on that address, whatever
  # the destination. Keep each source address under half its range, spreading over more addresses if need be.
  if ((hi - lo + 1 < 16384)); then
    log "net.ipv4.ip_local_port_range is $lo-$hi; widening it to 32768-60999 for the client sockets"
    sysctl -qw net.ipv4.ip_local_port_range="32768 60999" || die "could not widen net.ipv4.ip_local_port_range"
    lo=32768 hi=60999
  fi
  ports=$((hi - lo + 1))
  count=$(((2 * largest + ports - 1) / ports))
  ((count >= 8)) || count=8
  ((count <= 250)) || die "BENCH_CONNECTIONS: $largest connections need more than 250 source addresses"
  for ((i = 2; i < count + 2; i++)); do ips+=("127.0.0.$i"); done
  SOURCE_IPS=$(IFS=, && printf '%s' "${ips[*]}")
  # Kestrel asks for a listen backlog of 512; the kernel caps it at somaxconn.
  local somaxconn
  somaxconn=$(cat /proc/sys/net/core/somaxconn)
  ((somaxconn >= 512)) || log "net.core.somaxconn is $somaxconn: connect bursts may overflow the edges' backlog"
  needed=$((largest * 2 + 10000))
  (($(cut -f 3 /proc/sys/fs/file-nr) >= needed)) || die "fs.file-max is below the $needed open files this run needs"
  log "ephemeral ports $lo-$hi, $count source addresses, open-file limit $(ulimit -n) per process"
}

cluster_up() {
  export_load_limits "$ACCESS_TOKEN_LIFETIME"
  export EVENTCHAT_EDGES=$EDGE_COUNT
  EVENTCHAT_EDGE_ADDRESSES=$(IFS=, && printf '%s' "${EDGE_ADDRESSES[*]}")
  export EVENTCHAT_EDGE_ADDRESSES
  CLUSTER_STARTED=yes
  log "eng/cluster.sh up ($EDGE_COUNT edges on $EVENTCHAT_EDGE_ADDRESSES; Moderation__FloodLimit=$FLOOD_LIMIT)"
  "$CLUSTER" up >"$RESULTS/cluster-up.log" 2>&1 || {
    tail -n 30 "$RESULTS/cluster-up.log" >&2
    die "eng/cluster.sh up failed (full log: $RESULTS/cluster-up.log)"
  }
  eval "$("$REPO_ROOT/eng/services.sh" env)"
  PG_CONNECTION=$ConnectionStrings__Postgres
  log "cluster up; building the load tool (Release)"
  dotnet build "$LT_PROJECT" -c Release --nologo -v quiet >"$RESULTS/build-loadtest.log" 2>&1 || {
    tail -n 30 "$RESULTS/build-loadtest.log" >&2
    die "building tools/EventChat.LoadTest failed (log: $RESULTS/build-loadtest.log)"
  }
  [[ -x $LT ]] || die "the load tool's build output $LT is missing"
}

edge_pid() {
  local pid
  pid=$(cat "$PID_DIR/$1.pid" 2>/dev/null) || die "no pid file for $1 in .cluster/pids (is the cluster up?)"
  [[ -d /proc/$pid ]] || die "$1 (pid $pid) is not running"
  printf '%s\n' "$pid"
}

start_reference() {
  local url="http://127.0.0.1:$REFERENCE_PORT"
  log "starting the reference server on $url"
  "$LT" reference --urls "$url" >"$RESULTS/reference-server.log" 2>&1 </dev/null &
  REFERENCE_PID=$!
  local deadline=$((SECONDS + 30))
  until listener_pids "$REFERENCE_PORT" | grep -qx "$REFERENCE_PID"; do
    process_gone "$REFERENCE_PID" && die "the reference server exited (log: $RESULTS/reference-server.log)"
    ((SECONDS < deadline)) || die "the reference server did not listen on $url within 30 s"
    sleep 0.5
  done
}

# ---------------------------------------------------------------- figures

exit_codes() {
  cat "$RESULTS/$1"/run-*.rc | tr '\n' ' ' | sed 's/ $//'
}

# ---------------------------------------------------------------- runs

# Runs the load tool once for a group: run-N.out (stdout), .err, .csv, .json (the result line), .rc.
# Exit 0 is a clean run, 1 a run whose checks found faults, 3 an inconclusive run (storage had not caught up,
# or users failed to connect or were still disconnected at the end); those are results and are reported. Anything else (usage error, crash, time-out) stops the bench.
run_tool() {
  local group=$1 limit=$2
  shift 2
  local dir="$RESULTS/$group"
  mkdir -p "$dir"
  local n=$(($(find "$dir" -name 'run-*.rc' | wc -l) + 1))
  local base="$dir/run-$n" rc=0
  local args=("$@" --csv "$base.csv")
  printf '%s %s\n' "${LT#"$REPO_ROOT"/}" "${args[*]}" >>"$RESULTS/commands.txt"
  log "$group run $n: ${args[*]:0:1} (up to ${limit}s)"
  # --foreground keeps the tool in the terminal's process group, so Ctrl+C reaches it at once: it stops, prints what
  # it has, and the script's own trap then cleans up. Without it the run in progress would go on to its end.
  timeout --foreground -s INT -k 30 "$limit" "$LT" "${args[@]}" >"$base.out" 2>"$base.err" </dev/null || rc=$?
  printf '%s\n' "$rc" >"$base.rc"
  case $rc in
    0 | 1 | 3) ;;
    # Only a Ctrl+C makes the tool exit 130 (a timeout is 124). The tool handled the signal itself, so bash does
    # not run its own trap for it: stop here, as the trap would have.
    130)
      printf '[bench] interrupted during %s run %d; its partial result is in %s\n' "$group" "$n" "$base.out" >&2
      exit 130
      ;;
    124 | 137) die "$group run $n did not finish within ${limit}s (see $base.err)" ;;
    *) die "$group run $n failed with exit code $rc (see $base.out and $base.err)" ;;
  esac
  tail -n 1 "$base.out" >"$base.json"
  grep -q '^{' "$base.json" || die "$group run $n printed no JSON result line (see $base.out)"
  log "$group run $n: exit $rc$([[ $rc != 0 ]] && printf ' (faults, or inconclusive; reported)')"
}

# Messages waiting in the pipeline's queues (error and dead-letter queues excluded: they never drain).
# A run at overload leaves a backlog in RabbitMQ; the next run waits for it (bounded) so it measures
# itself, and the report says when the wait ran out.
# Edge CPU during the measurement window, sampled once a second from /proc/<pid>/stat while the run's
# latest progress line says "measure". Writes "ticks-edge1 ticks-edge2 epoch-ms" per sample.
cpu_ticks() {
  local pid=$1
  # Fields after the command name: utime and stime are the 12th and 13th.
  sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }'
}

sample_edge_cpu() {
  local err=$1 out=$2 pid1=$3 pid2=$4
  while sleep 1; do
    [[ -f $err ]] || continue
    if tail -n 1 "$err" | grep -q ' measure\]'; then
      printf '%s %s %s\n' "$(cpu_ticks "$pid1")" "$(cpu_ticks "$pid2")" "$(date +%s%3N)" >>"$out"
    fi
  done
}

# "% of one core" per edge over the first to the last sample, e.g. "3.1 2.9".
edge_cpu_percent() {
  local hz
  hz=$(getconf CLK_TCK)
  awk -v hz="$hz" 'NR == 1 { a = $1; b = $2; t = $3 } { A = $1; B = $2; T = $3 }
    END { s = (T - t) / 1000; if (NR < 2 || s <= 0) { print "n/a n/a"; exit }
          printf "%.2f %.2f\n", 100 * (A - a) / hz / s, 100 * (B - b) / hz / s }' "$1"
}

chat_args() {
  local users=$1 rooms=$2 rate=$3
  printf '%s\n' chat --users "$users" --rooms "$rooms" --rate "$rate" --warmup "$CHAT_WARMUP" \
    --duration "$CHAT_DURATION" --drain "$CHAT_DRAIN"
}

chat_limit() { printf '%s\n' $((CHAT_WARMUP + CHAT_DURATION + CHAT_DRAIN + 600)); }

run_chat_500() {
  local i args group=chat500-eventchat
  mapfile -t args < <(chat_args 500 50 0.1)
  for ((i = 1; i <= RUNS; i++)); do
    local err="$RESULTS/$group/run-$i.err" cpu="$RESULTS/$group/run-$i.cpu"
    mkdir -p "$RESULTS/$group"
    sample_edge_cpu "$err" "$cpu" "$(edge_pid edge-1)" "$(edge_pid edge-2)" &
    SAMPLER_PID=$!
    run_tool "$group" "$(chat_limit)" "${args[@]}" --urls "$EDGE_URLS" --connections-per-account "$CHAT_CPA"
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=
    [[ -s $cpu ]] || die "no edge CPU samples were taken during $group run $i"
    local c1 c2
    read -r c1 c2 < <(edge_cpu_percent "$cpu")
    # Stored as a result line of its own so the medians come out of the same helper.
    mkdir -p "$RESULTS/$group-cpu"
    awk -v a="$c1" -v b="$c2" -v n="$(nproc)" 'BEGIN {
      printf "{\"edge1CpuPercent\":%.2f,\"edge2CpuPercent\":%.2f,\"edgesCpuPercentOfMachine\":%.2f}\n", a, b, (a + b) / n
    }' >"$RESULTS/$group-cpu/run-$i.json"
    await_idle "$group run $i"
  done
  mapfile -t args < <(chat_args 500 50 0.1)
  for ((i = 1; i <= RUNS; i++)); do
    run_tool chat500-reference "$(chat_limit)" "${args[@]}" --target reference \
      --urls "http://127.0.0.1:$REFERENCE_PORT"
  done
}

# 1,000 users in 100 rooms (10 members, so 9 readers of each message besides its sender), at a ladder of
# offered loads; the top of the ladder is the issue's 1,000 msg/s.
run_ladder() {
  local load rate runs i args
  for load in "${LADDER[@]}"; do
    rate=$(awk -v l="$load" 'BEGIN { printf "%g", l / 1000 }')
    runs=$LADDER_RUNS
    ((load == 1000)) && runs=$RUNS
    mapfile -t args < <(chat_args 1000 100 "$rate")
    for ((i = 1; i <= runs; i++)); do
      run_tool "chat$load-eventchat" "$(chat_limit)" "${args[@]}" --urls "$EDGE_URLS" \
        --connections-per-account "$CHAT_CPA"
      await_idle "chat$load-eventchat run $i"
    done
    for ((i = 1; i <= runs; i++)); do
      run_tool "chat$load-reference" "$(chat_limit)" "${args[@]}" --target reference \
        --urls "http://127.0.0.1:$REFERENCE_PORT"
    done
  done
}

run_fanout() {
  local i
  for ((i = 1; i <= RUNS; i++)); do
    run_tool fanout "$(chat_limit)" fanout --urls "$EDGE_URLS" --connections-per-account "$CHAT_CPA" \
      --senders "$FANOUT_SENDERS" --warmup "$CHAT_WARMUP" --duration "$CHAT_DURATION" --drain "$CHAT_DRAIN"
    await_idle "fanout run $i"
  done
}

run_persist() {
  local i
  for ((i = 1; i <= RUNS; i++)); do
    run_tool persist $((PERSIST_SECONDS + PERSIST_DRAIN + 600)) persist --urls "$EDGE_URLS" \
      --senders "$PERSIST_SENDERS" --duration "$PERSIST_SECONDS" --drain "$PERSIST_DRAIN" --max-rate "$PERSIST_MAX_RATE" \
      --postgres "$PG_CONNECTION"
    await_idle "persist run $i"
  done
}

# "count-edge-1 count-edge-2 ..." on one line: established connections whose server side is each edge's port (at
# every address it listens on). One pass over the socket table, which is large here and read every 2 s.
established_per_edge() {
  ss -Htn state established "( sport >= :5001 and sport <= :$((5000 + EDGE_COUNT)) )" |
    awk -v edges="$EDGE_COUNT" '{ n = split($3, a, ":"); c[a[n] - 5000]++ }
      END { for (k = 1; k <= edges; k++) printf "%d%s", c[k], k < edges ? " " : "\n" }'
}

sum_of() {
  printf '%s\n' "$@" | awk '{ s += $1 } END { print s + 0 }'
}

# Every edge's RSS, each right after a forced full garbage collection, as the connections scenario reads it:
# the tool's `memory` command writes its result to $1; prints "rss-edge-1 rss-edge-2 ..." in MB.
edge_rss_after_gc() {
  local out=$1 k values=()
  "$LT" memory --edge-pids "$(edge_pid_list)" >"$out" 2>&1 </dev/null || die "reading the edges' RSS failed (see $out)"
  [[ $(field "$out" forcedGc) == true ]] || die "an edge could not be made to collect its garbage (see $out)"
  for ((k = 0; k < EDGE_COUNT; k++)); do values+=("$(field "$out" "edge${k}RssMb")"); done
  printf '%s\n' "${values[*]}"
}

# True once each of the tool processes writing <base>.p<n>.csv has left its opening phase.
all_holding() {
  local base=$1 processes=$2 p phase
  for ((p = 1; p <= processes; p++)); do
    phase=$(tail -n 1 "$base.p$p.csv" 2>/dev/null | cut -d, -f2) || true
    [[ $phase == hold || $phase == close ]] || return 1
  done
}

# More connections than one tool process may hold: several processes open them at once, and this script reads
# each edge's RSS (after a forced collection) and connection count itself once all are open, then writes a
# result line of the tool's shape with figures per edge (edge<k>...) and per tool process (tool<p>...).
run_connections_split() {
  local size=$1 processes=$2 n=$3 dir="$RESULTS/connections-$1"
  mkdir -p "$dir"
  local base="$dir/run-$n" p k per=$(((size + processes - 1) / processes)) started=$SECONDS
  local urls
  urls=$(connection_urls)
  sleep 5
  local before already
  read -r -a before < <(edge_rss_after_gc "$base.rss-before.out")
  read -r -a already < <(established_per_edge)
  TOOL_PIDS=()
  # The processes share the tool's usual 32 connects in flight: more starve the edges of CPU on a small machine
  # until handshakes time out.
  local counts=() concurrency=$((32 / processes))
  ((concurrency >= 4)) || concurrency=4
  for ((p = 1; p <= processes; p++)); do
    counts+=($((p < processes ? per : size - per * (processes - 1))))
    # The tools hold past the script's readings, which start only once the slowest process is open (at 100,000
    # connections the processes finish opening up to a minute apart); a tool that ends before them stops the
    # run, so the margin never silently shortens the hold.
    local args=(connections --urls "$urls" --connections "${counts[p - 1]}" --connections-per-account "$IDLE_CPA"
      --hold $((HOLD + 180)) --setup-concurrency "$concurrency" --source-ips "$SOURCE_IPS" --csv "$base.p$p.csv")
    printf '%s %s\n' "${LT#"$REPO_ROOT"/}" "${args[*]}" >>"$RESULTS/commands.txt"
    "$LT" "${args[@]}" >"$base.p$p.out" 2>"$base.p$p.err" </dev/null &
    TOOL_PIDS+=($!)
  done
  log "connections-$size run $n: $processes tool processes opening $size connections over $EDGE_COUNT edges"
  local deadline=$((SECONDS + 900)) open=0 now
  # Every tool process has finished opening once its per-second CSV has moved on to the hold; a connection that
  # failed to open is counted in its result, so the run goes on with the rest.
  until ((open >= size)) || all_holding "$base" "$processes"; do
    read -r -a now < <(established_per_edge)
    open=$(($(sum_of "${now[@]}") - $(sum_of "${already[@]}")))
    ((SECONDS < deadline)) || die "connections-$size: only $open of $size connections open after 900 s"
    for p in "${TOOL_PIDS[@]}"; do
      process_gone "$p" && die "connections-$size: a tool process exited before all were open (see $base.p*.err)"
    done
    sleep 2
  done
  local open_seconds=$((SECONDS - started))
  # Settle as the tool does, count, hold, count again and read memory, as the tool does.
  sleep 5
  local after at_open held
  read -r -a at_open < <(established_per_edge)
  log "connections-$size run $n: all open after ${open_seconds}s; holding ${HOLD}s"
  sleep "$HOLD"
  read -r -a held < <(established_per_edge)
  read -r -a after < <(edge_rss_after_gc "$base.rss-after.out")
  for p in "${TOOL_PIDS[@]}"; do
    process_gone "$p" && die "connections-$size: a tool process ended before the script's readings did"
  done
  local rc=0 prc opened=0 failed=0 dropped=0 per_process=""
  for ((p = 1; p <= processes; p++)); do
    prc=0
    wait "${TOOL_PIDS[p - 1]}" || prc=$?
    ((prc == 0 || prc == 1)) || die "connections-$size: tool process $p failed with exit code $prc (see $base.p$p.err)"
    ((prc > rc)) && rc=$prc
    tail -n 1 "$base.p$p.out" | grep -q '^{' || die "connections-$size: process $p printed no result (see $base.p$p.out)"
    local o f d
    o=$(field "$base.p$p.out" opened)
    f=$(field "$base.p$p.out" failed)
    d=$(field "$base.p$p.out" droppedDuringHold)
    opened=$((opened + o)) failed=$((failed + f)) dropped=$((dropped + d))
    per_process+=$(printf '"tool%dRequested":%d,"tool%dOpened":%d,"tool%dFailed":%d,"tool%dDropped":%d,"tool%dExit":%d,' \
      "$p" "${counts[p - 1]}" "$p" "$o" "$p" "$f" "$p" "$d" "$p" "$prc")
  done
  TOOL_PIDS=()
  printf '%s\n' "$rc" >"$base.rc"
  local per_edge="" rss_before=0 rss_after=0 open_total=0 held_total=0 e_open e_held
  for ((k = 0; k < EDGE_COUNT; k++)); do
    e_open=$((at_open[k] - already[k])) e_held=$((held[k] - already[k]))
    open_total=$((open_total + e_open)) held_total=$((held_total + e_held))
    per_edge+=$(awk -v k=$((k + 1)) -v b="${before[k]}" -v a="${after[k]}" -v o="$e_open" -v h="$e_held" 'BEGIN {
      printf "\"edge%dOpen\":%d,\"edge%dHeld\":%d,\"edge%dDropped\":%d,\"edge%dRssBeforeMb\":%.3f,\"edge%dRssAfterMb\":%.3f,", k, o, k, h, k, o - h, k, b, k, a
      printf "\"edge%dKbPerConnection\":%.3f,", k, (o > 0 ? (a - b) * 1024 / o : 0) }')
  done
  rss_before=$(sum_of "${before[@]}")
  rss_after=$(sum_of "${after[@]}")
  awk -v size="$size" -v opened="$opened" -v failed="$failed" -v dropped="$dropped" -v open="$open_total" \
    -v held="$held_total" -v before="$rss_before" -v after="$rss_after" -v secs="$open_seconds" -v procs="$processes" \
    -v edges="$EDGE_COUNT" -v hold="$HOLD" -v extra="$per_edge$per_process" 'BEGIN {
      printf "{\"scenario\":\"connections\",\"connectionsRequested\":%d,\"edges\":%d,\"toolProcesses\":%d,", size, edges, procs
      printf "\"holdSeconds\":%d,\"opened\":%d,\"failed\":%d,\"droppedDuringHold\":%d,", hold, opened, failed, dropped
      printf "\"openAtEnd\":%d,\"openAfterHold\":%d,\"droppedOnEdges\":%d,", open, held, open - held
      printf "\"openSeconds\":%d,\"connectsPerSec\":%.1f,", secs, opened / (secs > 0 ? secs : 1)
      printf "\"edgeRssBeforeMb\":%.3f,\"edgeRssAfterMb\":%.3f,\"edgeRssDeltaMb\":%.3f,", before, after, after - before
      printf "\"edgeKbPerConnection\":%.3f,%s", (open > 0 ? (after - before) * 1024 / open : 0), extra
      printf "\"notes\":[\"split over tool processes; RSS after a forced GC and connection counts read by eng/bench.sh\"]}\n"
    }' | tee "$base.out" >"$base.json"
}

# An edge's RSS does not shrink after its connections close (the GC and Kestrel keep memory for reuse), so each
# memory reading starts from freshly started edges.
restart_edges() {
  local edge pid
  for edge in $(edge_names); do
    pid=$(edge_pid "$edge")
    kill "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
      # An edge drains its connections on SIGTERM; one that has not exited in 30 s is killed.
      if ((waited++ == 150)); then
        log "$edge (pid $pid) did not stop within 30 s of SIGTERM; killing it"
        kill -9 "$pid" 2>/dev/null || true
      fi
      sleep 0.2
    done
  done
  "$CLUSTER" up >>"$RESULTS/cluster-up.log" 2>&1 || die "eng/cluster.sh up could not restart the edges"
}

run_connections() {
  local size i processes
  for ((i = 1; i <= RUNS; i++)); do
    for size in "${CONNECTION_SIZES[@]}"; do
      restart_edges
      processes=$(((size + MAX_PER_TOOL - 1) / MAX_PER_TOOL))
      if ((processes > 1)); then
        run_connections_split "$size" "$processes" "$i"
      else
        run_tool "connections-$size" $((HOLD + 900)) connections --urls "$(connection_urls)" --connections "$size" \
          --connections-per-account "$IDLE_CPA" --hold "$HOLD" --source-ips "$SOURCE_IPS" \
          --edge-pids "$(edge_pid_list)"
      fi
    done
  done
}

# ---------------------------------------------------------------- PostgreSQL slots

# ---------------------------------------------------------------- the report

# Median JSON lines for the plots: the plot command reads the last JSON line of each file.
write_plot_inputs() {
  local dir="$RESULTS/plot" load group target
  mkdir -p "$dir"
  PLOT_LATENCY=()
  for load in 50 "${LADDER[@]}"; do
    for target in eventchat reference; do
      group="chat$load-$target"
      [[ $load == 50 ]] && group="chat500-$target"
      [[ -d $RESULTS/$group ]] || continue
      printf '{"scenario":"chat","target":"%s","offeredMsgsPerSec":%s,"latencyP50Ms":%s,"latencyP99Ms":%s}\n' \
        "$target" "$(median "$group" offeredMsgsPerSec)" "$(median "$group" latencyP50Ms)" \
        "$(median "$group" latencyP99Ms)" >"$dir/$group.json"
      PLOT_LATENCY+=("$dir/$group.json")
    done
  done
  PLOT_MEMORY=()
  local size
  runs_scenario connections || return 0
  for size in "${CONNECTION_SIZES[@]}"; do
    group="connections-$size"
    printf '{"scenario":"connections","edgeRssBeforeMb":%s,"openAtEnd":%s,"edgeRssAfterMb":%s}\n' \
      "$(median "$group" edgeRssBeforeMb)" "$(median "$group" openAtEnd)" "$(median "$group" edgeRssAfterMb)" \
      >"$dir/$group.json"
    PLOT_MEMORY+=("$dir/$group.json")
  done
}

make_plots() {
  write_plot_inputs
  mkdir -p "$DOCS"
  if ((${#PLOT_LATENCY[@]} > 0)); then
    "$LT" plot --kind latency --out "$DOCS/benchmarks-latency.png" \
      --title "send to deliver latency, 10 members per room (median of runs)" "${PLOT_LATENCY[@]}" \
      >>"$RESULTS/plot.log" 2>&1 || die "plotting latency failed (see $RESULTS/plot.log)"
  fi
  if runs_scenario connections; then
    "$LT" plot --kind memory --out "$DOCS/benchmarks-memory.png" \
      --title "RSS of all $EDGE_COUNT edges against idle connections (median of runs)" "${PLOT_MEMORY[@]}" \
      >>"$RESULTS/plot.log" 2>&1 || die "plotting memory failed (see $RESULTS/plot.log)"
  fi
}

# "met" or "missed" for a figure against a bound, with the gap: verdict <value> <op> <bound> <unit>.
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" -v u="$4" 'BEGIN {
    if (v == "n/a" || v == "") { print "not measured"; exit }
    ok = op == "<=" ? v <= t : v >= t
    if (ok) { print "**met**"; exit }
    if (op == "<=") printf "**missed**: %.3g %s over (%.1f× the bound)\n", v - t, u, v / t
    else printf "**missed**: %.3g %s short (%.1f%% of the target)\n", t - v, u, 100 * v / t
  }'
}

machine_section() {
  local postgres
  postgres=$(psql_scalar 'SHOW server_version') || postgres=unknown
  machine_rows
  cat <<TABLE
| PostgreSQL | $postgres (max_connections $PG_MAX_CONNECTIONS; the cluster's pools: $PG_POOL per process) |
| date | $(cat "$RESULTS/started-at") |
| mode | $MODE: $RUNS run(s) per scenario, $LADDER_RUNS per lower ladder step; took $(cat "$RESULTS/took-minutes") min |
TABLE
}

chat_group() {
  if [[ $1 == 50 ]]; then printf 'chat500-%s\n' "$2"; else printf 'chat%s-%s\n' "$1" "$2"; fi
}

chat_section() {
  local load group target name
  cat <<TABLE
Median of the runs, with (min–max) where they differ. Latency runs from just before the send to the arrival
at each other member of the room; \`failed\` counts sends answered with an error instead of an
acknowledgement; \`lost\`, \`dup\` and \`order\` are the tool's exact checks; exit code 1 means a check found
faults.

| offered msg/s | target | sent/s | acked/s | delivered/s | p50 ms | p99 ms | max ms | ack p99 ms | failed | lost | dup | order | clean runs | exit codes |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
TABLE
  for load in 50 "${LADDER[@]}"; do
    for target in eventchat reference; do
      group=$(chat_group "$load" "$target")
      [[ -d $RESULTS/$group ]] || continue
      printf '| %s | %s |' "$load" "$target"
      for name in sentPerSec ackedPerSec deliveredPerSec latencyP50Ms latencyP99Ms latencyMaxMs ackP99Ms \
        sendFailed lost duplicated outOfOrder correct; do
        printf ' %s |' "$(cell "$group" "$name")"
      done
      printf ' %s |\n' "$(exit_codes "$group")"
    done
  done
  cat <<TABLE

EventChat as a multiple of the reference server (medians; above 1× is slower, or fewer deliveries):

| offered msg/s | p50 | p99 | delivered/s |
|---|---|---|---|
TABLE
  for load in 50 "${LADDER[@]}"; do
    group=$(chat_group "$load" eventchat)
    local ref
    ref=$(chat_group "$load" reference)
    printf '| %s | %s | %s | %s |\n' "$load" \
      "$(ratio "$(median "$group" latencyP50Ms)" "$(median "$ref" latencyP50Ms)")" \
      "$(ratio "$(median "$group" latencyP99Ms)" "$(median "$ref" latencyP99Ms)")" \
      "$(ratio "$(median "$group" deliveredPerSec)" "$(median "$ref" deliveredPerSec)")"
  done
  cat <<TABLE

EventChat's delivered/s counts the sender's own copy too: 10 deliveries per message against the reference's 9.

Edge CPU during the measurement window of the 500-user runs, from \`/proc/<pid>/stat\`:

| edge-1, % of one core | edge-2, % of one core | both edges, % of the machine's $(nproc) cores |
|---|---|---|
| $(cell chat500-eventchat-cpu edge1CpuPercent) | $(cell chat500-eventchat-cpu edge2CpuPercent) | $(cell chat500-eventchat-cpu edgesCpuPercentOfMachine) |
TABLE
}

fanout_section() {
  cat <<TABLE
| offered msg/s | delivered/s | p50 ms | p99 ms | max ms | failed | lost | dup | order | clean runs | exit codes |
|---|---|---|---|---|---|---|---|---|---|---|
TABLE
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$(cell fanout offeredMsgsPerSec)" "$(cell fanout deliveredPerSec)" "$(cell fanout latencyP50Ms)" \
    "$(cell fanout latencyP99Ms)" "$(cell fanout latencyMaxMs)" "$(cell fanout sendFailed)" "$(cell fanout lost)" \
    "$(cell fanout duplicated)" "$(cell fanout outOfOrder)" "$(cell fanout correct)" "$(exit_codes fanout)"
}

persist_section() {
  cat <<TABLE
| acked/s | persisted/s while sending | persisted/s sustained | stored | ack p99 ms | send failed | caught up | missing | duplicated | drain s | exit codes |
|---|---|---|---|---|---|---|---|---|---|---|
TABLE
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$(cell persist ackedPerSec)" "$(cell persist persistedPerSecDuringSend)" \
    "$(cell persist persistedPerSecSustained)" "$(cell persist storedMessages)" "$(cell persist ackP99Ms)" \
    "$(cell persist sendFailed)" "$(cell persist caughtUp)" "$(cell persist ackedMissing)" \
    "$(cell persist ackedDuplicated)" "$(cell persist drainSeconds)" "$(exit_codes persist)"
}

connections_section() {
  cat <<TABLE
| connections | opened | failed | dropped while held | connects/s | edges' RSS before MB | after MB | KB per connection | exit codes |
|---|---|---|---|---|---|---|---|---|
TABLE
  local size group
  for size in "${CONNECTION_SIZES[@]}"; do
    group="connections-$size"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$size" "$(cell "$group" opened)" \
      "$(cell "$group" failed)" "$(cell "$group" droppedDuringHold)" "$(cell "$group" connectsPerSec)" \
      "$(cell "$group" edgeRssBeforeMb)" "$(cell "$group" edgeRssAfterMb)" "$(cell "$group" edgeKbPerConnection)" \
      "$(exit_codes "$group")"
  done
  connections_split_details
}

# Runs split over several tool processes: every edge and every tool process on its own, run by run.
connections_split_details() {
  local size file k p edges procs
  for size in "${CONNECTION_SIZES[@]}"; do
    for file in "$RESULTS/connections-$size"/run-*.json; do
      [[ -f $file ]] || continue
      procs=$(field "$file" toolProcesses)
      [[ -n $procs ]] || continue
      edges=$(field "$file" edges)
      printf '\n#### %s connections, %s: %s edges, %s tool processes, held %s s\n\n' "$size" \
        "$(basename "$file" .json)" "$edges" "$procs" "$(field "$file" holdSeconds)"
      printf 'Open %s s after the start (%s connects/s); %s open when the hold began, %s after it.\n\n' \
        "$(field "$file" openSeconds)" "$(field "$file" connectsPerSec)" "$(field "$file" openAtEnd)" \
        "$(field "$file" openAfterHold)"
      printf '| edge | connections | still open after the hold | dropped | RSS before MB | RSS after MB | KB per connection |\n'
      printf '|---|---|---|---|---|---|---|\n'
      for ((k = 1; k <= edges; k++)); do
        printf '| edge-%s | %s | %s | %s | %s | %s | %s |\n' "$k" "$(field "$file" "edge${k}Open")" \
          "$(field "$file" "edge${k}Held")" "$(field "$file" "edge${k}Dropped")" \
          "$(field "$file" "edge${k}RssBeforeMb")" "$(field "$file" "edge${k}RssAfterMb")" \
          "$(field "$file" "edge${k}KbPerConnection")"
      done
      printf '| all | %s | %s | %s | %s | %s | %s |\n\n' "$(field "$file" openAtEnd)" "$(field "$file" openAfterHold)" \
        "$(field "$file" droppedOnEdges)" "$(field "$file" edgeRssBeforeMb)" "$(field "$file" edgeRssAfterMb)" \
        "$(field "$file" edgeKbPerConnection)"
      printf '| tool process | asked for | opened | failed | dropped during the hold | exit code |\n'
      printf '|---|---|---|---|---|---|\n'
      for ((p = 1; p <= procs; p++)); do
        printf '| %s | %s | %s | %s | %s | %s |\n' "$p" "$(field "$file" "tool${p}Requested")" \
          "$(field "$file" "tool${p}Opened")" "$(field "$file" "tool${p}Failed")" "$(field "$file" "tool${p}Dropped")" \
          "$(field "$file" "tool${p}Exit")"
      done
      printf '| all | %s | %s | %s | %s | |\n' "$size" "$(field "$file" opened)" "$(field "$file" failed)" \
        "$(field "$file" droppedDuringHold)"
    done
  done
}

# A latency bound is met only when the runs measured deliveries and their checks found nothing:
# latency_verdict <group> <median ms> <bound ms>. An overloaded run measures no latency at all (nothing
# arrives within the window), which must never read as a latency of 0.
latency_verdict() {
  local group=$1 value=$2 bound=$3 count codes
  count=$(median "$group" latencyCount)
  codes=$(exit_codes "$group")
  if [[ $count == n/a || $count == 0 ]]; then
    echo "**missed**: no message arrived within the measurement window (exit codes $codes)"
  elif [[ $codes == *[!0\ ]* ]]; then
    echo "**missed**: the runs' checks found lost or late messages (exit codes $codes)"
  else
    verdict "$value" "<=" "$bound" ms
  fi
}

# Memory per connection from RSS is noisy: a median under the bound counts only if every run is under it.
memory_verdict() {
  local group=$1 median_kb=$2 max_kb
  max_kb=$(stats "$group" edgeKbPerConnection | awk '{ print $3 }')
  if [[ $(verdict "$median_kb" "<=" 20 KB) == "**met**" && $(verdict "${max_kb:-n/a}" "<=" 20 KB) != "**met**" ]]; then
    echo "**unclear**: the median is under 20 KB, but the runs range up to $max_kb KB"
  else
    verdict "$median_kb" "<=" 20 KB
  fi
}

idle_target_verdict() {
  local largest=$1 failed=$2 dropped=$3
  if ((largest >= 100000 && HOLD >= 600)); then
    if [[ $dropped == 0 && $failed == 0 ]]; then
      echo "**met across $EDGE_COUNT edges**, not on one: one process may hold at most $(ulimit -n) open files here"
    else
      echo "**missed**: connections failed or dropped"
    fi
    return 0
  fi
  printf '**not measured at that size**: %s of 100,000 connections for %s of 600 s' "$largest" "$HOLD"
  printf ' (each edge can hold ~19,900 here, see the notes)'
  if [[ $dropped != 0 || $failed != 0 ]]; then printf '; and connections failed or dropped even so'; fi
  printf '\n'
}

comparison_section() {
  local top=${LADDER[-1]} largest=${CONNECTION_SIZES[-1]}
  local p99_500 p50_top p99_top acked_top kb dropped failed persisted missing dup fan cpu
  p99_500=$(median chat500-eventchat latencyP99Ms)
  p50_top=$(median "chat$top-eventchat" latencyP50Ms)
  p99_top=$(median "chat$top-eventchat" latencyP99Ms)
  acked_top=$(median "chat$top-eventchat" ackedPerSec)
  kb=$(median "connections-$largest" edgeKbPerConnection)
  dropped=$(median "connections-$largest" droppedDuringHold)
  failed=$(median "connections-$largest" failed)
  persisted=$(median persist persistedPerSecSustained)
  missing=$(median persist ackedMissing)
  dup=$(median persist ackedDuplicated)
  fan=$(median fanout deliveredPerSec)
  cpu=$(median chat500-eventchat-cpu edgesCpuPercentOfMachine)
  # The target is read per edge: the busier edge's share of one core.
  local cpu_busiest
  cpu_busiest=$(awk -v a="$(median chat500-eventchat-cpu edge1CpuPercent)" \
    -v b="$(median chat500-eventchat-cpu edge2CpuPercent)" 'BEGIN { print (a + 0 > b + 0 ? a : b) }')
  local at_1000="not measured at 1,000 msg/s"
  cat <<TABLE
### Against the yardsticks

The yardstick column holds the figures the product's brief quotes, measured elsewhere with the yardstick's own
Node.js harness; this script does not measure them. \`eng/yardstick.sh\` runs EventChat and the yardstick Socket.IO
stack side by side in one run (\`docs/yardstick.md\`).

| figure | yardstick (quoted) | EventChat (median) |
|---|---|---|
| 500 users in 50 rooms, p99 | Socket.IO stack 8.4 ms | $p99_500 ms ($(ratio "$p99_500" 8.4) the Socket.IO stack's) |
| 1,000 msg/s, 9 readers: p50 / p99 | Socket.IO stack 11 ms / 232 ms; bare SignalR hub p99 8.6 ms | $(if [[ $(median "chat$top-eventchat" latencyCount) == 0 ]]; then echo "no message arrived within the window at $top msg/s offered"; else echo "$p50_top ms / $p99_top ms at $top msg/s offered"; fi) |
| saturation | Socket.IO stack ~1,300 msg/s | not pinned down: the ladder stops at $top msg/s offered, where $acked_top msg/s were acknowledged (the window's count, which can exceed the offered rate by a few), $(median "chat$top-eventchat" deliveredPerSec) deliveries/s arrived and p50 was $p50_top ms; storage alone sustained $persisted msg/s (persist) |
| memory per idle connection | Socket.IO stack ~13 KB; bare SignalR hub ~28 KB | $(cell "connections-$largest" edgeKbPerConnection) KB (at $largest connections) |

### Against the targets

| target | measured (median) | verdict |
|---|---|---|
| 100,000 idle connections, none dropped over 10 min | $largest held ${HOLD} s: $failed failed, $dropped dropped | $(idle_target_verdict "$largest" "$failed" "$dropped") |
| ≤ 20 KB per idle connection | $(cell "connections-$largest" edgeKbPerConnection) KB | $(memory_verdict "connections-$largest" "$kb") |
| p50 ≤ 10 ms at 1,000 msg/s, rooms of 10 (9 readers besides the sender, as in the yardstick) | $p50_top ms at $top msg/s offered | $(if ((top == 1000)); then latency_verdict "chat$top-eventchat" "$p50_top" 10; else echo "$at_1000"; fi) |
| p99 ≤ 50 ms at 1,000 msg/s, rooms of 10 | $p99_top ms | $(if ((top == 1000)); then latency_verdict "chat$top-eventchat" "$p99_top" 50; else echo "$at_1000"; fi) |
| ≥ 5,000 persisted msg/s for 5 min, no loss or duplicates | $persisted msg/s sustained, ${PERSIST_SECONDS} s of sending; $missing missing, $dup duplicated | $(verdict "$persisted" ">=" 5000 "msg/s")$(if ((PERSIST_SECONDS < 300)); then echo " (over ${PERSIST_SECONDS} s, not 5 min)"; fi)$(if [[ $missing != 0 || $dup != 0 ]]; then echo "; **not shown exactly once**"; fi) |
| ≥ 100,000 fan-out deliveries/s | $fan deliveries/s (at the fanout scenario's offered load) | $(verdict "$fan" ">=" 100000 "deliveries/s") |
| 500 users / 50 rooms: p99 ≤ 20 ms | $p99_500 ms | $(latency_verdict chat500-eventchat "$p99_500" 20) |
| … with edge CPU under 10% | busier edge $cpu_busiest % of one core; both edges $cpu % of the machine | $(verdict "$cpu_busiest" "<=" 10 "points") (read per edge) |
TABLE
}

commands_section() {
  printf '```sh\n'
  local addresses
  addresses=$(IFS=, && printf '%s' "${EDGE_ADDRESSES[*]}")
  printf '%s\n' "export Moderation__FloodLimit=$FLOOD_LIMIT Storage__MaxPoolSize=$PG_POOL" "export $LIMITS_ENV" \
    "export Auth__AccessTokenLifetime=$ACCESS_TOKEN_LIFETIME" \
    "export EVENTCHAT_EDGES=$EDGE_COUNT EVENTCHAT_EDGE_ADDRESSES=$addresses" "eng/cluster.sh up" \
    "dotnet build tools/EventChat.LoadTest -c Release"
  if runs_scenario chat || runs_scenario ladder; then
    printf '%s\n' "${LT#"$REPO_ROOT"/} reference --urls http://127.0.0.1:$REFERENCE_PORT &"
  fi
  # Each distinct command once, with how often it ran; CSV paths and the database password are left out.
  sed -e 's/--postgres .*--csv/--postgres "$ConnectionStrings__Postgres" --csv/' -e 's#--csv [^ ]*#--csv <run>.csv#' \
    "$RESULTS/commands.txt" | sort | uniq -c |
    awk '{ n = $1; $1 = ""; sub(/^ /, ""); printf "%s   # %d run(s)\n", $0, n }'
  printf '%s\n' "eng/cluster.sh down" '```'
}

notes_section() {
  if [[ -n ${BENCH_NOTE:-} ]]; then
    echo "- $BENCH_NOTE"
  fi
  if [[ -s $RESULTS/backlog.txt ]]; then
    echo "- The broker's queues after overloaded runs (the next run waited for them, up to ${IDLE_WAIT} s):"
    sed 's/^/  - /' "$RESULTS/backlog.txt"
  else
    echo "- The broker's queues were empty before every run."
  fi
  echo "- PostgreSQL allowed $PG_MAX_CONNECTIONS connections; the cluster's pools were $PG_POOL per process" \
    "(default 30$(if ((PG_POOL < 30)); then echo ", lowered so the shared server keeps slots for its other users"; fi))."
  echo "- Each process may hold at most $(ulimit -Hn) open files here, so each edge holds at most ~19,900" \
    "connections: 100,000 needs six edges (\`BENCH_FULL=1\` starts six with \`EVENTCHAT_EDGES=6\`); this run had $EDGE_COUNT."
}

chat_report() {
  cat <<DOC
## Chat: latency against load, EventChat and the reference server

500 users in 50 rooms at one message per 10 s each (50 msg/s offered) is the yardstick scenario; the other
rows are 1,000 users in 100 rooms at the offered load shown. Rooms have 10 members either way.

$(chat_section)

![latency against offered load](benchmarks-latency.png)
DOC
}

fanout_report() {
  cat <<DOC
## Fan-out

\`fanout\`: 1,000 users in 2 rooms spread over both edges, $FANOUT_SENDERS senders at 5 msg/s each.

$(fanout_section)
DOC
}

persist_report() {
  cat <<DOC
## Persistence

\`persist\`: $PERSIST_SENDERS senders, $(if ((PERSIST_MAX_RATE > 0)); then echo "at most $PERSIST_MAX_RATE msg/s in all"; else echo "each sending as fast as it is acknowledged"; fi),
for ${PERSIST_SECONDS} s, then up to ${PERSIST_DRAIN} s for storage to catch up; exactly-once checked in
PostgreSQL. Exit code 3 means storage had not caught up when the drain ran out: \`missing\` then counts
messages still queued as well as lost ones.

$(persist_section)
DOC
}

connections_report() {
  local where="both edges"
  ((EDGE_COUNT > 2)) && where="all $EDGE_COUNT edges"
  ((${#EDGE_ADDRESSES[@]} > 1)) && where+=", each at ${#EDGE_ADDRESSES[@]} addresses (${EDGE_ADDRESSES[*]})"
  cat <<DOC
## Idle connections and edge memory

\`connections\`, round-robin over $where, held ${HOLD} s, from client sockets bound to
$(tr -cd , <<<"$SOURCE_IPS" | wc -c | awk '{ print $1 + 1 }') source addresses. Each run starts the edges afresh, since an
edge's RSS does not shrink once connections close; each edge's RSS is read before opening and after the hold,
each time right after a full blocking garbage collection forced through the .NET diagnostics port. The
difference still includes the pools and code the first connections warm up. A size above $MAX_PER_TOOL is
opened by several tool processes at once; its runs are listed edge by edge and process by process below.

$(connections_section)

![edge memory against connections](benchmarks-memory.png)
DOC
}

# The report of a run of every scenario.
full_report() {
  cat <<DOC
# Benchmarks

Written by \`eng/bench.sh\` in $MODE mode (\`BENCH_QUICK=1\` for a short try, \`BENCH_FULL=1\` for the issue's
sizes). Each figure is the median of the runs. The tool, the cluster and the data services share the machine
below, so the tool's own work is part of every latency. Each run's stdout, stderr, per-second CSV and JSON
result were kept in \`$RESULTS\` on the machine that ran it.

## Machine

$(machine_section)

## What ran

The local cluster (\`eng/cluster.sh up\`: $EDGE_COUNT edges on 127.0.0.1:5001 and up, one worker process per role,
PostgreSQL, RabbitMQ, Redis) loaded directly on the edges, the chat scenarios on edges 1 and 2 with each room's
members spread over both; and
the load tool's bare WebSocket server (\`reference\`: Kestrel only, no SignalR, broker or database) loaded with
the same chat settings in the same session. The flood limit is raised (\`Moderation__FloodLimit=1000000\`), and so are the edges' rate limits
(\`$LIMITS_ENV\`).
Chat connections share accounts $CHAT_CPA to one, as devices of one user (registration hashes passwords and
would otherwise dominate set-up); idle connections $IDLE_CPA to one. Between runs the script waits up to
${IDLE_WAIT} s for the broker's queues to empty, so a backlog from an overloaded run does not spill into the next.

$(commands_section)

$(chat_report)

$(fanout_report)

$(persist_report)

$(connections_report)

## Comparison

$(comparison_section)

## Notes

$(notes_section)
DOC
}

# A run of some scenarios only: their sections of the existing report are replaced, each saying which run it
# comes from; the rest of the page (the comparison among it) stays as the earlier full run wrote it.
splice_report() {
  local out=$1 scenario section heading tmp
  [[ -f $out ]] || die "BENCH_SCENARIOS names a subset, but there is no $out to put its sections in"
  tmp=$(mktemp)
  cp "$out" "$tmp"
  for scenario in "${SCENARIOS[@]}"; do
    case $scenario in
      chat) runs_scenario ladder && continue; section=$(chat_report) ;;
      ladder) section=$(chat_report) ;;
      fanout) section=$(fanout_report) ;;
      persist) section=$(persist_report) ;;
      connections) section=$(connections_report) ;;
    esac
    heading=$(head -n 1 <<<"$section")
    section=$(
      printf '%s\n\n' "$heading"
      printf '_From a separate run of %s in %s mode on %s (results in `%s`), not the run the rest of this page\n' \
        "\`BENCH_SCENARIOS=\"${SCENARIOS[*]}\"\`" "$MODE" "$(cat "$RESULTS/started-at")" "$RESULTS"
      printf 'comes from; open-file limit %s per process, %s. Its commands:_\n\n' "$(ulimit -n)" "$(machine_line)"
      commands_section
      tail -n +2 <<<"$section"
    )
    awk -v heading="$heading" -v file=<(printf '%s\n\n' "$section") '
      BEGIN { while ((getline line < file) > 0) text = text line "\n" }
      $0 == heading { printf "%s", text; skipping = 1; done = 1; next }
      skipping && /^## / { skipping = 0 }
      !done && /^## Comparison/ { printf "%s", text; done = 1 }
      !skipping { print }' "$tmp" >"$tmp.new"
    mv "$tmp.new" "$tmp"
  done
  # The comparison still gives the full run's figures: say so under its heading, naming the newer run, so a
  # reader who sees a section disagree with it knows which to believe.
  local caveat
  caveat=$(printf '_The %s section(s) above come from a separate, later run (%s) and are not reflected in this comparison, which the full run wrote; where they differ, the sections hold the newer figures._' \
    "${SCENARIOS[*]}" "$(cat "$RESULTS/started-at")")
  awk -v caveat="$caveat" '
    /^_The .* not reflected in this comparison/ { next }
    { print }
    /^## Comparison$/ { print ""; print caveat }' "$tmp" | cat -s >"$tmp.new"
  mv "$tmp.new" "$tmp"
  mv "$tmp" "$out"
}

machine_line() {
  printf '%s CPUs, %s' "$(nproc)" "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
}

write_report() {
  local out="$DOCS/benchmarks.md"
  mkdir -p "$DOCS"
  local scenario every=yes
  for scenario in $ALL_SCENARIOS; do runs_scenario "$scenario" || every=no; done
  if [[ $every == yes ]]; then
    full_report >"$out"
  else
    splice_report "$out"
  fi
  log "wrote ${out#"$REPO_ROOT"/}"
}

# ---------------------------------------------------------------- main

main() {
  case ${1:-} in
    -h | --help)
      usage
      return 0
      ;;
    --report)
      # Writes docs/benchmarks.md and its plots again from an earlier run's results, e.g. after the report
      # itself was improved; the settings (BENCH_QUICK, BENCH_FULL, ...) must be those of that run.
      [[ -f ${2:-}/started-at && -f $2/took-minutes ]] || die "--report needs the results directory of a finished run"
      RESULTS=$(cd "$2" && pwd)
      check_settings
      choose_pool_size eventchat BENCH_PG_POOL_SIZE 0
      make_plots
      write_report
      return 0
      ;;
    "") ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
  ((EUID == 0)) || die "run as root: eng/cluster.sh up installs and starts the data services"
  check_settings
  begin_load_run bench
  log "mode $MODE, results in $RESULTS"
  check_ports
  # PostgreSQL must be running to count its free slots; this is the first step of eng/cluster.sh up anyway.
  "$REPO_ROOT/eng/services.sh" up >"$RESULTS/services-up.log" 2>&1 ||
    die "eng/services.sh up failed (see $RESULTS/services-up.log)"
  choose_pool_size eventchat BENCH_PG_POOL_SIZE 0
  check_kernel_limits
  cluster_up
  if runs_scenario chat || runs_scenario ladder; then start_reference; fi
  await_idle "start-up"

  # Idle connections first, while the edges have not yet grown their heaps under load.
  if runs_scenario connections; then run_connections; fi
  if runs_scenario chat; then run_chat_500; fi
  if runs_scenario ladder; then run_ladder; fi
  if runs_scenario fanout; then run_fanout; fi
  # Last: at overload it leaves the longest backlog.
  if runs_scenario persist; then run_persist; fi

  echo $(((SECONDS - BENCH_STARTED) / 60)) >"$RESULTS/took-minutes"
  make_plots
  write_report
  log "done in $(((SECONDS - BENCH_STARTED) / 60)) min $(((SECONDS - BENCH_STARTED) % 60)) s"
}

main "$@"
