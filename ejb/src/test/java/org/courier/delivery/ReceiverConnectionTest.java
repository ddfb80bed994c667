package org.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.courier.delivery.ConnectionClosingReceiver.Manner;
import org.courier.message.Delivery;
import org.courier.message.QualityOfService;
import org.courier.message.ReceivedMessage;
import org.courier.routing.InDoubtPolicy;
import org.courier.routing.ReceiverEndpoint;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No false doubts: a delivery is in doubt only when its request may have reached the receiver,
 * never because a connection the receiver had closed was used to send it. 10 000 deliveries to
 * a receiver that is not idempotent (so every failure without an answer would be a doubt for an
 * operator), 16 at a time, against real sockets of a receiver that closes connections after
 * each answer, or keeps them alive and drops those idle for a second - with the load pausing for
 * about that second between rounds, so that connections come back to use just as the receiver
 * closes them.
 */
class ReceiverConnectionTest {

    private static final int DELIVERIES = 10_000;
    private static final int PARALLEL = 16;
    private static final int ROUNDS_WITH_PAUSES = 20;
    private static final int IDEMPOTENT_DELIVERIES = 2_000;
    private static final int IDEMPOTENT_ROUNDS_WITH_PAUSES = 10;
    private static final int STALE = 8;

    private final ReceiverClient client = new ReceiverClient();
    private final Random random = new Random();

    @ParameterizedTest
    @EnumSource(Manner.class)
    void aReceiverClosingConnectionsLeavesNoDeliveryInDoubt(Manner manner) throws Exception {
        try (ConnectionClosingReceiver receiver = ConnectionClosingReceiver.start(manner)) {
            ReceiverEndpoint endpoint = new ReceiverEndpoint("closing-" + manner, receiver.url(), Duration.ofSeconds(5));
            deliverUnderLoad(endpoint, manner, DELIVERIES, ROUNDS_WITH_PAUSES);
            assertThat(receiver.requests()).as("requests the receiver read: each delivery once").isEqualTo(DELIVERIES);
        }
    }

    /**
     * An idempotent receiver's connections are kept for the next delivery; one the receiver closed
     * meanwhile is not a failed attempt either (no retry minutes later): it goes again at once.
     */
    @ParameterizedTest
    @EnumSource(Manner.class)
    void anIdempotentReceiverClosingConnectionsHasEveryDeliveryAtTheFirstAttempt(Manner manner) throws Exception {
        try (ConnectionClosingReceiver receiver = ConnectionClosingReceiver.start(manner)) {
            ReceiverEndpoint endpoint = new ReceiverEndpoint("kept-" + manner, receiver.url(), Duration.ofSeconds(5), true,
                    InDoubtPolicy.HOLD, null, null);
            deliverUnderLoad(endpoint, manner, IDEMPOTENT_DELIVERIES, IDEMPOTENT_ROUNDS_WITH_PAUSES);
            assertThat(receiver.requests()).as("requests the receiver read").isGreaterThanOrEqualTo(IDEMPOTENT_DELIVERIES);
            if (manner == Manner.DROP_IDLE) {
                assertThat(receiver.connections()).as("connections kept for the next deliveries")
                        .isLessThan(IDEMPOTENT_DELIVERIES / 10);
            }
        }
    }

    /**
     * A request whose kept connection turned out closed goes again on a new connection, never on
     * another kept one: {@value #STALE} connections the receiver closed unannounced wait in the pool,
     * unchecked (idle for less than the half second after which one is checked), and the next
     * delivery, sent on one of them, goes again on a new connection and is delivered - sent on
     * another kept one, it would find it closed too, three times, and be in doubt.
     */
    @RepeatedTest(5)
    void aRequestFindingItsKeptConnectionClosedGoesAgainOnANewOne() throws Exception {
        try (ConnectionClosingReceiver receiver = ConnectionClosingReceiver.start(Manner.CLOSE_UNANNOUNCED)) {
            ReceiverEndpoint endpoint = new ReceiverEndpoint("kept-closed", receiver.url(), Duration.ofSeconds(5), true,
                    InDoubtPolicy.HOLD, null, null);
            ExecutorService senders = Executors.newFixedThreadPool(STALE);
            try {
                CyclicBarrier together = new CyclicBarrier(STALE);
                List<Future<ReceiverResponse>> sends = new ArrayList<>();
                for (int i = 0; i < STALE; i++) {
                    Delivery delivery = delivery("stale-" + i);
                    sends.add(senders.submit(() -> {
                        together.await();
                        return client.post(endpoint, delivery, false);
                    }));
                }
                for (Future<ReceiverResponse> send : sends) {
                    assertThat(send.get().success()).isTrue();
                }
            } finally {
                senders.shutdownNow();
            }
            assertThat(receiver.connections()).as("connections the receiver closed after one answer each")
                    .isGreaterThanOrEqualTo(3);

            ReceiverResponse next = client.post(endpoint, delivery("next"), false);

            assertThat(next.inDoubt()).as("in doubt: %s", next.error()).isFalse();
            assertThat(next.success()).as("delivered: %s", next.error()).isTrue();
            assertThat(receiver.received()).containsEntry("next", 1);
        }
    }

    /** {@code deliveries} in {@code roundsWithPauses} rounds for DROP_IDLE, else in one go. */
    private void deliverUnderLoad(ReceiverEndpoint endpoint, Manner manner, int deliveries, int roundsWithPauses)
            throws Exception {
        int rounds = manner == Manner.DROP_IDLE ? roundsWithPauses : 1;
        ConcurrentLinkedQueue<String> notDelivered = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> inDoubt = new ConcurrentLinkedQueue<>();
        ExecutorService senders = Executors.newFixedThreadPool(PARALLEL);
        try {
            int n = 0;
            for (int round = 0; round < rounds; round++) {
                if (round > 0) {
                    // load shaping: the pooled connections idle for about the receiver's second
                    Thread.sleep(980 + random.nextInt(40));
                }
                List<Future<?>> sends = new ArrayList<>();
                for (int i = 0; i < deliveries / rounds; i++) {
                    Delivery delivery = delivery("m-" + n++);
                    sends.add(senders.submit(() -> {
                        ReceiverResponse response = client.post(endpoint, delivery, false);
                        if (response.inDoubt()) {
                            inDoubt.add(response.error());
                        } else if (!response.success()) {
                            notDelivered.add(response.error());
                        }
                    }));
                }
                for (Future<?> send : sends) {
                    send.get();
                }
            }
        } finally {
            senders.shutdownNow();
        }

        assertThat(inDoubt).as("deliveries in doubt of %d (%s)", deliveries, manner).isEmpty();
        assertThat(notDelivered).as("deliveries failed of %d (%s)", deliveries, manner).isEmpty();
    }

    private static Delivery delivery(String messageId) {
        ReceivedMessage message = new ReceivedMessage("ERP", messageId, "Orders", QualityOfService.EXACTLY_ONCE, null,
                "<order/>", "hash");
        return message.addDelivery("closing");
    }
}
