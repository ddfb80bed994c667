package org.courier.web.admin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.Test;

class ControlCharacterFilterTest {

    @Test
    void aParameterHoldingAControlCharacterIsRefusedNamingIt() {
        MultivaluedMap<String, String> parameters = new MultivaluedHashMap<>();
        parameters.add("receiver", "alpha");
        parameters.add("sender", "ERP\u0000");

        assertThat(ControlCharacterFilter.refusal(parameters)).contains("query parameter 'sender' holds the control"
                + " character U+0000: no value Courier keeps has one");
        parameters.putSingle("sender", "tab\there");
        assertThat(ControlCharacterFilter.refusal(parameters)).hasValueSatisfying(error -> assertThat(error).contains("U+0009"));
    }

    @Test
    void printableTextOfAnyScriptPasses() {
        MultivaluedMap<String, String> parameters = new MultivaluedHashMap<>();
        parameters.add("sender", "ERP");
        parameters.add("messageId", "Grüße-中-\uD834\uDD1E ' OR 1=1 -- <script>");
        assertThat(ControlCharacterFilter.refusal(parameters)).isEmpty();
    }
}
