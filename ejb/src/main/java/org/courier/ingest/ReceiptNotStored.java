package org.courier.ingest;

import jakarta.ejb.ApplicationException;

/**
 * The insert of a receipt failed: most often because the (sender, message id) exists
 * already, which {@link MessageReceipt} finds out by looking. Rolls the receipt back.
 */
@ApplicationException(rollback = true)
class ReceiptNotStored extends RuntimeException {

    ReceiptNotStored(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
