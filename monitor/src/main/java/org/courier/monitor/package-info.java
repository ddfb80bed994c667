/**
 * The message monitor's session for people: its idle timeout ({@link org.courier.monitor.IdleTimeout})
 * and signing out ({@link org.courier.monitor.SignOutServlet}). Signing in is WildFly's: the login
 * page of {@code WEB-INF/web.xml}, or a company's single sign-on through OpenID Connect, which
 * elytron-oidc-client switches on for this deployment alone ({@link org.courier.monitor.SingleSignOn},
 * {@link org.courier.monitor.SignInServlet}); the pages and the admin API behind them are the rest of
 * this module.
 */
package org.courier.monitor;
