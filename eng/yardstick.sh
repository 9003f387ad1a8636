#!/usr/bin/env bash
# Measures EventChat side by side with the yardstick (the Socket.IO stack of the design research, kept outside this
# repository) in one run, with the yardstick's own load harness, and writes docs/yardstick.md.
#
#   eng/yardstick.sh                    every scenario YARDSTICK_RUNS times (default 3), the two stacks alternating
#   YARDSTICK_QUICK=1 eng/yardstick.sh  one 10 s run each at small sizes, to try the script
#   eng/yardstick.sh --report DIR       only writes the report again from an earlier run's results in DIR
#
# Copies the yardstick to a scratch directory and installs its packages there, starts two of its servers with
# PERSIST=1 on a database of their own, brings up the EventChat cluster with two edges (eng/cluster.sh up, with the
# limits raised as eng/bench.sh raises them), on ports, a database, a RabbitMQ virtual host and a Redis prefix of
# its own so that another cluster on the machine is left alone. Then runs load.mjs's socketio driver against the
# yardstick and its signalr driver against the edges, and stops what it started, also on failure.
# Run as root, from any directory.
#
# Settings (environment): EVENTCHAT_YARDSTICK (the yardstick's directory; default ../shared/yardstick beside the
# repository), YARDSTICK_RUNS, YARDSTICK_LADDER ("1 1.3 1.6 2", msg/s per user at 1,000 users),
# YARDSTICK_IDLE_CONNECTIONS (2000), YARDSTICK_DURATION (seconds per run, 20), YARDSTICK_P99_LIMIT_MS (3000:
# a ladder step above it ends that stack's ladder), YARDSTICK_PORT_BASE (7200: nginx, edges on +1 and +2, the
# yardstick's servers on +11 and +12), YARDSTICK_NICE (10, for every process of the run), YARDSTICK_RESULTS
# (default /tmp/eventchat-yardstick/<timestamp>), YARDSTICK_PG_POOL_SIZE, YARDSTICK_IDLE_WAIT.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=eng/load-lib.sh
source "$REPO_ROOT/eng/load-lib.sh"
CLUSTER="$REPO_ROOT/eng/cluster.sh"
PID_DIR="$REPO_ROOT/.cluster/pids"
DOCS="$REPO_ROOT/docs"
YARDSTICK_SOURCE=${EVENTCHAT_YARDSTICK:-$REPO_ROOT/../shared/yardstick}

QUICK=${YARDSTICK_QUICK:-0}
if [[ $QUICK == 1 ]]; then
  MODE=quick
  d_runs=1 d_duration=10 d_chat_users=200 d_load_users=300 d_ladder="1 2" d_idle=300
else
  MODE=default
  d_runs=3 d_duration=20 d_chat_users=500 d_load_users=1000 d_ladder="1 1.3 1.6 2" d_idle=2000
fi
RUNS=${YARDSTICK_RUNS:-$d_runs}
DURATION=${YARDSTICK_DURATION:-$d_duration}
# Ten members per room in every chat scenario, as in the yardstick's figures.
CHAT_USERS=$d_chat_users
LOAD_USERS=$d_load_users
read -r -a LADDER <<<"${YARDSTICK_LADDER:-$d_ladder}"
IDLE_CONNECTIONS=${YARDSTICK_IDLE_CONNECTIONS:-$d_idle}
P99_LIMIT_MS=${YARDSTICK_P99_LIMIT_MS:-3000}
PORT_BASE=${YARDSTICK_PORT_BASE:-7200}
NICE=${YARDSTICK_NICE:-10}
IDLE_WAIT=${YARDSTICK_IDLE_WAIT:-60}
RESULTS=${YARDSTICK_RESULTS:-/tmp/eventchat-yardstick/$(date -u +%Y%m%dT%H%M%SZ)}
EDGE_COUNT=2
EDGE_URLS=http://127.0.0.1:$((PORT_BASE + 1)),http://127.0.0.1:$((PORT_BASE + 2))
ANCHOR_PORTS=($((PORT_BASE + 11)) $((PORT_BASE + 12)))
ANCHOR_URLS=http://127.0.0.1:${ANCHOR_PORTS[0]},http://127.0.0.1:${ANCHOR_PORTS[1]}
# Names of this script's own: another engineer's cluster may be using eventchat's.
EVENTCHAT_DATABASE=eventchat_yardstick
ANCHOR_DATABASE=yardstick_anchor
LOAD_VHOST=eventchat-yardstick
REDIS_PREFIX=eventchat-yardstick
# The yardstick's servers keep a pool of 10 PostgreSQL connections each.
ANCHOR_PG_SLOTS=20

