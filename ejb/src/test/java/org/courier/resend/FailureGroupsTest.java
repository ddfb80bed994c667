package org.courier.resend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.courier.access.OperatorData;
import org.courier.access.OperatorScope;
import org.courier.operations.BulkAction;
import org.courier.operations.DeliveryOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The failure store grouped and acted on in bulk, on a real database: the same error with other
 * ids is one group, per receiver and within the operator's scope; a preview counts what an action
 * would take; a bulk action goes in chunks of at most 500, each naming where the next starts, and
 * takes only the group asked for.
 */
class FailureGroupsTest {

    private static final OperatorScope SHOP = new OperatorScope(Set.of("SHOP"), null);

    private final OperatorData data = new OperatorData();
    private final FailureGroups groups = new FailureGroups();
    private final List<String> actedOn = new ArrayList<>();

    @AfterEach
    void close() {
        data.close();
    }

    private String failed(String sender, String messageId, String receiver, String error) {
        String id = data.delivery(data.message(sender, messageId, "Orders"), receiver, "FAILED");
        data.execute("UPDATE COURIER_DELIVERY SET LAST_ERROR = ? WHERE ID = ?", error, id);
        return id;
    }

    @Test
    void theSameErrorWithOtherIdsIsOneGroupPerReceiverLargestFirst() {
        failed("ERP", "o-1", "erp", "receiver answered 500: order 4711 unknown");
        failed("ERP", "o-2", "erp", "receiver answered 500: order 4712 unknown");
        failed("SHOP", "o-3", "erp", "receiver answered 500: order 4713 unknown");
        failed("ERP", "o-4", "erp", "HTTP 503 Service Unavailable");
        failed("ERP", "o-5", "billing", "receiver answered 500: order 4714 unknown");

        List<FailureGroups.Group> all = data.inTransaction(em -> groups.groups(OperatorData.ALL, null), groups);

        assertThat(all).extracting(FailureGroups.Group::receiver, FailureGroups.Group::error, FailureGroups.Group::count)
                .containsExactly(
                        tuple("erp", "receiver answered 500: order <n> unknown", 3L),
                        tuple("billing", "receiver answered 500: order <n> unknown", 1L),
                        tuple("erp", "HTTP 503 Service Unavailable", 1L));
        FailureGroups.Group largest = all.get(0);
        assertThat(largest.key()).isEqualTo(ErrorGroup.of("receiver answered 500: order 1234 unknown").key());
        assertThat(largest.firstSeen()).isEqualTo(OperatorData.at(1));
        assertThat(largest.lastSeen()).isEqualTo(OperatorData.at(3));
        assertThat(largest.example()).startsWith("receiver answered 500: order 471");

        List<FailureGroups.Group> erpsOwn = data.inTransaction(em -> groups.groups(OperatorData.ERP, "erp"), groups);
        assertThat(erpsOwn).extracting(FailureGroups.Group::count).containsExactly(2L, 1L);
    }

    @Test
    void aPreviewCountsTheGroupAndListsItsFirstEntries() {
        failed("ERP", "o-1", "erp", "order 4711 unknown");
        failed("ERP", "o-2", "erp", "HTTP 503 Service Unavailable");
        failed("ERP", "o-3", "erp", "order 4712 unknown");
        String key = ErrorGroup.of("order 1234 unknown").key();

        FailureGroups.Preview group = data.inTransaction(em -> groups.preview(OperatorData.ALL, "erp", key), groups);
        FailureGroups.Preview all = data.inTransaction(em -> groups.preview(OperatorData.ALL, "erp", null), groups);

        assertThat(group.count()).isEqualTo(2);
        assertThat(group.examples()).extracting(FailureEntry::messageId).containsExactly("o-1", "o-3");
        assertThat(all.count()).isEqualTo(3);
        assertThat(all.examples()).extracting(FailureEntry::messageId).containsExactly("o-1", "o-2", "o-3");
    }

