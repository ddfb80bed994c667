package org.courier.delivery;

/** What a receiver's status URL said about one message. */
record StatusAnswer(Kind kind, String detail) {

    enum Kind {
        /** The receiver has the message. */
        RECEIVED,
        /** The receiver does not have it: sending it is safe. */
        NOT_RECEIVED,
        /** No usable answer: the doubt remains. */
        UNKNOWN
    }

    static StatusAnswer received(String detail) {
        return new StatusAnswer(Kind.RECEIVED, detail);
    }

    static StatusAnswer notReceived(String detail) {
        return new StatusAnswer(Kind.NOT_RECEIVED, detail);
    }

    static StatusAnswer unknown(String detail) {
        return new StatusAnswer(Kind.UNKNOWN, detail);
    }
}
