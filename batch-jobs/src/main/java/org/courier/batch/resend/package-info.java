/**
 * The scheduled resend of the failure store as a Jakarta Batch job ({@code courier-resend}):
 * its artifacts, the timer that starts it and the control operators use (start, status,
 * stop, restart). The artifacts only translate; {@code org.courier.resend.FailureStore} does
 * the work, inside the chunk's transaction.
 */
package org.courier.batch.resend;
