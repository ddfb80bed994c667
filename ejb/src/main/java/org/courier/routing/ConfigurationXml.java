package org.courier.routing;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlTransient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration file as Jakarta XML Binding reads it, after the schema
 * ({@code courier-config-1.xsd}) has checked it: one class per element, one field per attribute,
 * as the schema names them. Values are the file's text; what they mean (numbers, URLs, XPaths) is
 * {@link ConfigurationBinding}'s. Each element knows where it stood in the file ({@link Located}).
 */
public final class ConfigurationXml {

    static final String NS = ConfigurationSchema.NAMESPACE;

    private ConfigurationXml() {
    }

    /** Where an element stood: its line, its attributes that broke the schema, the namespace prefixes in scope. */
    @XmlTransient
    public abstract static class Located {
        @XmlTransient
        int line;
        @XmlTransient
        Set<String> invalid = Set.of();
        @XmlTransient
        Map<String, String> namespaces = Map.of();

        /** The attribute's value, unless the schema refused it. */
        String valid(String attribute, String value) {
            return invalid.contains(attribute) ? null : value;
        }
    }

    @XmlRootElement(name = "courier", namespace = NS)
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Courier extends Located {
        @XmlElement(name = "limits", namespace = NS)
        List<Limits> limits = new ArrayList<>();
        @XmlElement(name = "receiver", namespace = NS)
        List<Receiver> receivers = new ArrayList<>();
        @XmlElement(name = "route", namespace = NS)
        List<Route> routes = new ArrayList<>();
        @XmlElement(name = "aggregator", namespace = NS)
        List<Aggregator> aggregators = new ArrayList<>();
        @XmlElement(name = "sap-rm-channel", namespace = NS)
        List<SapRmChannel> channels = new ArrayList<>();
        @XmlElement(name = "sftp-channel", namespace = NS)
        List<SftpChannel> sftpChannels = new ArrayList<>();
        @XmlElement(name = "jms-channel", namespace = NS)
        List<JmsChannel> jmsChannels = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Limits extends Located {
        @XmlAttribute(name = "max-payload-bytes")
        String maxPayloadBytes;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Receiver extends Located {
        @XmlAttribute
        String name;
        @XmlAttribute
        String url;
        @XmlAttribute(name = "timeout-seconds")
        String timeoutSeconds;
        @XmlAttribute
        String idempotent;
        @XmlAttribute(name = "in-doubt")
        String inDoubt;
        @XmlAttribute(name = "status-url")
        String statusUrl;
        @XmlAttribute(name = "id-format")
        String idFormat;
        @XmlAttribute(name = "id-mapping")
        String idMapping;
        @XmlAttribute(name = "id-expiration-days")
        String idExpirationDays;
        @XmlAttribute
        String protocol;
        @XmlAttribute
        String authentication;
        @XmlAttribute(name = "token-url")
        String tokenUrl;
        @XmlAttribute(name = "token-scope")
        String tokenScope;
        @XmlAttribute
        String tls;
        @XmlAttribute
        String proxy;
        @XmlAttribute
        String parallel;
        @XmlAttribute(name = "down-after")
        String downAfter;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Route extends Located {
        @XmlAttribute
        String sender;
        @XmlAttribute(name = "interface")
        String interfaceName;
        @XmlAttribute(name = "message-id-format")
        String messageIdFormat;
        @XmlAttribute
        String call;
        @XmlElement(name = "message-id", namespace = NS)
        List<MessageId> messageIds = new ArrayList<>();
        @XmlElement(name = "split", namespace = NS)
        List<Split> splits = new ArrayList<>();
        @XmlElement(name = "to", namespace = NS)
        List<To> targets = new ArrayList<>();
        @XmlElement(name = "aggregate", namespace = NS)
        List<Aggregate> aggregates = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class MessageId extends Located {
        @XmlAttribute
        String xpath;
        @XmlAttribute
        String from;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Split extends Located {
        @XmlAttribute
        String xpath;
        @XmlAttribute(name = "item-key")
        String itemKey;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class To extends Located {
        @XmlAttribute
        String receiver;
        @XmlAttribute
        String branch;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Aggregate extends Located {
        @XmlAttribute
        String aggregator;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Aggregator extends Located {
        @XmlAttribute
        String name;
        @XmlAttribute(name = "interface")
        String interfaceName;
        @XmlAttribute
        String correlation;
        @XmlAttribute(name = "complete-count")
        String completeCount;
        @XmlAttribute(name = "timeout-seconds")
        String timeoutSeconds;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class SapRmChannel extends Located {
        @XmlAttribute
        String name;
        @XmlAttribute
        String sender;
        @XmlAttribute(name = "interface")
        String interfaceName;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class SftpChannel extends Located {
        @XmlAttribute
        String name;
        @XmlAttribute
        String url;
        @XmlAttribute
        String sender;
        @XmlAttribute(name = "interface")
        String interfaceName;
        @XmlAttribute(name = "quality-of-service")
        String qualityOfService;
        @XmlAttribute(name = "queue-id")
        String queueId;
        @XmlAttribute(name = "order-by")
        String orderBy;
        @XmlAttribute(name = "poll-seconds")
        String pollSeconds;
        @XmlAttribute
        String after;
        @XmlAttribute(name = "timeout-seconds")
        String timeoutSeconds;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class JmsChannel extends Located {
        @XmlAttribute
        String name;
        @XmlAttribute
        String url;
        @XmlAttribute
        String sender;
        @XmlAttribute(name = "interface")
        String interfaceName;
        @XmlAttribute(name = "quality-of-service")
        String qualityOfService;
        @XmlAttribute(name = "queue-id")
        String queueId;
        @XmlAttribute(name = "dead-letter-queue")
        String deadLetterQueue;
    }
}
