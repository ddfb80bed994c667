package org.courier.idmapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A secret of this Courier installation, made at random once and kept in the database, so that
 * every node sharing the database uses the same one: the key of derived id mappings.
 */
@Entity
@Table(name = "COURIER_SECRET")
public class InstallationSecret {

    @Id
    @Column(name = "NAME", length = 60)
    private String name;

    @Column(name = "SECRET_VALUE", length = 128, nullable = false)
    private String value;

    protected InstallationSecret() {
    }

    InstallationSecret(String name, String value) {
        this.name = name;
        this.value = value;
    }

    String value() {
        return value;
    }
}
