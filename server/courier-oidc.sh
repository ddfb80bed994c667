#!/usr/bin/env bash
# Switches the message monitor (courier-monitor.war, and only it) to a company's single sign-on through
# OpenID Connect (WildFly's elytron-oidc-client), or back to Courier's login page. Senders and scripts
# keep HTTP Basic on courier-web.war either way. Re-runnable.
#
#   server/courier-oidc.sh [--server WILDFLY_HOME] [--connect [HOST:PORT]] [--print] [OPTIONS] on PROVIDER_URL [CLIENT_ID]
#   server/courier-oidc.sh [--server WILDFLY_HOME] [--connect [HOST:PORT]] [--print] off
#
#   PROVIDER_URL  the provider's issuer URL; Keycloak: https://sso.example.com/realms/REALM
#   CLIENT_ID     the monitor's client at the provider (default courier-monitor): confidential, with the
#                 authorization code flow and the redirect URI https://COURIER-HOST/courier/monitor/*
#   The client secret is never written anywhere: the configuration holds an expression that WildFly
#   resolves from its own environment, ${env.COURIER_OIDC_CLIENT_SECRET}. Start the server with that
#   variable set (with --connect it must be set in the running server already, or nothing changes).
#   The provider must put the roles (monitor, admin, payload) into the access token as client roles of
#   CLIENT_ID (or realm roles), and the claims senders and interfaces (docs/security.md).
#
#   --principal-claim NAME  the token claim that names the user (default preferred_username)
#   --secret EXPRESSION     the client secret as another expression, e.g. an encrypted one from an
#                           Elytron credential store (${ENC::...}); never the secret itself
#   --server   the WildFly to change (default: the one ./mvnw -Prun verify runs, under ear/target)
#   --connect  change a running server through its management interface (default 127.0.0.1:9990) and
#              redeploy courier.ear, so that the monitor signs people in the new way at once; without it
#              the configuration of a stopped server changes, for its next start
#   --print    print the CLI commands instead of running them
#   $COURIER_SERVER_CONFIG  the configuration file changed without --connect (default standalone-full.xml)
#
# Example: server/courier-oidc.sh --connect on https://sso.example.com/realms/acme courier-monitor
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
server=$(ls -d "$here"/../ear/target/wildfly-* 2>/dev/null | head -1 || true)
connect=""
print=false
principal_claim=preferred_username
secret='${env.COURIER_OIDC_CLIENT_SECRET}'
while [[ $# -gt 0 && $1 == --* ]]; do
    case $1 in
        --server) server=$2; shift 2 ;;
        --connect) if [[ $# -gt 1 && $2 != --* && $2 == *:* ]]; then connect=$2; shift 2; else connect=127.0.0.1:9990; shift; fi ;;
        --print) print=true; shift ;;
        --principal-claim) principal_claim=$2; shift 2 ;;
        --secret) secret=$2; shift 2 ;;
        --help) sed -n '2,29p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
    esac
done
fail() { echo "courier-oidc: $*" >&2; exit 2; }
usage() { sed -n '2,29p' "$0" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
action=$1
case $action in
    on) [[ $# -ge 2 && $# -le 3 ]] || usage; provider_url=$2; client_id=${3:-courier-monitor} ;;
    off) [[ $# -eq 1 ]] || usage ;;
    *) usage ;;
esac
if [[ $action == on ]]; then
    [[ $provider_url =~ ^https?://[A-Za-z0-9.:-]+(/[A-Za-z0-9._~%/-]*)?$ ]] || fail "provider URL '$provider_url': http(s)://host[:port]/path"
    [[ $provider_url == https://* || $provider_url =~ ^http://(localhost|127\.0\.0\.1)[:/] ]] \
        || echo "courier-oidc: warning: $provider_url is not HTTPS (tokens and the client secret would cross the network in clear)" >&2
    [[ $client_id =~ ^[A-Za-z0-9._:-]{1,255}$ ]] || fail "client id '$client_id': 1-255 of A-Z a-z 0-9 . _ : -"
    [[ $principal_claim =~ ^[A-Za-z0-9._:-]{1,255}$ ]] || fail "claim '$principal_claim': 1-255 of A-Z a-z 0-9 . _ : -"
    [[ $secret =~ ^\$\{[^\"\}]+\}$ ]] || fail "--secret takes an expression such as \${env.NAME} or \${ENC::...}, never the secret itself"
fi

# Roles: the client roles of CLIENT_ID (use-resource-role-mappings) and the provider's realm roles both count.
deployment=/subsystem=elytron-oidc-client/secure-deployment=courier-monitor.war
commands() {
    if [[ -z $connect ]]; then
        echo "embed-server --server-config=${COURIER_SERVER_CONFIG:-standalone-full.xml} --std-out=discard --stability=community"
    elif [[ $action == on ]]; then
        # Fails, changing nothing, when the running server cannot resolve the secret (variable not set).
        # Checked first: a composite that fails after replacing the settings leaves elytron-oidc-client
        # (WildFly 39) without the old secret until a reload.
        echo ":resolve-expression(expression=\"$secret\")"
    fi
    echo "if (outcome == success) of $deployment:read-resource"
    echo "    $deployment:remove"
    echo "end-if"
    if [[ $action == on ]]; then
        # settings and secret in one composite operation: both or neither
        echo "batch"
        echo "$deployment:add(provider-url=\"$provider_url\", client-id=\"$client_id\", principal-attribute=\"$principal_claim\", use-resource-role-mappings=true)"
        echo "$deployment/credential=secret:add(secret=\"$secret\")"
        echo "run-batch"
    fi
    if [[ -n $connect ]]; then
        # elytron-oidc-client reads its settings when the deployment starts
        echo "if (outcome == success) of /deployment=courier.ear:read-resource"
        echo "    /deployment=courier.ear:redeploy"
        echo "end-if"
    else
        echo "stop-embedded-server"
    fi
}

if [[ $print == true ]]; then
    commands
    exit 0
fi
[[ -n $server && -x $server/bin/jboss-cli.sh ]] || fail "no WildFly at '$server': build it (./mvnw -Prun verify) or pass --server"
script=$(mktemp)
output=$(mktemp)
trap 'rm -f "$script" "$output"' EXIT
commands > "$script"
cli=("$server/bin/jboss-cli.sh")
[[ -z $connect ]] || cli+=(--connect --controller="$connect")
if ! "${cli[@]}" --file="$script" > "$output" 2>&1; then
    grep -v '"result" =>' "$output" >&2 || true
    fail "nothing changed (the commands: --print)"
fi
when=" from the next start"
[[ -z $connect ]] || when="; courier.ear redeployed"
if [[ $action == on ]]; then
    echo "courier-oidc: the monitor signs people in at $provider_url (client $client_id)$when"
else
    echo "courier-oidc: the monitor signs people in on its login page (Courier's users)$when"
fi
