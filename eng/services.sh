#!/usr/bin/env bash
# Data services for EventChat development and tests: PostgreSQL 15, Redis, RabbitMQ.
#
#   eng/services.sh up [--with-docker-compose]  install what is missing, start what is not running
#   eng/services.sh status                      one line per service, exit 3 if any is down
#   eng/services.sh down                        stop PostgreSQL, Redis and RabbitMQ
#   eng/services.sh env                         print the connection settings as export lines
#   source eng/services.sh [up|status|down]     also export the connection settings into your shell
#
# Nothing here relies on systemd: each daemon is started directly, so the same script works
# on a laptop, in a container and on CI. `up` must run as root (apt-get, service accounts).
# Everything listens on 127.0.0.1 only; the passwords below are development values.

# Connection settings read by the apps and the tests (ASP.NET configuration keys, where `__`
# stands for `:`). Values already set in the environment win, so a developer can point the
# code elsewhere without editing this file.
eventchat_export_env() {
  # TLS is off: Debian's PostgreSQL offers it, and on loopback it costs both sides CPU and protects nothing.
  export ConnectionStrings__Postgres="${ConnectionStrings__Postgres:-Host=127.0.0.1;Port=5432;Username=eventchat;Password=eventchat;Database=eventchat;SSL Mode=Disable}"
  export ConnectionStrings__RabbitMq="${ConnectionStrings__RabbitMq:-amqp://eventchat:eventchat@127.0.0.1:5672/eventchat}"
  export ConnectionStrings__Redis="${ConnectionStrings__Redis:-127.0.0.1:6379}"
  # Tests only: they create a throw-away vhost / database per run through these admin entry points.
  export EVENTCHAT_RABBITMQ_MANAGEMENT="${EVENTCHAT_RABBITMQ_MANAGEMENT:-http://eventchat:eventchat@127.0.0.1:15672}"
  export EVENTCHAT_POSTGRES_ADMIN="${EVENTCHAT_POSTGRES_ADMIN:-Host=127.0.0.1;Port=5432;Username=eventchat;Password=eventchat;Database=postgres;SSL Mode=Disable}"
  # Our broker runs under its own node name (see RABBIT_NODE below); exporting it lets a
  # plain `rabbitmqctl list_queues -p eventchat` in the same shell reach it.
  export RABBITMQ_NODENAME=eventchat@localhost
}

