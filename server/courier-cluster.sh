#!/usr/bin/env bash
# A Courier cluster on one machine: two WildFly nodes (standalone-full-ha) on one PostgreSQL
# database, behind HAProxy (docs/cluster.md).
#
#   server/courier-cluster.sh start         configures what is missing, starts the database, both
#                                           nodes and the balancer; returns when the cluster formed
#   server/courier-cluster.sh stop          stops the balancer and the nodes
#   server/courier-cluster.sh status        what runs, the cluster's view, each node's readiness
#   server/courier-cluster.sh kill N        kill -9 of node N (a crash)
#   server/courier-cluster.sh stop-node N   stops node N cleanly
#   server/courier-cluster.sh start-node N  starts node N again; returns when it is ready
#
#   --dir DIR         where the cluster lives (default ear/target/cluster): its WildFly, node-1/,
#                     node-2/ (each node's own configuration, data, log), haproxy.cfg
#   --server HOME     the provisioned, configured WildFly the cluster's is copied from on the first
#                     start (default: ear/target/wildfly-*, which ./mvnw -Prun package makes)
#   --config FILE     Courier's routing configuration (default config/courier.xml)
#   --ear FILE        the Courier EAR the nodes deploy (default ear/target/courier.ear)
#   --database NAME   the PostgreSQL database both nodes share (default courier_cluster); made on
#                     the first start by server/postgresql/setup-database.sh, kept afterwards
#   --recreate        drop and make the database again, and the nodes' data (a fresh cluster)
#   $COURIER_CLUSTER_JAVA_OPTS  more JVM options for every node
#
# Ports: the balancer takes senders on 8000 (HTTP) and 8400 (HTTPS, passed through to a node);
# node N uses WildFly's ports plus N x 100: node-1 8180/8543/10090, node-2 8280/8643/10190. The
# nodes find each other over TCP at 7700 and 7800 (JGroups, no multicast).
# Needs: PostgreSQL and HAProxy (Debian: apt-get install postgresql haproxy), a JDK 17+.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
command=${1:-}
[[ -n $command ]] && shift
dir="$repo/ear/target/cluster"
from=$(ls -d "$repo"/ear/target/wildfly-* 2>/dev/null | head -1 || true)
config="$repo/config/courier.xml"
ear="$repo/ear/target/courier.ear"
database=courier_cluster
recreate=false
node=
nodes=(1 2)
while [[ $# -gt 0 ]]; do
    case $1 in
        --dir) dir=$(realpath -m "$2"); shift 2 ;;
        --server) from=$(realpath -m "$2"); shift 2 ;;
        --config) config=$(realpath -m "$2"); shift 2 ;;
        --ear) ear=$(realpath -m "$2"); shift 2 ;;
        --database) database=$2; shift 2 ;;
        --recreate) recreate=true; shift ;;
        --help) sed -n '2,29p' "$0"; exit 0 ;;
        [1-9]) node=$1; shift ;;
        *) echo "courier-cluster: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

fail() { echo "courier-cluster: $*" >&2; exit 1; }
say() { echo "courier-cluster: $*"; }

wildfly="$dir/wildfly"
offset() { echo $(($1 * 100)); }
http_port() { echo $((8080 + $(offset "$1"))); }
management_port() { echo $((9990 + $(offset "$1"))); }
jgroups_port() { echo $((7600 + $(offset "$1"))); }
base() { echo "$dir/node-$1"; }
members() {
    local list=() n
    for n in "${nodes[@]}"; do list+=("127.0.0.1[$(jgroups_port "$n")]"); done
    (IFS=,; echo "${list[*]}")
}

# The JVM of node N (not the standalone.sh that started it): found by its base directory.
node_pid() {
    pgrep -f -- "org\.jboss\.as\.standalone .*-Djboss\.server\.base\.dir=$(base "$1")( |\$)" | head -1 || true
}

# Node N's JVM, or the standalone.sh that is about to start it.
node_starting() {
    [[ -n $(node_pid "$1") ]] || { [[ -f $(base "$1")/launcher.pid ]] && kill -0 "$(cat "$(base "$1")/launcher.pid")" 2>/dev/null; }
}

cli() { # node, command
    "$wildfly/bin/jboss-cli.sh" -c --controller="127.0.0.1:$(management_port "$1")" --command="$2" 2>/dev/null
}

ready() { # node: the readiness check (Courier's included) says UP
    curl -fsS -m 2 "http://127.0.0.1:$(management_port "$1")/health/ready" 2>/dev/null | grep -q '"status" *: *"UP"'
}

