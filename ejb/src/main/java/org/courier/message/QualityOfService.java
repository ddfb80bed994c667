package org.courier.message;

import java.util.Arrays;
import java.util.Optional;

/** The delivery guarantee a sender asks for, named as on the wire. */
public enum QualityOfService {
    BEST_EFFORT("BestEffort"),
    EXACTLY_ONCE("ExactlyOnce"),
    EXACTLY_ONCE_IN_ORDER("ExactlyOnceInOrder");

    private final String wireName;

    QualityOfService(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<QualityOfService> fromWireName(String name) {
        return Arrays.stream(values()).filter(q -> q.wireName.equals(name)).findFirst();
    }
}
