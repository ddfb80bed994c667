package org.courier.delivery;

/**
 * No OAuth 2.0 token for a receiver: its token endpoint could not be reached, refused Courier's
 * client credentials, or gave no usable token. The request to the receiver was not sent, so the
 * receiver certainly did not get it: a failure worth retrying, never a doubt. The message is the
 * text for the operator; it holds no secret and no token.
 */
final class NoToken extends Exception {

    private static final long serialVersionUID = 1L;

    NoToken(String message) {
        super(message);
    }
}
