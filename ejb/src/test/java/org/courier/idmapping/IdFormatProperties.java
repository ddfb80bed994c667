package org.courier.idmapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Mapped ids (jqwik): whatever the seed, every format renders an id its own check accepts, the
 * same id for the same seed, and different ids for seeds that differ in the bytes it uses.
 */
class IdFormatProperties {

    private static final List<IdFormat> FORMATS = List.of(new IdFormat.Xi(), new IdFormat.SapRm(), new IdFormat.IdocTid(),
            new IdFormat.As2("courier.example"));

    @Property
    void everyRenderedIdIsOfItsFormatAndStable(@ForAll @Size(IdFormat.SEED_BYTES) byte[] seed, @ForAll String source) {
        for (IdFormat format : FORMATS) {
            String id = format.render(seed, source);

            assertThat(format.problem(id)).as("%s rendered %s", format.name(), id).isEmpty();
            assertThat(format.render(seed.clone(), source)).isEqualTo(id);
        }
    }

    @Property
    void seedsDifferingInTheirFirstTwelveBytesGiveDifferentIds(@ForAll @Size(IdFormat.SEED_BYTES) byte[] seed,
                                                               @ForAll @Size(IdFormat.SEED_BYTES) byte[] other) {
        if (java.util.Arrays.equals(seed, 0, 12, other, 0, 12)) {
            return;
        }
        for (IdFormat format : FORMATS) {
            assertThat(format.render(seed, "s")).as(format.name()).isNotEqualTo(format.render(other, "s"));
        }
    }
}
