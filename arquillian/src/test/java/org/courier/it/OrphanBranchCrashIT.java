package org.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.courier.it.support.OrphanBranches;
import org.courier.it.support.TestReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A crash between the database's prepare and the transaction manager's log write leaves an
 * orphan branch: prepared in H2, unknown to any log, presumed aborted. WildFly's recovery must
 * roll every such branch back, or it keeps its rows locked for good. H2's own XA resource
 * ignores all but the first rollback a recovery scan asks of it (module h2-xa), so ten orphans
 * would take about ten scans (~200 s with this container's 15 s recovery period); with Courier's
 * driver they go in the first scan that may act on them. H2 only (PostgreSQL: PostgresRestartCrashIT).
 */
@EnabledIfSystemProperty(named = "courier.test.db.url", matches = "jdbc:h2:.*")
class OrphanBranchCrashIT extends KilledServerTest {

    private static final int ORPHANS = 10;
    /** The crash container's node identifier (configure-courier.cli default). */
    private static final String NODE = "courier-1";
    /** Two recovery scans (15 s period, 5 s backoff) and some: well below ten scans. */
    private static final Duration RECOVERY = Duration.ofSeconds(100);

    @Test
    void orphanBranchesLeftByACrashAreRolledBackByRecovery() throws Exception {
        String sender = "ORPHAN-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ORPHANS; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        crash();
        OrphanBranches.leave(database.url(), NODE, sender, ids);
        // the set-up holds: the branches are there, prepared and in doubt, before the server and its recovery start
        assertThat(database.inDoubtCount()).as("branches in doubt before recovery: %s", database.inDoubtSummary())
                .isGreaterThanOrEqualTo(ORPHANS);
        restart();

        await().atMost(RECOVERY).pollInterval(Duration.ofSeconds(1)).until(() ->
                database.inDoubtCount() == 0);
        assertThat(database.messages(sender)).as("rows of rolled-back branches").isZero();

        try (TestReceiver receiver = TestReceiver.start(RECEIVER_PORT)) {
            for (String id : ids) {
                // rolled back, not committed: the id is new, not a duplicate
                assertThat(courier.send(sender, "Crash", id, payloadOf(id)).result()).isEqualTo("ACCEPTED");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> receiver.count(id) == 1));
            assertThat(database.messages(sender)).isEqualTo(ORPHANS);
        }
    }
}