    @Test
    void aBulkActionGoesInChunksAndTakesOnlyItsGroup() {
        int inGroup = FailureGroups.CHUNK * 2 + 37;
        for (int i = 0; i < inGroup; i++) {
            failed("ERP", "o-" + i, "erp", "order " + (10_000 + i) + " unknown");
        }
        String other = failed("ERP", "other", "erp", "HTTP 503 Service Unavailable");
        String key = ErrorGroup.of("order 1234 unknown").key();
        OperatorData.inject(groups, "operations", new DeliveryOperations() {
            @Override
            public boolean actInBulk(String deliveryId, BulkAction action, boolean inDoubt) {
                actedOn.add(deliveryId);
                return true;
            }
        });

        List<FailureGroups.Step> steps = new ArrayList<>();
        String after = null;
        do {
            String from = after;
            FailureGroups.Step step = data.inTransaction(em -> groups.act(OperatorData.ALL, "erp", key, BulkAction.RESEND,
                    from, "tester"), groups);
            steps.add(step);
            after = step.next();
        } while (after != null && steps.size() < 10);

        assertThat(steps).extracting(FailureGroups.Step::done).containsExactly(FailureGroups.CHUNK, FailureGroups.CHUNK, 37);
        assertThat(steps.get(2).next()).isNull();
        assertThat(actedOn).hasSize(inGroup).doesNotHaveDuplicates().doesNotContain(other);
    }

    @Test
    void deliveriesInDoubtAreSettledInBulkAndOnlyThoseOfTheReceiverInDoubt() {
        List<String> inDoubt = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inDoubt.add(data.delivery(data.message("ERP", "d-" + i, "Orders"), "fragile", "IN_DOUBT"));
        }
        data.delivery(data.message("ERP", "other", "Orders"), "erp", "IN_DOUBT");
        String failedOne = failed("ERP", "f-1", "fragile", "HTTP 503 Service Unavailable");
        List<Boolean> asInDoubt = new ArrayList<>();
        OperatorData.inject(groups, "operations", new DeliveryOperations() {
            @Override
            public boolean actInBulk(String deliveryId, BulkAction action, boolean held) {
                actedOn.add(deliveryId);
                asInDoubt.add(held);
                return true;
            }
        });

        FailureGroups.Preview preview = data.inTransaction(em -> groups.previewInDoubt(OperatorData.ALL, "fragile"), groups);
        FailureGroups.Step step = data.inTransaction(em -> groups.actInDoubt(OperatorData.ALL, "fragile",
                BulkAction.DECLARE_DELIVERED, null, "tester"), groups);

        assertThat(preview.count()).isEqualTo(3);
        assertThat(preview.examples()).extracting(FailureEntry::messageId).containsExactlyInAnyOrder("d-0", "d-1", "d-2");
        assertThat(step.done()).isEqualTo(3);
        assertThat(step.next()).isNull();
        assertThat(actedOn).containsExactlyInAnyOrderElementsOf(inDoubt).doesNotContain(failedOne);
        assertThat(asInDoubt).containsOnly(true);
        assertThat(data.inTransaction(em -> groups.previewInDoubt(SHOP, "fragile"), groups).count())
                .as("another sender's operator sees none").isZero();
    }

    @Test
    void aSampleGroupsTheMostFrequentErrorsAndSaysWhenThereWereMore() {
        for (int i = 0; i < 5; i++) {
            failed("ERP", "o-" + i, "erp", "order " + (4711 + i) + " unknown");
        }
        for (int i = 0; i < 3; i++) {
            failed("ERP", "b-" + i, "billing", "HTTP 503 Service Unavailable");
        }

        FailureGroups.Sample all = data.inTransaction(em -> groups.sample(OperatorData.ALL, 10), groups);
        FailureGroups.Sample few = data.inTransaction(em -> groups.sample(OperatorData.ALL, 3), groups);

        assertThat(all.partial()).isFalse();
        assertThat(all.groups()).extracting(FailureGroups.Group::receiver, FailureGroups.Group::count)
                .containsExactly(tuple("erp", 5L), tuple("billing", 3L));
        assertThat(few.partial()).as("6 distinct errors, 3 grouped").isTrue();
        assertThat(few.groups()).extracting(FailureGroups.Group::receiver, FailureGroups.Group::count)
                .as("the most frequent error first: billing's, then two of erp's").containsExactly(tuple("billing", 3L),
                        tuple("erp", 2L));
    }
}
