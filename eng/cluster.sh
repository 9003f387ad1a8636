#!/usr/bin/env bash
# A whole EventChat deployment on one machine, for trying things out as a user would:
# edges behind nginx (two unless EVENTCHAT_EDGES says otherwise), one worker process per role,
# and the data services.
#
#   eng/cluster.sh up            build, migrate, start everything, wait until healthy
#   eng/cluster.sh status        one line per process
#   eng/cluster.sh down [--all]  stop what `up` started; --all also stops the data services
#
# EVENTCHAT_EDGES (1-99, default 2): edge k listens on port EVENTCHAT_EDGE_PORT_BASE+k (base 5000).
# EVENTCHAT_NGINX_PORT (default 8080): nginx's port. A second cluster on the same machine, from
# another checkout, needs other ports for both; until `down`, the cluster's ports are remembered.
# EVENTCHAT_EDGE_ADDRESSES (default 127.0.0.1): the loopback addresses every edge listens on,
# comma-separated; more than one lets clients spread their connections over more address pairs.
# Pids, logs, the nginx config and the shared JWT signing key live in .cluster/ (git-ignored).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=eng/lib.sh
source "$REPO_ROOT/eng/lib.sh"
SERVICES="$REPO_ROOT/eng/services.sh"
STATE_DIR="$REPO_ROOT/.cluster"
LOG_DIR="$STATE_DIR/logs"
PID_DIR="$STATE_DIR/pids"
NGINX_DIR="$STATE_DIR/nginx"
KEY_FILE="$STATE_DIR/signing-key"
# nginx lives in /usr/sbin, which a non-login root shell (sudo, CI) may not have on its PATH.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

API_DLL="$REPO_ROOT/src/Api/bin/Release/net10.0/EventChat.Api.dll"
WORKERS_DLL="$REPO_ROOT/src/Workers/bin/Release/net10.0/EventChat.Workers.dll"

EDGE_COUNT=${EVENTCHAT_EDGES:-2}
[[ $EDGE_COUNT =~ ^[0-9]+$ ]] && ((EDGE_COUNT >= 1 && EDGE_COUNT <= 99)) ||
  { printf '[cluster] ERROR: EVENTCHAT_EDGES must be 1 to 99, not %s\n' "$EDGE_COUNT" >&2; exit 2; }
