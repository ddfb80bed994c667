#!/usr/bin/env bash
# Prints PostgreSQL's plans for Courier's hot queries on tables of a few million rows, to check
# that each uses an index and stays flat as the tables grow (docs/database.md shows the output).
# Makes a scratch database (courier_plans, dropped at the end) with Courier's migrations, fills
# it, ANALYZEs it and runs EXPLAIN (ANALYZE) for each query. Needs a local PostgreSQL and
# psql as the postgres user (run as root or postgres):
#   server/postgresql/query-plans.sh [messages]        (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
messages="${1:-1000000}"
db=courier_plans

as_postgres() {
    case "$(id -un)" in
        postgres) "$@" ;;
        root) runuser -u postgres -- "$@" ;;
        *) sudo -u postgres "$@" ;;
    esac
}
psql_db() {
    as_postgres psql -v ON_ERROR_STOP=1 -q -d "$db" "$@"
}

as_postgres psql -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'as_postgres psql -q -c "DROP DATABASE IF EXISTS $db"' EXIT
for migration in ejb/src/main/resources/db/courier/V*__*.sql; do
    sed 's/\${text}/TEXT/g' "$migration" | psql_db
done

psql_db <<SQL
-- $messages messages of 100 senders; one delivery each: 1 % FAILED, 0.1 % HELD, the rest DELIVERED;
-- every tenth message in an in-order queue (10 000 queues, one lane each)
INSERT INTO COURIER_MESSAGE (ID, SENDER, MESSAGE_ID, INTERFACE_NAME, QOS, QUEUE_ID, PAYLOAD_HASH, PAYLOAD, ACCEPTED_AT, SEQUENCE_NO)
SELECT 'm' || n, 'S' || (n % 100), md5(n::text), 'Orders', 'ExactlyOnce',
       CASE WHEN n % 10 = 0 THEN 'Q' || (n % 10000) END, md5(n::text), '<order/>',
       now() - (n || ' seconds')::interval, CASE WHEN n % 10 = 0 THEN n / 10000 END
FROM generate_series(1, $messages) n;
INSERT INTO COURIER_QUEUE (ID, SENDER, QUEUE_ID, LAST_SEQUENCE, POLICY)
SELECT 'q' || n, 'S' || (n % 100), 'Q' || n, 0, 'STOP' FROM generate_series(0, 9999) n;
INSERT INTO COURIER_LANE (ID, QUEUE_KEY, RECEIVER, HEAD_DELIVERY_ID)
SELECT 'l' || n, 'q' || n, 'erp', NULL FROM generate_series(0, 9999) n;
INSERT INTO COURIER_DELIVERY (ID, MESSAGE_KEY, RECEIVER, STATE, ATTEMPTS, LAST_ATTEMPT_AT, DELIVERED_AT, VERSION,
                              LANE_ID, SEQUENCE_NO, NEXT_RESEND_AT)
SELECT 'd' || n, 'm' || n, 'erp', CASE WHEN n % 100 = 7 THEN 'FAILED' WHEN n % 1000 = 500 THEN 'HELD' ELSE 'DELIVERED' END, 1,
       now() - (n || ' seconds')::interval, now(), 1,
       CASE WHEN n % 10 = 0 THEN 'l' || (n % 10000) END, CASE WHEN n % 10 = 0 THEN n / 10000 END,
       CASE WHEN n % 100 = 7 THEN now() + (n % 3600 || ' seconds')::interval END
FROM generate_series(1, $messages) n;
INSERT INTO COURIER_ATTEMPT (ID, DELIVERY_ID, STARTED_AT, ENDED_AT, OUTCOME)
SELECT 'a' || n, 'd' || n, now(), now(), 'DELIVERED' FROM generate_series(1, $messages / 10) n;
INSERT INTO COURIER_TOMBSTONE (SENDER, MESSAGE_ID, PAYLOAD_HASH, ACCEPTED_AT, PURGED_AT)
SELECT 'S' || (n % 100), 'old-' || n, md5(n::text), now(), now() - (n || ' seconds')::interval
FROM generate_series(1, $messages) n;
ANALYZE;
SQL

explain() {
    echo
    echo "-- $1"
    psql_db -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $2"
}
echo "Rows: $messages messages and deliveries, $messages tombstones, 10000 queues and lanes"
explain "Idempotency: a message by (sender, message id) - receipt, duplicate answer, status" \
    "SELECT * FROM COURIER_MESSAGE WHERE SENDER = 'S42' AND MESSAGE_ID = md5('4242')"
explain "Retention: a purged message's tombstone" \
    "SELECT * FROM COURIER_TOMBSTONE WHERE SENDER = 'S42' AND MESSAGE_ID = 'old-4242'"
explain "Status: a message's deliveries" \
    "SELECT * FROM COURIER_DELIVERY WHERE MESSAGE_KEY = 'm4242'"
explain "In order: the queue row, locked for a receipt" \
    "SELECT * FROM COURIER_QUEUE WHERE SENDER = 'S42' AND QUEUE_ID = 'Q4242' FOR UPDATE"
explain "In order: a queue's lane to a receiver" \
    "SELECT * FROM COURIER_LANE WHERE QUEUE_KEY = 'q4242' AND RECEIVER = 'erp'"
explain "In order: the next held delivery of a lane" \
    "SELECT * FROM COURIER_DELIVERY WHERE LANE_ID = 'l500' AND STATE = 'HELD' ORDER BY SEQUENCE_NO LIMIT 1"
explain "Resend job: due deliveries of the failure store" \
    "SELECT ID FROM COURIER_DELIVERY WHERE STATE IN ('FAILED', 'IN_DOUBT') AND NEXT_RESEND_AT <= now() + interval '10 minutes' ORDER BY NEXT_RESEND_AT, ID LIMIT 100"
explain "Delivery agent: the delivery row, locked before the POST" \
    "SELECT * FROM COURIER_DELIVERY WHERE ID = 'd4242' FOR UPDATE"
explain "Non-idempotent receivers: an attempt without outcome" \
    "SELECT * FROM COURIER_ATTEMPT WHERE DELIVERY_ID = 'd4242' AND OUTCOME IS NULL"
explain "Purge: lanes whose head is a delivery of the message" \
    "SELECT COUNT(*) FROM COURIER_LANE l JOIN COURIER_DELIVERY d ON l.HEAD_DELIVERY_ID = d.ID WHERE d.MESSAGE_KEY = 'm4242'"
explain "Retention: expired tombstones" \
    "SELECT COUNT(*) FROM COURIER_TOMBSTONE WHERE PURGED_AT < now() - interval '999990 seconds'"
