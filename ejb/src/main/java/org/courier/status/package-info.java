/** What a sender may ask about an accepted message: its delivery state per receiver. */
package org.courier.status;
