#!/usr/bin/env bash
# Installs (Debian) and starts a local PostgreSQL for `npm run test:postgres`; idempotent. Needs root.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
pg_isready -h 127.0.0.1
# The tests connect as postgres/postgres on 127.0.0.1 (TEST_DATABASE_URL overrides).
su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres';\""
# Databases left by earlier runs (one per test work dir).
for database in $(su postgres -c "psql -Atc \"SELECT datname FROM pg_database WHERE datname LIKE 'ai_assets_%'\""); do
  su postgres -c "dropdb --if-exists '$database'"
done