settings() { # what start recorded, for the other commands
    [[ -f $dir/cluster.env ]] || fail "no cluster at $dir (start it first)"
    # shellcheck source=/dev/null
    source "$dir/cluster.env"
}

# --- Configuring ------------------------------------------------------------------------------

configure_wildfly() {
    [[ -x $from/bin/jboss-cli.sh ]] \
        || fail "no provisioned WildFly at '$from': build one with ./mvnw -Prun package -DskipTests, or --server HOME"
    say "copying $from to $wildfly and configuring standalone-full-ha.xml for the cluster"
    rm -rf "$wildfly.partial"
    mkdir -p "$dir"
    cp -r "$from" "$wildfly.partial"
    rm -rf "$wildfly.partial/standalone/data" "$wildfly.partial/standalone/log" "$wildfly.partial/standalone/tmp"
    rm -rf "$wildfly.partial/standalone/deployments/"*
    # The configuration scripts in one embedded server (each script alone boots one: a boot of ~5 s
    # each), in the order a single server is configured in.
    local step steps
    steps=$(mktemp)
    printf 'embed-server --server-config=standalone-full-ha.xml --std-out=discard --stability=community\n' > "$steps"
    for step in configure-courier configure-security sample-users configure-postgresql configure-cluster; do
        printf '# server/cli/%s.cli\n' "$step" >> "$steps"
        grep -Ev '^[[:space:]]*(embed-server|stop-embedded-server)([[:space:]]|$)' "$here/cli/$step.cli" >> "$steps"
        printf '\n' >> "$steps"
    done
    printf 'stop-embedded-server\n' >> "$steps"
    "$wildfly.partial/bin/jboss-cli.sh" --file="$steps" >/dev/null \
        || fail "server/cli/{configure-courier,configure-security,sample-users,configure-postgresql,configure-cluster}.cli failed on $wildfly.partial"
    rm -f "$steps"
    COURIER_SERVER_CONFIG=standalone-full-ha.xml "$here/courier-tls.sh" --server "$wildfly.partial" >/dev/null
    # The brokers' cluster password: random, made here, written only as an expression encrypted
    # with the key of the credential store courier-secrets (made by courier-tls.sh); every node's
    # configuration is a copy of this one, so all nodes hold the same.
    local password expression script
    script=$(mktemp)
    password=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 32)
    printf 'embed-server --server-config=standalone-full-ha.xml --std-out=discard --stability=community\n%s\nstop-embedded-server\n' \
        "/subsystem=elytron/expression=encryption:create-expression(resolver=courier, clear-text=\"$password\")" > "$script"
    expression=$("$wildfly.partial/bin/jboss-cli.sh" --file="$script" \
        | sed -n 's/.*"expression" => "\(\${ENC::[^"]*}\)".*/\1/p')
    rm -f "$script"
    unset password
    [[ -n $expression ]] || fail "WildFly made no encrypted expression for the cluster password"
    printf 'embed-server --server-config=standalone-full-ha.xml --std-out=discard --stability=community\n%s\n%s\nstop-embedded-server\n' \
        "/subsystem=messaging-activemq/server=default:undefine-attribute(name=cluster-password)" \
        "/subsystem=messaging-activemq/server=default:write-attribute(name=cluster-credential-reference, value={clear-text=\"$expression\"})" \
        > "$dir/password.cli"
    "$wildfly.partial/bin/jboss-cli.sh" --file="$dir/password.cli" >/dev/null || fail "could not set the cluster password"
    rm -f "$dir/password.cli"
    configuration_stamp > "$wildfly.partial/.courier-cluster"
    mv "$wildfly.partial" "$wildfly"
}

