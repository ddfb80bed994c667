package org.courier.routing;

import java.util.Objects;

/**
 * An inbound SAP RM channel ({@code <sap-rm-channel>}): a plain SOAP endpoint,
 * {@code /courier/rm/<name>}, whose messages come from {@code sender} as {@code interfaceName};
 * the message id, quality of service and queue id are URL parameters (or the SOAP header
 * {@code messageId}). A parsed configuration has a route for each channel's sender and interface.
 */
public record SapRmChannel(String name, String sender, String interfaceName) {

    public SapRmChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(interfaceName, "interfaceName");
    }
}
