/**
 * SAP's sender protocols as thin edges over Courier's one core: SAP RM style plain SOAP
 * ({@code /courier/rm/<channel>}, id and queue in URL parameters) and XI 3.0 messages
 * ({@code /courier/xi}, id, sender, interface and queue in the XI message header). Both end in
 * the same receipt (Exactly Once, in order) or call (Best Effort) as the v1 contract.
 */
package org.courier.web.sap;
