/**
 * What operators watch: Courier's meters in WildFly's Micrometer registry (scraped in
 * Prometheus format at the management interface's {@code /prometheus}). Its readiness check
 * is in the EAR's library {@code courier-health} (package {@code org.courier.health}), where
 * WildFly's MicroProfile Health finds it.
 *
 * <p>Two kinds of meters, with different scopes. Counters ({@link CourierCounters}) count the
 * work this node committed since it started — a receipt or delivery whose transaction rolls
 * back is never counted — and start again at zero on restart, as Prometheus counters may.
 * Gauges ({@link CourierGauges}) are read from the shared database ({@link DeliveryCensus}),
 * so every node reports the same values for the whole installation; they are cached for a
 * few seconds so that frequent scrapes cost one round of counting queries per interval.
 */
package org.courier.monitoring;
