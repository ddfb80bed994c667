/**
 * Inbound SFTP channels: directories on SFTP servers whose files Courier takes as messages,
 * exactly once per file ({@link org.courier.sftp.SftpChannelPoller}).
 */
package org.courier.sftp;
