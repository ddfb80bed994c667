package org.courier.routing;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A configuration as what an operator declared, element by element: each top-level element
 * ({@code limits}, a receiver, a route, an aggregator, a channel) under the name errors give it
 * ({@code receiver "erp"}, {@code route sender="*" interface="Orders"}), with its attributes as
 * written and, for a route, its children in file order. Two outlines compare as a diff of what
 * was declared ({@link ConfigurationChanges}), whatever the lines, comments or attribute order.
 */
public record ConfigurationOutline(Map<String, String> elements) {

    public ConfigurationOutline {
        elements = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(elements));
    }

    static ConfigurationOutline of(ConfigurationXml.Courier document) {
        Map<String, String> elements = new LinkedHashMap<>();
        document.limits.stream().findFirst().ifPresent(limits -> elements.put("limits", describe(limits)));
        document.receivers.forEach(r -> elements.put("receiver " + quote(r.name), describe(r)));
        document.routes.forEach(r -> elements.put("route sender=" + quote(r.sender) + " interface=" + quote(r.interfaceName),
                describe(r)));
        document.aggregators.forEach(a -> elements.put("aggregator " + quote(a.name), describe(a)));
        document.channels.forEach(c -> elements.put("sap-rm-channel " + quote(c.name), describe(c)));
        document.sftpChannels.forEach(c -> elements.put("sftp-channel " + quote(c.name), describe(c)));
        document.jmsChannels.forEach(c -> elements.put("jms-channel " + quote(c.name), describe(c)));
        return new ConfigurationOutline(elements);
    }

    /** Its attributes as {@code name="value"} in the schema's order, then its children, each in brackets. */
    private static String describe(Object element) {
        StringJoiner text = new StringJoiner(" ");
        for (Field field : element.getClass().getDeclaredFields()) {
            Object value = read(field, element);
            XmlAttribute attribute = field.getAnnotation(XmlAttribute.class);
            if (attribute != null && value != null) {
                String name = "##default".equals(attribute.name()) ? field.getName() : attribute.name();
                text.add(name + "=" + quote(value.toString()));
            }
        }
        for (Field field : element.getClass().getDeclaredFields()) {
            XmlElement child = field.getAnnotation(XmlElement.class);
            if (child != null && read(field, element) instanceof Collection<?> children) {
                children.forEach(c -> text.add("<" + child.name() + (describe(c).isEmpty() ? "" : " " + describe(c)) + ">"));
            }
        }
        return text.toString();
    }

    private static Object read(Field field, Object element) {
        try {
            field.setAccessible(true);
            return field.get(element);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    private static String quote(String value) {
        return "\"" + value + "\"";
    }
}