# What the cluster's WildFly was configured with: the scripts that configure it.
configuration_stamp() {
    cat "$here"/cli/*.cli "$here/courier-tls.sh" | sha256sum | cut -d' ' -f1
}

make_node() { # node: its own base directory (configuration copied once, then its own)
    local b
    b=$(base "$1")
    if [[ ! -d $b/configuration ]]; then
        mkdir -p "$b/deployments"
        cp -r "$wildfly/standalone/configuration" "$b/configuration"
        rm -rf "$b/configuration/standalone_xml_history"
    fi
    [[ -f $ear ]] || fail "no EAR at $ear: build it first (./mvnw -Prun package -DskipTests)"
    cmp -s "$ear" "$b/deployments/courier.ear" || cp "$ear" "$b/deployments/courier.ear"
}

write_balancer() {
    local n backends="" passthrough=""
    for n in "${nodes[@]}"; do
        backends+="    server node-$n 127.0.0.1:$(http_port "$n") check port $(management_port "$n") inter 1s fall 2 rise 2"$'\n'
        passthrough+="    server node-$n 127.0.0.1:$((8443 + $(offset "$n"))) check port $(management_port "$n") inter 1s fall 2 rise 2"$'\n'
    done
    cat > "$dir/haproxy.cfg" <<EOF
# Made by server/courier-cluster.sh. Senders talk to port 8000 (HTTP) or 8400 (HTTPS, passed
# through: every node presents the same certificate, made with the cluster's configuration). A
# node is taken out after two failed readiness checks a second apart (/health/ready on its
# management port: Courier, its database and broker) and back after two good ones. A request
# whose connection to a node failed goes to the other one (nothing of it was sent); one that was
# sent and got no answer is not repeated by the balancer: the sender sends it again, and Courier
# answers a repeated message id as a duplicate.
global
    maxconn 4096
    pidfile $dir/haproxy.pid
defaults
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    retries 2
    option redispatch
    default-server maxconn 512
frontend senders
    mode http
    bind 127.0.0.1:8000
    default_backend nodes
backend nodes
    mode http
    balance roundrobin
    retry-on conn-failure
    option httpchk GET /health/ready
    http-check expect status 200
$backends
frontend senders-tls
    mode tcp
    bind 127.0.0.1:8400
    default_backend nodes-tls
backend nodes-tls
    mode tcp
    balance source
    option httpchk GET /health/ready
    http-check expect status 200
$passthrough
EOF
}

# --- Running ----------------------------------------------------------------------------------

start_node() { # node
    local n=$1 b
    b=$(base "$n")
    if [[ -n $(node_pid "$n") ]]; then
        say "node-$n runs already (pid $(node_pid "$n"))"
        return
    fi
    make_node "$n"
    mkdir -p "$b/log"
    # shellcheck disable=SC2086
    JAVA_OPTS="-Xms64m -Xmx768m -Djava.net.preferIPv4Stack=true ${COURIER_CLUSTER_JAVA_OPTS:-}" \
        nohup "$wildfly/bin/standalone.sh" -c standalone-full-ha.xml --stability=community \
        -Djboss.server.base.dir="$b" \
        -Djboss.node.name="node-$n" \
        -Djboss.socket.binding.port-offset="$(offset "$n")" \
        -Dcourier.node.id="courier-$n" \
        -Dcourier.cluster.members="$(members)" \
        -Dcourier.config="$config" \
        -Dcourier.db.url="jdbc:postgresql://localhost:5432/$database" \
        > "$b/log/console.log" 2>&1 < /dev/null &
    echo $! > "$b/launcher.pid"
    say "node-$n starting (log: $b/log/server.log)"
}

await_ready() { # node [seconds]
    local n=$1 deadline=$((SECONDS + ${2:-240}))
    # readiness is asked once the server says it started: every DOWN answer is a WARN in its log
    until grep -qE "WFLYSRV002[56]" "$(base "$n")/log/console.log" 2>/dev/null && ready "$n"; do
        node_starting "$n" || fail "node-$n stopped while starting: see $(base "$n")/log/server.log"
        ((SECONDS < deadline)) || fail "node-$n not ready within ${2:-240} s: see $(base "$n")/log/server.log"
        sleep 1
    done
    say "node-$n ready: http://127.0.0.1:$(http_port "$n")/courier, management 127.0.0.1:$(management_port "$n")"
}

configuration() { # node: the version of the routing configuration it has in force (its readiness data)
    curl -fsS -m 2 "http://127.0.0.1:$(management_port "$1")/health/ready" 2>/dev/null \
        | sed -n 's/.*"configuration" *: *"\([0-9a-f]*\)".*/\1/p' | grep . || echo unknown
}

view() { # node: the JGroups view it sees, e.g. [node-1|3] (2) [node-1, node-2]
    cli "$1" "/subsystem=jgroups/channel=ee:read-attribute(name=view)" | sed -n 's/.*"result" => "\(.*\)".*/\1/p'
}

await_formed() { # every running node sees every running node
    local deadline=$((SECONDS + 120)) n running=() all
    for n in "${nodes[@]}"; do [[ -n $(node_pid "$n") ]] && running+=("$n"); done
    while true; do
        all=true
        for n in "${running[@]}"; do
            local v m
            v=$(view "$n")
            for m in "${running[@]}"; do [[ $v == *"node-$m"* ]] || all=false; done
        done
        $all && break
        ((SECONDS < deadline)) || fail "the cluster did not form within 120 s: node-${running[0]} sees '$(view "${running[0]}")'"
        sleep 1
    done
    say "cluster formed: $(view "${running[0]}")"
}

