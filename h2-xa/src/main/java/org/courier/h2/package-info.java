/**
 * H2's XA data source with working crash recovery: the datasource class of Courier's embedded
 * database ({@code CourierDS}), installed into WildFly as module {@code org.courier.h2}.
 */
package org.courier.h2;
