#!/usr/bin/env bash
# Prepares a local PostgreSQL (Debian/Ubuntu packages) for Courier, re-runnable:
#   - max_prepared_transactions = 64 per Courier node: XA needs it (PostgreSQL's default 0 refuses
#     PREPARE TRANSACTION); each node's pool has 40 connections, and a crash leaves at most that
#     many prepared until that node's recovery resolves them; max_connections grows with the nodes
#     past PostgreSQL's default 100 (50 per node: CourierDS's 40, CourierBatchDS's 5 for the batch
#     job repository, the recovery's own; and 50 for tools);
#   - a role and a database for Courier, owned by that role, with schema courier_batch for the
#     batch job repository's tables (Courier's own are in schema public).
# Usage (as root, or a user that may run pg_ctlcluster and sudo -u postgres):
#   server/postgresql/setup-database.sh [--recreate] [--nodes N] [database [role [password]]]
# Defaults: database courier, role courier, password courier - a local development database;
# give a real password anywhere else. --recreate drops the database first (the tests use it).
# --nodes N: the number of Courier nodes sharing the database (default 1; a cluster: 2). The
# settings only ever grow: a database set up for two nodes stays so for one.
set -euo pipefail

recreate=false
nodes=1
while [[ "${1:-}" == --* ]]; do
    case $1 in
        --recreate) recreate=true; shift ;;
        --nodes) nodes=$2; shift 2 ;;
        *) echo "setup-database: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ $nodes =~ ^[1-9][0-9]?$ ]] || { echo "setup-database: --nodes takes 1-99" >&2; exit 2; }
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
configured_nodes=$(sed -n 's/^# courier nodes: //p' "$conf" 2>/dev/null || true)
if [[ -z $configured_nodes ]] || ((configured_nodes < nodes)); then
    prepared=$((64 * nodes))
    connections=$((nodes > 1 ? 50 * nodes + 50 : 100))
    printf '# courier nodes: %s\nmax_prepared_transactions = %s\nmax_connections = %s\n' \
        "$nodes" "$prepared" "$connections" > "$conf"
    pg_ctlcluster "$version" "$name" restart >/dev/null 2>&1 || true
fi
prepared=$(sed -n 's/^max_prepared_transactions = //p' "$conf")
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
psql_admin -c "SHOW max_prepared_transactions" | grep -qx "$prepared" \
    || { echo "max_prepared_transactions is not $prepared after the restart" >&2; exit 1; }

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
# The batch job repository's schema (configure-postgresql.cli, CourierBatchDS): its connections
# create it if it is missing, but two nodes starting at once on a new database could race for it.
psql_admin -d "$database" -c "CREATE SCHEMA IF NOT EXISTS courier_batch AUTHORIZATION \"$role\""
echo "PostgreSQL $version/$name: database $database, role $role, max_prepared_transactions $prepared"
