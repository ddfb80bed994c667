package org.courier.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLHandshakeException;
import org.courier.message.Delivery;
import org.courier.message.ReceivedMessage;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.ReceiverProtocol;

/**
 * POSTs a message's payload to a receiver over HTTP: as the body, or framed for SAP RM or XI 3.0
 * receivers ({@link SapFraming}). The receiver gets the sender's message
 * id, sender and interface in headers, so an idempotent receiver can recognise a redelivery;
 * for Exactly Once In Order also the queue id and the message's sequence number; and
 * {@code Courier-Possible-Duplicate: true} when an earlier attempt is in doubt.
 *
 * <p>Asks a non-idempotent receiver's status URL whether it got a message: a GET with the
 * same headers, answered 200 or 204 (got it), 404 (did not) or anything else (cannot tell).
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

    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_BODY_IN_ERROR = 200;

    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    ReceiverResponse post(ReceiverEndpoint receiver, Delivery delivery, boolean possibleDuplicate) {
        URI url = receiver.protocol() == ReceiverProtocol.SAP_RM ? SapFraming.sapRmUrl(receiver.url(), delivery) : receiver.url();
        String body = switch (receiver.protocol()) {
            case PLAIN -> delivery.payloadForReceiver();
            case SAP_RM -> SapFraming.soapEnvelope(delivery.payloadForReceiver());
            case XI -> SapFraming.xiEnvelope(delivery);
        };
        HttpRequest.Builder builder = request(url, receiver, delivery)
                .header("Content-Type", receiver.protocol() == ReceiverProtocol.PLAIN ? "application/xml; charset=utf-8"
                        : "text/xml; charset=utf-8");
        if (receiver.protocol() != ReceiverProtocol.PLAIN) {
            builder.header("SOAPAction", "\"http://sap.com/xi/WebService/soap1.1\"");
        }
        if (possibleDuplicate) {
            builder.header(POSSIBLE_DUPLICATE_HEADER, "true");
        }
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> response = clientFor(receiver).send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 2) {
                return ReceiverResponse.delivered();
            }
            String error = "HTTP " + status + " from " + receiver.url() + bodyHint(response.body());
            return ReceiverResponse.isPermanent(status) ? ReceiverResponse.refused(error) : ReceiverResponse.failed(error);
        } catch (HttpConnectTimeoutException e) {
            return ReceiverResponse.failed("no connection to " + receiver.url() + " within " + connectTimeout(receiver).toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            return ReceiverResponse.unanswered("no answer from " + receiver.url() + " within " + receiver.timeout().toSeconds() + " s");
        } catch (ConnectException e) {
            return ReceiverResponse.failed("connection refused by " + receiver.url());
        } catch (SSLHandshakeException e) {
            return ReceiverResponse.failed("TLS handshake with " + receiver.url() + " failed: " + e.getMessage());
        } catch (IOException e) {
            return ReceiverResponse.unanswered(e.getClass().getSimpleName() + " talking to " + receiver.url() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ReceiverResponse.unanswered("interrupted while talking to " + receiver.url());
        }
    }

    /**
     * A synchronous call (Best Effort): POSTs the payload with the same headers as a delivery
     * ({@code messageId} may be {@code null}: a call without an id) and returns the receiver's
     * answer, whatever its status, or why there is none.
     */
    public CallReply call(ReceiverEndpoint receiver, String sender, String interfaceName, String messageId, String payload,
                          boolean possibleDuplicate) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(receiver.url())
                .timeout(receiver.timeout())
                .header("Content-Type", "application/xml; charset=utf-8")
                .header(SENDER_HEADER, sender)
                .header(INTERFACE_HEADER, interfaceName);
        if (messageId != null) {
            builder.header(MESSAGE_ID_HEADER, messageId);
        }
        if (possibleDuplicate) {
            builder.header(POSSIBLE_DUPLICATE_HEADER, "true");
        }
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> response = clientFor(receiver).send(request, HttpResponse.BodyHandlers.ofString());
            return CallReply.answered(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        } catch (HttpConnectTimeoutException e) {
            return CallReply.unreachable("no connection to " + receiver.url() + " within " + connectTimeout(receiver).toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            return CallReply.unanswered("no answer from " + receiver.url() + " within " + receiver.timeout().toSeconds() + " s");
        } catch (ConnectException e) {
            return CallReply.unreachable("connection refused by " + receiver.url());
        } catch (SSLHandshakeException e) {
            return CallReply.unreachable("TLS handshake with " + receiver.url() + " failed: " + e.getMessage());
        } catch (IOException e) {
            return CallReply.unanswered(e.getClass().getSimpleName() + " talking to " + receiver.url() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CallReply.unanswered("interrupted while talking to " + receiver.url());
        }
    }

    /** The start of a receiver's error body, in one line, for a fault or log line ("" if none). */
    public static String bodyHintOf(String body) {
        return bodyHint(body);
    }

    /** Asks the receiver's status URL whether it got the message. */
    StatusAnswer askStatus(ReceiverEndpoint receiver, URI statusUrl, Delivery delivery) {
        HttpRequest request = request(statusUrl, receiver, delivery).GET().build();
        try {
            HttpResponse<String> response = clientFor(receiver).send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200 || status == 204) {
                return StatusAnswer.received("status URL " + statusUrl + " answered " + status);
            }
            if (status == 404) {
                return StatusAnswer.notReceived("status URL " + statusUrl + " answered 404");
            }
            return StatusAnswer.unknown("status URL " + statusUrl + " answered HTTP " + status + bodyHint(response.body()));
        } catch (IOException e) {
            return StatusAnswer.unknown("status URL " + statusUrl + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StatusAnswer.unknown("interrupted while asking " + statusUrl);
        }
    }

    private static HttpRequest.Builder request(URI url, ReceiverEndpoint receiver, Delivery delivery) {
        ReceivedMessage message = delivery.message();
        HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                .timeout(receiver.timeout())
                .header(MESSAGE_ID_HEADER, delivery.messageIdForReceiver())
                .header(SENDER_HEADER, message.sender())
                .header(INTERFACE_HEADER, message.interfaceName());
        if (delivery.carriesMappedId()) {
            builder.header(SOURCE_MESSAGE_ID_HEADER, message.messageId());
        }
        if (!delivery.part().isEmpty()) {
            builder.header(PART_HEADER, delivery.part());
        }
        if (delivery.isInOrder()) {
            builder.header(QUEUE_ID_HEADER, message.queueId()).header(SEQUENCE_HEADER, String.valueOf(delivery.sequenceNo()));
        }
        return builder;
    }

    private HttpClient clientFor(ReceiverEndpoint receiver) {
        return clients.computeIfAbsent(receiver.name(), name -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout(receiver))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    private static Duration connectTimeout(ReceiverEndpoint receiver) {
        return receiver.timeout().compareTo(MAX_CONNECT_TIMEOUT) < 0 ? receiver.timeout() : MAX_CONNECT_TIMEOUT;
    }

    private static String bodyHint(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() <= MAX_BODY_IN_ERROR ? oneLine : oneLine.substring(0, MAX_BODY_IN_ERROR) + "…");
    }
}
