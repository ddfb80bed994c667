package org.courier.idmapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdFormatTest {

    private static final MappingSeeds SEEDS = new MappingSeeds("a secret of this installation".getBytes(StandardCharsets.UTF_8));
    private static final byte[] SEED = SEEDS.derived("ERP/order-4711", "erp");

    @Test
    void xiIdsAreLowerCaseGuids() {
        IdFormat xi = IdFormat.parse("xi");
        String id = xi.render(SEED, "order-4711");

        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(xi.problem(id)).isEmpty();
        assertThat(xi.problem(id.toUpperCase())).hasValueSatisfying(p -> assertThat(p).contains("XI message id"));
        assertThat(xi.problem("12345678-1234-1234-1234-12345678901")).isPresent();
        assertThat(xi.problem("uuid:" + id)).isPresent();
    }

    @Test
    void sapRmIdsAreUuidPrefixedGuids() {
        IdFormat rm = IdFormat.parse("sap-rm");
        String id = rm.render(SEED, "order-4711");

        assertThat(id).startsWith("uuid:").hasSize(41);
        assertThat(rm.problem(id)).isEmpty();
        assertThat(rm.problem(id.substring(5))).isPresent();
        assertThat(rm.problem("urn:" + id)).isPresent();
    }

    @Test
    void idocTidsAre24UpperCaseHexCharacters() {
        IdFormat tid = IdFormat.parse("idoc-tid");
        String id = tid.render(SEED, "order-4711");

        assertThat(id).matches("[0-9A-F]{24}");
        assertThat(tid.problem(id)).isEmpty();
        assertThat(tid.problem(id.toLowerCase())).isPresent();
        assertThat(tid.problem(id + "0")).isPresent();
    }

    @Test
    void as2MessageIdsHaveTheConfiguredRightPart() {
        IdFormat as2 = IdFormat.parse("as2:courier.example.com");
        String id = as2.render(SEED, "order-4711");

        assertThat(id).startsWith("<").endsWith("@courier.example.com>");
        assertThat(as2.problem(id)).isEmpty();
        assertThat(as2.problem("no-brackets@example.com")).isPresent();
        assertThat(as2.problem("<two@at@signs>")).isPresent();
        assertThatThrownBy(() -> IdFormat.parse("as2:bad@part")).hasMessageContaining("right part");
    }

    @Test
    void passThroughKeepsTheSourceId() {
        IdFormat same = IdFormat.parse("pass-through");

        assertThat(same.render(SEED, "order-4711")).isEqualTo("order-4711");
        assertThat(same.problem("")).isPresent();
    }

    @Test
    void templatesFillHexAndGuidPlaceholders() {
        IdFormat template = IdFormat.parse("template:ORD-{HEX:16}-{hex:4}");
        String id = template.render(SEED, "order-4711");

        assertThat(id).matches("ORD-[0-9A-F]{16}-[0-9a-f]{4}");
        assertThat(template.problem(id)).isEmpty();
        assertThat(template.problem("ORD-" + "0".repeat(15) + "-abcd")).isPresent();
        assertThat(IdFormat.parse("template:{guid}").render(SEED, "x")).isEqualTo(IdFormat.parse("xi").render(SEED, "x"));
        assertThatThrownBy(() -> IdFormat.parse("template:ORD-1")).hasMessageContaining("every id would be the same");
        assertThatThrownBy(() -> IdFormat.parse("template:{hex:33}")).hasMessageContaining("1 to 32");
    }

    @Test
    void unknownFormatsAreRefusedByName() {
        assertThatThrownBy(() -> IdFormat.parse("edifact")).hasMessageContaining("unknown id format 'edifact'")
                .hasMessageContaining("idoc-tid");
    }

    @Test
    void derivedSeedsAreStableAndDistinctPerSourceAndContext() {
        MappingSeeds again = new MappingSeeds("a secret of this installation".getBytes(StandardCharsets.UTF_8));
        MappingSeeds otherSecret = new MappingSeeds("another installation's secret".getBytes(StandardCharsets.UTF_8));

        assertThat(again.derived("ERP/order-4711", "erp")).isEqualTo(SEED);
        assertThat(otherSecret.derived("ERP/order-4711", "erp")).isNotEqualTo(SEED);
        assertThat(SEEDS.derived("ab", "c")).isNotEqualTo(SEEDS.derived("a", "bc"));
        Set<String> ids = new HashSet<>();
        for (String context : List.of("erp", "erp#1", "erp#2", "crm")) {
            ids.add(IdFormat.parse("idoc-tid").render(SEEDS.derived("ERP/order-4711", context), "order-4711"));
        }
        assertThat(ids).hasSize(4);
        assertThatThrownBy(() -> new MappingSeeds(new byte[8])).hasMessageContaining("at least 16 bytes");
    }
}
