#!/usr/bin/env bash
# Runs every EventChat test: unit tests, the embedded default's smoke test, and the cluster tests against real
# PostgreSQL, RabbitMQ and Redis, which it installs (Debian, as root) and starts first when they are missing.
#
#   ./test.sh                 everything
#   ./test.sh --filter X      only the tests whose name matches X (dotnet test's --filter syntax)
set -euo pipefail
cd "$(dirname "$0")"

# Exports the connection settings the tests read, after making sure every service answers.
# shellcheck source=eng/services.sh
source eng/services.sh up

dotnet build EventChat.sln -c Release -warnaserror
dotnet test EventChat.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