# Sourced: export the settings, and run a command (if one was given) in a child bash so that
# `set -e` and our exits cannot touch the caller's shell.
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  eventchat_export_env
  if (($# > 0)); then
    bash "${BASH_SOURCE[0]}" "$@" || return
  fi
  return 0
fi

set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=eng/lib.sh
source "$REPO_ROOT/eng/lib.sh"
# rabbitmqctl, pg_ctlcluster's helpers and runuser live in sbin, which a non-login root
# shell (sudo, CI) does not always have on its PATH.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

PG_VERSION=15
PG_CLUSTER=main
PG_PORT=5432
DB_ROLE=eventchat
DB_PASSWORD=eventchat
DB_NAME=eventchat

REDIS_PORT=6379
# Redis runs as the package's `redis` account, so its files live where that account may write.
REDIS_PIDFILE=/var/lib/redis/eventchat-redis.pid
REDIS_LOG=/var/log/redis/eventchat-redis.log

# A node name on `localhost` does not depend on the machine's hostname resolving, and keeps
# our node (and its data directory) apart from a default rabbit@<host> node.
RABBIT_NODE=eventchat@localhost
RABBIT_VHOST=eventchat
# Where `up` checks the broker it started; fixed, unlike the overridable variables above.
RABBIT_MANAGEMENT_URL=http://eventchat:eventchat@127.0.0.1:15672
RABBIT_DATA=/var/lib/rabbitmq/mnesia
RABBIT_PIDFILE="$RABBIT_DATA/$RABBIT_NODE.pid"
RABBIT_LOG="/var/log/rabbitmq/$RABBIT_NODE.log"
# Erlang-level failures (bad arguments, unreadable config) happen before RabbitMQ's own log opens.
RABBIT_BOOT_LOG=/var/log/rabbitmq/eventchat-boot.log
RABBIT_START_TIMEOUT=${EVENTCHAT_RABBITMQ_START_TIMEOUT:-120}

log() { printf '[services] %s\n' "$*"; }
die() {
  printf '[services] ERROR: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

require_root() {
  ((EUID == 0)) || die "'$1' needs root (apt-get, and starting daemons as their service accounts)"
}

# True when something accepts TCP connections on host:port.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}



# Re-creates a directory the package normally provides (same owner and mode as its
# postinst); an existing one is left exactly as it is.
ensure_dir() {
  [[ -d $1 ]] && return 0
  install -d -o "${2%%:*}" -g "${2#*:}" -m "$3" "$1"
}



# ---------------------------------------------------------------- packages

package_installed() {
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

# One `apt-get update` at most, and none at all when everything is already there.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    package_installed "$pkg" || missing+=("$pkg")
  done
  ((${#missing[@]} > 0)) || return 0

  log "installing Debian packages: ${missing[*]}"
  # No prompts; and no needrestart run, since this script starts the daemons itself.
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
  apt-get update -q || die "apt-get update failed"
  apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" || die "apt-get install ${missing[*]} failed"
}

# ---------------------------------------------------------------- PostgreSQL

postgres_ready() {
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT"
}

# Runs SQL from stdin as the postgres superuser over the Unix socket (peer auth), so it
# works before our role exists. `cd /` keeps psql from complaining about an unreadable
# working directory.
postgres_admin_sql() {
  (cd / && runuser -u postgres -- psql --cluster "$PG_VERSION/$PG_CLUSTER" -X -q -v ON_ERROR_STOP=1)
}

start_postgres() {
  if postgres_ready; then
    log "postgres: already running on 127.0.0.1:$PG_PORT"
  else
    # The Debian package normally creates this cluster; it can be missing when
    # create_main_cluster was turned off or the cluster was dropped by hand.
    if [[ ! -d /etc/postgresql/$PG_VERSION/$PG_CLUSTER ]]; then
      log "postgres: creating cluster $PG_VERSION/$PG_CLUSTER"
      pg_createcluster "$PG_VERSION" "$PG_CLUSTER" >/dev/null || die "postgres: pg_createcluster failed"
    fi
    local port
    port=$(pg_conftool -s "$PG_VERSION" "$PG_CLUSTER" show port 2>/dev/null || echo "$PG_PORT")
    [[ $port == "$PG_PORT" ]] ||
      die "postgres: cluster $PG_VERSION/$PG_CLUSTER is configured for port $port, the apps expect $PG_PORT"

    if ! pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; then
      log "postgres: starting cluster $PG_VERSION/$PG_CLUSTER"
      # Passing -o also keeps pg_ctlcluster from handing the start to systemctl.
      # Two edges and four workers of 30 pooled connections each, plus tests and tools, need more than the
      # default 100 slots.
      pg_ctlcluster -o "-c listen_addresses=127.0.0.1 -c max_connections=300" "$PG_VERSION" "$PG_CLUSTER" start ||
        die "postgres: could not start cluster $PG_VERSION/$PG_CLUSTER (see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log)"
    fi
    wait_for 60 postgres_ready ||
      die "postgres: not accepting connections on 127.0.0.1:$PG_PORT (see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log)"
  fi

  # Re-applied on every run, so a role whose password or rights drifted is repaired too.
  postgres_admin_sql <<SQL || die "postgres: could not create role/database '$DB_ROLE'"
SELECT 'CREATE ROLE $DB_ROLE' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_ROLE') \gexec
ALTER ROLE $DB_ROLE WITH LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME') \gexec
SQL
  log "postgres: up, role and database '$DB_ROLE' ready"
}

stop_postgres() {
  command -v pg_ctlcluster >/dev/null || return 0
  if pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; then
    pg_ctlcluster -m fast "$PG_VERSION" "$PG_CLUSTER" stop || die "postgres: could not stop cluster"
    log "postgres: stopped"
  else
    log "postgres: not running"
  fi
}

# ---------------------------------------------------------------- Redis

redis_ready() {
  [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

start_redis() {
  if redis_ready; then
    log "redis: already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  ensure_dir /var/lib/redis redis:redis 750
  ensure_dir /var/log/redis redis:adm 2750
  log "redis: starting"
  # Command-line settings only, so the distribution's /etc/redis/redis.conf (with its
  # systemd supervision and persistence) stays out of the way. Chat state in Redis is a
  # cache and presence data, hence no snapshots.
  runuser -u redis -- redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --save '' --appendonly no --dir /var/lib/redis \
    --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" ||
    die "redis: redis-server refused to start (see $REDIS_LOG)"
  wait_for 20 redis_ready || {
    show_log_tail "$REDIS_LOG"
    die "redis: not answering PING on 127.0.0.1:$REDIS_PORT"
  }
  log "redis: up"
}

# Only stops the Redis that `up` started (known by its pid file), never someone else's.
stop_redis() {
  command -v redis-server >/dev/null || return 0
  local pid
  pid=$(cat "$REDIS_PIDFILE" 2>/dev/null) || true
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait_for 20 process_gone "$pid" || die "redis: pid $pid did not stop"
    log "redis: stopped"
  elif redis_ready; then
    log "redis: a Redis not started by this script answers on port $REDIS_PORT; leaving it alone"
  else
    log "redis: not running"
  fi
  rm -f "$REDIS_PIDFILE"
}

# ---------------------------------------------------------------- RabbitMQ

# The broker drops to the `rabbitmq` account, which must be able to read its config. A
# checkout under a private home directory (or a path with spaces, which the Erlang argument
# list cannot carry) is copied to a place the broker can read; otherwise the repo files are
# used in place, so an edit is picked up by the next broker start.
rabbit_config_dir() {
  local dir="$REPO_ROOT/rabbitmq" file readable=yes
  for file in rabbitmq.conf enabled_plugins definitions.json; do
    [[ -f $dir/$file ]] || die "rabbitmq: missing $dir/$file"
    runuser -u rabbitmq -- test -r "$dir/$file" || readable=no
  done
  if [[ $readable == yes && $dir != *[[:space:]]* ]]; then
    printf '%s\n' "$dir"
    return 0
  fi
  local copy=/var/lib/rabbitmq/eventchat-config
  install -d -o rabbitmq -g rabbitmq -m 0750 "$copy"
  for file in rabbitmq.conf enabled_plugins definitions.json; do
    install -o rabbitmq -g rabbitmq -m 0640 "$dir/$file" "$copy/$file"
  done
  log "rabbitmq: $dir is not readable by the rabbitmq account; using a copy in $copy" >&2
  printf '%s\n' "$copy"
}

# Environment for every RabbitMQ tool we call. Debian's wrappers switch to the rabbitmq
# account with `su`, which keeps these variables.
rabbit_env() {
  local conf
  conf=$(rabbit_config_dir)
  export RABBITMQ_NODENAME="$RABBIT_NODE"
  export RABBITMQ_CONFIG_FILE="$conf/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$conf/enabled_plugins"
  # rabbitmq.conf on 3.10 cannot say "the file next to me", so the definitions path is given
  # as an application parameter instead. The dist port (25672) is kept on loopback as well.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-rabbit load_definitions \"$conf/definitions.json\" -kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_ADDRESS=127.0.0.1
}

rabbit_management_ok() {
  curl -fsS -o /dev/null --max-time 5 "$RABBIT_MANAGEMENT_URL/api/vhosts/$RABBIT_VHOST" 2>/dev/null
}

# Ready for the apps: AMQP accepts connections and the management API knows our user and
# vhost, which also proves definitions.json was imported.
rabbit_ready() {
  port_open 127.0.0.1 5672 && rabbit_management_ok
}

rabbit_node_answers() {
  rabbitmqctl -q ping --timeout 10 >/dev/null 2>&1
}

# The Erlang process of our node, per its pid file, if it is still alive.
rabbit_node_pid() {
  local pid
  pid=$(cat "$RABBIT_PIDFILE" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == beam* ]] || return 1
  printf '%s\n' "$pid"
}

# A node killed hard, or stuck half-way, leaves a process or a pid file behind that would
# make the next start fail or hang. Ends that process (ours by its pid file) and the file.
rabbit_clear_leftovers() {
  local pid
  if pid=$(rabbit_node_pid); then
    log "rabbitmq: ending leftover node process $pid"
    # CONT as well, in case it was stopped: a stopped process does not act on TERM.
    kill -TERM "$pid" 2>/dev/null || true
    kill -CONT "$pid" 2>/dev/null || true
    if ! wait_for 20 process_gone "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
      wait_for 10 process_gone "$pid" || die "rabbitmq: could not end node process $pid"
    fi
  fi
  rm -f "$RABBIT_PIDFILE"
}

# epmd is started on demand by the first Erlang program and then listens on every
# interface; starting it ourselves first keeps it on loopback.
ensure_epmd() {
  port_open 127.0.0.1 4369 && return 0
  runuser -u rabbitmq -- epmd -address 127.0.0.1 -daemon || die "rabbitmq: could not start epmd"
}

RABBIT_LAUNCHER_PID=

rabbit_launch() {
  log "rabbitmq: starting node $RABBIT_NODE (takes ~15 s)"
  # Foreground mode in the background rather than -detached: its exit tells us at once
  # when boot fails, and early Erlang errors land in the boot log instead of nowhere.
  ensure_dir /var/log/rabbitmq rabbitmq:rabbitmq 755
  setsid rabbitmq-server >>"$RABBIT_BOOT_LOG" 2>&1 </dev/null &
  RABBIT_LAUNCHER_PID=$!
}

rabbit_launcher_alive() {
  [[ -n $RABBIT_LAUNCHER_PID ]] && kill -0 "$RABBIT_LAUNCHER_PID" 2>/dev/null
}

# Waits for boot: node registered, RabbitMQ's own start-up check, then our ready test.
# Gives up early when the launcher has exited, i.e. the node died during boot.
rabbit_await() {
  local deadline=$((SECONDS + RABBIT_START_TIMEOUT))
  until rabbit_node_answers; do
    rabbit_launcher_alive || return 1
    ((SECONDS < deadline)) || return 1
    sleep 2
  done
  local remaining=$((deadline - SECONDS))
  ((remaining > 0)) || return 1
  rabbitmqctl -q await_startup --timeout "$remaining" >/dev/null || return 1
  until rabbit_ready; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

# Last resort when boot fails: the node's database from an earlier run (unclean shutdown,
# files owned by another account, an old incompatible layout). Everything the apps need is
# re-created from definitions.json, so the old directory is moved aside, not patched.
rabbit_move_data_aside() {
  local node_dir="$RABBIT_DATA/$RABBIT_NODE"
  log "rabbitmq: boot failed; moving the node's data to $node_dir.broken and retrying once"
  rm -rf "$node_dir.broken"
  [[ -e $node_dir ]] && mv "$node_dir" "$node_dir.broken"
  rm -rf "$RABBIT_DATA/$RABBIT_NODE-feature_flags" "$RABBIT_DATA/$RABBIT_NODE-plugins-expand"
}

rabbit_fail() {
  show_log_tail "$RABBIT_BOOT_LOG"
  show_log_tail "$RABBIT_LOG"
  die "rabbitmq: $1"
}

# Split in two so PostgreSQL and Redis start while the broker boots.
start_rabbitmq_begin() {
  rabbit_env
  # Before any rabbitmqctl call: the CLI would otherwise start epmd on every interface.
  ensure_epmd
  if rabbit_ready; then
    log "rabbitmq: already running"
    return 0
  fi
  if rabbit_node_answers; then
    # Still booting from another `up`, or started by hand without our definitions.
    log "rabbitmq: node $RABBIT_NODE is running but not ready yet; waiting"
    rabbit_await && return 0
    log "rabbitmq: node $RABBIT_NODE still not ready; restarting it"
    rabbitmqctl -q shutdown >/dev/null 2>&1 || true
  fi
  rabbit_clear_leftovers
  if port_open 127.0.0.1 5672 || port_open 127.0.0.1 15672; then
    rabbit_fail "port 5672 or 15672 is held by another process (not node $RABBIT_NODE); stop it first"
  fi
  rabbit_launch
}

start_rabbitmq_finish() {
  [[ -n $RABBIT_LAUNCHER_PID ]] || return 0
  if ! rabbit_await; then
    if rabbit_launcher_alive; then
      rabbitmqctl -q shutdown >/dev/null 2>&1 || true
    fi
    rabbit_clear_leftovers
    rabbit_move_data_aside
    rabbit_launch
    rabbit_await || rabbit_fail "node $RABBIT_NODE did not become ready within ${RABBIT_START_TIMEOUT}s"
  fi
  log "rabbitmq: up (AMQP 127.0.0.1:5672, management http://127.0.0.1:15672)"
}

stop_rabbitmq() {
  command -v rabbitmqctl >/dev/null || return 0
  rabbit_env
  # Without epmd no node can be reached, and asking would only start a new epmd.
  if port_open 127.0.0.1 4369 && rabbit_node_answers; then
    rabbitmqctl -q shutdown >/dev/null || die "rabbitmq: could not stop node $RABBIT_NODE"
    log "rabbitmq: stopped"
  else
    log "rabbitmq: not running"
  fi
  rabbit_clear_leftovers
  # epmd refuses this while any other Erlang node is still registered, which is what we want.
  if port_open 127.0.0.1 4369; then
    epmd -kill >/dev/null 2>&1 || true
  fi
}

# ---------------------------------------------------------------- commands

cmd_up() {
  local with_compose=no arg
  for arg in "$@"; do
    case $arg in
      --with-docker-compose) with_compose=yes ;;
      *) die "unknown option for up: $arg" ;;
    esac
  done
  require_root up

  local packages=(postgresql redis-server rabbitmq-server nginx curl)
  [[ $with_compose == yes ]] && packages+=(docker-compose)
  ensure_packages "${packages[@]}"

  start_rabbitmq_begin
  start_postgres
  start_redis
  start_rabbitmq_finish
}

cmd_down() {
  require_root down
  stop_rabbitmq
  stop_redis
  stop_postgres
}

print_state() {
  printf '%-9s %-5s %s\n' "$1" "$2" "$3"
}

cmd_status() {
  local down=0
  if command -v pg_isready >/dev/null && postgres_ready; then
    print_state postgres up "127.0.0.1:$PG_PORT"
  else
    print_state postgres down "127.0.0.1:$PG_PORT"
    down=1
  fi
  if command -v redis-cli >/dev/null && redis_ready; then
    print_state redis up "127.0.0.1:$REDIS_PORT"
  else
    print_state redis down "127.0.0.1:$REDIS_PORT"
    down=1
  fi
  if command -v curl >/dev/null && rabbit_ready; then
    print_state rabbitmq up "amqp 127.0.0.1:5672, management http://127.0.0.1:15672"
  else
    print_state rabbitmq down "amqp 127.0.0.1:5672, management http://127.0.0.1:15672"
    down=1
  fi
  ((down == 0)) || exit 3
}

cmd_env() {
  local name
  for name in ConnectionStrings__Postgres ConnectionStrings__RabbitMq ConnectionStrings__Redis \
    EVENTCHAT_RABBITMQ_MANAGEMENT EVENTCHAT_POSTGRES_ADMIN RABBITMQ_NODENAME; do
    printf 'export %s=%q\n' "$name" "${!name}"
  done
}

main() {
  eventchat_export_env
  local cmd=${1:-}
  (($# == 0)) || shift
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down ;;
    status) cmd_status ;;
    env) cmd_env ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
