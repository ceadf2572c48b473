#!/usr/bin/env bash
# Installs (Debian MariaDB) and starts a local MySQL-compatible server for `npm run test:mysql`; idempotent.
# Runs as root, or through sudo. The tests connect as ai_assets/ai_assets on 127.0.0.1:3306 (TEST_MYSQL_URL overrides).
set -euo pipefail
as_root() { if [ "$(id -u)" = "0" ]; then "$@"; else sudo "$@"; fi; }
# The server binary lives in /usr/sbin, which is not on every user's PATH.
if ! PATH="$PATH:/usr/sbin" command -v mariadbd >/dev/null 2>&1 && ! PATH="$PATH:/usr/sbin" command -v mysqld >/dev/null 2>&1; then
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi
if ! as_root mysqladmin --protocol=socket -uroot status >/dev/null 2>&1; then
  # A fresh container has no init system running: the SysV script starts mysqld_safe in the background.
  as_root service mariadb start >/dev/null 2>&1 || as_root /etc/init.d/mariadb start >/dev/null
fi
for _ in $(seq 1 30); do as_root mysqladmin --protocol=socket -uroot status >/dev/null 2>&1 && break; sleep 1; done
as_root mysqladmin --protocol=socket -uroot status
# A user for TCP on 127.0.0.1 that may create the per-work-dir databases the tests use.
as_root mysql --protocol=socket -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'ai_assets'@'127.0.0.1' IDENTIFIED BY 'ai_assets';
CREATE USER IF NOT EXISTS 'ai_assets'@'localhost' IDENTIFIED BY 'ai_assets';
GRANT ALL PRIVILEGES ON *.* TO 'ai_assets'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'ai_assets'@'localhost';
FLUSH PRIVILEGES;
-- A throwaway test server: no fsync per commit (Strapi's first boot on a fresh database is hundreds of DDL statements).
SET GLOBAL innodb_flush_log_at_trx_commit = 2;
SQL
# Databases left by earlier runs (one per test work dir).
for database in $(as_root mysql --protocol=socket -uroot -N -e "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'ai\\_assets\\_%'"); do
  as_root mysql --protocol=socket -uroot -e "DROP DATABASE IF EXISTS \`$database\`"
done
