package org.courier.web.admin;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Mounts the admin API at {@code /courier/api}. */
@ApplicationPath("/api")
public class AdminApi extends Application {
}
