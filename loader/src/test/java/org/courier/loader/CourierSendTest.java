package org.courier.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.courier.loader.SoapSender.Message;
import org.courier.loader.SoapSender.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CourierSendTest {

    @TempDir
    Path dir;

    @Test
    void optionsNeedSenderInterfaceAndAQueueIdExactlyForInOrder() {
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"a.xml"}))
                .hasMessageContaining("--sender and --interface are required");
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"--sender", "S", "--interface", "I",
                "--qos", "ExactlyOnceInOrder", "a.xml"})).hasMessageContaining("--queue-id");
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"--sender", "S", "--interface", "I",
                "--qos", "BestEffort", "a.xml"})).hasMessageContaining("is not ExactlyOnce or ExactlyOnceInOrder");
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"--sender", "S", "--interface", "I",
                "--threads", "0", "a.xml"})).hasMessageContaining("--threads 0 is not a whole number from 1 to 256");

        CourierSend.Options options = CourierSend.Options.parse(new String[] {"--sender", "ERP", "--interface", "Orders",
                "--qos", "ExactlyOnceInOrder", "--queue-id", "Q1", "--url", "http://courier:8080/courier/CourierService", "dir"});
        assertThat(options.inOrder()).isTrue();
        assertThat(options.queueId()).isEqualTo("Q1");
        assertThat(options.url().getHost()).isEqualTo("courier");
        assertThat(options.paths()).containsExactly(Path.of("dir"));
    }

    @Test
    void theUserOptionGivesBasicCredentialsAndTheServersRefusalsAreNotRetried() {
        CourierSend.Options options = CourierSend.Options.parse(new String[] {"--user", "erp:pa:ss", "--sender", "ERP",
                "--interface", "Orders", "dir"});
        assertThat(options.credentials().user()).isEqualTo("erp");
        assertThat(options.credentials().password()).isEqualTo("pa:ss");
        assertThat(options.credentials().authorization()).isEqualTo("Basic ZXJwOnBhOnNz");
        assertThat(options.credentials().toString()).doesNotContain("pa:ss");
        assertThat(CourierSend.Options.parse(new String[] {"--sender", "S", "--interface", "I", "a.xml"}).credentials())
                .isNull();
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"--user", ":pw", "--sender", "S",
                "--interface", "I", "a.xml"})).hasMessageContaining("--user needs a user name");

        Outcome unauthorized = SoapSender.parse(401, "");
        assertThat(unauthorized.worthRetrying()).isFalse();
        assertThat(unauthorized.detail()).contains("--user");
        assertThat(SoapSender.parse(403, "").worthRetrying()).isFalse();
    }

    @Test
    void aDirectoryIsItsXmlFilesByNameAndTheFileNameIsTheMessageId() throws Exception {
        Files.writeString(dir.resolve("order-2.xml"), "<a/>");
        Files.writeString(dir.resolve("order-1.xml"), "<a/>");
        Files.writeString(dir.resolve("notes.txt"), "not sent");

        List<Path> files = CourierSend.files(List.of(dir));

        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("order-1.xml", "order-2.xml");
        assertThat(CourierSend.messageId(files.get(0))).isEqualTo("order-1");
    }

    @Test
    void aFileNameThatIsNoMessageIdIsRefusedBeforeAnythingIsSent() throws Exception {
        Files.writeString(dir.resolve("my order.xml"), "<a/>");

        assertThatThrownBy(() -> CourierSend.files(List.of(dir))).hasMessageContaining("my order.xml is not a message id");
        assertThatThrownBy(() -> CourierSend.files(List.of(dir.resolve("missing.xml")))).hasMessageContaining("no such file");
    }

    @Test
    void aUsageErrorExitsWith2AndSaysWhatIsWrong() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CourierSend.run(new String[] {"--sender", "S"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--sender and --interface are required").contains("Usage:");
    }

    @Test
    void theEnvelopeEscapesFieldsAndCarriesThePayloadWithoutItsDeclaration() {
        String envelope = SoapSender.envelope(new Message("ERP", "A&B", "id<1>", "ExactlyOnceInOrder", "Q1",
                "<?xml version=\"1.0\"?>\n<order><id>1</id></order>"));

        assertThat(envelope).contains("<c:interface>A&amp;B</c:interface>").contains("<c:messageId>id&lt;1&gt;</c:messageId>")
                .contains("<c:queueId>Q1</c:queueId>").contains("<c:payload><order><id>1</id></order></c:payload>")
                .doesNotContain("<?xml");
    }

    @Test
    void answersAreReadAsAcknowledgementFaultOrNoAnswer() {
        String ns = "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:c=\"" + SoapSender.NAMESPACE + "\"";
        Outcome duplicate = SoapSender.parse(200, "<soap:Envelope " + ns + "><soap:Body><c:acknowledgement>"
                + "<c:result>DUPLICATE</c:result><c:sequence>7</c:sequence></c:acknowledgement></soap:Body></soap:Envelope>");
        Outcome fault = SoapSender.parse(500, "<soap:Envelope " + ns + "><soap:Body><soap:Fault><faultcode>soap:Client</faultcode>"
                + "<faultstring>x</faultstring><detail><c:courierFault><c:code>TEMPORARILY_UNAVAILABLE</c:code>"
                + "<c:retryable>true</c:retryable><c:reason>try again</c:reason></c:courierFault></detail></soap:Fault>"
                + "</soap:Body></soap:Envelope>");
        Outcome html = SoapSender.parse(502, "<html><body>Bad gateway</body></html>");
        Outcome garbage = SoapSender.parse(503, "Service Unavailable");

        assertThat(duplicate.kind()).isEqualTo(Outcome.Kind.DUPLICATE);
        assertThat(duplicate.sequence()).isEqualTo(7L);
        assertThat(duplicate.acknowledged()).isTrue();
        assertThat(fault.kind()).isEqualTo(Outcome.Kind.FAULT);
        assertThat(fault.faultCode()).isEqualTo("TEMPORARILY_UNAVAILABLE");
        assertThat(fault.worthRetrying()).isTrue();
        assertThat(html.kind()).isEqualTo(Outcome.Kind.NO_ANSWER);
        assertThat(garbage.kind()).isEqualTo(Outcome.Kind.NO_ANSWER);
        assertThat(garbage.worthRetrying()).isTrue();
    }

    @Test
    void theSummaryListsWhatWasNotAcknowledgedAndSetsTheExitCode() {
        CourierSend.Summary summary = new CourierSend.Summary(3);
        summary.add(Path.of("a.xml"), Outcome.accepted(null));
        summary.add(Path.of("b.xml"), Outcome.duplicate(null));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        assertThat(summary.print(new PrintStream(all))).isZero();

        summary.add(Path.of("c.xml"), Outcome.fault("INVALID_REQUEST", false, "payload is not XML"));
        ByteArrayOutputStream some = new ByteArrayOutputStream();
        assertThat(summary.print(new PrintStream(some))).isEqualTo(1);
        assertThat(some.toString()).contains("3 files: 1 accepted, 1 duplicates (accepted before), 1 faults")
                .contains("c.xml: INVALID_REQUEST: payload is not XML");
    }

    @Test
    void progressOutsideATerminalIsPlainLinesWithoutCarriageReturns() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CourierSend.Progress progress = new CourierSend.Progress(3, new PrintStream(err, true), false);
        CourierSend.Summary summary = new CourierSend.Summary(3);
        summary.add(Path.of("a.xml"), Outcome.accepted(null));
        progress.update(summary);
        summary.add(Path.of("b.xml"), Outcome.duplicate(null));
        summary.add(Path.of("c.xml"), Outcome.fault("INVALID_REQUEST", false, "no"));

        progress.done(summary);

        String output = err.toString();
        assertThat(output).doesNotContain("\r").endsWith(System.lineSeparator());
        assertThat(output.lines().reduce((first, last) -> last).orElseThrow())
                .contains("3/3").contains("accepted 1  duplicate 1  fault 1  no answer 0");
    }

    @Test
    void theUsageIsPicocliTextOfEveryOption() {
        String usage = CourierSend.Options.usage();

        assertThat(usage).startsWith("Usage: java -jar courier-loader.jar --sender S --interface I")
                .contains("--queue-id=Q").contains("--generate=N").contains("--id-prefix=P").contains("FILE|DIR");
        assertThat(CourierSend.Options.parse(new String[] {"--sender=S", "--interface=I", "--", "-odd.xml"}).paths())
                .containsExactly(Path.of("-odd.xml"));
        assertThatThrownBy(() -> CourierSend.Options.parse(new String[] {"--sender", "S", "--interface", "I", "--bogus"}))
                .hasMessageContaining("--bogus");
    }
}
