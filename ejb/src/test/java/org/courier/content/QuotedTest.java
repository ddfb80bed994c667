package org.courier.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotedTest {

    @Test
    void textXmlCarriesIsQuotedAsItIs() {
        assertThat(Quoted.of("order-1 Grüße \uD834\uDD1E\ttab", 60)).isEqualTo("order-1 Grüße \uD834\uDD1E\ttab");
    }

    @Test
    void controlCharactersAndLoneSurrogatesAreShownAsEscapes() {
        assertThat(Quoted.of("a\u0001b\u0000c\uFFFEd\uD800e", 60)).isEqualTo("a\\u0001b\\u0000c\\uFFFEd\\uD800e");
        assertThat(Quoted.xmlText(Quoted.of("\u0001\uDC00", 60))).isTrue();
    }

    @Test
    void aLongValueIsCutBetweenCharactersNeverInsideOne() {
        String value = "x".repeat(39) + "\uD83D\uDE00" + "tail";

        assertThat(Quoted.of(value, 40)).isEqualTo("x".repeat(39) + "\uD83D\uDE00…");
        assertThat(Quoted.of(value, 39)).isEqualTo("x".repeat(39) + "…");
        assertThat(Quoted.xmlText(Quoted.of(value, 40))).isTrue();
    }

    @Test
    void aWholeTextForAFaultKeepsItsLength() {
        String text = "y".repeat(500) + "\u0007";

        assertThat(Quoted.inXml(text)).isEqualTo("y".repeat(500) + "\\u0007");
        assertThat(Quoted.inXml("fine")).isSameAs("fine");
    }
}
