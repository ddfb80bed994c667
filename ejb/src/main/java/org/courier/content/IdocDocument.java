package org.courier.content;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * An IDoc in SAP's IDoc-XML form, as an IDoc receiver takes it: the root element named after the
 * IDoc type (e.g. {@code ORDERS05}), holding <b>exactly one</b> {@code IDOC} element whose first
 * child is the control record {@code EDI_DC40}, then the data segments. One IDoc per message,
 * because SAP's IDoc inbound over SOAP takes one IDoc per request (its message EA728,
 * {@code MULTIPLE_IDOCS_NOT_ALLOWED}) and because the transaction id that makes it exactly once
 * belongs to one IDoc.
 *
 * <p>{@link #withArchiveKey} writes the message's id for SAP into the control record's
 * {@code ARCKEY} (archive key, 70 characters), where SAP's IDoc inbound looks for it:
 * {@code urn:sap.com:msgid=} and the id. A resend with the same key is recognised by SAP as the
 * same IDoc and not posted twice.
 */
public final class IdocDocument {

    /** The namespace of SAP's IDoc inbound over SOAP ({@code /sap/bc/srt/idoc}) for the IDoc's root element. */
    public static final String SOAP_NAMESPACE = "urn:sap-com:document:sap:idoc:soap:messages";
    /** What SAP's IDoc inbound expects before the message id in {@code ARCKEY}. */
    public static final String ARCHIVE_KEY_PREFIX = "urn:sap.com:msgid=";
    private static final String IDOC = "IDOC";
    private static final String CONTROL_RECORD = "EDI_DC40";
    private static final String ARCHIVE_KEY = "ARCKEY";
    /** The control record's field after ARCKEY: where ARCKEY goes when missing. */
    private static final String AFTER_ARCHIVE_KEY = "SERIAL";
    private static final int ARCHIVE_KEY_LENGTH = 70;

    private final Document document;
    private final Element controlRecord;

    private IdocDocument(Document document, Element controlRecord) {
        this.document = document;
        this.controlRecord = controlRecord;
    }

    /** The payload as an IDoc; {@link XmlPayload.UnreadablePayload} saying why if it is not one. */
    public static IdocDocument of(String payload) {
        Document document = XmlPayload.parse(payload);
        Element root = document.getDocumentElement();
        List<Element> idocs = children(root, IDOC);
        if (idocs.size() != 1) {
            throw new XmlPayload.UnreadablePayload("an IDoc receiver takes one IDoc in IDoc-XML: a root element named after"
                    + " the IDoc type (here <" + root.getLocalName() + ">) holding exactly one <IDOC BEGIN=\"1\">, not "
                    + idocs.size());
        }
        Element first = firstElement(idocs.get(0));
        if (first == null || !CONTROL_RECORD.equals(first.getLocalName())) {
            throw new XmlPayload.UnreadablePayload("the IDoc's first element must be its control record <EDI_DC40 SEGMENT=\"1\">,"
                    + " not " + (first == null ? "nothing" : "<" + first.getLocalName() + ">"));
        }
        return new IdocDocument(document, first);
    }

    /** Why this payload cannot go to an IDoc receiver, or {@code null} if it can. */
    public static String breach(String payload) {
        try {
            of(payload);
            return null;
        } catch (XmlPayload.UnreadablePayload notAnIdoc) {
            return notAnIdoc.getMessage();
        }
    }

    /** The IDoc's type: its root element's name. */
    public String type() {
        return document.getDocumentElement().getLocalName();
    }

    /**
     * The IDoc with {@code ARCKEY} = {@code urn:sap.com:msgid=<messageId>} in its control record
     * (replacing a value the sender put there), as IDoc-XML: the root element in no namespace
     * ({@code soap} false, SAP's plain IDoc-XML inbound) or in SAP's IDoc SOAP namespace.
     */
    public String withArchiveKey(String messageId, boolean soap) {
        String key = ARCHIVE_KEY_PREFIX + messageId;
        if (key.length() > ARCHIVE_KEY_LENGTH) {
            throw new IllegalArgumentException("an IDoc's archive key has at most " + ARCHIVE_KEY_LENGTH + " characters: " + key);
        }
        Document copy = (Document) document.cloneNode(true);
        Element root = copy.getDocumentElement();
        Element control = firstElement(children(root, IDOC).get(0));
        List<Element> keys = children(control, ARCHIVE_KEY);
        Element arckey;
        if (keys.isEmpty()) {
            arckey = copy.createElementNS(control.getNamespaceURI(), qualified(control, ARCHIVE_KEY));
            List<Element> after = children(control, AFTER_ARCHIVE_KEY);
            control.insertBefore(arckey, after.isEmpty() ? null : after.get(0));
        } else {
            arckey = keys.get(0);
            for (Element extra : keys.subList(1, keys.size())) {
                control.removeChild(extra);
            }
        }
        arckey.setTextContent(key);
        String namespace = soap ? SOAP_NAMESPACE : null;
        if (!sameNamespace(root.getNamespaceURI(), namespace)) {
            root = (Element) copy.renameNode(root, namespace, soap ? "idoc:" + root.getLocalName() : root.getLocalName());
        }
        return XmlPayload.write(root);
    }

    /** The archive key the sender's control record carries, or {@code null}. */
    public String archiveKey() {
        List<Element> keys = children(controlRecord, ARCHIVE_KEY);
        return keys.isEmpty() ? null : keys.get(0).getTextContent().strip();
    }

    private static boolean sameNamespace(String a, String b) {
        return (a == null || a.isEmpty()) ? (b == null || b.isEmpty()) : a.equals(b);
    }

    private static String qualified(Element sibling, String localName) {
        return sibling.getPrefix() == null ? localName : sibling.getPrefix() + ":" + localName;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && localName.equals(element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    private static Element firstElement(Element parent) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element) {
                return element;
            }
        }
        return null;
    }
}
