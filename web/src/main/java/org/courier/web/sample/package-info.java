/**
 * The sample receiver that ships with the sample configuration, so that a new user sees a
 * message go through. Not for production routes.
 */
package org.courier.web.sample;
