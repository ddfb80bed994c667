package org.courier.web.sap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * SAP message GUIDs against a fuzzer (Jazzer): any text normalises without throwing, to nothing
 * or to one lower-case dashed GUID that normalises to itself. Fuzzing run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl web test -Dtest=SapGuidFuzzTest}.
 */
class SapGuidFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void anyTextIsOneNormalGuidOrNone(String id) {
        Optional<String> normal = SapGuid.normalize(id);

        normal.ifPresent(guid -> {
            assertThat(guid).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(SapGuid.normalize(guid)).contains(guid);
        });
    }
}
