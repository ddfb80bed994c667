package org.courier.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadContractTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "<a/>",
            "  <a/>\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a/>",
            "<?xml version='1.0' encoding='utf-8' standalone='yes'?><a/>",
            "<?xml version=\"1.0\"?><a/>",
            "<!-- before --><a/><?after pi?>",
            "<o:a xmlns:o=\"urn:o\"><o:b o:c=\"1\"/></o:a>",
            "<a xmlns=\"http://example.com/orders\"><b xmlns=\"\"/></a>",
            "<a>&lt;&amp;&gt;&quot;&apos;&#x1F600;\uD83D\uDE00<![CDATA[<b/>]]></a>",
            "<a xsi:nil=\"true\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>"})
    void exactlyOneWellFormedElementKeepsTheContract(String payload) {
        assertThat(PayloadContract.breach(payload)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<a/><b/>|2 sibling elements (<a>, <b>)",
            "<a/> <o:b xmlns:o='urn:o'/><c/>|3 sibling elements (<a>, <o:b>, …)",
            "note<a/>|text beside its element ('note')",
            "<a/>tail|text beside its element ('tail')",
            "<![CDATA[x]]><a/>|text beside its element ('x')",
            "just some text|holds text ('just some text') and no XML element",
            "''|holds no XML element",
            "<!-- only a comment -->|holds no XML element",
            "<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>|document type declaration (DTD)",
            "<a>&x;</a>|x",
            "<o:a/>|not well-formed",
            "<a>|not well-formed",
            "<a></b>|not well-formed",
            "<?xml versoin=\"1.0\" encoding=\"UTF-8\"?><x><x>m</x></x>|XML declaration is not well-formed",
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\u00E9</a>|names encoding 'ISO-8859-1', but payloads are stored and delivered in UTF-8",
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>|names encoding 'UTF-16'",
            "<?xml version=\"1.0\" encoding=\"UTFX8\"?><x><x></x></x>|names encoding 'UTFX8'",
            "<?xml version=\"1.1\" encoding=\"UTF-8\"?><x><x></x></x>|says version 1.1: payloads are XML 1.0",
            "<?xml version='1.1'?><x/>|says version 1.1",
            "<order xmlns=\",\"/>|relative namespace name ','",
            "<o:order xmlns:o=\"urn:o\"><line xmlns=\"lines\"/></o:order>|relative namespace name 'lines'"})
    void anythingElseIsRefusedSayingWhy(String payload, String reason) {
        assertThat(PayloadContract.breach(payload)).isNotNull().contains(reason);
    }
}
