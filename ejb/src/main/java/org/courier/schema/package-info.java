/**
 * Courier's database schema: versioned migrations applied (or checked) when the persistence
 * unit starts, for H2 and PostgreSQL.
 */
package org.courier.schema;
