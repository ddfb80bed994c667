/**
 * Message content: payloads read safely ({@link org.courier.content.XmlPayload}) and cut into
 * items by a splitter ({@link org.courier.content.ItemSplit}).
 */
package org.courier.content;
