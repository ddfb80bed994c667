package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.courier.it.support.CourierAdmin;
import org.courier.it.support.CourierClient;
import org.courier.it.support.CourierClient.CallAnswer;
import org.courier.it.support.CourierDatabase;
import org.courier.it.support.CourierDeployment;
import org.courier.it.support.CourierFaultException;
import org.courier.it.support.TestReceiver;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Synchronous calls against a real receiver (routing: {@code Quote} and {@code IdempotentQuote}
 * go to {@code responder}, which answers each request with a quote numbered by a counter, so a
 * stored response given again is told from a second call; {@code Fanout} has two receivers).
 */
@ExtendWith(ArquillianExtension.class)
class CallIT {

    private final CourierClient courier = new CourierClient();
    private final CourierAdmin admin = new CourierAdmin();
    private final CourierDatabase database = CourierDatabase.fromSystemProperty();
    private final AtomicInteger quotes = new AtomicInteger();
    private TestReceiver responder;
    private String sender;

    @Deployment(testable = false)
    static EnterpriseArchive courier() {
        return CourierDeployment.ear();
    }

    @BeforeEach
    void startReceiver() {
        responder = TestReceiver.start(18095);
        responder.respondWith(request -> "<quote xmlns=\"urn:example:quotes\" n=\"" + quotes.incrementAndGet()
                + "\" for=\"" + request.messageId() + "\"><price>42.00</price></quote>");
        sender = "CALL-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void stopReceiver() {
        responder.close();
    }

