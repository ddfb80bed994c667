package org.courier.tracking;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.courier.access.OperatorScope;
import org.courier.access.ScopeCondition;
import org.courier.message.DeliveryState;
import org.courier.message.QualityOfService;

/**
 * Finds accepted messages for operators, a page at a time: the database filters, counts and
 * pages (newest first, then by key, so pages neither overlap nor skip while nothing is
 * accepted), and the page's deliveries come in one more query. Payloads are not read. The
 * operator's scope is part of the query: the total and the pages hold only its messages.
 * Indexes serve the usual searches: by sender and time, by time, by receiver and state
 * ({@code V6__admin_search_and_audit.sql}).
 */
@Stateless
public class MessageSearch {

    /** The largest page a search answers. */
    public static final int MAX_PAGE_SIZE = 500;

    @PersistenceContext(unitName = "courier")
    private EntityManager em;

    /**
     * Page {@code page} (from 0) of {@code size} messages matching {@code filter} within {@code scope};
     * size 1 to {@value #MAX_PAGE_SIZE}.
     */
    public MessagePage find(OperatorScope scope, MessageFilter filter, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page " + page + " of size " + size);
        }
        ScopeCondition visible = ScopeCondition.jpql(scope, "m.sender", "m.interfaceName");
        String where = filter.where(visible);
        long total = filter.bind(em.createQuery("select count(m) from ReceivedMessage m" + where, Long.class), visible)
                .getSingleResult();
        List<Object[]> rows = filter.bind(em.createQuery("select m.id, m.sender, m.messageId, m.interfaceName,"
                        + " m.qualityOfService, m.queueId, m.sequenceNo, m.acceptedAt, m.acceptedBy from ReceivedMessage m" + where
                        + " order by m.acceptedAt desc, m.id desc", Object[].class), visible)
                .setFirstResult(Math.multiplyExact(page, size))
                .setMaxResults(size)
                .getResultList();
        Map<String, List<MessageSummary.ReceiverState>> deliveries = deliveriesOf(rows.stream().map(r -> (String) r[0]).toList());
        List<MessageSummary> messages = rows.stream().map(r -> new MessageSummary((String) r[1], (String) r[2], (String) r[3],
                ((QualityOfService) r[4]).wireName(), (String) r[5], (Long) r[6], (Instant) r[7], (String) r[8],
                deliveries.getOrDefault((String) r[0], List.of()))).toList();
        return new MessagePage(page, size, total, messages);
    }

    private Map<String, List<MessageSummary.ReceiverState>> deliveriesOf(List<String> messageKeys) {
        Map<String, List<MessageSummary.ReceiverState>> byMessage = new LinkedHashMap<>();
        if (messageKeys.isEmpty()) {
            return byMessage;
        }
        em.createQuery("select d.message.id, d.receiver, d.part, d.state from Delivery d where d.message.id in :keys"
                        + " order by d.receiver, d.partNo", Object[].class)
                .setParameter("keys", messageKeys)
                .getResultList()
                .forEach(r -> byMessage.computeIfAbsent((String) r[0], key -> new ArrayList<>())
                        .add(new MessageSummary.ReceiverState((String) r[1], (String) r[2], ((DeliveryState) r[3]).name())));
        return byMessage;
    }
}
