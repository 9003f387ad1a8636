#!/usr/bin/env bash
# A whole EventChat deployment on one machine, for trying things out as a user would:
# two edges behind nginx, one worker process per role, and the data services.
#
#   eng/cluster.sh up            build, migrate, start everything, wait until healthy
#   eng/cluster.sh status        one line per process
#   eng/cluster.sh down [--all]  stop what `up` started; --all also stops the data services
#
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

EDGES=(edge-1 edge-2)
WORKER_ROLES=(moderation persistence notifications retention)
NGINX_PORT=8080
HEALTH_TIMEOUT=${EVENTCHAT_HEALTH_TIMEOUT:-120}
# Said when `up` fails half-way: what did start is kept, so its logs and state can be inspected.
LEFT_RUNNING="the other processes are left running ('eng/cluster.sh down' stops them)"

log() { printf '[cluster] %s\n' "$*"; }
die() {
  printf '[cluster] ERROR: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}





# ---------------------------------------------------------------- process table

ALL_PROCESSES=("${EDGES[@]}" "${WORKER_ROLES[@]/#/worker-}" nginx)

pid_file() { printf '%s/%s.pid\n' "$PID_DIR" "$1"; }

# edge-1 listens on 5001, edge-2 on 5002.
edge_port() { printf '%s\n' "$((5000 + ${1#edge-}))"; }
edge_url() { printf 'http://127.0.0.1:%s\n' "$(edge_port "$1")"; }

# What the command line of each process must contain. Checked before trusting or signalling
# a pid from a file, since after a reboot that pid may belong to something else entirely.
cmdline_marker() {
  case $1 in
    edge-*) printf 'EventChat.Api.dll --urls %s\n' "$(edge_url "$1")" ;;
    worker-*) printf 'Workers:Roles=%s\n' "${1#worker-}" ;;
    nginx) printf 'nginx: master\n' ;;
  esac
}

# Prints the pid of a process `up` started, if it is still running.
running_pid() {
  local pid
  pid=$(cat "$(pid_file "$1")" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && ! process_gone "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(cmdline_marker "$1")" || return 1
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

# One key for both edges, so a token issued by one is accepted by the other; kept across
# runs so that tokens survive a restart of the cluster.
ensure_signing_key() {
  [[ -s $KEY_FILE ]] && return 0
  (umask 077 && head -c 48 /dev/urandom | base64 -w 0 >"$KEY_FILE")
  log "generated a new JWT signing key in .cluster/signing-key"
}

# Every WebSocket costs the edge (and nginx, twice) a file descriptor; the usual soft limit
# of 1024 would cap a load test long before CPU does. Children inherit the raised limit.
raise_fd_limit() {
  local hard
  hard=$(ulimit -Hn)
  [[ $hard == unlimited ]] && hard=1048576
  ulimit -n "$hard" 2>/dev/null || log "could not raise the open-file limit above $(ulimit -n)"
  log "open-file limit: $(ulimit -n)"
}

start_edges() {
  local edge
  for edge in "${EDGES[@]}"; do
    # Exported in a subshell, not passed on the command line, so the key stays out of `ps`.
    (
      export Workers__Roles=none Edge__Id="$edge"
      Auth__SigningKey=$(cat "$KEY_FILE")
      export Auth__SigningKey
      start_dotnet "$edge" "$API_DLL" --urls "$(edge_url "$edge")"
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
  fill_placeholder EVENTCHAT_EDGE_1 "127.0.0.1:$(edge_port edge-1)"
  fill_placeholder EVENTCHAT_EDGE_2 "127.0.0.1:$(edge_port edge-2)"
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
  cat <<EOF

EventChat cluster is up.
  edge 1          $(edge_url edge-1)
  edge 2          $(edge_url edge-2)
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
