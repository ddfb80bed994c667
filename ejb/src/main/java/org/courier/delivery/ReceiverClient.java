package org.courier.delivery;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.courier.content.XmlPayload;
import org.courier.message.Delivery;
import org.courier.message.ReceivedMessage;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.ReceiverProtocol;

/**
 * POSTs a message's payload to a receiver over HTTP: as the body, or framed for SAP RM or XI 3.0
 * receivers ({@link SapFraming}) or SAP's IDoc inbound ({@link IdocFraming}); or writes it as a file
 * to an SFTP receiver ({@link SftpDeliveries}); or sends it to a JMS receiver's queue
 * ({@link JmsDeliveries}). The receiver gets the sender's message id, sender and interface in
 * headers, so an idempotent receiver can recognise a redelivery; for Exactly Once In Order also the
 * queue id and the message's sequence number; and
 * {@code Courier-Possible-Duplicate: true} when an earlier attempt is in doubt. Every request carries
 * the receiver's credentials, if its configuration names any ({@link ReceiverAuthentication}).
 *
 * <p>Asks a non-idempotent receiver's status URL whether it got a message: a GET with the
 * same headers, answered 200 or 204 (got it), 404 (did not) or anything else (cannot tell).
 *
 * <p>A request that certainly did not reach the receiver (no connection, a failed TLS handshake,
 * an unknown host, a proxy that refused the tunnel) is a plain failure, or refused for good if
 * only an operator can mend its TLS handshake ({@link TlsFailure}); only a request that went out
 * without an answer is unanswered, in doubt for a receiver that is not idempotent. Which
 * connections carry which requests, so that a connection the receiver closed never makes a false
 * doubt: {@link ReceiverConnections}.
 */
@ApplicationScoped
public class ReceiverClient {

    public static final String MESSAGE_ID_HEADER = "Courier-Message-Id";
    /** The sender's message id, when {@link #MESSAGE_ID_HEADER} carries an id mapped for the receiver. */
    public static final String SOURCE_MESSAGE_ID_HEADER = "Courier-Source-Message-Id";
    /** Which part of the message a delivery is: a multicast branch, a split item, or both. */
    public static final String PART_HEADER = "Courier-Part";
    public static final String SENDER_HEADER = "Courier-Sender";
    public static final String INTERFACE_HEADER = "Courier-Interface";
    public static final String QUEUE_ID_HEADER = "Courier-Queue-Id";
    public static final String SEQUENCE_HEADER = "Courier-Sequence";
    public static final String POSSIBLE_DUPLICATE_HEADER = "Courier-Possible-Duplicate";

    private static final int MAX_BODY_IN_ERROR = 200;
    /** What is read of an error answer's body for the error text; the rest is discarded. */
    private static final int MAX_ERROR_BODY_READ = 4096;

    private final ReceiverConnections connections;
    private final SftpDeliveries sftp;
    private final JmsDeliveries jms = new JmsDeliveries();

    /** Receivers that ask for no credentials and no TLS settings of their own only (tests; CDI's proxy). */
    public ReceiverClient() {
        this(ReceiverIdentities.NONE);
    }

    @Inject
    public ReceiverClient(ReceiverIdentities identities) {
        this(identities, Clock.systemUTC());
    }

    /** With the clock that OAuth 2.0 tokens expire by (tests move it). */
    ReceiverClient(ReceiverIdentities identities, Clock clock) {
        this.connections = new ReceiverConnections(identities, clock);
        this.sftp = new SftpDeliveries(identities);
    }

    /** The receiver's status and, for an error status, the start of its body. */
    private record Answer(int status, String errorBody) {
    }

