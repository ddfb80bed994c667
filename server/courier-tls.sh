#!/usr/bin/env bash
# Serves Courier over HTTPS (port 8443) with a self-signed certificate for localhost, made here:
# the sample's way to try the monitor's login and the admin API without putting passwords on plain
# HTTP (docs/security.md). Re-runnable: a server that has Courier's TLS set-up is left alone.
#
#   server/courier-tls.sh [--server WILDFLY_HOME]
#
# The server's configuration file is standalone-full.xml, or $COURIER_SERVER_CONFIG (a cluster
# node's standalone-full-ha.xml: server/courier-cluster.sh).
#
# The key store's password is random, made here and never written in clear: the configuration holds
# it as an encrypted expression (${ENC::courier:...}) that WildFly decrypts with the secret key of the
# credential store courier-secrets (configuration/courier-secrets.cs, generated, readable by the
# server's user only). It prints the certificate's SHA-256 fingerprint, to compare with what the
# browser shows. Real installations put a real certificate in the key store courierKS, or end TLS
# at a load balancer (docs/security.md).
#
# The build runs it for the servers it provisions (./mvnw -Prun verify, the tests).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
server=$(ls -d "$here"/../ear/target/wildfly-* 2>/dev/null | head -1 || true)
while [[ $# -gt 0 ]]; do
    case $1 in
        --server) server=$2; shift 2 ;;
        --help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "courier-tls: unknown argument $1 (see the head of $0)" >&2; exit 2 ;;
    esac
done
[[ -x $server/bin/jboss-cli.sh ]] || { echo "courier-tls: no WildFly at '$server' (--server DIR)" >&2; exit 2; }

script=$(mktemp)
trap 'rm -f "$script"' EXIT
# Runs CLI commands (one per line) against the stopped server; prints what the CLI answers.
cli() {
    printf 'embed-server --server-config=%s --std-out=discard --stability=community\n%s\nstop-embedded-server\n' \
        "${COURIER_SERVER_CONFIG:-standalone-full.xml}" "$1" > "$script"
    "$server/bin/jboss-cli.sh" --file="$script"
}

sha256() {
    sed -n 's/.*"sha-256-digest" => "\([0-9a-f:]*\)".*/\1/p' | tr 'a-f' 'A-F'
}

if cli "/subsystem=undertow/server=default-server/https-listener=https:read-attribute(name=ssl-context)" | grep -q '"result" => "courierTLS"'; then
    fingerprint=$(cli "/subsystem=elytron/key-store=courierKS:read-alias(alias=courier)" 2>/dev/null | sha256 || true)
    echo "courier-tls: $server serves Courier over HTTPS on port 8443${fingerprint:+, certificate SHA-256 $fingerprint}"
    exit 0
fi
# what an interrupted earlier run left
cli "if (outcome == success) of /subsystem=elytron/server-ssl-context=courierTLS:read-resource
    /subsystem=elytron/server-ssl-context=courierTLS:remove
end-if
if (outcome == success) of /subsystem=elytron/key-manager=courierKM:read-resource
    /subsystem=elytron/key-manager=courierKM:remove
end-if
if (outcome == success) of /subsystem=elytron/key-store=courierKS:read-resource
    /subsystem=elytron/key-store=courierKS:remove
end-if" >/dev/null
rm -f "$server/standalone/configuration/courier-tls.p12"

password=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 32)
secrets="/subsystem=elytron/secret-key-credential-store=courier-secrets"
resolver="/subsystem=elytron/expression=encryption"
cli "if (outcome != success) of $secrets:read-resource
    $secrets:add(path=courier-secrets.cs, relative-to=jboss.server.config.dir)
end-if" >/dev/null
cli "if (outcome != success) of $resolver:read-resource
    $resolver:add(resolvers=[{name=courier, credential-store=courier-secrets, secret-key=key}])
end-if" >/dev/null
expression=$(cli "$resolver:create-expression(resolver=courier, clear-text=\"$password\")" \
    | sed -n 's/.*"expression" => "\(\${ENC::[^"]*}\)".*/\1/p')
[[ -n $expression ]] || { echo "courier-tls: WildFly made no encrypted expression" >&2; exit 1; }
unset password

store="/subsystem=elytron/key-store=courierKS"
fingerprint=$(cli "$store:add(path=courier-tls.p12, relative-to=jboss.server.config.dir, type=PKCS12, credential-reference={clear-text=\"$expression\"})
$store:generate-key-pair(alias=courier, algorithm=RSA, key-size=2048, validity=825, distinguished-name=\"CN=localhost\")
$store:store
$store:read-alias(alias=courier)" | sha256)
[[ -n $fingerprint ]] || { echo "courier-tls: WildFly made no certificate" >&2; exit 1; }
cli "/subsystem=elytron/key-manager=courierKM:add(key-store=courierKS, credential-reference={clear-text=\"$expression\"})
/subsystem=elytron/server-ssl-context=courierTLS:add(key-manager=courierKM, protocols=[TLSv1.3, TLSv1.2])
/subsystem=undertow/server=default-server/https-listener=https:write-attribute(name=ssl-context, value=courierTLS)" >/dev/null
chmod 600 "$server/standalone/configuration/courier-secrets.cs" "$server/standalone/configuration/courier-tls.p12"
# WildFly's own demonstration TLS context (its key store password "password" in clear) is no longer used.
cli "if (outcome == success) of /subsystem=elytron/server-ssl-context=applicationSSC:read-resource
    /subsystem=elytron/server-ssl-context=applicationSSC:remove
    /subsystem=elytron/key-manager=applicationKM:remove
    /subsystem=elytron/key-store=applicationKS:remove
end-if" >/dev/null
echo "courier-tls: $server serves Courier over HTTPS on port 8443 with a new self-signed certificate for localhost,"
echo "            SHA-256 $fingerprint"
