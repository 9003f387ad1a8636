# shellcheck shell=bash
# Helpers shared by the load scripts eng/bench.sh and eng/yardstick.sh; sourced, never run. Both keep each run's
# JSON result as $RESULTS/<group>/run-<n>.json, which the figures below read.

# shellcheck source=eng/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The edges' rate limits are for people; load tools send, join, create rooms, register, log in and connect devices
# far faster, from a handful of addresses.
LIMITS_ENV="Limits__Messages__Permits=100000000 Limits__Joins__Permits=1000000 Limits__RoomCreations__Permits=1000000 \
Limits__LoginsPerAccount__Permits=1000000 Limits__LoginsPerAddress__Permits=100000000 \
Limits__RegistrationsPerAddress__Permits=100000000 Limits__ConnectionsPerUser=1000000"
FLOOD_LIMIT=1000000
# The RabbitMQ virtual host of the cluster under load.
LOAD_VHOST=eventchat

# Exports the raised limits for every process eng/cluster.sh starts; the argument is the access tokens' lifetime.
export_load_limits() {
  # Moderation reads this where it runs (the moderation worker); every process inherits it.
  export Moderation__FloodLimit=$FLOOD_LIMIT
  # Load tools log in once and never refresh their token, and an edge closes a hub connection when its access
  # token expires: the tokens must outlive the longest scenario, set-up and hold included.
  export Auth__AccessTokenLifetime=$1
  # shellcheck disable=SC2086 # one word per setting
  export $LIMITS_ENV
}

# The start of a run: the open-file limit raised to the hard limit (every WebSocket is a file), $RESULTS with its
# commands.txt and started-at, and the traps: the caller's cleanup on exit, and the failing command named, since set -e
# stops at the first one without saying which. The argument is the tag of the script's messages.
begin_load_run() {
  local hard
  hard=$(ulimit -Hn)
  [[ $hard == unlimited ]] && hard=1048576
  ulimit -n "$hard" || die "could not raise the open-file limit to $hard"
  mkdir -p "$RESULTS" || die "cannot create $RESULTS"
  : >"$RESULTS/commands.txt"
  date -u '+%Y-%m-%d %H:%M UTC' >"$RESULTS/started-at"
  LOAD_TAG=$1
  trap cleanup EXIT
  set -E
  trap 'printf "[%s] ERROR: line %s: \"%s\" failed\n" "$LOAD_TAG" "$LINENO" "$BASH_COMMAND" >&2' ERR
  trap 'exit 130' INT TERM
}

# Every pid holding a listening socket on a local port (nginx's master and its workers share one).
listener_pids() {
  { ss -Hltnp "sport = :$1" 2>/dev/null || true; } | { grep -o 'pid=[0-9]*' || true; } | cut -d= -f2 | sort -u
}

# A field of a run's JSON result (the last line of its stdout); flat values only, strings unquoted.
field() {
  local value
  value=$(grep -o "\"$2\":[^,}]*" "$1" | head -n 1 | cut -d: -f2-) || true
  value=${value#\"}
  printf '%s\n' "${value%\"}"
}

# "median min max" of one field over every run of a group; booleans count as "trues/runs".
stats() {
  local group=$1 name=$2 file values=()
  for file in "$RESULTS/$group"/run-*.json; do
    values+=("$(field "$file" "$name")")
  done
  printf '%s\n' "${values[@]}" | awk '
    $0 == "true" || $0 == "false" { bools++; if ($0 == "true") trues++; next }
    $0 == "" || $0 == "null" { next }
    { v[n++] = $0 + 0 }
    END {
      if (bools > 0) { printf "%d/%d true\n", trues, bools; exit }
      if (n == 0) { print "n/a"; exit }
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      m = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
      printf "%.6g %.6g %.6g\n", m, v[0], v[n - 1]
    }'
}

median() { stats "$1" "$2" | awk '{ print $1 }'; }

# A table cell: "median (min–max)", or the median alone when every run agreed.
cell() {
  stats "$1" "$2" | awk '
    NF == 3 { if ($2 == $3) print fmt($1); else printf "%s (%s–%s)\n", fmt($1), fmt($2), fmt($3); next }
    { print }
    function fmt(x) {
      if (x == int(x) || x >= 100 || x <= -100) return sprintf("%.0f", x)
      return (x >= 10 || x <= -10) ? sprintf("%.1f", x) : sprintf("%.2f", x)
    }'
}

# The quotient of two figures, "n/a" when either is missing or the divisor is 0.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0 || a == "n/a" || b == "n/a") print "n/a";
    else printf "%.2f×\n", a / b }'
}

# One value from PostgreSQL, as the eventchat role.
psql_scalar() {
  PGPASSWORD=eventchat psql -h 127.0.0.1 -p 5432 -U eventchat -d postgres -Atc "$1"
}

