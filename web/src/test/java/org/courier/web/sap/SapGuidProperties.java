package org.courier.web.sap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Every spelling SAP systems use for one GUID is the same message id to Courier (jqwik). */
class SapGuidProperties {

    @Property
    void everySpellingOfAGuidNormalisesToTheSameId(@ForAll long high, @ForAll long low, @ForAll boolean upper) {
        String dashed = new UUID(high, low).toString();
        String plain = dashed.replace("-", "");
        String[] spellings = {dashed, plain, "uuid:" + dashed, "urn:uuid:" + plain, " " + dashed + "\t"};

        for (String spelling : spellings) {
            String written = upper ? spelling.toUpperCase(Locale.ROOT) : spelling;
            assertThat(SapGuid.normalize(written)).as(written).contains(dashed);
        }
    }
}
