#!/usr/bin/env bash
# Prepares a local PostgreSQL (Debian/Ubuntu packages) for Courier, re-runnable:
#   - max_prepared_transactions = 64: XA needs it (PostgreSQL's default 0 refuses PREPARE
#     TRANSACTION); Courier's pool has 40 connections, and a crash leaves at most that many
#     prepared until recovery resolves them;
#   - a role and a database for Courier, owned by that role.
# Usage (as root, or a user that may run pg_ctlcluster and sudo -u postgres):
#   server/postgresql/setup-database.sh [database [role [password]]]
# Defaults: database courier, role courier, password courier - a local development database;
# give a real password anywhere else. --recreate drops the database first (the tests use it).
set -euo pipefail

recreate=false
if [[ "${1:-}" == "--recreate" ]]; then
    recreate=true
    shift
fi
database="${1:-courier}"
role="${2:-courier}"
password="${3:-courier}"

cluster=$(pg_lsclusters --no-header | awk 'NR == 1 { print $1 " " $2 }')
if [[ -z "$cluster" ]]; then
    echo "No PostgreSQL cluster found: install PostgreSQL first (apt-get install postgresql)" >&2
    exit 1
fi
read -r version name <<<"$cluster"
conf="/etc/postgresql/$version/$name/conf.d/courier.conf"
if [[ ! -f "$conf" ]] || ! grep -q "max_prepared_transactions = 64" "$conf"; then
    echo "max_prepared_transactions = 64" > "$conf"
    pg_ctlcluster "$version" "$name" restart >/dev/null 2>&1 || true
fi
pg_ctlcluster "$version" "$name" start >/dev/null 2>&1 || true

as_postgres() {
    case "$(id -un)" in
        postgres) "$@" ;;
        root) (cd / && runuser -u postgres -- "$@") ;;
        *) (cd / && sudo -u postgres "$@") ;;
    esac
}
psql_admin() {
    as_postgres psql -v ON_ERROR_STOP=1 -qAt "$@"
}

until psql_admin -c "SELECT 1" >/dev/null 2>&1; do sleep 1; done
psql_admin -c "SHOW max_prepared_transactions" | grep -qx 64 \
    || { echo "max_prepared_transactions is not 64 after the restart" >&2; exit 1; }

if [[ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" ]]; then
    psql_admin -c "CREATE ROLE \"$role\" LOGIN PASSWORD '$password'"
fi
if $recreate; then
    # prepared transactions of the old database hold locks and would block the drop
    for gid in $(psql_admin -c "SELECT gid FROM pg_prepared_xacts WHERE database = '$database'"); do
        psql_admin -d "$database" -c "ROLLBACK PREPARED '$gid'"
    done
    psql_admin -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)"
fi
if [[ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]]; then
    psql_admin -c "CREATE DATABASE \"$database\" OWNER \"$role\""
fi
echo "PostgreSQL $version/$name: database $database, role $role, max_prepared_transactions 64"