    @Test
    void aBestEffortCallReturnsTheReceiversResponseAndStoresNothing() {
        CallAnswer first = courier.call(sender, "Quote", "q-1", request("q-1"));
        CallAnswer second = courier.call(sender, "Quote", "q-1", request("q-1"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.receiver()).isEqualTo("responder");
        assertThat(first.replay()).isFalse();
        assertThat(first.payload().getLocalName()).isEqualTo("quote");
        assertThat(first.payloadAttribute("for")).isEqualTo("q-1");
        assertThat(first.payload().getTextContent()).isEqualTo("42.00");
        assertThat(second.payloadAttribute("n")).as("Best Effort calls the receiver every time")
                .isNotEqualTo(first.payloadAttribute("n"));
        assertThat(responder.count("q-1")).isEqualTo(2);
        assertThat(responder.arrivalsOf("q-1").get(0).body()).contains("<item>q-1</item>");
        assertNothingStored("q-1");
    }

    @Test
    void aBestEffortCallWithoutAMessageIdIsPassedOnWithoutOne() {
        CallAnswer answer = courier.call(sender, "Quote", null, request("anonymous"));

        assertThat(answer.messageId()).isNull();
        assertThat(responder.arrivals()).singleElement().satisfies(a -> {
            assertThat(a.messageId()).isNull();
            assertThat(a.sender()).isEqualTo(sender);
        });
    }

    @Test
    void aCallOfAnInterfaceWithTwoReceiversIsRefused() {
        assertThatThrownBy(() -> courier.call(sender, "Fanout", "q-2", request("q-2")))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("NOT_SUPPORTED");
                    assertThat(fault.retryable()).isFalse();
                    assertThat(fault.reason()).contains("exactly one receiver").contains("[alpha, beta]");
                });
        assertNothingStored("q-2");
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsAFaultAndNothingIsStored() {
        responder.delay(Duration.ofSeconds(5)); // its timeout is 3 s

        assertThatThrownBy(() -> courier.call(sender, "Quote", "q-3", request("q-3")))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("RECEIVER_TIMEOUT");
                    assertThat(fault.retryable()).isTrue();
                    assertThat(fault.reason()).contains("responder").contains("within 3 s").contains("may have processed");
                });
        assertNothingStored("q-3");
    }

    @Test
    void receiverErrorsComeBackAsFaultsThatSaySo() {
        responder.answer(503);
        assertThatThrownBy(() -> courier.call(sender, "Quote", "q-4", request("q-4")))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("RECEIVER_ERROR");
                    assertThat(fault.retryable()).isTrue();
                    assertThat(fault.reason()).contains("HTTP 503");
                });
        responder.answer(400);
        assertThatThrownBy(() -> courier.call(sender, "IdempotentQuote", "q-4", request("q-4")))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("RECEIVER_REJECTED");
                    assertThat(fault.retryable()).isFalse();
                });
        responder.stop();
        assertThatThrownBy(() -> courier.call(sender, "IdempotentQuote", "q-4", request("q-4")))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("RECEIVER_UNAVAILABLE");
                    assertThat(fault.retryable()).isTrue();
                });
        assertNothingStored("q-4");

        responder.restart();
        responder.answer(200);
        assertThat(courier.call(sender, "IdempotentQuote", "q-4", request("q-4")).replay())
                .as("a failed idempotent call left no record: the next one is a first call").isFalse();
    }

    @Test
    void anIdempotentCallRepeatedGetsTheStoredResponseWithoutCallingTheReceiverAgain() {
        List<CallAnswer> answers = List.of(
                courier.call(sender, "IdempotentQuote", "q-5", request("q-5")),
                courier.call(sender, "IdempotentQuote", "q-5", request("q-5")),
                courier.call(sender, "IdempotentQuote", "q-5", request("q-5")));

        assertThat(responder.count("q-5")).isEqualTo(1);
        assertThat(answers).extracting(CallAnswer::replay).containsExactly(false, true, true);
        assertThat(answers).extracting(a -> a.payloadAttribute("n")).containsOnly(answers.get(0).payloadAttribute("n"));
        assertThat(answers).extracting(CallAnswer::respondedAt).containsOnly(answers.get(0).respondedAt());
        assertThat(admin.storedCall(sender, "q-5")).satisfies(call -> {
            assertThat(call.state()).isEqualTo("COMPLETED");
            assertThat(call.replays()).isEqualTo(2);
        });
    }

    @Test
    void concurrentFirstCallsOfOneIdCallTheReceiverOnce() throws Exception {
        responder.delay(Duration.ofMillis(1500));
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CyclicBarrier start = new CyclicBarrier(callers);
        List<CallAnswer> answers = new ArrayList<>();
        try {
            List<Future<CallAnswer>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return courier.call(sender, "IdempotentQuote", "q-6", request("q-6"));
                }));
            }
            for (Future<CallAnswer> call : calls) {
                answers.add(call.get());
            }
        } finally {
            pool.shutdown();
        }

        assertThat(responder.count("q-6")).isEqualTo(1);
        assertThat(answers).extracting(a -> a.payloadAttribute("n")).containsOnly(answers.get(0).payloadAttribute("n"));
        assertThat(answers).filteredOn(a -> !a.replay()).hasSize(1);
    }

    @Test
    void anIdempotentCallRepeatedWithAnotherPayloadIsAConflict() {
        courier.call(sender, "IdempotentQuote", "q-7", request("q-7"));

        assertThatThrownBy(() -> courier.call(sender, "IdempotentQuote", "q-7", request("something else")))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("MESSAGE_ID_CONFLICT");
                    assertThat(fault.retryable()).isFalse();
                });
        assertThat(responder.count("q-7")).isEqualTo(1);
    }

    @Test
    void anIdempotentCallNeedsAMessageId() {
        assertThatThrownBy(() -> courier.call(sender, "IdempotentQuote", null, request("x")))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("INVALID_REQUEST");
                    assertThat(fault.reason()).contains("messageId is missing").contains("idempotent");
                });
        assertThat(responder.total()).isZero();
    }

    /**
     * The responder is not idempotent: after a call without an answer, a repeat must not call it
     * again. An operator who learned that it did not process the request settles the call; the
     * next repeat calls the receiver.
     */
    @Test
    void anIdempotentCallWithoutAnAnswerIsInDoubtUntilAnOperatorSettlesIt() {
        responder.delay(Duration.ofSeconds(5));
        assertThatThrownBy(() -> courier.call(sender, "IdempotentQuote", "q-8", request("q-8")))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> assertThat(fault.code()).isEqualTo("RECEIVER_TIMEOUT"));
        responder.delay(Duration.ZERO);

        assertThatThrownBy(() -> courier.call(sender, "IdempotentQuote", "q-8", request("q-8")))
                .isInstanceOfSatisfying(CourierFaultException.class, fault -> {
                    assertThat(fault.code()).isEqualTo("CALL_IN_DOUBT");
                    assertThat(fault.retryable()).isFalse();
                    assertThat(fault.reason()).contains("responder").contains("operator");
                });
        // the responder records the request when it writes its late answer (to a closed connection)
        await().atMost(Duration.ofSeconds(10)).until(() -> responder.attempts("q-8") == 1);
        assertThat(admin.storedCall(sender, "q-8").state()).isEqualTo("IN_DOUBT");

        assertThat(admin.forgetCall(sender, "q-8").state()).isEqualTo("IN_DOUBT");
        CallAnswer answer = courier.call(sender, "IdempotentQuote", "q-8", request("q-8"));
        assertThat(answer.replay()).isFalse();
        assertThat(responder.attempts("q-8")).isEqualTo(2);
        assertThat(courier.call(sender, "IdempotentQuote", "q-8", request("q-8")).payloadAttribute("n"))
                .isEqualTo(answer.payloadAttribute("n"));
    }

    private void assertNothingStored(String messageId) {
        assertThat(database.count("SELECT COUNT(*) FROM COURIER_CALL WHERE SENDER = ?", sender)).isZero();
        assertThat(database.messages(sender, messageId)).isZero();
    }

    private static String request(String item) {
        return "<quoteRequest xmlns=\"urn:example:quotes\"><item>" + item + "</item></quoteRequest>";
    }
}