    ReceiverResponse post(ReceiverEndpoint receiver, Delivery delivery, boolean possibleDuplicate) {
        if (receiver.protocol() == ReceiverProtocol.SFTP) {
            return sftp.deliver(receiver, delivery);
        }
        if (receiver.protocol() == ReceiverProtocol.JMS) {
            return jms.deliver(receiver, delivery);
        }
        URI url = receiver.protocol() == ReceiverProtocol.SAP_RM ? SapFraming.sapRmUrl(receiver.url(), delivery) : receiver.url();
        String body;
        try {
            body = switch (receiver.protocol()) {
                case PLAIN -> delivery.payloadForReceiver();
                case SAP_RM -> SapFraming.soapEnvelope(delivery.payloadForReceiver());
                case XI -> SapFraming.xiEnvelope(delivery);
                case IDOC -> IdocFraming.body(delivery, true);
                case IDOC_XML -> IdocFraming.body(delivery, false);
                case SFTP, JMS -> throw new IllegalStateException(receiver.protocol().configName() + " receivers are not posted to");
            };
        } catch (XmlPayload.UnreadablePayload notAnIdoc) {
            // accepted for a receiver that took other payloads then (the configuration was reloaded since)
            return ReceiverResponse.refused(receiver.name() + " takes IDocs, and this payload is not one: " + notAnIdoc.getMessage());
        }
        HttpPost request = new HttpPost(url);
        identify(request, receiver, delivery);
        ContentType type = switch (receiver.protocol()) {
            case PLAIN -> XML;
            case IDOC_XML -> IdocFraming.IDOC_XML;
            default -> SOAP_XML;
        };
        if (type == SOAP_XML) {
            request.setHeader("SOAPAction", "\"http://sap.com/xi/WebService/soap1.1\"");
        }
        if (receiver.protocol() == ReceiverProtocol.IDOC_XML) {
            request.setHeader(IdocFraming.TID_HEADER, delivery.messageIdForReceiver());
        }
        if (possibleDuplicate) {
            request.setHeader(POSSIBLE_DUPLICATE_HEADER, "true");
        }
        request.setEntity(new StringEntity(body, type));
        ReceiverAuthentication authentication = connections.authentication(receiver);
        HttpClientContext context = HttpClientContext.create();
        try {
            Answer answer = authentication.send(request, context, response -> new Answer(response.getCode(),
                    response.getCode() / 100 == 2 ? null : start(response.getEntity())));
            if (answer.status() / 100 == 2) {
                return ReceiverResponse.delivered();
            }
            ReceiverResponse sap = receiver.protocol().carriesIdocs() ? IdocFraming.answer(answer.status(), answer.errorBody(), url) : null;
            if (sap != null) {
                return sap;
            }
            if (beforeTunnel(receiver, url, context)) {
                return ReceiverResponse.failed(tunnelRefusal(receiver, url, answer.status(), answer.errorBody()));
            }
            if (answer.status() == HttpStatus.SC_PROXY_AUTHENTICATION_REQUIRED && receiver.connection().proxy() != null) {
                return ReceiverResponse.failed("proxy " + receiver.connection().proxy() + " answered " + statusLine(answer.status())
                        + " for " + url + bodyHint(answer.errorBody()));
            }
            String error = answer.status() == HttpStatus.SC_UNAUTHORIZED ? authentication.refusal(receiver.url(), answer.errorBody())
                    : "HTTP " + answer.status() + " from " + receiver.url() + bodyHint(answer.errorBody());
            return ReceiverResponse.isPermanent(answer.status()) ? ReceiverResponse.refused(error) : ReceiverResponse.failed(error);
        } catch (IOException e) {
            TlsFailure tls = TlsFailure.of(e);
            if (tls != null && tls.permanent()) {
                return ReceiverResponse.refused(tls.text(receiver.url()));
            }
            String why = why(receiver, e, context);
            return notSent(e, url, context) ? ReceiverResponse.failed(why) : ReceiverResponse.unanswered(why);
        } catch (NoToken e) {
            return ReceiverResponse.failed(e.getMessage());
        }
    }

