-- A message can reach one receiver more than once: as several multicast branches, or as the
-- items a splitter cut it into. Such a delivery is one PART of the message for the receiver
-- ('' for the whole message; a branch name, an item, or both), delivered in PART_NO order within
-- an in-order lane, with its own content (PART_PAYLOAD; null: the message's payload) and its own
-- id for the receiver (TARGET_MESSAGE_ID). The unique key makes each part exactly one delivery.
ALTER TABLE COURIER_DELIVERY ADD COLUMN PART VARCHAR(100) DEFAULT '' NOT NULL;
ALTER TABLE COURIER_DELIVERY ADD COLUMN PART_NO INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE COURIER_DELIVERY ADD COLUMN PART_PAYLOAD ${text};
ALTER TABLE COURIER_DELIVERY DROP CONSTRAINT UK_COURIER_DELIVERY_RECEIVER;
ALTER TABLE COURIER_DELIVERY ADD CONSTRAINT UK_COURIER_DELIVERY_RECEIVER UNIQUE (MESSAGE_KEY, RECEIVER, PART);
