# shellcheck shell=bash
# Shell helpers shared by eng/services.sh and eng/cluster.sh; sourced, never run.

# A killed child of some other process may linger as a zombie; it holds no ports or files.
process_gone() {
  [[ ! -e /proc/$1 ]] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# Retries a command once a second until it succeeds or `seconds` have passed.
wait_for() {
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

show_log_tail() {
  [[ -r $1 ]] || return 0
  printf -- '--- last lines of %s ---\n' "$1" >&2
  tail -n 30 "$1" >&2
}
