#!/usr/bin/env bash
# Runs every check and test of Boucle on a fresh Debian machine with the .NET SDK:
# installs PostgreSQL + PostGIS and Chromium when missing, starts a throw-away PostgreSQL,
# checks formatting and pending model changes, runs the unit, web (SQLite and PostgreSQL)
# and browser tests, and ends with "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

step() { printf '\n== %s\n' "$*"; }

# --- system packages -------------------------------------------------------
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql postgresql-15)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || need+=(postgresql-15-postgis-3)
if [ ${#need[@]} -gt 0 ]; then
  step "installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null || { echo "apt-get failed"; exit 1; }
fi

# --- a throw-away PostgreSQL ----------------------------------------------
step "starting a throw-away PostgreSQL + PostGIS"
pgbin=/usr/lib/postgresql/15/bin
pgdir="$(mktemp -d /tmp/boucle-pg.XXXXXX)"
chmod 755 "$pgdir"
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
runpg() { if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$pgdir"; su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
pguser=$([ "$(id -u)" -eq 0 ] && echo postgres || id -un)
runpg "$pgbin/initdb -D '$pgdir/data' -U '$pguser' --auth=trust -E UTF8 --locale=C.UTF-8 >'$pgdir/initdb.log' 2>&1" || { cat "$pgdir/initdb.log"; exit 1; }
runpg "$pgbin/pg_ctl -D '$pgdir/data' -l '$pgdir/server.log' -o \"-p $pgport -k '$pgdir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" -w start >/dev/null" \
  || { cat "$pgdir/server.log"; exit 1; }
cleanup() { runpg "$pgbin/pg_ctl -D '$pgdir/data' -m immediate stop >/dev/null 2>&1"; rm -rf "$pgdir"; }
trap cleanup EXIT
export BOUCLE_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=$pguser;Database=postgres;Pooling=true;Include Error Detail=true"

# --- build and static checks -----------------------------------------------
failed_checks=0
step "build (warnings are errors)"
dotnet build Boucle.slnx -c Release -v quiet -clp:ErrorsOnly || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

step "format (dotnet format --verify-no-changes)"
if ! dotnet format Boucle.slnx --verify-no-changes --no-restore -v quiet; then
  echo "formatting differs: run 'dotnet format Boucle.slnx'"; failed_checks=$((failed_checks + 1))
fi

step "no pending model change (both providers)"
dotnet tool restore >/dev/null
for ctx in SqliteDbContext PostgresDbContext; do
  if ! dotnet ef migrations has-pending-model-changes --project src/Boucle.Web --context "$ctx" --configuration Release --no-build >/dev/null 2>"$pgdir/ef.log"; then
    cat "$pgdir/ef.log"; echo "$ctx: the model has changes without a migration"; failed_checks=$((failed_checks + 1))
  else
    echo "$ctx: up to date"
  fi
done

# --- tests -------------------------------------------------------------------
passed=0; failed=$failed_checks; skipped=0
run_tests() {
  local project="$1"
  step "tests: $project"
  local log="$pgdir/$(basename "$project").log"
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" >"$log" 2>&1
  # Failures with their messages; passing tests stay quiet.
  awk '/^  Failed /{show=1; n=0} /^  Passed /{show=0} show && n++ < 25' "$log"
  if ! grep -qE '^Total tests:' "$log"; then
    echo "no test summary for $project (crash or no test?)"; tail -40 "$log"; failed=$((failed + 1)); return
  fi
  local p f s
  p=$(grep -E '^\s+Passed: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+'); p=${p:-0}
  f=$(grep -E '^\s+Failed: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+'); f=${f:-0}
  s=$(grep -E '^\s+Skipped: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+'); s=${s:-0}
  echo "$project: $p passed, $f failed, $s skipped"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}

run_tests tests/Boucle.Matching.Tests
run_tests tests/Boucle.Web.Tests
run_tests tests/Boucle.E2E

printf '\n%s passed, %s failed, %s skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
