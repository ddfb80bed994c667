package org.courier.idmapping;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.xml.crypto.OctetStreamData;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.TransformException;
import javax.xml.crypto.dsig.TransformService;
import javax.xml.xpath.XPathExpressionException;
import org.courier.content.XmlPayload;
import org.courier.content.XmlPayload.UnreadablePayload;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The message id of a sender whose protocol carries none, taken from the payload: either the
 * values of configured XPath expressions (joined by {@code /}; each must select a non-empty
 * value, or the message is refused with a clear error), or the SHA-256 of the canonical payload
 * (comments and whitespace-only text between elements removed, then Canonical XML 1.0: so
 * formatting, attribute order, quote style and namespace declaration order do not change it).
 * A payload that does not give an id is {@link UnreadablePayload}.
 */
public sealed interface PayloadIdentity {

    /** The id of this payload. */
    String idOf(String payload);

    /** Values of XPath expressions; prefixes in the expressions are bound by {@code namespaces}. */
    record XPaths(List<String> expressions, Map<String, String> namespaces) implements PayloadIdentity {

        public XPaths {
            expressions = List.copyOf(expressions);
            namespaces = Map.copyOf(namespaces);
            if (expressions.isEmpty()) {
                throw new IllegalArgumentException("an id from the payload needs at least one XPath expression");
            }
            for (String expression : expressions) {
                XmlPayload.xpath(expression, namespaces);
            }
        }

        @Override
        public String idOf(String payload) {
            Document document = XmlPayload.parse(payload);
            List<String> values = new ArrayList<>();
            for (String expression : expressions) {
                String value;
                try {
                    value = XmlPayload.xpath(expression, namespaces).evaluate(document).trim();
                } catch (XPathExpressionException e) {
                    throw new UnreadablePayload("the XPath " + expression + " for the message id failed on the payload: "
                            + e.getMessage());
                }
                if (value.isEmpty()) {
                    throw new UnreadablePayload("the payload has no value at " + expression
                            + ", which is part of its message id: the message cannot be told from a duplicate");
                }
                values.add(value);
            }
            return String.join("/", values);
        }
    }

    /** SHA-256 of the canonical payload, as 64 lower-case hex characters. */
    record CanonicalHash() implements PayloadIdentity {

        @Override
        public String idOf(String payload) {
            Document document = XmlPayload.parse(payload);
            removeIgnorable(document.getDocumentElement());
            byte[] written = XmlPayload.write(document).getBytes(StandardCharsets.UTF_8);
            try {
                TransformService c14n = TransformService.getInstance(CanonicalizationMethod.INCLUSIVE, "DOM");
                c14n.init(null);
                OctetStreamData canonical = (OctetStreamData) c14n.transform(
                        new OctetStreamData(new ByteArrayInputStream(written)), null);
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(readAll(canonical.getOctetStream())));
            } catch (TransformException e) {
                throw new UnreadablePayload("the payload has no canonical form (XML-C14N) to hash: " + e.getMessage());
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("canonical XML is not available: " + e.getMessage(), e);
            }
        }

        /** Comments and whitespace-only text next to elements say nothing about the message. */
        private static void removeIgnorable(Node parent) {
            NodeList children = parent.getChildNodes();
            boolean hasElements = false;
            for (int i = 0; i < children.getLength(); i++) {
                hasElements |= children.item(i).getNodeType() == Node.ELEMENT_NODE;
            }
            for (int i = children.getLength() - 1; i >= 0; i--) {
                Node child = children.item(i);
                boolean blank = child.getNodeType() == Node.TEXT_NODE && child.getTextContent().isBlank();
                if (child.getNodeType() == Node.COMMENT_NODE || (blank && hasElements)) {
                    parent.removeChild(child);
                } else if (child.getNodeType() == Node.ELEMENT_NODE) {
                    removeIgnorable(child);
                }
            }
        }

        private static byte[] readAll(InputStream in) throws IOException {
            try (in) {
                return in.readAllBytes();
            }
        }
    }
}
