package org.courier.it.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.http.HttpRequest;
import java.util.Base64;
import org.courier.loader.SoapSender;

/**
 * A user of the test server, as HTTP Basic credentials. Every request the tests make to Courier
 * goes through {@link #authorize(HttpRequest.Builder)}; {@link #INTEGRATION} is the user the
 * server's test configuration binds to every sender, with every role.
 */
public record TestUser(String name, String password) {

    /** Roles sender, monitor and admin; may send as any sender ({@code senders=*}). */
    public static final TestUser INTEGRATION = new TestUser("courier-it", "courier-it-password");

    /** Adds this user's {@code Authorization: Basic} header to the request. */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        return request.header("Authorization", basicAuthorization());
    }

    /** The same user as the command-line sender's credentials. */
    public SoapSender.Credentials credentials() {
        return new SoapSender.Credentials(name, password);
    }

    /** The value of an {@code Authorization} header with these credentials. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(UTF_8));
    }
}