EDGES=()
for ((k = 1; k <= EDGE_COUNT; k++)); do EDGES+=("edge-$k"); done
IFS=', ' read -r -a EDGE_ADDRESSES <<<"${EVENTCHAT_EDGE_ADDRESSES:-127.0.0.1}"
for address in "${EDGE_ADDRESSES[@]}"; do
  [[ $address =~ ^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] ||
    { printf '[cluster] ERROR: EVENTCHAT_EDGE_ADDRESSES: %s is not a 127.x.y.z address\n' "$address" >&2; exit 2; }
done
unset address
WORKER_ROLES=(moderation persistence notifications retention)
# The ports of the last `up`, so that `down` and `status` find its processes without being told the ports again.
PORTS_FILE="$STATE_DIR/ports"
saved_ports=()
[[ -r $PORTS_FILE ]] && read -r -a saved_ports <"$PORTS_FILE"
EDGE_PORT_BASE=${EVENTCHAT_EDGE_PORT_BASE:-${saved_ports[0]:-5000}}
NGINX_PORT=${EVENTCHAT_NGINX_PORT:-${saved_ports[1]:-8080}}
for setting in EDGE_PORT_BASE NGINX_PORT; do
  [[ ${!setting} =~ ^[0-9]+$ ]] && ((${!setting} >= 1024 && ${!setting} + EDGE_COUNT <= 65535)) ||
    { printf '[cluster] ERROR: EVENTCHAT_%s must be a port from 1024 up, not %s\n' "$setting" "${!setting}" >&2; exit 2; }
done
unset setting saved_ports
HEALTH_TIMEOUT=${EVENTCHAT_HEALTH_TIMEOUT:-120}
# Said when `up` fails half-way: what did start is kept, so its logs and state can be inspected.
LEFT_RUNNING="the other processes are left running ('eng/cluster.sh down' stops them)"

log() { printf '[cluster] %s\n' "$*"; }
die() {
  printf '[cluster] ERROR: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}





# ---------------------------------------------------------------- process table

pid_file() { printf '%s/%s.pid\n' "$PID_DIR" "$1"; }

# The edges asked for, and any others an earlier `up` with a larger EVENTCHAT_EDGES left pid files for,
# so that `down` and `status` still see them.
known_edges() {
  local file name
  printf '%s\n' "${EDGES[@]}"
  for file in "$PID_DIR"/edge-*.pid; do
    [[ -e $file ]] || continue
    name=$(basename "$file" .pid)
    ((${name#edge-} > EDGE_COUNT)) && printf '%s\n' "$name"
  done
  return 0
}

mapfile -t KNOWN_EDGES < <(known_edges | sort -t- -k2 -n)
ALL_PROCESSES=("${KNOWN_EDGES[@]}" "${WORKER_ROLES[@]/#/worker-}" nginx)

# edge-1 listens on 5001, edge-2 on 5002, and so on (with the default base).
edge_port() { printf '%s\n' "$((EDGE_PORT_BASE + ${1#edge-}))"; }
# The address health checks, nginx and the summary use: the first of EVENTCHAT_EDGE_ADDRESSES.
edge_url() { printf 'http://%s:%s\n' "${EDGE_ADDRESSES[0]}" "$(edge_port "$1")"; }
# Every URL the edge listens on, in Kestrel's form (separated by semicolons).
edge_urls() {
  local address urls=()
  for address in "${EDGE_ADDRESSES[@]}"; do urls+=("http://$address:$(edge_port "$1")"); done
  (IFS=';' && printf '%s\n' "${urls[*]}")
}

# What the command line of each process must contain, followed by a space (the end of the
# argument) or, for an edge listening on several addresses, by a semicolon. Checked before
# trusting or signalling a pid from a file, since after a reboot that pid may belong to
# something else entirely. An edge is recognised by its port whatever its addresses.
cmdline_marker() {
  case $1 in
    edge-*) printf 'EventChat.Api.dll --urls http://%s:%s\n' "[0-9.]*" "$(edge_port "$1")" ;;
    worker-*) printf 'Workers:Roles=%s\n' "${1#worker-}" ;;
    nginx) printf 'nginx: master\n' ;;
  esac
}

# Prints the pid of a process `up` started, if it is still running.
running_pid() {
  local pid cmdline marker
  pid=$(cat "$(pid_file "$1")" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && ! process_gone "$pid" || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  marker=$(cmdline_marker "$1")
  [[ $1 == nginx ]] && marker="$marker*"
  # shellcheck disable=SC2053 # the marker is a glob on purpose
  [[ $cmdline == *$marker[\ \;]* ]] || return 1
  printf '%s\n' "$pid"
}

any_running() {
  local name
  for name in "${ALL_PROCESSES[@]}"; do
    running_pid "$name" >/dev/null && return 0
  done
  return 1
}

# Runs a .NET app in the background with its own log. The working directory is the app's
# output folder, because that is where the host looks for appsettings*.json.
start_dotnet() {
  local name=$1 dll=$2
  shift 2
  if running_pid "$name" >/dev/null; then
    log "$name: already running"
    return 0
  fi
  (cd "$(dirname "$dll")" && exec setsid dotnet "$dll" "$@") >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  printf '%s\n' "$!" >"$(pid_file "$name")"
  log "$name: started (pid $!, log .cluster/logs/$name.log)"
}

stop_process() {
  local name=$1 pid
  if ! pid=$(running_pid "$name"); then
    rm -f "$(pid_file "$name")"
    log "$name: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for 30 process_gone "$pid"; then
    log "$name: still running after 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait_for 10 process_gone "$pid" || die "$name: pid $pid would not stop"
  fi
  rm -f "$(pid_file "$name")"
  log "$name: stopped"
}

# ---------------------------------------------------------------- steps of `up`

build_solution() {
  command -v dotnet >/dev/null || die "dotnet (the .NET 10 SDK) is not on PATH"
  log "building EventChat.sln (Release)"
  (cd "$REPO_ROOT" && dotnet build EventChat.sln -c Release --nologo) || die "build failed"
}

require_outputs() {
  local dll
  for dll in "$API_DLL" "$WORKERS_DLL"; do
    [[ -f $dll ]] || die "expected build output ${dll#"$REPO_ROOT"/} is missing (was the project renamed?)"
  done
}

run_migrations() {
  log "applying database migrations (log .cluster/logs/migrate.log)"
  if ! (cd "$(dirname "$WORKERS_DLL")" && dotnet "$WORKERS_DLL" migrate) >>"$LOG_DIR/migrate.log" 2>&1 </dev/null; then
    show_log_tail "$LOG_DIR/migrate.log"
    die "migrations failed"
  fi
}

# One key for every edge, so a token issued by one is accepted by the other; kept across
# runs so that tokens survive a restart of the cluster.
ensure_signing_key() {
  [[ -s $KEY_FILE ]] && return 0
  (umask 077 && head -c 48 /dev/urandom | base64 -w 0 >"$KEY_FILE")
  log "generated a new JWT signing key in .cluster/signing-key"
}

# Every WebSocket costs the edge (and nginx, twice) a file descriptor; the usual soft limit
# of 1024 would cap a load test long before CPU does. Children inherit the raised limit, which
# can go no higher than the hard limit this shell was given.
raise_fd_limit() {
  local hard
  hard=$(ulimit -Hn)
  [[ $hard == unlimited ]] && hard=1048576
  ulimit -n "$hard" 2>/dev/null || log "could not raise the open-file limit above $(ulimit -n)"
  log "open-file limit: $(ulimit -n) per process"
}

start_edges() {
  local edge
  for edge in "${EDGES[@]}"; do
    # Exported in a subshell, not passed on the command line, so the key stays out of `ps`.
    (
      export Workers__Roles=none Edge__Id="$edge"
      Auth__SigningKey=$(cat "$KEY_FILE")
      export Auth__SigningKey
      start_dotnet "$edge" "$API_DLL" --urls "$(edge_urls "$edge")"
    )
  done
}

start_workers() {
  local role
  for role in "${WORKER_ROLES[@]}"; do
    start_dotnet "worker-$role" "$WORKERS_DLL" "--Workers:Roles=$role"
  done
}

# Replaces one ${NAME} placeholder in $template (set by the caller) with a value.
fill_placeholder() {
  local token="\${$1}"
  template=${template//"$token"/$2}
}

# Fills in eng/nginx.conf's placeholders for a private nginx instance under .cluster/.
render_nginx_config() {
  local template conf="$NGINX_DIR/nginx.conf" user
  template=$(<"$REPO_ROOT/eng/nginx.conf")
  # Workers of a root-started nginx need an account; www-data comes with Debian's nginx.
  if ((EUID == 0)); then user=www-data; else user=$(id -un); fi

  fill_placeholder EVENTCHAT_NGINX_USER "$user"
  fill_placeholder EVENTCHAT_NGINX_STATE_DIR "$NGINX_DIR"
  fill_placeholder EVENTCHAT_NGINX_PID_FILE "$(pid_file nginx)"
  fill_placeholder EVENTCHAT_NGINX_ERROR_LOG "$LOG_DIR/nginx.log"
  fill_placeholder EVENTCHAT_NGINX_ACCESS_LOG "$LOG_DIR/nginx-access.log"
  fill_placeholder EVENTCHAT_NGINX_LISTEN "127.0.0.1:$NGINX_PORT"
  local edge servers=""
  for edge in "${EDGES[@]}"; do
    servers+="${servers:+$'\n        '}server ${EDGE_ADDRESSES[0]}:$(edge_port "$edge");"
  done
  fill_placeholder EVENTCHAT_EDGE_SERVERS "$servers"
  if [[ $template =~ \$\{EVENTCHAT_[A-Z0-9_]+\} ]]; then
    die "eng/nginx.conf uses ${BASH_REMATCH[0]}, which this script does not fill in"
  fi

  printf '%s\n' "$template" >"$conf"
  printf '%s\n' "$conf"
}

start_nginx() {
  command -v nginx >/dev/null || die "nginx is not installed"
  if running_pid nginx >/dev/null; then
    log "nginx: already running"
    return 0
  fi
  local conf
  conf=$(render_nginx_config)
  # -e: errors from before the config is read go to our log, not /var/log/nginx.
  local args=(-p "$NGINX_DIR/" -c "$conf" -e "$LOG_DIR/nginx.log")
  nginx -t -q "${args[@]}" || die "nginx: generated config $conf is invalid"
  nginx "${args[@]}" || {
    show_log_tail "$LOG_DIR/nginx.log"
    die "nginx: could not start (is port $NGINX_PORT taken?)"
  }
  log "nginx: started on 127.0.0.1:$NGINX_PORT (log .cluster/logs/nginx.log)"
}

health_ok() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1/health") == 200 ]]
}

# Waits for GET /health = 200, giving up early if the process behind it has exited.
await_health() {
  local name=$1 url=$2
  local deadline=$((SECONDS + HEALTH_TIMEOUT))
  until health_ok "$url"; do
    if ! running_pid "$name" >/dev/null; then
      show_log_tail "$LOG_DIR/$name.log"
      die "$name exited before $url/health answered; $LEFT_RUNNING"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$LOG_DIR/$name.log"
      die "$name: $url/health did not return 200 within ${HEALTH_TIMEOUT}s; $LEFT_RUNNING"
    fi
    sleep 1
  done
  log "$name: healthy"
}

# Workers have no HTTP endpoint; one that is still running after the edges came up has at
# least got past configuration and its broker connection.
check_workers_alive() {
  local role
  for role in "${WORKER_ROLES[@]}"; do
    running_pid "worker-$role" >/dev/null && continue
    show_log_tail "$LOG_DIR/worker-$role.log"
    die "worker-$role exited during start-up; $LEFT_RUNNING"
  done
}

print_summary() {
  local edge
  printf '\nEventChat cluster is up.\n'
  for edge in "${EDGES[@]}"; do
    printf '  %-15s %s\n' "edge ${edge#edge-}" "$(edge_urls "$edge" | sed 's/;/  /g')"
  done
  cat <<EOF
  nginx (use me)  http://127.0.0.1:$NGINX_PORT   (sticky per client address, WebSockets proxied)
  RabbitMQ UI     http://127.0.0.1:15672   (login eventchat / eventchat)
  logs            $LOG_DIR/<name>.log
  stop            eng/cluster.sh down        (add --all to stop PostgreSQL, Redis, RabbitMQ too)
EOF
}

# ---------------------------------------------------------------- commands

cmd_up() {
  "$SERVICES" up
  command -v nginx >/dev/null || die "nginx is not installed (eng/services.sh up should have installed it)"
  command -v curl >/dev/null || die "curl is not installed (eng/services.sh up should have installed it)"
  # The apps read their connection strings from these variables.
  eval "$("$SERVICES" env)"
  mkdir -p "$LOG_DIR" "$PID_DIR" "$NGINX_DIR"

  if any_running; then
    # Rebuilding would overwrite assemblies that running processes have mapped.
    log "part of the cluster is running: starting only what is missing, without a rebuild"
    log "(run 'eng/cluster.sh down' first to build and start fresh)"
    require_outputs
  else
    build_solution
    require_outputs
    run_migrations
  fi

  ensure_signing_key
  printf '%s %s\n' "$EDGE_PORT_BASE" "$NGINX_PORT" >"$PORTS_FILE"
  raise_fd_limit
  start_edges
  start_workers
  start_nginx

  local edge
  for edge in "${EDGES[@]}"; do
    await_health "$edge" "$(edge_url "$edge")"
  done
  await_health nginx "http://127.0.0.1:$NGINX_PORT"
  check_workers_alive
  print_summary
}

cmd_down() {
  local all=no arg name
  for arg in "$@"; do
    case $arg in
      --all) all=yes ;;
      *) die "unknown option for down: $arg" ;;
    esac
  done
  # nginx first so no new traffic reaches edges that are shutting down; edges before
  # workers so nothing is still publishing while the consumers go away.
  stop_process nginx
  for name in "${ALL_PROCESSES[@]}"; do
    [[ $name == nginx ]] || stop_process "$name"
  done
  rm -f "$PORTS_FILE"
  if [[ $all == yes ]]; then
    "$SERVICES" down
  fi
}

cmd_status() {
  local name pid
  for name in "${ALL_PROCESSES[@]}"; do
    if pid=$(running_pid "$name"); then
      printf '%-22s up    pid %s\n' "$name" "$pid"
    else
      printf '%-22s down\n' "$name"
    fi
  done
  "$SERVICES" status || true
}

main() {
  local cmd=${1:-}
  (($# == 0)) || shift
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
