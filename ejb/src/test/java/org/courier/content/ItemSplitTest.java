package org.courier.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.courier.content.ItemSplit.Item;
import org.courier.content.XmlPayload.UnreadablePayload;
import org.junit.jupiter.api.Test;

class ItemSplitTest {

    private static final Map<String, String> O = Map.of("o", "urn:example:orders");
    private static final String ORDERS = "<o:orders xmlns:o=\"urn:example:orders\">"
            + "<o:order><o:number>A-1</o:number></o:order>"
            + "<o:order><o:number>A-2</o:number></o:order>"
            + "<o:order><o:number>A-3</o:number></o:order></o:orders>";

    @Test
    void itemsAreNamedByTheirKeyInDocumentOrderAndKeepTheirNamespaces() {
        List<Item> items = new ItemSplit("/o:orders/o:order", "o:number", O).items(ORDERS);

        assertThat(items).extracting(Item::name).containsExactly("item-A-1", "item-A-2", "item-A-3");
        assertThat(items).extracting(Item::position).containsExactly(0, 1, 2);
        assertThat(items.get(1).xml()).contains("urn:example:orders").contains("A-2").doesNotContain("A-1");
        assertThat(XmlPayload.parse(items.get(1).xml()).getDocumentElement().getLocalName()).isEqualTo("order");
    }

    @Test
    void withoutAKeyItemsAreNamedByPosition() {
        assertThat(new ItemSplit("/o:orders/o:order", null, O).items(ORDERS)).extracting(Item::name)
                .containsExactly("item-1", "item-2", "item-3");
    }

    @Test
    void unusablePayloadsAreRefusedSayingWhy() {
        ItemSplit split = new ItemSplit("/o:orders/o:order", "o:number", O);

        assertThatThrownBy(() -> split.items("<o:orders xmlns:o=\"urn:example:orders\"/>"))
                .isInstanceOf(UnreadablePayload.class).hasMessageContaining("no items at /o:orders/o:order");
        assertThatThrownBy(() -> split.items(ORDERS.replace("A-3", "A-1")))
                .hasMessageContaining("two items of the payload have the key 'A-1'");
        assertThatThrownBy(() -> split.items(ORDERS.replace("<o:number>A-2</o:number>", "")))
                .hasMessageContaining("item 2 has no key at o:number");
        assertThatThrownBy(() -> split.items(ORDERS.replace("A-2", "A 2")))
                .hasMessageContaining("item 2 has the key 'A 2'");
        String tooMany = "<o:orders xmlns:o=\"urn:example:orders\">" + "<o:order/>".repeat(ItemSplit.MAX_ITEMS + 1) + "</o:orders>";
        assertThatThrownBy(() -> new ItemSplit("/o:orders/o:order", null, O).items(tooMany))
                .hasMessageContaining("at most 1000");
    }

    @Test
    void invalidXPathsAreRefusedWhenConfigured() {
        assertThatThrownBy(() -> new ItemSplit("/o:orders/[", null, O)).hasMessageContaining("not a valid XPath");
    }
}
