/**
 * The SOAP edge of Courier's messaging contract ({@code WEB-INF/wsdl/courier-v1.wsdl}):
 * translates the generated contract types to Courier's commands and back, and Courier's
 * rejections to typed {@code CourierFault}s. No business rule lives here.
 */
package org.courier.web.soap;
