package org.courier.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void theReasonIsTheInnermostCauseThatSaysSomethingInOneLine() {
        Exception wrapped = new RuntimeException("Could not create a session: IJ000457: Unchecked throwable in ...",
                new IllegalStateException("AMQ219007: Cannot connect to server(s).\n  Tried with all available servers.",
                        new RuntimeException((String) null)));

        assertEquals("AMQ219007: Cannot connect to server(s). Tried with all available servers.", Causes.reason(wrapped));
    }

    @Test
    void anExceptionWithoutAnyMessageIsNamedByItsType() {
        assertEquals("IllegalStateException", Causes.reason(new IllegalStateException()));
    }

    @Test
    void aLongReasonIsCut() {
        String reason = Causes.reason(new RuntimeException("x".repeat(1000)));

        assertEquals(Causes.MAX_REASON + 1, reason.length());
        assertTrue(reason.endsWith("…"));
    }
}
