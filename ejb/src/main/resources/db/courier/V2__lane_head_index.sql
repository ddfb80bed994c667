-- The purge asks whether a message's delivery is the head of a lane (COURIER_LANE joined on
-- HEAD_DELIVERY_ID); without this index that is a scan of every lane of every in-order queue.
CREATE INDEX IX_COURIER_LANE_HEAD ON COURIER_LANE (HEAD_DELIVERY_ID);
