/**
 * The failure store and its scheduled resend (SAP's "data store" pattern).
 *
 * <p>A delivery whose quick retries ran out is {@code FAILED}: it stays in the database with a
 * due time ({@code NEXT_RESEND_AT}) and its JMS message is consumed in the same transaction.
 * The resend job ({@code courier-resend}, Jakarta Batch) takes due entries out of the store
 * one resend round at a time: back to {@code PENDING} and dispatched to the delivery queue,
 * in one XA transaction, so the job itself never sends anything twice — a stopped,
 * restarted or concurrently running job finds the entry no longer {@code FAILED}. A failed
 * round puts it back with the next due time of {@link org.courier.delivery.ResendPolicy};
 * when resends run out it is {@code ERROR} and waits for an operator.
 */
package org.courier.resend;
