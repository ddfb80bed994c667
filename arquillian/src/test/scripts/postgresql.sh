#!/usr/bin/env bash
# The tests' handle on the local PostgreSQL cluster (the first one pg_lsclusters lists):
#   postgresql.sh stop    stop it the way a crash does (immediate: no checkpoint, sessions cut;
#                         prepared transactions survive, as they must)
#   postgresql.sh start   start it again
# Needs root or the postgres user, like pg_ctlcluster.
set -euo pipefail
read -r version name < <(pg_lsclusters --no-header | awk 'NR == 1 { print $1, $2 }')
case "${1:-}" in
    stop) pg_ctlcluster "$version" "$name" stop -m immediate ;;
    start) pg_ctlcluster "$version" "$name" start ;;
    *) echo "usage: $0 stop|start" >&2; exit 2 ;;
esac
