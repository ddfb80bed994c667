package org.courier.web.soap;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlMixed;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/**
 * The content of a v1 {@code <payload>} as the sender sent it: every element (as DOM, with the
 * namespace declarations in scope on it) and the text between them, in order. The WSDL says the
 * payload is exactly one element; JAXB's generated class for it kept only the last element of
 * several and dropped text without a word, so the contract is checked on this instead
 * ({@link SoapMapping}, then {@code PayloadContract} for every edge). Bound in place of the
 * generated class by {@code src/jaxws/courier-v1-bindings.xml}.
 */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "Payload", namespace = "http://courier.org/ns/messaging/v1")
public class PayloadContent {

    @XmlMixed
    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    /** A payload of this one element (Courier's answers). */
    public static PayloadContent of(Element element) {
        PayloadContent payload = new PayloadContent();
        payload.content.add(element);
        return payload;
    }

    /** Elements ({@link Element}) and text ({@link String}) in document order. */
    public List<Object> getContent() {
        return content;
    }
}
