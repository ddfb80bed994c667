package org.courier.content;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A splitter: cuts a message into the items an XPath selects, each delivered on its own. An
 * item is named by its key (the value of {@code itemKey}, relative to the item) or, without a
 * key, by its position (1, 2, ...), as {@code item-<name>}; the name is part of the item's id for
 * the receiver, so it must be stable for a resend of the same message — a key is (positions are
 * as long as the sender resends the same payload).
 */
public record ItemSplit(String itemsXPath, String itemKey, Map<String, String> namespaces) {

    /** The most items one message may be split into. */
    public static final int MAX_ITEMS = 1000;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,40}");

    /** One item: its name ({@code item-<key or position>}), position (0-based) and content. */
    public record Item(String name, int position, String xml) {
    }

    public ItemSplit {
        namespaces = Map.copyOf(namespaces);
        XmlPayload.xpath(itemsXPath, namespaces);
        if (itemKey != null) {
            XmlPayload.xpath(itemKey, namespaces);
        }
    }

    /** The payload's items, in document order; {@link XmlPayload.UnreadablePayload} saying why if it has none usable. */
    public List<Item> items(String payload) {
        Document document = XmlPayload.parse(payload);
        NodeList nodes;
        try {
            nodes = (NodeList) XmlPayload.xpath(itemsXPath, namespaces).evaluate(document, XPathConstants.NODESET);
        } catch (XPathExpressionException e) {
            throw new XmlPayload.UnreadablePayload("the split XPath " + itemsXPath + " does not select elements: " + e.getMessage());
        }
        if (nodes.getLength() == 0) {
            throw new XmlPayload.UnreadablePayload("the payload has no items at " + itemsXPath + ", so there is nothing to deliver");
        }
        if (nodes.getLength() > MAX_ITEMS) {
            throw new XmlPayload.UnreadablePayload("the payload has " + nodes.getLength() + " items at " + itemsXPath
                    + "; at most " + MAX_ITEMS + " are split from one message");
        }
        List<Item> items = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            String name = "item-" + (itemKey == null ? String.valueOf(i + 1) : key(node, i));
            if (!names.add(name)) {
                throw new XmlPayload.UnreadablePayload("two items of the payload have the key '" + name.substring(5)
                        + "' at " + itemKey + ": each item needs its own");
            }
            items.add(new Item(name, i, XmlPayload.write(node)));
        }
        return items;
    }

    private String key(Node item, int position) {
        String key;
        try {
            key = XmlPayload.xpath(itemKey, namespaces).evaluate(item).trim();
        } catch (XPathExpressionException e) {
            throw new XmlPayload.UnreadablePayload("the item key " + itemKey + " failed on item " + (position + 1) + ": "
                    + e.getMessage());
        }
        if (!KEY.matcher(key).matches()) {
            throw new XmlPayload.UnreadablePayload("item " + (position + 1) + " has " + (key.isEmpty() ? "no key"
                    : "the key '" + key + "'") + " at " + itemKey + ": a key is 1-40 characters of A-Z a-z 0-9 . _ -");
        }
        return key;
    }
}
