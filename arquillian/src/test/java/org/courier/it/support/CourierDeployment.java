package org.courier.it.support;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/** The real Courier EAR as the build produced it, for black-box deployments. */
public final class CourierDeployment {

    private CourierDeployment() {
    }

    public static EnterpriseArchive ear() {
        File ear = new File(System.getProperty("courier.ear"));
        return ShrinkWrap.create(ZipImporter.class, "courier.ear").importFrom(ear).as(EnterpriseArchive.class);
    }
}
