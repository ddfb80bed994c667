package org.courier.resend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorGroupTest {

    @Test
    void theSameErrorWithDifferentIdsNumbersAndTimesIsOneGroup() {
        ErrorGroup a = ErrorGroup.of("receiver answered 500: order 4711 unknown (trace 3f2a9c8e1b7d4e60, at 2026-12-07T09:41:12.345Z)");
        ErrorGroup b = ErrorGroup.of("receiver answered 500: order 4712 unknown (trace 9d0c1e2f3a4b5c6d, at 2026-12-07T10:02:59Z)");
        assertThat(a).isEqualTo(b);
        assertThat(a.key()).isEqualTo(b.key());
        assertThat(a.text()).isEqualTo("receiver answered 500: order <n> unknown (trace <id>, at <time>)");
        assertThat(ErrorGroup.of("message 0f8fad5b-d9cb-469f-a165-70867728950e refused"))
                .isEqualTo(ErrorGroup.of("message 7c9e6679-7425-40de-944b-e07fc1f90ae7 refused"));
    }

    @Test
    void differentErrorsStayApart() {
        assertThat(ErrorGroup.of("HTTP 503 Service Unavailable")).isNotEqualTo(ErrorGroup.of("HTTP 500 Internal Server Error"));
        assertThat(ErrorGroup.of("HTTP 503 Service Unavailable").key())
                .isNotEqualTo(ErrorGroup.of("HTTP 500 Internal Server Error").key());
        assertThat(ErrorGroup.of("connection refused")).isNotEqualTo(ErrorGroup.of("read timed out"));
        // a word of hexadecimal letters alone is a word, not an id
        assertThat(ErrorGroup.of("deadbeefcafe not found").text()).isEqualTo("deadbeefcafe not found");
    }

    @Test
    void noErrorIsAGroupOfItsOwnAndSpacesDoNotSplitGroups() {
        assertThat(ErrorGroup.of(null).text()).isEqualTo(ErrorGroup.NO_ERROR);
        assertThat(ErrorGroup.of("  ")).isEqualTo(ErrorGroup.of(null));
        assertThat(ErrorGroup.of("read  timed\nout ")).isEqualTo(ErrorGroup.of("read timed out"));
    }

    @Test
    void aKeyIsTwelveLowerCaseHexadecimalDigits() {
        String key = ErrorGroup.of("connection refused").key();
        assertThat(key).matches("[0-9a-f]{12}");
        assertThat(ErrorGroup.isKey(key)).isTrue();
        assertThat(ErrorGroup.isKey(key.toUpperCase())).isFalse();
        assertThat(ErrorGroup.isKey(key.substring(1))).isFalse();
        assertThat(ErrorGroup.isKey("zzzzzzzzzzzz")).isFalse();
        assertThat(ErrorGroup.isKey(null)).isFalse();
    }
}
