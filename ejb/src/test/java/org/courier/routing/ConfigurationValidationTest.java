package org.courier.routing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.courier.idmapping.IdMappingRule;
import org.courier.idmapping.PayloadIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of the configuration format produces an error naming file, line and field. */
class ConfigurationValidationTest {

    private static InvalidConfigurationException failure(String xml) {
        return assertThrows(InvalidConfigurationException.class,
                () -> RoutingConfiguration.parse(new ByteArrayInputStream(xml.getBytes(UTF_8)), "test.xml"));
    }

    private static void assertErrors(String xml, String... expected) {
        assertEquals(List.of(expected), failure(xml).errors());
    }

    // ---- receivers

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "archive!", "ärchive",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) // 61 characters
    void receiverNameMustFollowTheNameRule(String name) {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="%s" url="http://localhost/"/>
                </courier>
                """.formatted(name),
                "test.xml:2: receiver: name \"" + name + "\" is not 1-60 characters of A-Z a-z 0-9 . _ -");
    }

    @Test
    void receiverNameMustBeUnique() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/a"/>

                  <receiver name="archive" url="http://localhost/b"/>
                </courier>
                """,
                "test.xml:4: receiver \"archive\": name is already declared at line 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x", "/relative/path", "localhost:9000/in", "http:///no-host", "http://bad host/",
            "mailto:someone@example.com", ""})
    void receiverUrlMustBeAbsoluteHttp(String url) {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <!-- a comment -->
                  <receiver name="archive" url="%s"/>
                </courier>
                """.formatted(url),
                "test.xml:3: receiver \"archive\": url \"" + url + "\" is not an absolute http(s) URL (sftp://host[:port][/directory] for protocol sftp, jms://factory/queue for protocol jms)");
    }

    @Test
    void receiverConnectionSettingsAreRead() {
        RoutingConfiguration configuration = RoutingConfiguration.parse(new ByteArrayInputStream("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="https://erp/in" authentication="basic" tls="elytron" parallel="3"/>
                  <receiver name="cloud" url="https://api/in" authentication="oauth2" token-url="https://login/token"
                            token-scope="orders.write orders.read" proxy="http://proxy.example:3128"/>
                  <receiver name="plain" url="http://plain/in"/>
                  <receiver name="fragile" url="http://fragile/in" down-after="2"/>
                  <receiver name="tough" url="http://tough/in" down-after="never"/>
                  <route sender="*" interface="I"><to receiver="erp"/><to receiver="cloud"/><to receiver="plain"/></route>
                </courier>
                """.getBytes(UTF_8)), "test.xml");

        ConnectionSettings erp = configuration.receiver("erp").orElseThrow().connection();
        assertEquals(new ConnectionSettings(ConnectionSettings.Authentication.BASIC, null, null, ConnectionSettings.Tls.ELYTRON,
                null, 3), erp);
        ConnectionSettings cloud = configuration.receiver("cloud").orElseThrow().connection();
        assertEquals(new ConnectionSettings(ConnectionSettings.Authentication.OAUTH2, java.net.URI.create("https://login/token"),
                "orders.write orders.read", ConnectionSettings.Tls.SERVER, java.net.URI.create("http://proxy.example:3128"), 0), cloud);
        assertEquals(ConnectionSettings.DEFAULTS, configuration.receiver("plain").orElseThrow().connection());
        assertTrue(erp.usesElytron() && cloud.usesElytron());
        assertFalse(ConnectionSettings.DEFAULTS.usesElytron());
        assertEquals(0, erp.downAfter(), "the server's default");
        assertEquals(2, configuration.receiver("fragile").orElseThrow().connection().downAfter());
        assertEquals(ConnectionSettings.NEVER_DOWN, configuration.receiver("tough").orElseThrow().connection().downAfter());
    }

    @Test
    void receiverConnectionSettingsAreChecked() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="a" url="http://a/" authentication="digest"/>
                  <receiver name="b" url="http://b/" authentication="oauth2"/>
                  <receiver name="c" url="http://c/" token-url="http://login/token"/>
                  <receiver name="d" url="http://d/" authentication="oauth2" token-url="login/token" token-scope="a  b"/>
                  <receiver name="e" url="http://e/" tls="none"/>
                  <receiver name="f" url="http://f/" proxy="https://proxy:3128"/>
                  <receiver name="g" url="http://g/" proxy="http://user:pw@proxy:3128"/>
                  <receiver name="h" url="http://h/" proxy="http://proxy/"/>
                  <receiver name="i" url="http://i/" parallel="0"/>
                  <receiver name="j" url="http://j/" parallel="257"/>
                  <receiver name="k" url="http://k/" down-after="0"/>
                  <receiver name="l" url="http://l/" down-after="always"/>
                </courier>
                """,
                "test.xml:2: receiver \"a\": authentication \"digest\" is not none, basic or oauth2",
                "test.xml:3: receiver \"b\": authentication \"oauth2\" needs token-url (the OAuth 2.0 token endpoint)",
                "test.xml:4: receiver \"c\": token-url and token-scope apply only to a receiver with authentication=\"oauth2\"",
                "test.xml:5: receiver \"d\": token-url \"login/token\" is not an absolute http(s) URL",
                "test.xml:5: receiver \"d\": token-scope \"a  b\" is not a space-separated list of OAuth 2.0 scope tokens",
                "test.xml:6: receiver \"e\": tls \"none\" is not server or elytron",
                "test.xml:7: receiver \"f\": proxy \"https://proxy:3128\" is not http://host:port (an HTTP proxy; https receivers"
                        + " are reached through it with CONNECT)",
                "test.xml:8: receiver \"g\": proxy \"http://user:pw@proxy:3128\" is not http://host:port (an HTTP proxy; https"
                        + " receivers are reached through it with CONNECT)",
                "test.xml:9: receiver \"h\": proxy \"http://proxy/\" is not http://host:port (an HTTP proxy; https receivers are"
                        + " reached through it with CONNECT)",
                "test.xml:10: receiver \"i\": parallel \"0\" is not a whole number from 1 to 256",
                "test.xml:11: receiver \"j\": parallel \"257\" is not a whole number from 1 to 256",
                "test.xml:12: receiver \"k\": down-after \"0\" is not a whole number from 1 to 1000 (failed attempts in a"
                        + " row) or \"never\"",
                "test.xml:13: receiver \"l\": down-after \"always\" is not a whole number from 1 to 1000 (failed attempts in a"
                        + " row) or \"never\"");
    }

    /** The schema's whole numbers (xs:int): blanks around them and a plus sign are theirs, as xmllint reads them. */
    @ParameterizedTest
    @ValueSource(strings = {" 30", "+30", "030", "30 "})
    void receiverTimeoutInTheSchemasLexicalFormsIsRead(String timeout) {
        RoutingConfiguration configuration = RoutingConfiguration.parse(new ByteArrayInputStream("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/" timeout-seconds="%s"/>
                </courier>
                """.formatted(timeout).getBytes(UTF_8)), "test.xml");
        assertEquals(java.time.Duration.ofSeconds(30), configuration.receiver("archive").orElseThrow().timeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "3601", "-5", "ten", "1.5", "3 0", "99999999999999999999"})
    void receiverTimeoutMustBeFrom1To3600(String timeout) {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/" timeout-seconds="%s"/>
                </courier>
                """.formatted(timeout),
                "test.xml:2: receiver \"archive\": timeout-seconds \"" + timeout
                        + "\" is not a whole number from 1 to 3600");
    }

    @Test
    void receiverAttributesAreRequired() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver url="http://localhost/"/>
                  <receiver name="archive"/>
                </courier>
                """,
                "test.xml:2: receiver: missing required attribute \"name\"",
                "test.xml:3: receiver \"archive\": missing required attribute \"url\"");
    }

    @Test
    void idempotenceAndInDoubtValuesAreChecked() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="a" url="http://localhost/" idempotent="yes"/>
                  <receiver name="b" url="http://localhost/" in-doubt="HOLD"/>
                  <receiver name="c" url="http://localhost/" status-url="/status"/>
                </courier>
                """,
                "test.xml:2: receiver \"a\": idempotent \"yes\" is not true or false",
                "test.xml:3: receiver \"b\": in-doubt \"HOLD\" is not hold or retry",
                "test.xml:4: receiver \"c\": status-url \"/status\" is not an absolute http(s) URL");
    }

    @Test
    void anIdempotentReceiverHasNoInDoubtHandling() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="a" url="http://localhost/" idempotent="true" in-doubt="retry"/>
                  <receiver name="b" url="http://localhost/" idempotent="true" status-url="http://localhost/s"/>
                </courier>
                """,
                "test.xml:2: receiver \"a\": in-doubt and status-url apply only to a receiver with idempotent=\"false\"",
                "test.xml:3: receiver \"b\": in-doubt and status-url apply only to a receiver with idempotent=\"false\"");
    }

    @Test
    void idMappingAttributesAreChecked() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="a" url="http://localhost/" id-format="edifact"/>
                  <receiver name="b" url="http://localhost/" id-format="idoc-tid" id-mapping="random"/>
                  <receiver name="c" url="http://localhost/" id-mapping="derived"/>
                  <receiver name="d" url="http://localhost/" id-format="template:ORD-1"/>
                  <receiver name="e" url="http://localhost/" id-format="xi" id-expiration-days="0"/>
                </courier>
                """,
                "test.xml:2: receiver \"a\": id-format \"edifact\" is not xi, sap-rm, idoc-tid, pass-through, as2:<right part>"
                        + " or template:<text>",
                "test.xml:3: receiver \"b\": id-mapping \"random\" is not stored or derived",
                "test.xml:4: receiver \"c\": id-mapping and id-expiration-days need an id-format",
                "test.xml:5: receiver \"d\": the id template 'ORD-1' has no {hex:N}, {HEX:N} or {guid}: every id would be the same",
                "test.xml:6: receiver \"e\": id-expiration-days \"0\" is not a whole number from 1 to 3650");
    }

    @Test
    void idMappingDefaultsToStoredFor30Days() {
        RoutingConfiguration configuration = RoutingConfiguration.parse(new ByteArrayInputStream("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="sap" url="http://localhost/" id-format="idoc-tid"/>
                  <receiver name="as2" url="http://localhost/" id-format="as2:courier.example.com" id-mapping="derived"
                            id-expiration-days="7"/>
                  <receiver name="plain" url="http://localhost/"/>
                  <route sender="*" interface="Orders"><to receiver="sap"/><to receiver="as2"/><to receiver="plain"/></route>
                </courier>
                """.getBytes(UTF_8)), "test.xml");

        assertEquals(Optional.of(IdMappingRule.of("idoc-tid", "stored", 30)), configuration.receiver("sap").orElseThrow().idMappingRule());
        assertEquals(Optional.of(IdMappingRule.of("as2:courier.example.com", "derived", 7)),
                configuration.receiver("as2").orElseThrow().idMappingRule());
        assertEquals(Optional.empty(), configuration.receiver("plain").orElseThrow().idMappingRule());
    }

    @Test
    void messageIdsFromThePayloadAreChecked() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1" xmlns:o="urn:example:orders">
                  <receiver name="a" url="http://localhost/"/>
                  <route sender="*" interface="A">
                    <message-id xpath="/o:order/o:number" from="payload-hash"/>
                    <to receiver="a"/>
                  </route>
                  <route sender="*" interface="B">
                    <message-id xpath="/x:order/x:number"/>
                    <message-id from="sha1"/>
                    <to receiver="a"/>
                  </route>
                  <route sender="*" interface="C">
                    <message-id xpath="/o:order/["/>
                    <to receiver="a"/>
                  </route>
                </courier>
                """,
                "test.xml:4: route sender=\"*\" interface=\"A\", <message-id>: give either xpath=\"...\" or from=\"payload-hash\"",
                "test.xml:8: route sender=\"*\" interface=\"B\", <message-id>: prefix \"x\" of the XPath is not declared",
                "test.xml:8: route sender=\"*\" interface=\"B\": a message id comes from XPath values or from the payload hash, not both",
                "test.xml:9: route sender=\"*\" interface=\"B\", <message-id>: from \"sha1\" is not payload-hash",
                "test.xml:13: route sender=\"*\" interface=\"C\": '/o:order/[' is not a valid XPath expression:"
                        + " A location step was expected following the '/' or '//' token.");
    }

    @Test
    void messageIdsFromThePayloadResolvePrefixesInScope() {
        RoutingConfiguration configuration = RoutingConfiguration.parse(new ByteArrayInputStream("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="a" url="http://localhost/"/>
                  <route sender="SHOP" interface="Orders" xmlns:o="urn:example:orders">
                    <message-id xpath="/o:order/o:customer"/>
                    <message-id xpath="/o:order/o:number"/>
                    <to receiver="a"/>
                  </route>
                  <route sender="*" interface="Invoices"><message-id from="payload-hash"/><to receiver="a"/></route>
                  <route sender="*" interface="Plain"><to receiver="a"/></route>
                </courier>
                """.getBytes(UTF_8)), "test.xml");

        String order = "<order xmlns=\"urn:example:orders\"><number>4711</number><customer>C-9</customer></order>";
        assertEquals(Optional.of("C-9/4711"), configuration.messageIdentityFor("SHOP", "Orders").map(i -> i.idOf(order)));
        assertEquals(Optional.of(new PayloadIdentity.CanonicalHash()), configuration.messageIdentityFor("ERP", "Invoices"));
        assertEquals(Optional.empty(), configuration.messageIdentityFor("ERP", "Plain"));
        assertEquals(Optional.empty(), configuration.messageIdentityFor("ERP", "Orders"));
    }

    @Test
    void branchesAndSplitsAreReadAndChecked() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1" xmlns:o="urn:example:orders">
                  <receiver name="a" url="http://localhost/"/>
                  <route sender="*" interface="A">
                    <to receiver="a" branch="billing"/>
                    <to receiver="a" branch="billing"/>
                    <to receiver="a" branch="bad branch"/>
                    <split xpath="/o:orders/o:order"/>
                    <split xpath="/o:orders/o:order"/>
                  </route>
                  <route sender="*" interface="B">
                    <to receiver="a"/>
                    <split item-key="o:number"/>
                  </route>
                </courier>
                """,
                "test.xml:5: route sender=\"*\" interface=\"A\": receiver \"a\" branch \"billing\" is listed more than once (first at line 4)",
                "test.xml:6: route sender=\"*\" interface=\"A\", <to>: branch \"bad branch\" is not 1-40 characters of A-Z a-z 0-9 . _ -",
                "test.xml:8: route sender=\"*\" interface=\"A\", <split>: at most one <split> per route (first at line 7)",
                "test.xml:12: route sender=\"*\" interface=\"B\", <split>: missing required attribute \"xpath\"");
    }

    @Test
    void aRouteWithBranchesAndASplitKnowsItsTargets() {
        RoutingConfiguration configuration = RoutingConfiguration.parse(new ByteArrayInputStream("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://localhost/"/>
                  <receiver name="archive" url="http://localhost/"/>
                  <route sender="*" interface="Orders" xmlns:o="urn:example:orders">
                    <split xpath="/o:orders/o:order" item-key="o:number"/>
                    <to receiver="erp" branch="billing"/>
                    <to receiver="erp" branch="shipping"/>
                    <to receiver="archive"/>
                  </route>
                </courier>
                """.getBytes(UTF_8)), "test.xml");

        Route route = configuration.routeFor("SHOP", "Orders").orElseThrow();
        assertEquals(List.of(new Route.Target("erp", "billing"), new Route.Target("erp", "shipping"),
                new Route.Target("archive", "")), route.targets());
        assertEquals(List.of("erp", "archive"), route.receiverNames());
        assertEquals(2, configuration.receiversFor("SHOP", "Orders").orElseThrow().size());
        assertEquals(new org.courier.content.ItemSplit("/o:orders/o:order", "o:number", java.util.Map.of("o", "urn:example:orders")),
                route.split());
    }

    @Test
    void aSendersIdFormatIsReadAndChecked() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="a" url="http://localhost/"/>
                  <route sender="*" interface="A" message-id-format="guid"><to receiver="a"/></route>
                </courier>
                """,
                "test.xml:3: route sender=\"*\" interface=\"A\": message-id-format \"guid\" is not xi, sap-rm, idoc-tid,"
                        + " pass-through, as2:<right part> or template:<text>");
        RoutingConfiguration configuration = RoutingConfiguration.parse(new ByteArrayInputStream("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="a" url="http://localhost/"/>
                  <route sender="XI" interface="A" message-id-format="xi"><to receiver="a"/></route>
                </courier>
                """.getBytes(UTF_8)), "test.xml");
        assertEquals(org.courier.idmapping.IdFormat.parse("xi"),
                configuration.routeFor("XI", "A").orElseThrow().senderIdFormat());
    }

    // ---- limits

    @ParameterizedTest
    @ValueSource(strings = {"0", "67108865", "1MB", ""})
    void maxPayloadBytesMustBeInRange(String value) {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <limits max-payload-bytes="%s"/>
                </courier>
                """.formatted(value),
                "test.xml:2: limits: max-payload-bytes \"" + value + "\" is not a whole number from 1 to 67108864");
    }

    @Test
    void limitsAtMostOnce() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <limits max-payload-bytes="1024"/>
                  <limits/>
                </courier>
                """,
                "test.xml:3: limits: <limits> may appear only once (first at line 2)");
    }

    // ---- routes

    @ParameterizedTest
    @ValueSource(strings = {"**", "shop*", "", "a b"})
    void routeSenderMustBeStarOrName(String sender) {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/"/>
                  <route sender="%s" interface="SampleOrder">
                    <to receiver="archive"/>
                  </route>
                </courier>
                """.formatted(sender),
                "test.xml:3: route sender=\"" + sender + "\" interface=\"SampleOrder\": sender \"" + sender
                        + "\" is not \"*\" or 1-60 characters of A-Z a-z 0-9 . _ -");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sample Order", "Order#1", "", "Bestellung-ä",
            "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii"})
    void routeInterfaceMustFollowTheInterfaceRule(String interfaceName) {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/"/>
                  <route sender="*" interface="%s">
                    <to receiver="archive"/>
                  </route>
                </courier>
                """.formatted(interfaceName),
                "test.xml:3: route sender=\"*\" interface=\"" + interfaceName + "\": interface \"" + interfaceName
                        + "\" is not 1-120 characters of A-Z a-z 0-9 . _ - / :");
    }

    @Test
    void senderAndInterfacePairAtMostOnce() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/"/>
                  <route sender="*" interface="SampleOrder"><to receiver="archive"/></route>
                  <route sender="shop" interface="SampleOrder"><to receiver="archive"/></route>
                  <route sender="*" interface="SampleOrder"><to receiver="archive"/></route>
                </courier>
                """,
                "test.xml:5: route sender=\"*\" interface=\"SampleOrder\": "
                        + "this sender and interface already have a route at line 3");
    }

    @Test
    void routeNeedsAtLeastOneReceiver() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <route sender="*" interface="SampleOrder">
                    <!-- nobody -->
                  </route>
                  <route sender="shop" interface="SampleOrder"/>
                </courier>
                """,
                "test.xml:2: route sender=\"*\" interface=\"SampleOrder\": "
                        + "no <to receiver=\"...\"/> and no <aggregate aggregator=\"...\"/>; a route needs one",
                "test.xml:5: route sender=\"shop\" interface=\"SampleOrder\": "
                        + "no <to receiver=\"...\"/> and no <aggregate aggregator=\"...\"/>; a route needs one");
    }

    @Test
    void routeReceiversMustBeDeclared() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <route sender="*" interface="SampleOrder">
                    <to receiver="archive"/>
                    <to receiver="archiv"/>
                  </route>
                  <receiver name="archive" url="http://localhost/"/>
                </courier>
                """,
                "test.xml:4: route sender=\"*\" interface=\"SampleOrder\": receiver \"archiv\" is not declared"
                        + " (no <receiver name=\"archiv\" .../>)");
    }

    @Test
    void receiverAtMostOncePerRoute() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/"/>
                  <route sender="*" interface="SampleOrder">
                    <to receiver="archive"/>
                    <to receiver="archive"/>
                  </route>
                </courier>
                """,
                "test.xml:5: route sender=\"*\" interface=\"SampleOrder\": "
                        + "receiver \"archive\" is listed more than once (first at line 4); to give it several copies, name a branch for each");
    }

    @Test
    void routeAttributesAreRequired() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/"/>
                  <route interface="SampleOrder"><to receiver="archive"/></route>
                  <route sender="*"><to receiver="archive"/></route>
                  <route sender="shop" interface="SampleOrder">
                    <to/>
                  </route>
                </courier>
                """,
                "test.xml:3: route interface=\"SampleOrder\": missing required attribute \"sender\"",
                "test.xml:4: route sender=\"*\": missing required attribute \"interface\"",
                "test.xml:6: route sender=\"shop\" interface=\"SampleOrder\", <to>: "
                        + "missing required attribute \"receiver\"");
    }

    // ---- structure

    @Test
    void unknownAttributesAreRejected() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1" xmlns:x="urn:other" version="1">
                  <limits max-payload="5"/>
                  <receiver name="archive" url="http://localhost/" timeout="5" x:note="n"/>
                  <route sender="*" interface="SampleOrder" priority="high">
                    <to receiver="archive" weight="2"/>
                  </route>
                </courier>
                """,
                "test.xml:1: <courier>: unknown attribute \"version\"",
                "test.xml:2: limits: unknown attribute \"max-payload\"",
                "test.xml:3: receiver \"archive\": unknown attribute \"timeout\"",
                "test.xml:3: receiver \"archive\": unknown attribute \"x:note\"",
                "test.xml:4: route sender=\"*\" interface=\"SampleOrder\": unknown attribute \"priority\"",
                "test.xml:5: route sender=\"*\" interface=\"SampleOrder\", <to>: unknown attribute \"weight\"");
    }

    @Test
    void unknownElementsAreRejected() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1" xmlns:x="urn:other">
                  <sender name="shop"/>
                  <receiver name="archive" url="http://localhost/">
                    <header name="X-Test"/>
                  </receiver>
                  <route sender="*" interface="SampleOrder">
                    <to receiver="archive"/>
                    <cc receiver="archive"><ignored-child/></cc>
                  </route>
                  <x:receiver name="other" url="http://localhost/"/>
                  <limits><max/></limits>
                </courier>
                """,
                "test.xml:2: unknown element <sender> in <courier>",
                "test.xml:4: unknown element <header> in <receiver>",
                "test.xml:8: unknown element <cc> in <route>",
                "test.xml:10: unknown element <receiver> in namespace \"urn:other\" in <courier>",
                "test.xml:11: unknown element <max> in <limits>");
    }

    @Test
    void errorsPointAtTheLineWhereAnElementStarts() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <!-- attributes on separate lines --><receiver
                      name="archive"
                      url="ftp://x"
                      timeout-seconds="0"/>
                  <route sender="*"
                         interface="SampleOrder"><to
                      receiver="nobody"/></route>
                </courier>
                """,
                "test.xml:2: receiver \"archive\": url \"ftp://x\" is not an absolute http(s) URL (sftp://host[:port][/directory] for protocol sftp, jms://factory/queue for protocol jms)",
                "test.xml:2: receiver \"archive\": timeout-seconds \"0\" is not a whole number from 1 to 3600",
                "test.xml:7: route sender=\"*\" interface=\"SampleOrder\": receiver \"nobody\" is not declared"
                        + " (no <receiver name=\"nobody\" .../>)");
    }

    @Test
    void textContentIsRejectedAtItsLine() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <route sender="*" interface="SampleOrder">

                    deliver to archive
                    <to receiver="archive"/>
                  </route>
                  <receiver name="archive" url="http://localhost/"/>
                </courier>
                """,
                "test.xml:4: unexpected text \"deliver to archive\" in <route>");
    }

    @Test
    void textContentIsRejected() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/">archive</receiver>
                </courier>
                """,
                "test.xml:2: unexpected text \"archive\" in <receiver>");
    }

    @Test
    void wrongRootElementIsRejected() {
        assertErrors("""
                <config xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/"/>
                </config>
                """,
                "test.xml:1: the root element must be <courier xmlns=\"urn:courier:config:1\">, found <config>");
    }

    @Test
    void wrongNamespaceIsRejected() {
        assertErrors("""
                <courier xmlns="urn:courier:config:2">
                </courier>
                """,
                "test.xml:1: the root element must be <courier xmlns=\"urn:courier:config:1\">, "
                        + "found <courier> in namespace \"urn:courier:config:2\"");
    }

    @Test
    void missingNamespaceIsRejected() {
        assertErrors("""
                <courier>
                </courier>
                """,
                "test.xml:1: the root element must be <courier xmlns=\"urn:courier:config:1\">, "
                        + "found <courier> without a namespace");
    }

    // ---- reporting

    @Test
    void allErrorsAreReportedTogetherInLineOrder() {
        InvalidConfigurationException e = failure("""
                <courier xmlns="urn:courier:config:1">
                  <route sender="*" interface="SampleOrder">
                    <to receiver="missing"/>
                  </route>
                  <receiver name="archive" url="ftp://x" timeout-seconds="0"/>
                  <receiver name="archive" url="http://localhost/"/>
                  <limits max-payload-bytes="huge"/>
                  <unknown/>
                </courier>
                """);

        List<String> expected = List.of(
                "test.xml:3: route sender=\"*\" interface=\"SampleOrder\": receiver \"missing\" is not declared"
                        + " (no <receiver name=\"missing\" .../>)",
                "test.xml:5: receiver \"archive\": url \"ftp://x\" is not an absolute http(s) URL (sftp://host[:port][/directory] for protocol sftp, jms://factory/queue for protocol jms)",
                "test.xml:5: receiver \"archive\": timeout-seconds \"0\" is not a whole number from 1 to 3600",
                "test.xml:6: receiver \"archive\": name is already declared at line 5",
                "test.xml:7: limits: max-payload-bytes \"huge\" is not a whole number from 1 to 67108864",
                "test.xml:8: unknown element <unknown> in <courier>");
        assertEquals(expected, e.errors());
        assertEquals("Courier configuration test.xml is invalid:\n  " + String.join("\n  ", expected),
                e.getMessage());
    }

    @Test
    void malformedXmlReportsTheParserLine() {
        InvalidConfigurationException e = failure("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/">
                  <route sender="*" interface="SampleOrder"/>
                </courier>
                """);

        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.errors().get(0).startsWith("test.xml:4: malformed XML: "), e.getMessage());
        assertTrue(e.errors().get(0).contains("receiver"), e.getMessage());
        assertTrue(e.getMessage().startsWith("Courier configuration test.xml is invalid:\n"));
    }

    @Test
    void duplicateAttributeIsMalformed() {
        InvalidConfigurationException e = failure("""
                <courier xmlns="urn:courier:config:1">

                  <receiver name="a" name="b" url="http://localhost/"/>
                </courier>
                """);

        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.errors().get(0).startsWith("test.xml:3: malformed XML: "), e.getMessage());
    }

    /** Found by the fuzzer: the JDK's parser gives up on this one without a location ("Scanner State 24 not Recognized"). */
    @Test
    void aDoctypeInTheContentIsMalformed() {
        InvalidConfigurationException e = failure("""
                <courier xmlns="urn:courier:config:1">
                  <route sender="WEB" interface="Orders">
                 <!DOCTYPE   <to receiver="erp"/>
                  </route>
                </courier>
                """);

        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.errors().get(0).startsWith("test.xml:3: malformed XML: "), e.getMessage());
    }

    @Test
    void emptyDocumentIsMalformed() {
        InvalidConfigurationException e = failure("");

        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.errors().get(0).startsWith("test.xml:1: malformed XML: "), e.getMessage());
    }

    @Test
    void undeclaredEntityIsMalformed() {
        InvalidConfigurationException e = failure("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="&name;" url="http://localhost/"/>
                </courier>
                """);

        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.errors().get(0).startsWith("test.xml:2: malformed XML: "), e.getMessage());
    }

    @Test
    void doctypeAndExternalEntitiesAreRejected(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-VALUE");
        InvalidConfigurationException e = failure("""
                <?xml version="1.0"?>
                <!DOCTYPE courier [
                  <!ENTITY xxe SYSTEM "%s">
                ]>
                <courier xmlns="urn:courier:config:1">
                  <receiver name="archive" url="http://localhost/">&xxe;</receiver>
                </courier>
                """.formatted(secret.toUri()));

        assertEquals(1, e.errors().size(), e.getMessage());
        assertEquals(List.of("test.xml:2: <!DOCTYPE> is not allowed: the configuration may not use DTDs or entities"),
                e.errors());
        assertFalse(e.getMessage().contains("TOP-SECRET-VALUE"), e.getMessage());
    }

    @Test
    void internalEntityExpansionIsRejected() {
        InvalidConfigurationException e = failure("""
                <!DOCTYPE courier [
                  <!ENTITY a "aaaaaaaaaa">
                  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
                ]>
                <courier xmlns="urn:courier:config:1">
                  <receiver name="&b;" url="http://localhost/"/>
                </courier>
                """);

        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.errors().get(0).contains("<!DOCTYPE> is not allowed"), e.getMessage());
    }

    // ---- calls and aggregators

    @Test
    void callModeMustBeKnown() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://localhost/"/>
                  <route sender="*" interface="Quote" call="cached"><to receiver="erp"/></route>
                </courier>
                """,
                "test.xml:3: route sender=\"*\" interface=\"Quote\": call \"cached\" is not best-effort or idempotent");
    }

    @Test
    void aRouteMayOnlyAggregateIntoADeclaredAggregator() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <route sender="*" interface="Lines"><aggregate aggregator="bundler"/></route>
                </courier>
                """,
                "test.xml:2: route sender=\"*\" interface=\"Lines\": aggregator \"bundler\" is not declared"
                        + " (no <aggregator name=\"bundler\" .../>)");
    }

    @Test
    void anAggregatorNeedsACompletionConditionAndAPrefixThatIsDeclared() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://localhost/"/>
                  <aggregator name="bundler" interface="Bundle" correlation="/o:line/o:order"/>
                  <route sender="*" interface="Bundle"><to receiver="erp"/></route>
                </courier>
                """,
                "test.xml:3: aggregator \"bundler\": give complete-count, timeout-seconds or both: when is an aggregate complete?",
                "test.xml:3: aggregator \"bundler\": prefix \"o\" of the XPath is not declared");
    }

    @Test
    void whatAnAggregatorReleasesNeedsARouteThatDoesNotAggregateAgain() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <aggregator name="bundler" interface="Bundle" correlation="/line/order" complete-count="1001"/>
                  <aggregator name="twice" interface="Lines" correlation="/line/order" timeout-seconds="60"/>
                  <route sender="*" interface="Lines"><aggregate aggregator="twice"/></route>
                </courier>
                """,
                "test.xml:2: aggregator \"bundler\": complete-count \"1001\" is not a whole number from 1 to 1000",
                "test.xml:3: aggregator \"twice\": the route of what it releases aggregates again; an aggregate goes to receivers");
    }

    // ---- SAP protocols

    @Test
    void sapReceiversNeedGuidIdsAndKnownProtocols() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="xi" url="http://localhost/" protocol="xi"/>
                  <receiver name="rm" url="http://localhost/" protocol="sap-rm" id-format="idoc-tid"/>
                  <receiver name="as2" url="http://localhost/" protocol="as2"/>
                </courier>
                """,
                "test.xml:2: receiver \"xi\": protocol \"xi\" needs id-format=\"xi\" (XI message ids are GUIDs)",
                "test.xml:3: receiver \"rm\": protocol \"sap-rm\" needs id-format=\"sap-rm\" or \"xi\" (SAP RM message ids are GUIDs)",
                "test.xml:4: receiver \"as2\": protocol \"as2\" is not plain, sap-rm, xi, idoc, idoc-xml, sftp or jms");
    }

    @Test
    void idocReceiversNeedIdocTransactionIds() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://localhost/sap/bc/srt/idoc" protocol="idoc" id-format="xi"/>
                  <receiver name="bc" url="http://localhost/invoke/pub.sap.transport.ALE/InboundProcess" protocol="idoc-xml"/>
                  <receiver name="ok" url="http://localhost/sap/bc/srt/idoc" protocol="idoc" id-format="idoc-tid" idempotent="true"/>
                </courier>
                """,
                "test.xml:2: receiver \"erp\": protocol \"idoc\" needs id-format=\"idoc-tid\" (SAP recognises a resent IDoc by its"
                        + " 24-character transaction id)",
                "test.xml:3: receiver \"bc\": protocol \"idoc-xml\" needs id-format=\"idoc-tid\" (SAP recognises a resent IDoc by"
                        + " its 24-character transaction id)");
    }

    @Test
    void anSftpReceiverIsADirectoryOnAServerWithAUserFromElytronAndIsIdempotent() {
        RoutingConfiguration configuration = RoutingConfiguration.parse(new ByteArrayInputStream("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="files" url="sftp://files.example.com:2222/in/orders" protocol="sftp" authentication="basic"/>
                  <receiver name="home" url="SFTP://files.example.com" protocol="sftp" authentication="basic" id-format="idoc-tid"/>
                  <route sender="*" interface="Orders"><to receiver="files"/><to receiver="home"/></route>
                </courier>
                """.getBytes(UTF_8)), "test.xml");

        ReceiverEndpoint files = configuration.receiver("files").orElseThrow();
        assertEquals(ReceiverProtocol.SFTP, files.protocol());
        assertEquals(URI.create("sftp://files.example.com:2222/in/orders"), files.url());
        assertTrue(files.idempotent());
        assertEquals(ConnectionSettings.Authentication.BASIC, files.connection().authentication());
        assertTrue(configuration.receiver("home").orElseThrow().idempotent());
    }

    @Test
    void anSftpReceiverIsRefusedWithoutCredentialsWithHttpSettingsOrWithAUserInItsUrl() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="anonymous" url="sftp://files.example.com/in" protocol="sftp"/>
                  <receiver name="tuned" url="sftp://files.example.com/in" protocol="sftp" authentication="basic"
                            status-url="http://files.example.com/status" tls="elytron"/>
                  <receiver name="user" url="sftp://courier@files.example.com/in" protocol="sftp" authentication="basic"/>
                  <receiver name="web" url="https://files.example.com/in" protocol="sftp" authentication="basic"/>
                  <receiver name="plain" url="sftp://files.example.com/in"/>
                </courier>
                """,
                "test.xml:2: receiver \"anonymous\": protocol \"sftp\" needs authentication=\"basic\" (the SFTP user and password,"
                        + " from the receiver's Elytron rule)",
                "test.xml:3: receiver \"tuned\": status-url, in-doubt, tls and proxy do not apply to protocol \"sftp\" (a repeat"
                        + " writes the same file again: SFTP receivers are idempotent)",
                "test.xml:5: receiver \"user\": url \"sftp://courier@files.example.com/in\" is not an absolute http(s) URL"
                        + " (sftp://host[:port][/directory] for protocol sftp, jms://factory/queue for protocol jms)",
                "test.xml:6: receiver \"web\": protocol \"sftp\" needs a url sftp://host[:port][/directory] (no user, query"
                        + " or fragment: the user and password come from Elytron), not \"https://files.example.com/in\"",
                "test.xml:7: receiver \"plain\": url \"sftp://files.example.com/in\" is not an absolute http(s) URL (an sftp URL"
                        + " is for a receiver with protocol=\"sftp\")");
    }

    @Test
    void aJmsReceiverIsAQueueBehindAConnectionFactoryOfWildFlyAndIsNeverInDoubt() {
        RoutingConfiguration configuration = RoutingConfiguration.parse(new ByteArrayInputStream("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="orders-queue" url="jms://partner-broker/orders.in" protocol="jms" parallel="4"/>
                  <receiver name="mapped" url="JMS://partner_2/DLQ::orders" protocol="jms" id-format="xi" idempotent="false"/>
                  <route sender="*" interface="Orders"><to receiver="orders-queue"/><to receiver="mapped"/></route>
                </courier>
                """.getBytes(UTF_8)), "test.xml");

        ReceiverEndpoint queue = configuration.receiver("orders-queue").orElseThrow();
        assertEquals(ReceiverProtocol.JMS, queue.protocol());
        assertEquals(new JmsDestination("partner-broker", "orders.in"), JmsDestination.of(queue.url()));
        assertEquals("java:/jms/partner-broker", JmsDestination.of(queue.url()).jndiName());
        assertTrue(queue.idempotent());
        assertEquals(4, queue.connection().parallel());
        ReceiverEndpoint mapped = configuration.receiver("mapped").orElseThrow();
        assertTrue(mapped.idempotent(), "a JMS send commits with its delivery or not at all: never in doubt");
        assertEquals(new JmsDestination("partner_2", "DLQ::orders"), JmsDestination.of(mapped.url()));
    }

    @Test
    void aJmsReceiverIsRefusedWithoutAQueueWithCredentialsOrHttpSettings() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="no-queue" url="jms://partner-broker" protocol="jms"/>
                  <receiver name="secret" url="jms://partner-broker/orders" protocol="jms" authentication="basic"/>
                  <receiver name="tuned" url="jms://partner-broker/orders" protocol="jms" in-doubt="retry" proxy="http://proxy:3128"/>
                  <receiver name="web" url="https://broker.example.com/orders" protocol="jms"/>
                  <receiver name="plain" url="jms://partner-broker/orders"/>
                </courier>
                """,
                "test.xml:2: receiver \"no-queue\": url \"jms://partner-broker\" is not an absolute http(s) URL"
                        + " (sftp://host[:port][/directory] for protocol sftp, jms://factory/queue for protocol jms)",
                "test.xml:3: receiver \"secret\": authentication does not apply to protocol \"jms\" (the broker's user and"
                        + " password are its connection factory's, in WildFly)",
                "test.xml:4: receiver \"tuned\": status-url, in-doubt, tls and proxy do not apply to protocol \"jms\" (the send"
                        + " commits with the delivery or not at all: JMS receivers are never in doubt)",
                "test.xml:5: receiver \"web\": protocol \"jms\" needs a url jms://factory/queue (the queue's name on the"
                        + " broker, reached through WildFly's pooled connection factory java:/jms/factory), not"
                        + " \"https://broker.example.com/orders\"",
                "test.xml:6: receiver \"plain\": url \"jms://partner-broker/orders\" is not an absolute http(s) URL (a jms URL"
                        + " is for a receiver with protocol=\"jms\")");
    }

    @Test
    void aJmsChannelIsAQueueWhoseMessagesComeFromASenderAsAnInterface() {
        RoutingConfiguration configuration = RoutingConfiguration.parse(new ByteArrayInputStream("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://localhost/"/>
                  <route sender="*" interface="Orders"><to receiver="erp"/></route>
                  <jms-channel name="partner-orders" url="jms://partner-broker/orders.out" sender="PARTNER" interface="Orders"/>
                  <jms-channel name="partner-queue" url="jms://partner-broker/orders.seq" sender="PARTNER" interface="Orders"
                               quality-of-service="ExactlyOnceInOrder" queue-id="PARTNER_1" dead-letter-queue="DLQ.orders"/>
                </courier>
                """.getBytes(UTF_8)), "test.xml");

        assertEquals(List.of(
                new JmsChannel("partner-orders", new JmsDestination("partner-broker", "orders.out"), "PARTNER", "Orders", false,
                        null, "orders.out.refused"),
                new JmsChannel("partner-queue", new JmsDestination("partner-broker", "orders.seq"), "PARTNER", "Orders", true,
                        "PARTNER_1", "DLQ.orders")),
                configuration.jmsChannels());
        assertEquals("ExactlyOnceInOrder", configuration.jmsChannels().get(1).qualityOfService());
    }

    @Test
    void aJmsChannelNeedsARouteAQueueIdForOrderAJmsUrlAndADeadLetterQueueOfItsOwn() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://localhost/"/>
                  <route sender="SHOP" interface="Orders"><to receiver="erp"/></route>
                  <jms-channel name="unrouted" url="jms://partner/orders" sender="SHOP" interface="Invoices"/>
                  <jms-channel name="unqueued" url="jms://partner/orders" sender="SHOP" interface="Orders"
                               quality-of-service="ExactlyOnceInOrder"/>
                  <jms-channel name="queued" url="jms://partner/orders" sender="SHOP" interface="Orders" queue-id="Q1"/>
                  <jms-channel name="circle" url="jms://partner/orders" sender="SHOP" interface="Orders" dead-letter-queue="orders"/>
                </courier>
                """,
                "test.xml:4: jms-channel \"unrouted\": no route for sender \"SHOP\" and interface \"Invoices\"",
                "test.xml:5: jms-channel \"unqueued\": quality-of-service \"ExactlyOnceInOrder\" needs queue-id (the queue its"
                        + " messages go into)",
                "test.xml:7: jms-channel \"queued\": queue-id applies only to quality-of-service=\"ExactlyOnceInOrder\"",
                "test.xml:8: jms-channel \"circle\": dead-letter-queue \"orders\" is the queue it takes messages from");
        // what the schema refuses, before the rules above are checked
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://localhost/"/>
                  <route sender="SHOP" interface="Orders"><to receiver="erp"/></route>
                  <jms-channel name="web" url="https://partner/orders" sender="SHOP" interface="Orders"/>
                  <jms-channel name="web" url="jms://partner/more" sender="SHOP" interface="Orders" dead-letter-queue="a b"/>
                </courier>
                """,
                "test.xml:4: jms-channel \"web\": url \"https://partner/orders\" is not jms://factory/queue",
                "test.xml:5: jms-channel \"web\": dead-letter-queue \"a b\" is not 1-200 characters of A-Z a-z 0-9 . _ - :",
                "test.xml:5: jms-channel \"web\": declared twice (first at line 4)");
    }

    @Test
    void anSftpChannelIsADirectoryWhoseFilesComeFromASenderAsAnInterface() {
        RoutingConfiguration configuration = RoutingConfiguration.parse(new ByteArrayInputStream("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://localhost/"/>
                  <route sender="SHOP" interface="Orders"><to receiver="erp"/></route>
                  <sftp-channel name="shop-orders" url="sftp://files.example.com:2222/out/orders" sender="SHOP" interface="Orders"/>
                  <sftp-channel name="shop-queue" url="sftp://files.example.com" sender="SHOP" interface="Orders"
                                quality-of-service="ExactlyOnceInOrder" queue-id="SHOP_ORDERS" order-by="modified"
                                poll-seconds="2" after="delete" timeout-seconds="5"/>
                </courier>
                """.getBytes(UTF_8)), "test.xml");

        assertEquals(List.of(
                new SftpChannel("shop-orders", URI.create("sftp://files.example.com:2222/out/orders"), "SHOP", "Orders", false, null,
                        SftpChannel.OrderBy.NAME, Duration.ofSeconds(10), true, Duration.ofSeconds(30)),
                new SftpChannel("shop-queue", URI.create("sftp://files.example.com"), "SHOP", "Orders", true, "SHOP_ORDERS",
                        SftpChannel.OrderBy.MODIFIED, Duration.ofSeconds(2), false, Duration.ofSeconds(5))),
                configuration.sftpChannels());
        assertEquals("ExactlyOnceInOrder", configuration.sftpChannels().get(1).qualityOfService());
    }

    @Test
    void anSftpChannelNeedsARouteAQueueIdForOrderAndAnSftpUrl() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://localhost/"/>
                  <route sender="SHOP" interface="Orders"><to receiver="erp"/></route>
                  <sftp-channel name="unrouted" url="sftp://files.example.com/out" sender="SHOP" interface="Invoices"/>
                  <sftp-channel name="unqueued" url="sftp://files.example.com/out" sender="SHOP" interface="Orders"
                                quality-of-service="ExactlyOnceInOrder"/>
                  <sftp-channel name="queued" url="sftp://files.example.com/out" sender="SHOP" interface="Orders" queue-id="Q1"/>
                  <sftp-channel name="web" url="https://files.example.com/out" sender="SHOP" interface="Orders"/>
                  <sftp-channel name="queued" url="sftp://files.example.com/in" sender="SHOP" interface="Orders"/>
                </courier>
                """,
                "test.xml:4: sftp-channel \"unrouted\": no route for sender \"SHOP\" and interface \"Invoices\"",
                "test.xml:5: sftp-channel \"unqueued\": quality-of-service \"ExactlyOnceInOrder\" needs queue-id (the queue its"
                        + " messages go into)",
                "test.xml:7: sftp-channel \"queued\": queue-id applies only to quality-of-service=\"ExactlyOnceInOrder\"",
                "test.xml:8: sftp-channel \"web\": url \"https://files.example.com/out\" is not sftp://host[:port][/directory]",
                "test.xml:9: sftp-channel \"queued\": declared twice (first at line 7)");
    }

    @Test
    void aSapRmChannelNeedsARouteAndAUniqueName() {
        assertErrors("""
                <courier xmlns="urn:courier:config:1">
                  <receiver name="erp" url="http://localhost/"/>
                  <route sender="ERP" interface="Orders"><to receiver="erp"/></route>
                  <sap-rm-channel name="orders" sender="ERP" interface="Orders"/>
                  <sap-rm-channel name="orders" sender="ERP" interface="Orders"/>
                  <sap-rm-channel name="invoices" sender="ERP" interface="Invoices"/>
                </courier>
                """,
                "test.xml:5: sap-rm-channel \"orders\": declared twice (first at line 4)",
                "test.xml:6: sap-rm-channel \"invoices\": no route for sender \"ERP\" and interface \"Invoices\"");
    }
}
