package org.courier.ingest;

/** What the idempotency record says about an earlier receipt: its acknowledgement and payload hash. */
record StoredReceipt(Acknowledgement acknowledgement, String payloadHash) {
}