# The machine table's rows every report shares; the caller adds its own (PostgreSQL's, the date, the mode).
machine_rows() {
  local cpu rabbit redis
  cpu=$(grep -m 1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  rabbit=$(curl -fsS --max-time 5 -u eventchat:eventchat 'http://127.0.0.1:15672/api/overview?columns=rabbitmq_version' |
    grep -o '"rabbitmq_version":"[^"]*"' | cut -d'"' -f4) || rabbit=unknown
  redis=$(redis-cli -h 127.0.0.1 -p 6379 info server 2>/dev/null | tr -d '\r' | awk -F: '/^redis_version/ { print $2 }')
  cat <<TABLE
| | |
|---|---|
| CPUs (\`nproc\`) | $(nproc) ($cpu) |
| memory | $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |
| kernel | $(uname -sr) |
| .NET SDK | $(dotnet --version) |
| RabbitMQ | ${rabbit:-unknown} |
| Redis | ${redis:-unknown} |
| open-file limit | $(ulimit -n) per process |
TABLE
}

# Messages waiting in the cluster's queues (those of RabbitMQ's virtual host $LOAD_VHOST), errors and skips aside.
# A queue declared a moment ago has no count yet, and a virtual host may have no queue at all: both count as empty.
queued_messages() {
  curl -fsS --max-time 5 -u eventchat:eventchat \
    "http://127.0.0.1:15672/api/queues/$LOAD_VHOST?columns=name,messages" |
    { grep -o '"messages":[0-9]*,"name":"[^"]*"' || true; } |
    { grep -v -e '_error"' -e '_skipped"' -e '"dead-letters"' || true; } |
    awk -F'[:,]' '{ s += $2 } END { print s + 0 }'
}

# Waits up to $IDLE_WAIT seconds for the queues to empty after a run, so a backlog does not spill into the next one.
await_idle() {
  local label=$1 deadline=$((SECONDS + IDLE_WAIT)) queued zero=0 started=$SECONDS
  while :; do
    queued=$(queued_messages) || die "could not read queue depths from RabbitMQ's management API"
    # The management API's counts lag by a few seconds: trust two empty readings in a row.
    if ((queued == 0)); then
      ((++zero >= 2)) && break
    else
      zero=0
    fi
    if ((SECONDS >= deadline && queued > 0)); then
      log "after $label: $queued messages still queued after ${IDLE_WAIT}s; going on"
      printf '%s: %s messages still queued after waiting %s s\n' "$label" "$queued" "$IDLE_WAIT" >>"$RESULTS/backlog.txt"
      return 0
    fi
    sleep 3
  done
  if ((SECONDS - started > 10)); then
    printf '%s: the queues took %s s to empty\n' "$label" "$((SECONDS - started))" >>"$RESULTS/backlog.txt"
  fi
}

# Each of the cluster's processes (the edges and four workers) may keep Storage:MaxPoolSize (30) connections,
# 180 in all with two edges; eng/services.sh starts PostgreSQL with 300 slots, but a server someone else started
# may have fewer, and it is shared. Then the pools are made smaller so the load cannot take the slots other
# users of the server need; the report says so.
# Arguments: the cluster's database, the name of the variable that may set the pool size, and the slots other
# processes of the run (outside the cluster) may take.
choose_pool_size() {
  local database=$1 asked=${!2:-} extra=$3
  local max reserved others free processes=$((EDGE_COUNT + 4))
  max=$(psql_scalar 'SHOW max_connections') || die "cannot query PostgreSQL on 127.0.0.1:5432 as eventchat"
  reserved=$(psql_scalar 'SHOW superuser_reserved_connections')
  others=$(psql_scalar "SELECT count(*) FROM pg_stat_activity WHERE datname IS DISTINCT FROM '$database'")
  PG_MAX_CONNECTIONS=$max
  # Room for the other users' current connections to double, and for the tool's own check.
  free=$((max - reserved - 2 * others - 5 - extra))
  if [[ -n $asked ]]; then
    [[ $asked =~ ^[0-9]+$ ]] || die "$2 must be a whole number, not '$asked'"
    PG_POOL=$asked
  elif ((free >= processes * 30)); then
    PG_POOL=30
  else
    PG_POOL=$((free / processes))
    ((PG_POOL >= 4)) || die "PostgreSQL has max_connections=$max with $others connections of other databases:" \
      "too few slots left for the cluster's $processes processes"
    log "PostgreSQL allows $max connections ($others in use by other databases): cluster pools set to $PG_POOL" \
      "per process instead of 30 (Storage__MaxPoolSize)"
  fi
  export Storage__MaxPoolSize=$PG_POOL
}