STARTED=$SECONDS
SCRATCH=
ANCHOR_PIDS=()
CLUSTER_STARTED=no
VHOST_CREATED=no
DATABASES_CREATED=()
EDGE_LOG_START=()

log() { printf '[yardstick %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() {
  printf '[yardstick] ERROR: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,21s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

check_settings() {
  local name value
  for name in RUNS DURATION IDLE_CONNECTIONS P99_LIMIT_MS PORT_BASE NICE IDLE_WAIT; do
    value=${!name}
    [[ $value =~ ^[0-9]+$ ]] || die "YARDSTICK_$name must be a whole number, not '$value'"
  done
  ((RUNS >= 1)) || die "YARDSTICK_RUNS must be at least 1"
  ((DURATION >= 8)) || die "YARDSTICK_DURATION must be at least 8 s (load.mjs warms up for a quarter of it)"
  ((PORT_BASE >= 1024 && PORT_BASE + 12 <= 65535)) || die "YARDSTICK_PORT_BASE must leave room for 13 ports"
  for value in "${LADDER[@]}"; do
    [[ $value =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "YARDSTICK_LADDER: '$value' is not a rate in msg/s per user"
  done
  ((${#LADDER[@]} > 0)) || die "YARDSTICK_LADDER names no step"
  [[ -d $YARDSTICK_SOURCE ]] ||
    die "no yardstick at $YARDSTICK_SOURCE: set EVENTCHAT_YARDSTICK to the directory holding server.mjs and load.mjs"
  local file
  for file in server.mjs load.mjs package.json; do
    [[ -f $YARDSTICK_SOURCE/$file ]] ||
      die "$YARDSTICK_SOURCE has no $file: set EVENTCHAT_YARDSTICK to the yardstick's directory"
  done
  command -v node >/dev/null && command -v npm >/dev/null || die "node and npm must be on PATH"
  command -v jq >/dev/null || die "jq must be on PATH"
}

# ---------------------------------------------------------------- clean-up

stop_pid() {
  kill -TERM "$1" 2>/dev/null || return 0
  wait_for 10 process_gone "$1" || kill -KILL "$1" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local pid database
  for pid in "${ANCHOR_PIDS[@]}"; do stop_pid "$pid"; done
  if [[ $CLUSTER_STARTED == yes ]]; then
    keep_edge_logs
    log "bringing the cluster down"
    "$CLUSTER" down >>"$RESULTS/cluster-down.log" 2>&1 || printf '[yardstick] ERROR: eng/cluster.sh down failed\n' >&2
  fi
  if [[ $VHOST_CREATED == yes ]]; then
    rabbit_api DELETE "vhosts/$LOAD_VHOST" || printf '[yardstick] ERROR: could not delete vhost %s\n' "$LOAD_VHOST" >&2
  fi
  for database in "${DATABASES_CREATED[@]}"; do
    psql_scalar "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null ||
      printf '[yardstick] ERROR: could not drop database %s\n' "$database" >&2
  done
  [[ -n $SCRATCH ]] && rm -rf "$SCRATCH"
  if ((status != 0)); then
    printf '[yardstick] FAILED after %d s (exit %d); results so far: %s\n' \
      "$((SECONDS - STARTED))" "$status" "$RESULTS" >&2
  fi
  exit "$status"
}

# ---------------------------------------------------------------- set-up

rabbit_api() {
  curl -fsS -o /dev/null --max-time 10 -u eventchat:eventchat -X "$1" -H 'content-type: application/json' \
    ${3:+--data "$3"} "http://127.0.0.1:15672/api/$2"
}

check_ports() {
  local port
  for port in "$PORT_BASE" "$((PORT_BASE + 1))" "$((PORT_BASE + 2))" "${ANCHOR_PORTS[@]}"; do
    [[ -z $(listener_pids "$port") ]] || die "port $port is taken; set YARDSTICK_PORT_BASE to a free range"
  done
}

create_database() {
  [[ -z $(psql_scalar "SELECT 1 FROM pg_database WHERE datname = '$1'") ]] ||
    die "database $1 exists already (a run that did not finish?); drop it or look at it first"
  psql_scalar "CREATE DATABASE $1" >/dev/null || die "could not create database $1"
  DATABASES_CREATED+=("$1")
}

# A virtual host, database and Redis prefix of the run's own, so that its workers do not consume another cluster's
# messages and its edges do not share another cluster's backplane.
isolate_cluster() {
  rabbit_api GET "vhosts/$LOAD_VHOST" 2>/dev/null &&
    die "RabbitMQ vhost $LOAD_VHOST exists already (a run that did not finish?); delete it or look at it first"
  rabbit_api PUT "vhosts/$LOAD_VHOST" || die "could not create RabbitMQ vhost $LOAD_VHOST"
  VHOST_CREATED=yes
  rabbit_api PUT "permissions/$LOAD_VHOST/eventchat" '{"configure":".*","write":".*","read":".*"}' ||
    die "could not give eventchat rights on vhost $LOAD_VHOST"
  # The broker's definitions give only its own vhost the poison-message policy and the dead-letter queue.
  local definitions
  definitions=$(jq -c --arg vhost "$LOAD_VHOST" \
    '{policies, exchanges, queues, bindings} | map_values(map(.vhost = $vhost))' "$REPO_ROOT/rabbitmq/definitions.json") ||
    die "could not read rabbitmq/definitions.json"
  rabbit_api POST definitions "$definitions" || die "could not import the broker's definitions into vhost $LOAD_VHOST"
  create_database "$EVENTCHAT_DATABASE"
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=5432;Username=eventchat;Password=eventchat;\
Database=$EVENTCHAT_DATABASE;SSL Mode=Disable"
  export ConnectionStrings__RabbitMq="amqp://eventchat:eventchat@127.0.0.1:5672/$LOAD_VHOST"
  export Redis__Prefix=$REDIS_PREFIX
}

prepare_yardstick() {
  SCRATCH=$(mktemp -d /tmp/eventchat-yardstick-src.XXXXXX)
  cp -r "$YARDSTICK_SOURCE/." "$SCRATCH/"
  rm -rf "$SCRATCH/node_modules"
  log "npm install in $SCRATCH (log: $RESULTS/npm-install.log)"
  (cd "$SCRATCH" && nice -n "$NICE" npm install --no-audit --no-fund) >"$RESULTS/npm-install.log" 2>&1 || {
    tail -n 20 "$RESULTS/npm-install.log" >&2
    die "npm install of the yardstick failed"
  }
}

anchor_healthy() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$1/health") == 200 ]]
}

start_anchors() {
  create_database "$ANCHOR_DATABASE"
  local port pid
  for port in "${ANCHOR_PORTS[@]}"; do
    (cd "$SCRATCH" && PORT=$port PERSIST=1 PGHOST=127.0.0.1 PGPORT=5432 PGUSER=eventchat PGPASSWORD=eventchat \
      PGDATABASE=$ANCHOR_DATABASE exec nice -n "$NICE" node server.mjs) >"$RESULTS/anchor-$port.log" 2>&1 </dev/null &
    pid=$!
    ANCHOR_PIDS+=("$pid")
    # The first creates the tables; two at once could race on "create table if not exists".
    wait_for 30 anchor_healthy "$port" || {
      show_log_tail "$RESULTS/anchor-$port.log"
      die "the yardstick's server on port $port did not answer /health within 30 s"
    }
    process_gone "$pid" && die "the yardstick's server on port $port exited (log: $RESULTS/anchor-$port.log)"
  done
  log "yardstick servers up on ports ${ANCHOR_PORTS[*]} (pids ${ANCHOR_PIDS[*]}, database $ANCHOR_DATABASE)"
}

cluster_up() {
  export_load_limits 04:00:00
  export EVENTCHAT_EDGES=$EDGE_COUNT EVENTCHAT_EDGE_PORT_BASE=$PORT_BASE EVENTCHAT_NGINX_PORT=$PORT_BASE
  CLUSTER_STARTED=yes
  log "eng/cluster.sh up (2 edges on ports $((PORT_BASE + 1)) and $((PORT_BASE + 2)), database $EVENTCHAT_DATABASE," \
    "vhost $LOAD_VHOST, Moderation__FloodLimit=$FLOOD_LIMIT; builds first)"
  nice -n "$NICE" "$CLUSTER" up >"$RESULTS/cluster-up.log" 2>&1 || {
    tail -n 30 "$RESULTS/cluster-up.log" >&2
    die "eng/cluster.sh up failed (full log: $RESULTS/cluster-up.log)"
  }
}

# Where each edge's log stood when the run began: .cluster/logs keeps every earlier run's lines too.
mark_edge_logs() {
  local k
  for ((k = 1; k <= EDGE_COUNT; k++)); do
    EDGE_LOG_START[k]=$(stat -c %s "$REPO_ROOT/.cluster/logs/edge-$k.log" 2>/dev/null || echo 0)
  done
}

# Copies this run's part of each edge's log into the results, before the cluster goes down.
keep_edge_logs() {
  local k
  for ((k = 1; k <= EDGE_COUNT; k++)); do
    tail -c +"$((${EDGE_LOG_START[k]:-0} + 1))" "$REPO_ROOT/.cluster/logs/edge-$k.log" >"$RESULTS/edge-$k.log" \
      2>/dev/null || true
  done
}

edge_pids() {
  local k pid pids=()
  for ((k = 1; k <= EDGE_COUNT; k++)); do
    pid=$(cat "$PID_DIR/edge-$k.pid" 2>/dev/null) || die "no pid file for edge-$k (is the cluster up?)"
    pids+=("$pid")
  done
  (IFS=, && printf '%s\n' "${pids[*]}")
}

# ---------------------------------------------------------------- runs

# One run of load.mjs: run_load <group> <run> <driver> <arguments...>; its JSON line goes to run-<n>.json.
run_load() {
  local group=$1 run=$2 driver=$3 urls
  shift 3
  [[ $driver == socketio ]] && urls=$ANCHOR_URLS || urls=$EDGE_URLS
  local dir="$RESULTS/$group" args=(--driver "$driver" --urls "$urls" "$@")
  mkdir -p "$dir"
  printf 'node load.mjs %s\n' "${args[*]}" >>"$RESULTS/commands.txt"
  log "$group run $run: ${args[*]}"
  local status=0
  (cd "$SCRATCH" && timeout 1200 nice -n "$NICE" node load.mjs "${args[@]}") \
    >"$dir/run-$run.out" 2>"$dir/run-$run.err" || status=$?
  tail -n 1 "$dir/run-$run.out" >"$dir/run-$run.json"
  if ((status != 0)) || ! grep -q '^{' "$dir/run-$run.json" || grep -q '"error"' "$dir/run-$run.json"; then
    log "$group run $run FAILED (exit $status): $(head -c 300 "$dir/run-$run.json") $(tail -n 3 "$dir/run-$run.err")"
    printf '%s run %s: exit %s: %s\n' "$group" "$run" "$status" "$(head -c 300 "$dir/run-$run.json")" \
      >>"$RESULTS/failures.txt"
    return 0
  fi
  log "$group run $run: $(cat "$dir/run-$run.json")"
  [[ $driver == signalr ]] && await_idle "$group run $run"
  return 0
}

# The order of the drivers in run n: the yardstick first in odd runs, EventChat first in even ones.
drivers_of_run() {
  if (($1 % 2)); then printf 'socketio signalr\n'; else printf 'signalr socketio\n'; fi
}

# Both drivers with $CHAT_ARGS, RUNS runs each, alternating.
run_pair() {
  local scenario=$1 run driver
  for ((run = 1; run <= RUNS; run++)); do
    for driver in $(drivers_of_run "$run"); do
      run_load "$scenario-$driver" "$run" "$driver" "${CHAT_ARGS[@]}"
    done
  done
}

chat_args() {
  CHAT_ARGS=(--users "$1" --rooms "$(($1 / 10))" --rate "$2" --duration "$DURATION")
}

run_chat() {
  chat_args "$CHAT_USERS" 0.1
  run_pair chat500
  chat_args "$LOAD_USERS" 1
  run_pair chat1000
}

offered() {
  awk -v u="$1" -v r="$2" 'BEGIN { printf "%d\n", u * r + 0.5 }'
}

# Whether a ladder step held: deliveries within 10 % of what the offered load asks for, and p99 under the limit.
step_held() {
  local group=$1 offered=$2 deliveries p99
  deliveries=$(median "$group" deliveriesPerSec)
  p99=$(median "$group" p99ms)
  awk -v d="$deliveries" -v o="$offered" -v p="$p99" -v l="$P99_LIMIT_MS" \
    'BEGIN { exit !(d != "n/a" && p != "n/a" && d >= 0.9 * o * 9 && p <= l) }'
}

run_ladder() {
  local driver rate offered run
  for driver in socketio signalr; do
    for rate in "${LADDER[@]}"; do
      offered=$(offered "$LOAD_USERS" "$rate")
      chat_args "$LOAD_USERS" "$rate"
      for ((run = 1; run <= RUNS; run++)); do
        run_load "ladder$offered-$driver" "$run" "$driver" "${CHAT_ARGS[@]}"
      done
      step_held "ladder$offered-$driver" "$offered" || {
        log "$driver: the ladder stops at $offered msg/s offered"
        break
      }
    done
  done
}

# The highest step a driver's ladder held, 0 when it held none, n/a when no step gave figures.
ladder_held() {
  local driver=$1 rate offered held=n/a
  for rate in "${LADDER[@]}"; do
    offered=$(offered "$LOAD_USERS" "$rate")
    [[ $(median "ladder$offered-$driver" deliveriesPerSec) == n/a ]] && break
    step_held "ladder$offered-$driver" "$offered" || {
      held=${held/n\/a/0}
      break
    }
    held=$offered
  done
  printf '%s\n' "$held"
}

run_idle() {
  local run driver pids
  for ((run = 1; run <= RUNS; run++)); do
    for driver in $(drivers_of_run "$run"); do
      if [[ $driver == socketio ]]; then pids=$(IFS=, && printf '%s' "${ANCHOR_PIDS[*]}"); else pids=$(edge_pids); fi
      run_load "idle-$driver" "$run" "$driver" --users "$IDLE_CONNECTIONS" --rooms 1 --idle 1 --pids "$pids" \
        --duration "$DURATION"
    done
  done
}

# ---------------------------------------------------------------- the report

# A row comparing one figure: row <label> <scenario> <field> <published yardstick figure> <published bound op>.
row() {
  local label=$1 scenario=$2 name=$3 published=$4 op=$5 ours theirs
  ours=$(median "$scenario-signalr" "$name")
  theirs=$(median "$scenario-socketio" "$name")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$(cell "$scenario-signalr" "$name")" \
    "$(cell "$scenario-socketio" "$name")" "$(ratio "$ours" "$theirs")" "$published" \
    "$(beaten "$ours" "$op" "${published%% *}")"
}

# "beaten" when EventChat's median is better than the published figure; op says which way is better.
beaten() {
  if [[ ${3:-—} == — ]]; then
    printf '—\n'
  elif [[ $1 == n/a || -z $1 ]]; then
    printf 'not measured\n'
  elif [[ $QUICK == 1 ]]; then
    printf 'not comparable (quick sizes)\n'
  else
    awk -v v="$1" -v op="$2" -v t="${3//,/}" \
      'BEGIN { print (op == "<" ? v < t : v > t) ? "**beaten**" : "**not beaten**" }'
  fi
}

table_head() {
  printf '| figure | EventChat (signalr driver) | yardstick here (socketio driver) | EventChat / yardstick |'
  printf ' brief'"'"'s yardstick figure | verdict |\n|---|---|---|---|---|---|\n'
}

chat_table() {
  local scenario=$1 p50=$2 p99=$3
  table_head
  row "messages/s acknowledged" "$scenario" messagesPerSec "—" ">"
  row "deliveries/s" "$scenario" deliveriesPerSec "—" ">"
  row "p50 ms" "$scenario" p50ms "$p50" "<"
  row "p90 ms" "$scenario" p90ms "—" "<"
  row "p99 ms" "$scenario" p99ms "$p99" "<"
  row "p99.9 ms" "$scenario" p999ms "—" "<"
  row "lost deliveries" "$scenario" lost "—" "<"
  row "duplicates" "$scenario" duplicates "—" "<"
  row "refused sends" "$scenario" refused "—" "<"
}

ladder_section() {
  local rate offered driver group
  printf '| offered msg/s | stack | messages/s acknowledged | deliveries/s (9 per message asked) | p50 ms | p99 ms | lost |\n'
  printf '|---|---|---|---|---|---|---|\n'
  for rate in "${LADDER[@]}"; do
    offered=$(offered "$LOAD_USERS" "$rate")
    for driver in signalr socketio; do
      group="ladder$offered-$driver"
      [[ -d $RESULTS/$group ]] || continue
      printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$offered" "$(stack_name "$driver")" \
        "$(cell "$group" messagesPerSec)" "$(cell "$group" deliveriesPerSec)" "$(cell "$group" p50ms)" \
        "$(cell "$group" p99ms)" "$(cell "$group" lost)"
    done
  done
  local ours theirs
  ours=$(ladder_held signalr)
  theirs=$(ladder_held socketio)
  printf '\n| figure | EventChat | yardstick here | EventChat / yardstick | brief'"'"'s yardstick figure | verdict |\n'
  printf '|---|---|---|---|---|---|\n'
  printf '| highest step held (msg/s) | %s | %s | %s | about 1,300 | %s |\n' "$ours" "$theirs" \
    "$(ratio "$ours" "$theirs")" "$(beaten "$ours" ">" 1300)"
  printf '\nA step is held when the deliveries reach 90 %% of what the offered load asks for and p99 stays at or under'
  printf ' %s ms; a stack'"'"'s ladder stops at its first step that is not held. The ladder is %s users in rooms' \
    "$P99_LIMIT_MS" "$LOAD_USERS"
  printf ' of 10; the offered load can only be reached when acknowledgements are quick, since each user waits for'
  printf ' the one before sending again.\n'
}

stack_name() {
  [[ $1 == signalr ]] && printf 'EventChat\n' || printf 'yardstick\n'
}

idle_section() {
  table_head
  local ours theirs
  ours=$(median idle-signalr perConnKb)
  theirs=$(median idle-socketio perConnKb)
  printf '| KB per idle connection | %s | %s | %s | about 13 (bare SignalR hub: 28) | %s |\n' \
    "$(cell idle-signalr perConnKb)" "$(cell idle-socketio perConnKb)" "$(ratio "$ours" "$theirs")" \
    "$(beaten "$ours" "<" 13)"
  printf '| seconds to connect them | %s | %s | %s | — | — |\n' "$(cell idle-signalr connectSeconds)" \
    "$(cell idle-socketio connectSeconds)" \
    "$(ratio "$(median idle-signalr connectSeconds)" "$(median idle-socketio connectSeconds)")"
  printf '\nThe growth of the servers'"'"' RSS (both edges; both yardstick servers) while %s connections are held, over' \
    "$IDLE_CONNECTIONS"
  printf ' the connections. An EventChat connection is a registered user who logged in; a yardstick connection is a'
  printf ' socket with a name. The harness reads RSS without forcing a garbage collection first, so a single run can'
  printf ' be far off, even below zero; the connections scenario of `eng/bench.sh` forces a full collection before'
  printf ' each reading (see docs/benchmarks.md).\n'
}

# Logins the edges refused with 503 because the rate limit store did not answer within its timeout.
refused_logins() {
  cat "$RESULTS"/edge-*.log 2>/dev/null | grep -c 'POST /api/auth/login failed because a data store' || true
}

failures_section() {
  [[ -s $RESULTS/failures.txt ]] || return 0
  printf '\n## Runs that failed\n\nTheir figures are left out of the medians above.\n\n```\n'
  cat "$RESULTS/failures.txt"
  printf '```\n'
  local refused
  refused=$(refused_logins)
  ((refused > 0)) || return 0
  cat <<EOF

The edges answered $refused logins with 503 during the run (their logs: \`edge-*.log\` in the results). load.mjs
registers and logs in 50 users at a time and does not look at the login's status: a refused login leaves it without
a token, and the hub then refuses the WebSocket, which the SignalR client reports as "WebSocket failed to connect.
The connection could not be found on the server". The edges refuse a login (they fail closed) when the rate limit
store in Redis does not answer within \`RateLimiter.StoreTimeout\` (1 s), and while the edges hash up to 50
passwords at once (registration and login both do) on a machine this size, the answer can come too late. One such
login ends the whole run.
EOF
}

write_report() {
  local out="$DOCS/yardstick.md" postgres
  postgres=$(psql_scalar 'SHOW server_version') || postgres=unknown
  mkdir -p "$DOCS"
  {
    cat <<EOF
# EventChat beside the yardstick

Written by \`eng/yardstick.sh\`. The yardstick is the Socket.IO stack of the design research (Socket.IO 4 servers joined
by the Redis adapter, each message stored in PostgreSQL with a per-room sequence before it is broadcast), measured in
the same session by the same harness (its \`load.mjs\`): the \`socketio\` driver against two of its servers, the
\`signalr\` driver against two EventChat edges through EventChat's public contract. Each figure is the median of the
runs, with the smallest and largest in brackets; the ratio is EventChat's median over the yardstick's. The verdict
compares EventChat's median with the yardstick's figure published in the developers' brief.

## Machine

EOF
    machine_rows
    cat <<EOF
| PostgreSQL | $postgres (the cluster's pools: $PG_POOL per process) |
| date | $(cat "$RESULTS/started-at") |
| mode | $MODE: $RUNS run(s) per scenario and ladder step, $DURATION s each; took $(cat "$RESULTS/took-minutes") min |
| load | every process of the run at \`nice -n $NICE\`; node $(node -v) |

## Commands

\`\`\`sh
$([[ $QUICK == 1 ]] && printf 'YARDSTICK_QUICK=1 ')eng/yardstick.sh
\`\`\`

It ran, from a copy of the yardstick with its packages installed, after starting the yardstick's servers as
\`PORT=<port> PERSIST=1 PGHOST=127.0.0.1 PGUSER=eventchat PGDATABASE=$ANCHOR_DATABASE node server.mjs\` on ports
${ANCHOR_PORTS[0]} and ${ANCHOR_PORTS[1]}, and the cluster with \`eng/cluster.sh up\` (two edges on ports $((PORT_BASE + 1)) and
$((PORT_BASE + 2)); \`Moderation__FloodLimit=$FLOOD_LIMIT\`, \`$LIMITS_ENV\`):

\`\`\`sh
$(cat "$RESULTS/commands.txt")
\`\`\`

## $CHAT_USERS users in $((CHAT_USERS / 10)) rooms at 0.1 msg/s each

$(chat_table chat500 — 8.4)

## $LOAD_USERS users in $((LOAD_USERS / 10)) rooms at 1 msg/s each (9 readers per message)

$(chat_table chat1000 11 232)

The bare SignalR hub of the brief had p99 8.6 ms at 1,000 msg/s.

## Saturation ladder

$(ladder_section)

## Idle connections

$(idle_section)
$(failures_section)

## Notes

- The brief's figures were measured at 500 users and 1,000 msg/s with a load harness of the same kind; the yardstick
  measured here, on this machine in this run, is the fairer comparison.$([[ $QUICK == 1 ]] && printf ' This quick run used smaller sizes, so its verdicts only show that the script works.')
- load.mjs registers and logs in every EventChat user (the password is hashed on purpose), so EventChat's set-up takes
  far longer than the yardstick's; the figures above are taken after set-up.
- Each run's stdout, stderr and JSON line are kept in \`$RESULTS\`.
EOF
  } >"$out"
  log "wrote ${out#"$REPO_ROOT"/}"
}

# ---------------------------------------------------------------- main

main() {
  if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    usage
    return 0
  fi
  if [[ ${1:-} == --report ]]; then
    # Writes docs/yardstick.md again from an earlier run's results; the settings must be that run's.
    [[ -f ${2:-}/took-minutes && -f $2/pg-pool ]] || die "--report needs the results directory of a finished run"
    RESULTS=$(cd "$2" && pwd)
    PG_POOL=$(cat "$RESULTS/pg-pool")
    write_report
    return 0
  fi
  (($# == 0)) || {
    usage >&2
    exit 2
  }
  check_settings
  ((EUID == 0)) || die "run as root: eng/cluster.sh up installs and starts the data services"
  begin_load_run yardstick
  log "mode $MODE, results in $RESULTS"
  check_ports
  "$REPO_ROOT/eng/services.sh" up >"$RESULTS/services-up.log" 2>&1 ||
    die "eng/services.sh up failed (see $RESULTS/services-up.log)"
  prepare_yardstick
  isolate_cluster
  choose_pool_size "$EVENTCHAT_DATABASE" YARDSTICK_PG_POOL_SIZE "$ANCHOR_PG_SLOTS"
  echo "$PG_POOL" >"$RESULTS/pg-pool"
  start_anchors
  cluster_up
  mark_edge_logs
  await_idle "start-up"

  # Idle connections first, while the servers have not yet grown their heaps under load.
  run_idle
  run_chat
  run_ladder

  echo $(((SECONDS - STARTED) / 60)) >"$RESULTS/took-minutes"
  keep_edge_logs
  write_report
  log "done in $(((SECONDS - STARTED) / 60)) min $(((SECONDS - STARTED) % 60)) s"
}

main "$@"
