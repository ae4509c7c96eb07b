#!/usr/bin/env bash
# A local PostgreSQL server for production mode and its tests (CI runs this; so can you, as root
# or with sudo): installs PostgreSQL from Debian's packages when it is missing, starts Debian's
# cluster on loopback, and creates the `mash` login that owns the agencies' databases.
# Prints the line to export: MASH_POSTGRES_URL=postgres://mash:mash@127.0.0.1:<port>
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "PostgreSQL is not installed: installing it from Debian's packages." >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION main"; then
  $SUDO pg_createcluster "$VERSION" main >&2
fi
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $3}')
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  # Loopback only: nothing outside this machine can reach it.
  $SUDO pg_ctlcluster "$VERSION" main start -o "-c listen_addresses=127.0.0.1" >&2
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$PORT" >&2
$SUDO runuser -u postgres -- psql -q -p "$PORT" -v ON_ERROR_STOP=1 <<'SQL' >&2
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mash') THEN
    CREATE ROLE mash LOGIN PASSWORD 'mash' CREATEDB;
  END IF;
END $$;
SQL
echo "MASH_POSTGRES_URL=postgres://mash:mash@127.0.0.1:${PORT}"
