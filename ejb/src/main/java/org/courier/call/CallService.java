package org.courier.call;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.logging.Logger;
import org.courier.access.OperatorScope;
import org.courier.delivery.CallReply;
import org.courier.delivery.ReceiverClient;
import org.courier.idmapping.PayloadIdentity;
import org.courier.ingest.FaultCode;
import org.courier.ingest.PayloadFingerprint;
import org.courier.ingest.PayloadIds;
import org.courier.ingest.RequestRejected;
import org.courier.ingest.SendCommand;
import org.courier.ingest.SendCommandValidator;
import org.courier.operations.ActionRefused;
import org.courier.retention.RetentionPeriods;
import org.courier.routing.CallMode;
import org.courier.routing.InDoubtPolicy;
import org.courier.routing.ReceiverEndpoint;
import org.courier.routing.ReceiverProtocol;
import org.courier.routing.Route;
import org.courier.routing.RoutingTable;

/**
 * Synchronous calls, quality of service Best Effort: the request goes to the route's one
 * receiver and its response comes back to the sender; nothing is persisted on the way.
 *
 * <p>A route with {@code call="idempotent"} makes the call an <em>idempotent process call</em>:
 * the first call of a (sender, message id) claims a record before the receiver is called, and
 * the receiver's 2xx response is stored with it. A repeat gets the stored response (marked as a
 * replay) and the receiver is not called again; a repeat with another payload is a
 * {@code MESSAGE_ID_CONFLICT}. A repeat that arrives while the first call runs waits for its
 * outcome (at most the receiver's timeout and {@value #WAIT_MARGIN_SECONDS} s) and gets the same
 * response, or {@code TEMPORARILY_UNAVAILABLE}: retry.
 *
 * <p>Failure policy: a receiver that cannot be reached or answers with an error got nothing that
 * counts; the claim is removed and the caller gets a fault that says so (retryable unless the
 * receiver refused the request as wrong). A call without an answer (timeout, broken connection,
 * or a crash of Courier mid-call) is <em>in doubt</em>: the receiver may have processed it. The
 * next repeat calls again only if the receiver is idempotent or its in-doubt policy is
 * {@code retry} (with {@code Courier-Possible-Duplicate: true}); otherwise it gets
 * {@code CALL_IN_DOUBT} until an operator settles the call (admin API).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class CallService {

    static final long WAIT_MARGIN_SECONDS = 5;
    /** How long after its start a claimed call without an outcome counts as lost to a crash, beyond its timeout. */
    static final Duration CRASH_GRACE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Logger LOG = Logger.getLogger(CallService.class.getName());

    @EJB
    private RoutingTable routing;

    @EJB
    private CallLedger ledger;

    @EJB
    private RetentionPeriods retention;

    @Inject
    private ReceiverClient client;

    public CallResult call(SendCommand sent) {
        SendCommand command = PayloadIds.withIdFromPayload(sent, routing);
        Route route = command.sender() == null || command.interfaceName() == null ? null
                : routing.routeFor(command.sender(), command.interfaceName()).orElse(null);
        boolean idempotent = route != null && route.callMode() == CallMode.IDEMPOTENT;
        new SendCommandValidator(routing.maxPayloadBytes()).validateCall(command, idempotent);
        if (route == null) {
            throw new RequestRejected(FaultCode.UNKNOWN_INTERFACE, "no route for interface '" + command.interfaceName()
                    + "' of sender '" + command.sender() + "': ask an operator to configure one");
        }
        ReceiverEndpoint receiver = onlyReceiver(route);
        if (!idempotent) {
            CallReply reply = client.call(receiver, command.sender(), command.interfaceName(),
                    command.hasMessageId() ? command.messageId() : null, command.payload(), false);
            return answer(command, receiver, reply, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        }
        String hash = sent.hasMessageId() ? PayloadFingerprint.of(command.payload())
                : new PayloadIdentity.CanonicalHash().idOf(command.payload());
        return idempotentCall(command, receiver, hash);
    }

    /** The record of an idempotent call, for operators: one outside their scope is not found, as one never stored. */
    public CallRecord find(OperatorScope scope, String sender, String messageId) {
        return ledger.find(scope, sender, messageId).orElseThrow(() -> new ActionRefused(ActionRefused.Reason.NOT_FOUND,
                "no idempotent call " + sender + "/" + messageId + " is stored (never made, failed, or expired)"));
    }

    /**
     * An operator settles a call in doubt after checking with the receiver that it did not
     * process it: the record goes, and the next call of the id calls the receiver. Refused for a
     * call with a stored response, or one still running.
     */
    public void forget(OperatorScope scope, String sender, String messageId) {
        CallRecord call = find(scope, sender, messageId);
        Duration timeout = routing.receiver(call.receiver()).map(ReceiverEndpoint::timeout).orElse(Duration.ZERO);
        if (call.state() == CallState.COMPLETED) {
            throw new ActionRefused(ActionRefused.Reason.CONFLICT, "call " + sender + "/" + messageId + " has a stored"
                    + " response; its repeats get it");
        }
        if (!ledger.forget(sender, messageId, Instant.now().minus(timeout).minus(CRASH_GRACE))) {
            throw new ActionRefused(ActionRefused.Reason.CONFLICT, "call " + sender + "/" + messageId + " is in progress"
                    + " (started " + call.startedAt() + "); it is not in doubt");
        }
        LOG.info(() -> "Call " + sender + "/" + messageId + " (was " + call.state() + ": " + call.lastError()
                + ") forgotten by an operator; its next call calls receiver " + call.receiver());
    }

    /** Best Effort goes to exactly one receiver: a route with more targets, a split or an aggregator cannot answer. */
    private ReceiverEndpoint onlyReceiver(Route route) {
        if (route.targets().size() != 1 || route.split() != null || route.aggregator() != null
                || !route.targets().get(0).branch().isEmpty()) {
            String why = route.aggregator() != null ? "aggregates its messages"
                    : route.split() != null ? "splits its messages"
                    : "has " + route.targets().size() + " targets " + route.targets().stream()
                    .map(t -> t.branch().isEmpty() ? t.receiver() : t.receiver() + "#" + t.branch()).toList();
            throw new RequestRejected(FaultCode.NOT_SUPPORTED, "a Best Effort call goes to exactly one receiver, whose"
                    + " response it returns; the route of interface '" + route.interfaceName() + "' " + why
                    + ": send it ExactlyOnce, or ask an operator for a route with one <to>");
        }
        ReceiverEndpoint receiver = routing.receiver(route.targets().get(0).receiver()).orElseThrow();
        if (receiver.protocol() != ReceiverProtocol.PLAIN) {
            // the SAP protocols and SFTP take deliveries; their answer is an acknowledgement, not a document
            throw new RequestRejected(FaultCode.NOT_SUPPORTED, "a Best Effort call returns the receiver's response"
                    + " document; receiver '" + receiver.name() + "' of interface '" + route.interfaceName() + "' takes "
                    + receiver.protocol().configName()
                    + " deliveries, which answer with none: send it ExactlyOnce");
        }
        return receiver;
    }

    private CallResult idempotentCall(SendCommand command, ReceiverEndpoint receiver, String hash) {
        Instant waitUntil = Instant.now().plus(receiver.timeout()).plusSeconds(WAIT_MARGIN_SECONDS);
        while (true) {
            try {
                CallRecord claimed = ledger.claim(command.sender(), command.messageId(), command.interfaceName(),
                        receiver.name(), hash, Instant.now().plus(idempotencyWindow()));
                return perform(command, receiver, claimed, false);
            } catch (CallClaimTaken taken) {
                Optional<CallRecord> stored = ledger.find(command.sender(), command.messageId());
                if (stored.isEmpty()) {
                    if (Instant.now().isAfter(waitUntil)) {
                        throw new RequestRejected(FaultCode.TEMPORARILY_UNAVAILABLE, "the call of message id '"
                                + command.messageId() + "' could not be recorded now; nothing was called: retry it");
                    }
                    continue; // the first call failed and released it meanwhile: this one is first now
                }
                CallRecord call = stored.get();
                if (!call.requestHash().equals(hash)) {
                    throw new RequestRejected(FaultCode.MESSAGE_ID_CONFLICT, "message id '" + command.messageId()
                            + "' was called at " + call.startedAt() + " with a different payload: a new request needs a new id");
                }
                Optional<CallResult> settled = settle(command, receiver, call, waitUntil);
                if (settled.isPresent()) {
                    return settled.get();
                }
                pause();
            }
        }
    }

    /** What a repeat does with the record it found: replay, call again, fail, or (empty) wait and look again. */
    private Optional<CallResult> settle(SendCommand command, ReceiverEndpoint receiver, CallRecord call, Instant waitUntil) {
        Instant now = Instant.now();
        boolean lost = call.state() == CallState.IN_PROGRESS
                && call.startedAt().plus(receiver.timeout()).plus(CRASH_GRACE).isBefore(now);
        if (call.state() == CallState.COMPLETED) {
            ledger.countReplay(call.id());
            LOG.fine(() -> "Repeat of call " + describe(command) + " answered with the stored response");
            return Optional.of(new CallResult(command.sender(), command.messageId(), call.receiver(), call.responseStatus(),
                    call.responseType(), call.responseBody(), true, call.completedAt()));
        }
        if (call.state() == CallState.IN_DOUBT || lost) {
            String doubt = call.state() == CallState.IN_DOUBT ? call.lastError()
                    : "the call started at " + call.startedAt() + " has no outcome (Courier stopped during it)";
            if (!receiver.idempotent() && receiver.inDoubt() != InDoubtPolicy.RETRY) {
                throw new RequestRejected(FaultCode.CALL_IN_DOUBT, "the earlier call of message id '" + command.messageId()
                        + "' is in doubt (" + doubt + "): receiver '" + receiver.name() + "' may have processed it and"
                        + " does not take repeats; an operator must check with the receiver and settle the call");
            }
            if (ledger.takeOver(call.id(), call.attempt())) {
                LOG.warning(() -> "Call " + describe(command) + " was in doubt (" + doubt + "); called again as a possible"
                        + " duplicate (receiver " + receiver.name() + (receiver.idempotent() ? " is idempotent)" : " has policy RETRY)"));
                CallRecord taken = new CallRecord(call.id(), call.sender(), call.messageId(), call.interfaceName(),
                        call.receiver(), call.requestHash(), CallState.IN_PROGRESS, call.attempt() + 1, now, null, 0, null,
                        null, null, call.replays(), call.expiresAt());
                return Optional.of(perform(command, receiver, taken, true));
            }
            return Optional.empty();
        }
        if (now.isAfter(waitUntil)) {
            throw new RequestRejected(FaultCode.TEMPORARILY_UNAVAILABLE, "a call with message id '" + command.messageId()
                    + "' started at " + call.startedAt() + " is still in progress: retry the same request later");
        }
        return Optional.empty();
    }

    /** Calls the receiver for a claimed record and settles the record by the outcome. */
    private CallResult perform(SendCommand command, ReceiverEndpoint receiver, CallRecord claimed, boolean possibleDuplicate) {
        CallReply reply = client.call(receiver, command.sender(), command.interfaceName(), command.messageId(),
                command.payload(), possibleDuplicate);
        Instant respondedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        switch (reply.kind()) {
            case ANSWERED -> {
                if (reply.succeeded()) {
                    if (!ledger.complete(claimed.id(), claimed.attempt(), respondedAt, reply.status(), reply.contentType(),
                            reply.body())) {
                        LOG.warning(() -> "Call " + describe(command) + " answered, but its record was taken over meanwhile;"
                                + " the response is returned and not stored");
                    }
                } else {
                    ledger.release(claimed.id(), claimed.attempt());
                }
            }
            case UNREACHABLE -> ledger.release(claimed.id(), claimed.attempt());
            case UNANSWERED -> ledger.inDoubt(claimed.id(), claimed.attempt(), reply.error());
        }
        return answer(command, receiver, reply, respondedAt);
    }

    /** The result for a 2xx answer; a fault that says what the receiver did otherwise. */
    private CallResult answer(SendCommand command, ReceiverEndpoint receiver, CallReply reply, Instant respondedAt) {
        switch (reply.kind()) {
            case UNREACHABLE -> throw refused(command, FaultCode.RECEIVER_UNAVAILABLE, "receiver '" + receiver.name()
                    + "' could not be reached (" + reply.error() + "); it got nothing: retry later");
            case UNANSWERED -> throw refused(command, FaultCode.RECEIVER_TIMEOUT, "receiver '" + receiver.name()
                    + "' did not answer (" + reply.error() + "); it may have processed the request");
            default -> {
                if (!reply.succeeded()) {
                    boolean wrong = reply.status() >= 400 && reply.status() < 500 && reply.status() != 408
                            && reply.status() != 425 && reply.status() != 429;
                    throw refused(command, wrong ? FaultCode.RECEIVER_REJECTED : FaultCode.RECEIVER_ERROR, "receiver '"
                            + receiver.name() + "' answered HTTP " + reply.status() + ReceiverClient.bodyHintOf(reply.body()));
                }
            }
        }
        return new CallResult(command.sender(), command.hasMessageId() ? command.messageId() : null, receiver.name(),
                reply.status(), reply.contentType(), reply.body(), false, respondedAt);
    }

    private static RequestRejected refused(SendCommand command, FaultCode code, String reason) {
        LOG.info(() -> "Call " + describe(command) + ": " + code + ": " + reason);
        return new RequestRejected(code, reason);
    }

    /** Stored responses are kept as long as an accepted message's id is known: retention plus tombstones. */
    private Duration idempotencyWindow() {
        return retention.policy().period(false).plus(retention.policy().tombstones());
    }

    private static String describe(SendCommand command) {
        return command.sender() + "/" + (command.hasMessageId() ? command.messageId() : "(no id)") + " of "
                + command.interfaceName();
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestRejected(FaultCode.TEMPORARILY_UNAVAILABLE, "interrupted while waiting for a concurrent call");
        }
    }
}
