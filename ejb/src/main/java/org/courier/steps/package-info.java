/**
 * Idempotent steps: a processing step with a side effect runs once per message id, guarded by
 * a record written in the same transaction as the effect.
 */
package org.courier.steps;