start_balancer() {
    command -v haproxy >/dev/null || fail "HAProxy is missing: apt-get install haproxy"
    write_balancer
    haproxy -c -q -f "$dir/haproxy.cfg" || fail "haproxy.cfg is not valid"
    if [[ -f $dir/haproxy.pid ]] && kill -0 "$(cat "$dir/haproxy.pid")" 2>/dev/null; then
        haproxy -D -f "$dir/haproxy.cfg" -sf "$(cat "$dir/haproxy.pid")"
    else
        haproxy -D -f "$dir/haproxy.cfg"
    fi
    say "balancer: http://127.0.0.1:8000/courier and https://localhost:8400/courier (HAProxy, $dir/haproxy.cfg)"
}

stop_node() { # node
    local n=$1 pid
    pid=$(node_pid "$n")
    [[ -n $pid ]] || return 0
    cli "$n" ":shutdown(timeout=30)" >/dev/null || kill "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || { kill -9 "$pid"; break; }
        sleep 1
    done
    say "node-$n stopped"
}

database_ready() {
    command -v pg_lsclusters >/dev/null || fail "PostgreSQL is missing: apt-get install postgresql"
    local args=(--nodes "${#nodes[@]}")
    $recreate && args+=(--recreate)
    "$here/postgresql/setup-database.sh" "${args[@]}" "$database" >/dev/null \
        || fail "could not prepare PostgreSQL database $database (server/postgresql/setup-database.sh)"
}

case $command in
    start)
        if $recreate; then
            "$0" stop --dir "$dir" >/dev/null 2>&1 || true
            rm -rf "$dir"/node-*
        fi
        # configured again when the configuration scripts changed since (a new version of Courier)
        if [[ ! -d $wildfly || $(cat "$wildfly/.courier-cluster" 2>/dev/null) != "$(configuration_stamp)" ]]; then
            rm -rf "$wildfly"
            configure_wildfly
            for n in "${nodes[@]}"; do
                [[ -d $(base "$n")/configuration ]] || continue
                rm -rf "$(base "$n")/configuration"
                say "node-$n takes the new configuration (its data and transaction log stay)"
            done
        fi
        database_ready
        printf 'config=%q\near=%q\ndatabase=%q\n' "$config" "$ear" "$database" > "$dir/cluster.env"
        for n in "${nodes[@]}"; do start_node "$n"; done
        for n in "${nodes[@]}"; do await_ready "$n"; done
        await_formed
        start_balancer
        ;;
    stop)
        [[ -d $dir ]] || exit 0
        if [[ -f $dir/haproxy.pid ]]; then
            kill "$(cat "$dir/haproxy.pid")" 2>/dev/null || true
            rm -f "$dir/haproxy.pid"
        fi
        for n in "${nodes[@]}"; do [[ -d $wildfly ]] && stop_node "$n"; done
        ;;
    status)
        settings
        for n in "${nodes[@]}"; do
            if [[ -z $(node_pid "$n") ]]; then
                echo "node-$n: not running"
            elif ready "$n"; then
                echo "node-$n: ready (pid $(node_pid "$n")), view $(view "$n"), configuration $(configuration "$n")"
            else
                echo "node-$n: running (pid $(node_pid "$n")), not ready"
            fi
        done
        if [[ -f $dir/haproxy.pid ]] && kill -0 "$(cat "$dir/haproxy.pid")" 2>/dev/null; then
            echo "balancer: running (pid $(cat "$dir/haproxy.pid")) on 8000 and 8400"
        else
            echo "balancer: not running"
        fi
        ;;
    kill)
        [[ -n $node ]] || fail "kill which node? (kill N)"
        pid=$(node_pid "$node")
        [[ -n $pid ]] || fail "node-$node is not running"
        kill -9 "$pid"
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        say "node-$node killed (kill -9 of pid $pid)"
        ;;
    stop-node)
        [[ -n $node ]] || fail "stop which node? (stop-node N)"
        stop_node "$node"
        ;;
    start-node)
        [[ -n $node ]] || fail "start which node? (start-node N)"
        settings
        start_node "$node"
        await_ready "$node"
        await_formed
        ;;
    *)
        sed -n '2,29p' "$0" >&2
        exit 2
        ;;
esac
