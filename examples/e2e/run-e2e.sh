#!/usr/bin/env bash
# Runs the end-to-end test (PostgreSQL -> Debezium embedded engine -> Kafka -> Tributary -> Iceberg) when a
# PostgreSQL server is reachable; prepares it (wal_level=logical, restart) when running as root. Prints
# "SKIPPED: <reason>" and exits 0 when the database is not available. Run from anywhere.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
PGHOST="${E2E_PGHOST:-127.0.0.1}"
PGPORT="${E2E_PGPORT:-5432}"
PGUSER="${E2E_PGUSER:-postgres}"

skip() {
  echo "e2e: SKIPPED: $1"
  exit 0
}

command -v psql >/dev/null 2>&1 || skip "psql is not installed, so no local PostgreSQL server to test against"

if [[ "$(id -u)" -eq 0 ]]; then
  if ! "$here/prepare-db.sh"; then
    skip "PostgreSQL at $PGHOST:$PGPORT could not be started or switched to wal_level=logical (see above)"
  fi
fi
psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -Atqc "select 1" >/dev/null 2>&1 \
  || skip "PostgreSQL is not reachable at $PGHOST:$PGPORT as $PGUSER"
level="$(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -Atqc "show wal_level")"
[[ "$level" == "logical" ]] \
  || skip "PostgreSQL wal_level is $level, not logical; run examples/e2e/prepare-db.sh as root"

echo "e2e: PostgreSQL at $PGHOST:$PGPORT has wal_level=logical; running the end-to-end test"
cd "$root"
# -am builds the modules the test needs; -Dtest keeps their own tests from running again
exec mvn -B ${E2E_MAVEN_ARGS:-} -Pe2e -pl examples/e2e -am verify \
  -Dtest=PostgresDebeziumToIcebergE2ETest -Dsurefire.failIfNoSpecifiedTests=false \
  -De2e.pg.host="$PGHOST" -De2e.pg.port="$PGPORT" -De2e.pg.user="$PGUSER"