    /**
     * A synchronous call (Best Effort): POSTs the payload with the same headers as a delivery
     * ({@code messageId} may be {@code null}: a call without an id) and returns the receiver's
     * answer, whatever its status, or why there is none.
     */
    public CallReply call(ReceiverEndpoint receiver, String sender, String interfaceName, String messageId, String payload,
                          boolean possibleDuplicate) {
        HttpPost request = new HttpPost(receiver.url());
        configure(request, receiver);
        request.setHeader(SENDER_HEADER, sender);
        request.setHeader(INTERFACE_HEADER, interfaceName);
        if (messageId != null) {
            request.setHeader(MESSAGE_ID_HEADER, messageId);
        }
        if (possibleDuplicate) {
            request.setHeader(POSSIBLE_DUPLICATE_HEADER, "true");
        }
        request.setEntity(new StringEntity(payload, XML));
        HttpClientContext context = HttpClientContext.create();
        try {
            CallReply reply = connections.authentication(receiver).send(request, context, response -> {
                Header contentType = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
                HttpEntity entity = response.getEntity();
                return CallReply.answered(response.getCode(), contentType == null ? null : contentType.getValue(),
                        entity == null ? "" : EntityUtils.toString(entity, StandardCharsets.UTF_8));
            });
            return reply.succeeded() || !beforeTunnel(receiver, receiver.url(), context) ? reply
                    : CallReply.unreachable(tunnelRefusal(receiver, receiver.url(), reply.status(), reply.body()));
        } catch (IOException e) {
            String why = why(receiver, e, context);
            return notSent(e, receiver.url(), context) ? CallReply.unreachable(why) : CallReply.unanswered(why);
        } catch (NoToken e) {
            return CallReply.unreachable(e.getMessage());
        }
    }

    /** The start of a receiver's error body, in one line, for a fault or log line ("" if none). */
    public static String bodyHintOf(String body) {
        return bodyHint(body);
    }

    /** Asks the receiver's status URL whether it got the message. */
    StatusAnswer askStatus(ReceiverEndpoint receiver, URI statusUrl, Delivery delivery) {
        HttpGet request = new HttpGet(statusUrl);
        identify(request, receiver, delivery);
        try {
            HttpClientContext context = HttpClientContext.create();
            Answer answer = connections.authentication(receiver).send(request, context,
                    response -> new Answer(response.getCode(), start(response.getEntity())));
            int status = answer.status();
            if (status / 100 != 2 && beforeTunnel(receiver, statusUrl, context)) {
                return StatusAnswer.unknown("status URL " + statusUrl + ": "
                        + tunnelRefusal(receiver, statusUrl, status, answer.errorBody()));
            }
            if (status == 200 || status == 204) {
                return StatusAnswer.received("status URL " + statusUrl + " answered " + status);
            }
            if (status == 404) {
                return StatusAnswer.notReceived("status URL " + statusUrl + " answered 404");
            }
            return StatusAnswer.unknown("status URL " + statusUrl + " answered HTTP " + status + bodyHint(answer.errorBody()));
        } catch (IOException e) {
            return StatusAnswer.unknown("status URL " + statusUrl + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (NoToken e) {
            return StatusAnswer.unknown(e.getMessage());
        }
    }

    @PreDestroy
    void closeConnections() {
        connections.close();
        sftp.close();
    }

    private static void identify(HttpUriRequestBase request, ReceiverEndpoint receiver, Delivery delivery) {
        configure(request, receiver);
        identify(delivery, request::setHeader);
    }

    /** What a receiver is told of a delivery, as {@code Courier-*} headers (names and values) to {@code header}. */
    static void identify(Delivery delivery, BiConsumer<String, String> header) {
        ReceivedMessage message = delivery.message();
        header.accept(MESSAGE_ID_HEADER, delivery.messageIdForReceiver());
        header.accept(SENDER_HEADER, message.sender());
        header.accept(INTERFACE_HEADER, message.interfaceName());
        if (delivery.carriesMappedId()) {
            header.accept(SOURCE_MESSAGE_ID_HEADER, message.messageId());
        }
        if (!delivery.part().isEmpty()) {
            header.accept(PART_HEADER, delivery.part());
        }
        if (delivery.isInOrder()) {
            header.accept(QUEUE_ID_HEADER, message.queueId());
            header.accept(SEQUENCE_HEADER, String.valueOf(delivery.sequenceNo()));
        }
    }

    /** The receiver's timeout for the answer; a connection of its own for a receiver that is not idempotent. */
    private static void configure(HttpUriRequestBase request, ReceiverEndpoint receiver) {
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(receiver.timeout()))
                .setConnectionRequestTimeout(Timeout.of(receiver.timeout()))
                .build());
        if (ReceiverConnections.connectionPerRequest(receiver)) {
            request.setHeader(HttpHeaders.CONNECTION, "close");
        }
    }

