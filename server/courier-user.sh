#!/usr/bin/env bash
# Adds a Courier user, or replaces it with the given password, roles, senders and interfaces (re-runnable).
#
#   server/courier-user.sh [--server WILDFLY_HOME] [--connect [HOST:PORT]] [--print] USER ROLES [SENDERS [INTERFACES]]
#
#   ROLES       comma-separated, of: sender, monitor, admin, payload (views message payloads; every view is audited)
#   SENDERS     comma-separated sender systems the user may send as and read the status of (role sender), or
#               whose messages an operator sees and acts on (roles monitor, admin); '*' binds it to every sender
#               (a trusted gateway, an operator for everybody). Required with the role sender; an operator
#               without senders sees nothing.
#   INTERFACES  comma-separated interfaces an operator is limited to (within its senders); '*' or none: every one.
#   The password comes from $COURIER_USER_PASSWORD, else it is asked for on the terminal.
#
#   --server   the WildFly to change (default: the one ./mvnw -Prun verify runs, under ear/target)
#   --connect  change a running server through its management interface (default 127.0.0.1:9990)
#              instead of its configuration files; takes effect at once
#   --print    print the CLI commands instead of running them
#   $COURIER_SERVER_CONFIG  the configuration file changed without --connect (default standalone-full.xml;
#              a cluster node's: standalone-full-ha.xml, see server/courier-cluster.sh)
#
# Replacing an existing user leaves one "add-identity failed" line in that server's log: that is
# the script finding the user there before it replaces it.
#
# Examples: COURIER_USER_PASSWORD=... server/courier-user.sh erp sender ERP
#           COURIER_USER_PASSWORD=... server/courier-user.sh erp-operator monitor ERP
#           COURIER_USER_PASSWORD=... server/courier-user.sh lead admin,monitor,payload '*'
#           COURIER_USER_PASSWORD=... server/courier-user.sh orders-desk monitor '*' Orders,OrderLines
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
server=$(ls -d "$here"/../ear/target/wildfly-* 2>/dev/null | head -1 || true)
connect=""
print=false
while [[ $# -gt 0 && $1 == --* ]]; do
    case $1 in
        --server) server=$2; shift 2 ;;
        --connect) if [[ $# -gt 1 && $2 != --* && $2 == *:* ]]; then connect=$2; shift 2; else connect=127.0.0.1:9990; shift; fi ;;
        --print) print=true; shift ;;
        --help) sed -n '2,27p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
    esac
done
[[ $# -ge 2 && $# -le 4 ]] || { sed -n '2,27p' "$0" >&2; exit 2; }
user=$1 roles=$2 senders=${3:-} interfaces=${4:-}

fail() { echo "courier-user: $*" >&2; exit 2; }
[[ $user =~ ^[A-Za-z0-9._@-]{1,64}$ ]] || fail "user name '$user': 1-64 of A-Z a-z 0-9 . _ @ -"
IFS=, read -ra role_list <<< "$roles"
for role in "${role_list[@]}"; do
    [[ $role == sender || $role == monitor || $role == admin || $role == payload ]] \
        || fail "role '$role': one of sender, monitor, admin, payload"
done
IFS=, read -ra sender_list <<< "$senders"
for sender in "${sender_list[@]}"; do
    [[ $sender == '*' || $sender =~ ^[A-Za-z0-9._-]{1,60}$ ]] || fail "sender '$sender': 1-60 of A-Z a-z 0-9 . _ - (or *)"
done
[[ ",$roles," != *,sender,* || -n $senders ]] || fail "the role sender needs the senders the user may send as"
if [[ -z $senders && ",$roles," =~ ,(monitor|admin|payload), ]]; then
    echo "courier-user: note: $user is bound to no sender and will see nothing until it is (give SENDERS, '*' for all)" >&2
fi
IFS=, read -ra interface_list <<< "$interfaces"
for interface in "${interface_list[@]}"; do
    [[ $interface == '*' || $interface =~ ^[A-Za-z0-9._/:-]{1,120}$ ]] \
        || fail "interface '$interface': 1-120 of A-Z a-z 0-9 . _ - / : (or *)"
done

password=${COURIER_USER_PASSWORD:-}
if [[ -z $password && $print == false ]]; then
    read -rsp "Password for $user: " password; echo
fi
[[ -n $password || $print == true ]] || fail "empty password"
quoted_password=${password//\\/\\\\}
quoted_password=${quoted_password//\"/\\\"}
salt=$(od -An -N16 -tx1 /dev/urandom | tr -s ' \n' ' ' | sed 's/^ //; s/ $//; s/ /,0x/g; s/^/0x/')
if [[ $print == true && -z ${COURIER_USER_PASSWORD:-} ]]; then quoted_password='<password>'; fi

realm=/subsystem=elytron/filesystem-realm=CourierRealm
commands() {
    [[ -n $connect ]] || echo "embed-server --server-config=${COURIER_SERVER_CONFIG:-standalone-full.xml} --std-out=discard --stability=community"
    # An existing user is replaced. Tried in this order (not "read, then decide"), because a
    # failed read-identity is logged as an ERROR in the server log.
    echo "try"
    echo "    $realm:add-identity(identity=$user)"
    echo "catch"
    echo "    $realm:remove-identity(identity=$user)"
    echo "    $realm:add-identity(identity=$user)"
    echo "end-try"
    echo "$realm:set-password(identity=$user, salted-simple-digest={algorithm=password-salt-digest-sha-512, password=\"$quoted_password\", salt=bytes{$salt}})"
    echo "$realm:add-identity-attribute(identity=$user, name=roles, value=[$roles])"
    if [[ -n $senders ]]; then
        echo "$realm:add-identity-attribute(identity=$user, name=senders, value=[\"${senders//,/\",\"}\"])"
    fi
    # no attribute "interfaces" is every interface, as '*' is
    if [[ -n $interfaces && ,$interfaces, != *,\*,* ]]; then
        echo "$realm:add-identity-attribute(identity=$user, name=interfaces, value=[\"${interfaces//,/\",\"}\"])"
    fi
    # The security domain reads users through a cache (configure-security.cli): on a running server the
    # change counts from the next request only once the cache has forgotten the old user.
    if [[ -n $connect ]]; then
        echo "if (outcome == success) of /subsystem=elytron/caching-realm=CourierCachingRealm:read-resource"
        echo "    /subsystem=elytron/caching-realm=CourierCachingRealm:clear-cache"
        echo "end-if"
    fi
    [[ -n $connect ]] || echo "stop-embedded-server"
}

if [[ $print == true ]]; then
    commands
    exit 0
fi
[[ -n $server && -x $server/bin/jboss-cli.sh ]] || fail "no WildFly at '$server': build it (./mvnw -Prun verify) or pass --server"
script=$(mktemp)
trap 'rm -f "$script"' EXIT
commands > "$script"
if [[ -n $connect ]]; then
    "$server/bin/jboss-cli.sh" --connect --controller="$connect" --file="$script" > /dev/null
else
    "$server/bin/jboss-cli.sh" --file="$script" > /dev/null
fi
echo "courier-user: $user has roles [$roles]${senders:+, senders [$senders]}${interfaces:+, interfaces [$interfaces]}"
