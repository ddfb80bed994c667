/**
 * Routing: which receivers get a message, read from Courier's configuration file.
 *
 * <p>The operator names the file with the system property {@code courier.config}
 * (e.g. {@code -Dcourier.config=/etc/courier/courier.xml}); {@link org.courier.routing.RoutingTable}
 * reads it when Courier is deployed and fails the deployment if it is invalid. The format,
 * in the namespace {@code urn:courier:config:1}, is stated whole by its schema,
 * {@code config/courier-config-1.xsd} (a resource next to {@link org.courier.routing.ConfigurationSchema},
 * which reads every file through it); in short:
 *
 * <pre>{@code
 * <courier xmlns="urn:courier:config:1">
 *   <limits max-payload-bytes="1048576"/>
 *   <receiver name="archive" url="http://localhost:9000/in" timeout-seconds="30"/>
 *   <route sender="*" interface="SampleOrder">
 *     <to receiver="archive"/>
 *   </route>
 * </courier>
 * }</pre>
 *
 * <ul>
 *   <li>{@code <limits>} (optional, at most once): {@code max-payload-bytes}, the largest
 *       payload accepted, 1 to 67108864, default 1048576 (1 MiB).</li>
 *   <li>{@code <receiver>}: a unique {@code name} (1-60 characters of {@code A-Z a-z 0-9 . _ -}),
 *       an absolute http or https {@code url}, and an optional {@code timeout-seconds}
 *       per delivery attempt, 1 to 3600, default 30.</li>
 *   <li>{@code <route>}: a {@code sender} ({@code *} for any sender, or a name like a
 *       receiver's) and an {@code interface} (1-120 characters of {@code A-Z a-z 0-9 . _ - / :});
 *       each pair at most once. Its {@code <to receiver="..."/>} children, at least one and
 *       each receiver at most once, name declared receivers (declared before or after the
 *       route). A route for the exact sender wins over the {@code *} route of the interface.</li>
 * </ul>
 *
 * <p>Unknown elements or attributes, missing attributes, text content and DTDs are errors;
 * whitespace and comments are not. What the schema cannot say is checked after it
 * ({@link org.courier.routing.ConfigurationBinding}). All errors are reported together, each
 * with file, line and field, in an {@link org.courier.routing.InvalidConfigurationException}.
 */
package org.courier.routing;
