package org.courier.retention;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import java.util.logging.Logger;

/**
 * The retention policy of the running Courier, read once at deployment from the system
 * properties {@link RetentionPolicy} names. A period that is not a duration, or tombstones that
 * would not outlive the records they stand for, fail the deployment with a message that names
 * the property: Courier never purges under a policy nobody meant. Immutable once loaded.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RetentionPeriods {

    private static final Logger LOG = Logger.getLogger(RetentionPeriods.class.getName());

    /** Set once in {@link #load()}, before the container lets any call in. */
    private RetentionPolicy policy;

    @PostConstruct
    void load() {
        policy = RetentionPolicy.fromSystemProperties();
        LOG.info(() -> "Courier retention after settlement: " + policy);
    }

    public RetentionPolicy policy() {
        return policy;
    }
}
