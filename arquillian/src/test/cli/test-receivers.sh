#!/usr/bin/env bash
# The test server's credentials for authenticated receivers (ReceiverAuthenticationIT) and for the SFTP
# receivers and channels (Sftp*IT: user courier-files), set up the way
# docs/receivers.md tells operators to: secrets in an Elytron credential store, the receivers' trust and
# Courier's client certificate in Elytron key stores, one rule per receiver in the default
# authentication context. The keys are made here, for this test run only: a CA, the test receiver's
# server certificate for localhost and Courier's client certificate, both signed by the CA.
#
#   test-receivers.sh WILDFLY_HOME KEY_DIR
#
# The passwords are test fixtures (like test-users.cli's); real installations never write theirs in a
# file (docs/receivers.md). Re-runnable: a server set up before is left alone.
set -euo pipefail
server=$1
keys=$2
password=courier-test-keys

cli() {
    local script
    script=$(mktemp)
    printf 'embed-server --server-config=standalone-full.xml --std-out=discard --stability=community\n%s\nstop-embedded-server\n' "$1" > "$script"
    "$server/bin/jboss-cli.sh" --file="$script"
    rm -f "$script"
}

if cli "/system-property=courier.test-receivers:read-resource" | grep -q '"outcome" => "success"'; then
    exit 0
fi

rm -rf "$keys" && mkdir -p "$keys"
cd "$keys"
store() { keytool "$@" -storetype PKCS12 -storepass "$password" 2>/dev/null; }
store -genkeypair -alias ca -keyalg RSA -keysize 2048 -dname "CN=Courier Test CA" -ext bc:c -validity 30 -keystore ca.p12
store -exportcert -rfc -alias ca -keystore ca.p12 -file ca.pem
# trust.p12: the CA only - the receiver trusts Courier's certificate by it, Courier the receiver's
store -importcert -noprompt -alias ca -file ca.pem -keystore trust.p12
for who in receiver:localhost courier:courier-test-client; do
    alias=${who%%:*}
    store -genkeypair -alias "$alias" -keyalg RSA -keysize 2048 -dname "CN=${who#*:}" -validity 30 -keystore "$alias.p12"
    store -certreq -alias "$alias" -keystore "$alias.p12" -file "$alias.csr"
    store -gencert -alias ca -keystore ca.p12 -infile "$alias.csr" -outfile "$alias.pem" -rfc -validity 30 \
        $([[ $alias == receiver ]] && echo "-ext san=dns:localhost,ip:127.0.0.1")
    store -importcert -noprompt -alias ca -file ca.pem -keystore "$alias.p12"
    store -importcert -alias "$alias" -file "$alias.pem" -keystore "$alias.p12"
done
rm -f ./*.csr

e=/subsystem=elytron
rule() {
    echo "{match-abstract-type=courier-receiver, match-abstract-type-authority=$1, authentication-configuration=$2${3:+, ssl-context=$3}}"
}
cli "$e/credential-store=courier-receivers:add(path=courier-receivers.cs, relative-to=jboss.server.config.dir, create=true, credential-reference={clear-text=\"$password\"})
$e/credential-store=courier-receivers:add-alias(alias=receiver-basic, secret-value=\"basic-receiver-password\")
$e/credential-store=courier-receivers:add-alias(alias=receiver-wrong, secret-value=\"not-the-receiver-password\")
$e/credential-store=courier-receivers:add-alias(alias=receiver-oauth, secret-value=\"oauth-client-secret\")
$e/credential-store=courier-receivers:add-alias(alias=receiver-sftp, secret-value=\"sftp-receiver-password\")
$e/key-store=courier-test-trust:add(path=\"$keys/trust.p12\", type=PKCS12, credential-reference={clear-text=\"$password\"})
$e/trust-manager=courier-test-trust:add(key-store=courier-test-trust)
$e/key-store=courier-test-client:add(path=\"$keys/courier.p12\", type=PKCS12, credential-reference={clear-text=\"$password\"})
$e/key-manager=courier-test-client:add(key-store=courier-test-client, credential-reference={clear-text=\"$password\"})
$e/client-ssl-context=courier-test-receivers:add(key-manager=courier-test-client, trust-manager=courier-test-trust, protocols=[TLSv1.3, TLSv1.2])
$e/client-ssl-context=courier-test-trust-only:add(trust-manager=courier-test-trust, protocols=[TLSv1.3, TLSv1.2])
$e/authentication-configuration=receiver-basic:add(authentication-name=courier, credential-reference={store=courier-receivers, alias=receiver-basic})
$e/authentication-configuration=receiver-wrong:add(authentication-name=courier, credential-reference={store=courier-receivers, alias=receiver-wrong})
$e/authentication-configuration=receiver-oauth:add(authentication-name=courier-client, credential-reference={store=courier-receivers, alias=receiver-oauth})
$e/authentication-configuration=receiver-sftp:add(authentication-name=courier-files, credential-reference={store=courier-receivers, alias=receiver-sftp})
$e/authentication-context=courier-receivers:add(match-rules=[$(rule secured-basic receiver-basic courier-test-receivers), $(rule secured-wrong receiver-wrong courier-test-receivers), $(rule secured-no-client-certificate receiver-basic courier-test-trust-only), $(rule secured-oauth receiver-oauth), $(rule sftp-files receiver-sftp), $(rule sftp-crash receiver-sftp), $(rule sftp-wrong receiver-wrong), $(rule sftp-in receiver-sftp), $(rule sftp-in-order receiver-sftp), $(rule sftp-in-crash receiver-sftp)])
$e:write-attribute(name=default-authentication-context, value=courier-receivers)
/system-property=courier.test-receivers:add(value=true)" >/dev/null
chmod 600 "$server/standalone/configuration/courier-receivers.cs"
echo "test-receivers: $server has Elytron credentials for the test's authenticated receivers (keys in $keys)"
