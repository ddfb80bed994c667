/**
 * The aggregator: messages a route hands to an aggregator are collected per correlation value,
 * in the transaction that accepts each one, and released as one Exactly Once message when the
 * aggregate is complete (a count) or due (a timeout, kept in the database, so it survives
 * restarts).
 */
package org.courier.aggregation;
