package org.courier.routing;

import java.util.Locale;

/**
 * How a delivery reaches its receiver (the receiver's {@code protocol} attribute).
 */
public enum ReceiverProtocol {
    /** {@code plain} (the default): the payload is the request body; ids and queue in {@code Courier-*} headers. */
    PLAIN,
    /**
     * {@code sap-rm}: SAP's reliable messaging over plain SOAP: the payload in a SOAP 1.1 body, the
     * message id, quality of service and queue id as the URL parameters {@code MessageId},
     * {@code QualityOfService} and {@code QueueId}.
     */
    SAP_RM,
    /**
     * {@code xi}: an XI 3.0 message: the payload in a SOAP 1.1 body, the XI message header
     * ({@code Main}: MessageId, Sender, Interface; {@code ReliableMessaging}: QualityOfService,
     * QueueId) in the SOAP header.
     */
    XI,
    /**
     * {@code idoc}: an IDoc to SAP's IDoc inbound over SOAP ({@code /sap/bc/srt/idoc}): the
     * payload, one IDoc in IDoc-XML, in a SOAP 1.1 body, its root in SAP's IDoc SOAP namespace and
     * the delivery's IDoc transaction id (24 characters, id-format {@code idoc-tid}) in the control
     * record's {@code ARCKEY} as {@code urn:sap.com:msgid=<TID>}, by which SAP recognises a resend.
     */
    IDOC,
    /**
     * {@code idoc-xml}: the same IDoc as plain IDoc-XML ({@code application/x-sap.idoc}), for SAP's
     * {@code /sap/bc/idoc_xml} and for the SAP Business Connector: the TID in {@code ARCKEY} and in
     * the HTTP header {@code X-TID}.
     */
    IDOC_XML,
    /**
     * {@code sftp}: the payload as a file in a directory of an SFTP server
     * ({@code sftp://host:port/directory}), named after the message id the receiver gets, written
     * under a temporary name and renamed: a repeat overwrites the same file, so the receiver is
     * idempotent by construction.
     */
    SFTP,
    /**
     * {@code jms}: the payload as a JMS text message to a queue of a broker that a pooled connection
     * factory of WildFly reaches ({@code jms://factory/queue}, {@link JmsDestination}), sent inside
     * the delivery's XA transaction: the message is in the queue exactly when the delivery is
     * recorded as delivered, so there is no in-doubt case.
     */
    JMS;

    /** Whether deliveries carry one IDoc, framed for SAP's IDoc inbound. */
    public boolean carriesIdocs() {
        return this == IDOC || this == IDOC_XML;
    }

    /** The protocol as the configuration names it: plain, sap-rm, xi, idoc, idoc-xml, sftp, jms. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether deliveries go over HTTP (every protocol but {@link #SFTP} and {@link #JMS}). */
    public boolean overHttp() {
        return this != SFTP && this != JMS;
    }
}
