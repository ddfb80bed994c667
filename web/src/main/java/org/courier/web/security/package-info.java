/**
 * Who may do what: the binding of authenticated users to the sender systems they act as. Roles
 * ({@code sender}, {@code monitor}, {@code admin}) are enforced by the web module's security
 * constraints; this package adds the per-sender check the container cannot know.
 */
package org.courier.web.security;
