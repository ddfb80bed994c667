package org.courier.delivery;

/**
 * What a receiver made of a synchronous call: its answer (any HTTP status, with the body), no
 * connection at all (certainly not processed), or no answer after the request may have gone out
 * (it may have been processed: in doubt).
 */
public record CallReply(Kind kind, int status, String contentType, String body, String error) {

    public enum Kind {
        ANSWERED, UNREACHABLE, UNANSWERED
    }

    static CallReply answered(int status, String contentType, String body) {
        return new CallReply(Kind.ANSWERED, status, contentType, body, null);
    }

    static CallReply unreachable(String error) {
        return new CallReply(Kind.UNREACHABLE, 0, null, null, error);
    }

    static CallReply unanswered(String error) {
        return new CallReply(Kind.UNANSWERED, 0, null, null, error);
    }

    /** Answered with a 2xx status. */
    public boolean succeeded() {
        return kind == Kind.ANSWERED && status / 100 == 2;
    }
}