    /** Whether the request to {@code url} certainly did not reach the receiver: it failed before anything was sent. */
    private static boolean notSent(IOException e, URI url, HttpClientContext context) {
        return e instanceof ConnectTimeoutException || e instanceof ConnectException || e instanceof UnknownHostException
                || TlsFailure.of(e) != null || beforeTls(url, context)
                || e instanceof ConnectionRequestTimeoutException;
    }

    /**
     * Whether the exchange for an https URL ended before a TLS session with the receiver existed:
     * nothing of the request can have gone out (HttpClient records the session before it sends).
     */
    private static boolean beforeTls(URI url, HttpClientContext context) {
        return "https".equalsIgnoreCase(url.getScheme()) && context.getSSLSession() == null;
    }

    /**
     * Whether an exchange for an https URL through the receiver's proxy ended before the tunnel to
     * the receiver was open: an answer then is the proxy's refusal to open it (HttpClient hands its
     * answer to CONNECT on as the answer).
     */
    private static boolean beforeTunnel(ReceiverEndpoint receiver, URI url, HttpClientContext context) {
        return receiver.connection().proxy() != null && beforeTls(url, context);
    }

    private static String tunnelRefusal(ReceiverEndpoint receiver, URI url, int status, String body) {
        return "proxy " + receiver.connection().proxy() + " answered CONNECT with " + statusLine(status) + " for " + url
                + bodyHint(body);
    }

    private static String statusLine(int status) {
        return status + " " + EnglishReasonPhraseCatalog.INSTANCE.getReason(status, Locale.ENGLISH);
    }

    private static String why(ReceiverEndpoint receiver, IOException e, HttpClientContext context) {
        URI proxy = receiver.connection().proxy();
        // through a proxy, every connection Courier opens is to the proxy
        String peer = proxy == null ? receiver.url().toString() : "proxy " + proxy + " (for " + receiver.url() + ")";
        TlsFailure tls = TlsFailure.of(e);
        if (tls != null) {
            return tls.text(receiver.url());
        }
        if (e instanceof ConnectTimeoutException) {
            return "no connection to " + peer + " within " + ReceiverConnections.connectTimeout(receiver).toSeconds() + " s";
        }
        if (e instanceof ConnectException) {
            return "connection refused by " + peer;
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + (proxy == null ? receiver.url() : proxy).getHost() + " of " + peer;
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer from " + (beforeTunnel(receiver, receiver.url(), context) ? peer : receiver.url()) + " within "
                    + receiver.timeout().toSeconds() + " s";
        }
        if (e instanceof ConnectionRequestTimeoutException) {
            return "no free connection to " + receiver.url() + " within " + receiver.timeout().toSeconds() + " s";
        }
        return e.getClass().getSimpleName() + " talking to " + peer + ": " + e.getMessage();
    }

    /** The first {@value #MAX_ERROR_BODY_READ} characters of a body, or null. */
    private static String start(HttpEntity entity) throws IOException, ParseException {
        return entity == null ? null : EntityUtils.toString(entity, MAX_ERROR_BODY_READ);
    }

    private static String bodyHint(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() <= MAX_BODY_IN_ERROR ? oneLine : oneLine.substring(0, MAX_BODY_IN_ERROR) + "…");
    }

    private static final ContentType XML = ContentType.create("application/xml", StandardCharsets.UTF_8);
    private static final ContentType SOAP_XML = ContentType.create("text/xml", StandardCharsets.UTF_8);
}
