package org.courier.it.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * An SAP system's IDoc inbound over HTTP, as SAP documents it, for the tests: written from SAP's
 * rules, not from Courier's code.
 * <ul>
 *   <li>{@code POST /sap/bc/srt/idoc} (IDoc over SOAP): a SOAP 1.1 envelope whose body holds one
 *       IDoc, its root element in namespace {@code urn:sap-com:document:sap:idoc:soap:messages};
 *       the message id in the control record's {@code ARCKEY}, prefixed {@code urn:sap.com:msgid=}.
 *       Violations are answered as SAP's message EA728 names them (HTTP 500, a SOAP fault):
 *       {@code MULTIPLE_IDOCS_NOT_ALLOWED}, {@code SOAP_MSGID_INITIAL}, {@code SOAP_MSGID_PREFIX_INVALID}.</li>
 *   <li>{@code POST /invoke/pub.sap.transport.ALE/InboundProcess} (the SAP Business Connector):
 *       plain IDoc-XML, the transaction id in the header {@code X-TID}, 24 hexadecimal characters.</li>
 * </ul>
 * Either way an IDoc whose id was posted before is not posted again and the request is answered
 * 200, as SAP's exactly-once inbound does. {@link #storeThenFail(int)} makes the next requests post
 * their IDoc and then answer 500 (the answer lost on its way back), {@link #down(boolean)} answers
 * 503 without posting.
 */
public final class SapIdocInbound implements AutoCloseable {

    public static final String SOAP_PATH = "/sap/bc/srt/idoc";
    public static final String BC_PATH = "/invoke/pub.sap.transport.ALE/InboundProcess";
    private static final String SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String IDOC_SOAP = "urn:sap-com:document:sap:idoc:soap:messages";
    private static final String PREFIX = "urn:sap.com:msgid=";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "sap-idoc-inbound");
        thread.setDaemon(true);
        return thread;
    });
    /** The IDocs posted, by their id (ARCKEY without its prefix, or X-TID): SAP's IDoc number for each. */
    private final Map<String, Long> posted = new ConcurrentHashMap<>();
    private final AtomicLong numbers = new AtomicLong(1000);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong storeThenFail = new AtomicLong();
    private volatile boolean down;
    private volatile Duration delay = Duration.ZERO;

    /**
     * One request: its path, the id it carried (null if none), the IDoc's order number (BELNR),
     * SAP's status answer (0: none, the peer was stopping).
     */
    public record Request(String path, String id, String archiveKey, String tidHeader, String orderNumber, int status) {
    }

    private SapIdocInbound(HttpServer server) {
        this.server = server;
    }

    public static SapIdocInbound start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            SapIdocInbound sap = new SapIdocInbound(server);
            server.createContext(SOAP_PATH, exchange -> sap.handle(exchange, true));
            server.createContext(BC_PATH, exchange -> sap.handle(exchange, false));
            server.setExecutor(sap.threads);
            server.start();
            return sap;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
    }

    /** An ORDERS05 IDoc in IDoc-XML, its order number (BELNR) the one given, as a sender would send it. */
    public static String idoc(String orderNumber) {
        return "<ORDERS05><IDOC BEGIN=\"1\"><EDI_DC40 SEGMENT=\"1\"><TABNAM>EDI_DC40</TABNAM><DIRECT>2</DIRECT>"
                + "<IDOCTYP>ORDERS05</IDOCTYP><MESTYP>ORDERS</MESTYP><SNDPOR>COURIER</SNDPOR><SNDPRT>LS</SNDPRT>"
                + "<SNDPRN>COURIER</SNDPRN><RCVPOR>SAPQ01</RCVPOR><RCVPRT>LS</RCVPRT><RCVPRN>Q01CLNT100</RCVPRN></EDI_DC40>"
                + "<E1EDK01 SEGMENT=\"1\"><BELNR>" + orderNumber + "</BELNR></E1EDK01></IDOC></ORDERS05>";
    }

    /** The next {@code requests} requests post their IDoc, then answer 500. */
    public void storeThenFail(int requests) {
        storeThenFail.set(requests);
    }

    /** How long SAP takes between posting an IDoc and answering. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    /** Whether every request is answered 503, nothing posted. */
    public void down(boolean down) {
        this.down = down;
    }

    /** How many IDocs were posted under this id: 0 or 1, never more. */
    public boolean posted(String id) {
        return posted.containsKey(id);
    }

    public int postedCount() {
        return posted.size();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests whose IDoc carried this order number. */
    public List<Request> requestsFor(String orderNumber) {
        List<Request> found = new ArrayList<>();
        for (Request request : requests) {
            if (orderNumber.equals(request.orderNumber())) {
                found.add(request);
            }
        }
        return found;
    }

    private void handle(HttpExchange exchange, boolean soap) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            String tidHeader = exchange.getRequestHeaders().getFirst("X-TID");
            Element idoc;
            try {
                idoc = soap ? soapIdoc(body) : parse(body).getDocumentElement();
            } catch (Refusal refusal) {
                record(exchange, null, null, tidHeader, null, 500);
                answer(exchange, 500, fault(refusal.getMessage()));
                return;
            }
            String archiveKey = text(controlRecord(idoc), "ARCKEY");
            String orderNumber = text(idoc, "BELNR");
            if (down) {
                record(exchange, null, archiveKey, tidHeader, orderNumber, 503);
                answer(exchange, 503, "<html><body>Service unavailable</body></html>");
                return;
            }
            String id;
            if (soap) {
                if (archiveKey == null || archiveKey.isEmpty()) {
                    refuse(exchange, archiveKey, tidHeader, orderNumber, "EA728 IDoc SOAP Namespace - Violation SOAP_MSGID_INITIAL");
                    return;
                }
                if (!archiveKey.startsWith(PREFIX)) {
                    refuse(exchange, archiveKey, tidHeader, orderNumber, "EA728 IDoc SOAP Namespace - Violation SOAP_MSGID_PREFIX_INVALID");
                    return;
                }
                id = archiveKey.substring(PREFIX.length());
            } else {
                if (tidHeader == null || !tidHeader.matches("[0-9A-Fa-f]{24}")) {
                    record(exchange, null, archiveKey, tidHeader, orderNumber, 400);
                    answer(exchange, 400, "<html><body>X-TID must be 24 hexadecimal characters</body></html>");
                    return;
                }
                id = tidHeader;
            }
            posted.computeIfAbsent(id, any -> numbers.incrementAndGet());
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                    record(exchange, id, archiveKey, tidHeader, orderNumber, 0);
                    return;
                }
            }
            int status = storeThenFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
            record(exchange, id, archiveKey, tidHeader, orderNumber, status);
            answer(exchange, status, status == 200 ? "<html><head><title>IDoc-XML-inbound ok</title></head></html>"
                    : fault("internal error after the IDoc was stored"));
        }
    }

    private void refuse(HttpExchange exchange, String archiveKey, String tidHeader, String orderNumber, String why) throws IOException {
        record(exchange, null, archiveKey, tidHeader, orderNumber, 500);
        answer(exchange, 500, fault(why));
    }

    private void record(HttpExchange exchange, String id, String archiveKey, String tidHeader, String orderNumber, int status) {
        requests.add(new Request(exchange.getRequestURI().getPath(), id, archiveKey, tidHeader, orderNumber, status));
    }

    /** The one IDoc in the SOAP body, in SAP's IDoc SOAP namespace. */
    private static Element soapIdoc(String body) throws Refusal {
        Document envelope = parse(body);
        Element root = envelope.getDocumentElement();
        if (!SOAP_11.equals(root.getNamespaceURI()) || !"Envelope".equals(root.getLocalName())) {
            throw new Refusal("not a SOAP 1.1 envelope");
        }
        Element soapBody = child(root, "Body");
        List<Element> idocs = soapBody == null ? List.of() : children(soapBody);
        if (idocs.size() != 1 || !IDOC_SOAP.equals(idocs.get(0).getNamespaceURI())) {
            throw new Refusal("EA728 IDoc SOAP Namespace - Violation " + (idocs.size() > 1 ? "MULTIPLE_IDOCS_NOT_ALLOWED"
                    : "the body's element is not in namespace " + IDOC_SOAP));
        }
        List<Element> inner = children(idocs.get(0));
        if (inner.size() != 1 || !"IDOC".equals(inner.get(0).getLocalName())) {
            throw new Refusal("EA728 IDoc SOAP Namespace - Violation MULTIPLE_IDOCS_NOT_ALLOWED");
        }
        return idocs.get(0);
    }

    private static Element controlRecord(Element idocRoot) {
        Element idoc = child(idocRoot, "IDOC");
        return idoc == null ? null : child(idoc, "EDI_DC40");
    }

    private static String text(Element parent, String localName) {
        if (parent == null) {
            return null;
        }
        var found = parent.getElementsByTagNameNS("*", localName);
        return found.getLength() == 0 ? null : found.item(0).getTextContent().strip();
    }

    private static Element child(Element parent, String localName) {
        for (Element child : children(parent)) {
            if (localName.equals(child.getLocalName())) {
                return child;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                found.add(element);
            }
        }
        return found;
    }

    private static Document parse(String xml) throws Refusal {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new Refusal("XML syntax error: " + e.getMessage());
        }
    }

    private static String fault(String text) {
        return "<soap-env:Envelope xmlns:soap-env=\"" + SOAP_11 + "\"><soap-env:Body><soap-env:Fault>"
                + "<faultcode>soap-env:Server</faultcode><faultstring>" + text + "</faultstring>"
                + "</soap-env:Fault></soap-env:Body></soap-env:Envelope>";
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static final class Refusal extends Exception {
        Refusal(String message) {
            super(message);
        }
    }
}
