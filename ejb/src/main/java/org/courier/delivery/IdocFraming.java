package org.courier.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.hc.core5.http.ContentType;
import org.courier.content.IdocDocument;
import org.courier.message.Delivery;

/**
 * How a delivery reaches SAP's IDoc inbound (receivers with protocol {@code idoc} or
 * {@code idoc-xml}), and how SAP's answer is read. The delivery's id for the receiver is its IDoc
 * transaction id (TID, 24 characters: id-format {@code idoc-tid}), stored by the ID mapping, so
 * that every attempt and every resend carries the same one; it goes into the control record's
 * {@code ARCKEY} as {@code urn:sap.com:msgid=<TID>}, by which SAP's IDoc inbound tells a resent
 * IDoc from a new one, and for {@code idoc-xml} also into the header {@code X-TID} (the SAP
 * Business Connector's transaction id).
 *
 * <p>SAP's answers beside a 2xx (docs/idoc.md): a fault naming {@code MSGID_LOCKED} (an IDoc with
 * the same id is being processed by another call) is tried again; one saying the IDoc "has already
 * been received" (message EA097) means SAP has it: delivered; the rule violations of message EA728
 * ({@code MULTIPLE_IDOCS_NOT_ALLOWED}, {@code SOAP_MSGID_INITIAL}, {@code SOAP_MSGID_PREFIX_INVALID})
 * cannot be helped by sending again: refused. Anything else is read as from any receiver.
 */
final class IdocFraming {

    static final String TID_HEADER = "X-TID";
    static final ContentType IDOC_XML = ContentType.create("application/x-sap.idoc", StandardCharsets.UTF_8);
    private static final List<String> RULE_VIOLATIONS = List.of("MULTIPLE_IDOCS_NOT_ALLOWED", "SOAP_MSGID_INITIAL",
            "SOAP_MSGID_PREFIX_INVALID", "EA728");

    private IdocFraming() {
    }

    /** The request body: the IDoc with its ARCKEY, in a SOAP envelope ({@code soap}) or as it is. */
    static String body(Delivery delivery, boolean soap) {
        String idoc = IdocDocument.of(delivery.payloadForReceiver()).withArchiveKey(delivery.messageIdForReceiver(), soap);
        return soap ? SapFraming.soapEnvelope(idoc) : idoc;
    }

    /** SAP's answer to a request that did not succeed, where it says more than its status; else {@code null}. */
    static ReceiverResponse answer(int status, String body, URI url) {
        if (body == null) {
            return null;
        }
        String upper = body.toUpperCase(Locale.ROOT);
        if (upper.contains("ALREADY BEEN RECEIVED") || upper.contains("EA097")) {
            return ReceiverResponse.delivered();
        }
        if (upper.contains("MSGID_LOCKED")) {
            return ReceiverResponse.failed("HTTP " + status + " from " + url + ": SAP is processing an IDoc with the same"
                    + " transaction id (MSGID_LOCKED); tried again later");
        }
        for (String violation : RULE_VIOLATIONS) {
            if (upper.contains(violation)) {
                return ReceiverResponse.refused("HTTP " + status + " from " + url + ": SAP refused the IDoc (" + violation
                        + "): sending it again cannot help; " + ReceiverClient.bodyHintOf(body).replaceFirst("^: ", ""));
            }
        }
        return null;
    }
}
