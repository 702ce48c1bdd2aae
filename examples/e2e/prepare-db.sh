#!/usr/bin/env bash
# Prepares the local PostgreSQL server for the end-to-end test: wal_level=logical (pgoutput needs nothing
# else) and a restart of the cluster when the level changed. Idempotent; needs root (or the postgres user with
# pg_ctlcluster rights). Exits 0 when the server is ready, 2 when it cannot be prepared.
set -euo pipefail

PGHOST="${E2E_PGHOST:-127.0.0.1}"
PGPORT="${E2E_PGPORT:-5432}"
PGUSER="${E2E_PGUSER:-postgres}"

psql_q() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -Atqc "$1"; }

if ! command -v psql >/dev/null 2>&1; then
  echo "prepare-db: psql is not installed" >&2
  exit 2
fi

start_cluster() {
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
  if [[ -z "$version" ]] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "prepare-db: no Debian PostgreSQL cluster to $1" >&2
    exit 2
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main "$1"
}

if ! psql_q "select 1" >/dev/null 2>&1; then
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "prepare-db: PostgreSQL is not reachable on $PGHOST:$PGPORT and this is not root" >&2
    exit 2
  fi
  start_cluster start
fi

level="$(psql_q "show wal_level")"
if [[ "$level" == "logical" ]]; then
  echo "prepare-db: wal_level is already logical"
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "prepare-db: wal_level is $level and only root can change it and restart the server" >&2
  exit 2
fi
psql_q "ALTER SYSTEM SET wal_level = logical" >/dev/null
start_cluster restart
for _ in $(seq 1 60); do
  if psql_q "select 1" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
level="$(psql_q "show wal_level")"
if [[ "$level" != "logical" ]]; then
  echo "prepare-db: wal_level is still $level after the restart" >&2
  exit 2
fi
echo "prepare-db: wal_level set to logical and the server restarted"
