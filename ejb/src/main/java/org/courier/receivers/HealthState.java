package org.courier.receivers;

/** What Courier knows of a receiver's health. */
public enum HealthState {
    /** Its last attempt succeeded, or none has failed since it was last back. */
    UP(0),
    /** Its last attempts failed, fewer in a row than make it DOWN: deliveries still go one by one. Per node. */
    FAILING(1),
    /** Too many attempts failed in a row: its deliveries wait, and one of them is sent now and then as a probe. */
    DOWN(2),
    /** An operator took it out: its deliveries wait, nothing is sent until an operator brings it back. */
    MAINTENANCE(3);

    private final int gaugeValue;

    HealthState(int gaugeValue) {
        this.gaugeValue = gaugeValue;
    }

    /** DOWN or MAINTENANCE: its deliveries wait instead of being attempted. */
    public boolean holdsDeliveries() {
        return this == DOWN || this == MAINTENANCE;
    }

    /** The value of the state gauge: 0 up, 1 failing, 2 down, 3 maintenance. */
    public int gaugeValue() {
        return gaugeValue;
    }
}
