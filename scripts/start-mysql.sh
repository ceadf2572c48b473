#!/usr/bin/env bash
# Installs (Debian MariaDB) and starts a local MySQL-compatible server for `npm run test:mysql`; idempotent.
# Needs root. The tests connect as ai_assets/ai_assets on 127.0.0.1:3306 (TEST_MYSQL_URL overrides).
set -euo pipefail
if ! command -v mysqld >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi
if ! mysqladmin --protocol=socket -uroot status >/dev/null 2>&1; then
  service mariadb start >/dev/null 2>&1 || /etc/init.d/mariadb start >/dev/null
fi
for _ in $(seq 1 30); do mysqladmin --protocol=socket -uroot status >/dev/null 2>&1 && break; sleep 1; done
mysqladmin --protocol=socket -uroot status
# A user for TCP on 127.0.0.1 that may create the per-work-dir databases the tests use.
mysql --protocol=socket -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'ai_assets'@'127.0.0.1' IDENTIFIED BY 'ai_assets';
CREATE USER IF NOT EXISTS 'ai_assets'@'localhost' IDENTIFIED BY 'ai_assets';
GRANT ALL PRIVILEGES ON *.* TO 'ai_assets'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'ai_assets'@'localhost';
FLUSH PRIVILEGES;
-- A throwaway test server: no fsync per commit (Strapi's first boot on a fresh database is hundreds of DDL statements).
SET GLOBAL innodb_flush_log_at_trx_commit = 2;
SQL
# Databases left by earlier runs (one per test work dir).
for database in $(mysql --protocol=socket -uroot -N -e "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'ai\\_assets\\_%'"); do
  mysql --protocol=socket -uroot -e "DROP DATABASE IF EXISTS \`$database\`"
done
