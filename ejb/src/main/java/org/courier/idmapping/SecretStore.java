package org.courier.idmapping;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/** Reads the installation's secrets and makes one that is missing, each in a transaction of its own. */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class SecretStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    public Optional<String> find(String name) {
        return Optional.ofNullable(em.find(InstallationSecret.class, name)).map(InstallationSecret::value);
    }

    /** Makes a random 32-byte secret of that name; {@link MappingCollided} if another node was first. */
    public String create(String name) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        InstallationSecret created = new InstallationSecret(name, HexFormat.of().formatHex(secret));
        try {
            em.persist(created);
            em.flush();
        } catch (PersistenceException e) {
            throw new MappingCollided(e);
        }
        return created.value();
    }
}
