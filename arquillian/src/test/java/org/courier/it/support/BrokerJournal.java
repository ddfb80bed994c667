package org.courier.it.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.core.io.nio.NIOSequentialFileFactory;
import org.apache.activemq.artemis.core.journal.PreparedTransactionInfo;
import org.apache.activemq.artemis.core.journal.RecordInfo;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;

/**
 * The message journal of the test server's broker, opened with Artemis' own journal classes
 * while the server is down: WildFly's defaults (files of 10 MiB named {@code activemq-data-N.amq},
 * at least 2), no compaction from here.
 */
public final class BrokerJournal {

    private static final int FILE_SIZE = 10 * 1024 * 1024;
    private static final int MIN_FILES = 2;

    private final Path directory;

    private BrokerJournal(Path directory) {
        this.directory = directory;
    }

    /** The journal of the stopped (killed) server at {@link WildFlyProcess#home()}. */
    public static BrokerJournal ofTestServer() {
        return new BrokerJournal(WildFlyProcess.home().resolve("standalone/data/activemq/journal"));
    }

    /** Appends, durably, a record of this type with these bytes; the journal must not be in use. */
    public void append(long recordId, byte recordType, byte[] body) throws Exception {
        JournalImpl journal = open();
        try {
            journal.appendAddRecord(recordId, recordType, body, true);
        } finally {
            journal.stop();
        }
    }

    /** The live records of this type. */
    public long records(byte recordType) throws Exception {
        List<RecordInfo> records = new ArrayList<>();
        JournalImpl journal = open(records);
        journal.stop();
        return records.stream().filter(r -> r.getUserRecordType() == recordType).count();
    }

    private JournalImpl open() throws Exception {
        return open(new ArrayList<>());
    }

    private JournalImpl open(List<RecordInfo> records) throws Exception {
        NIOSequentialFileFactory files = new NIOSequentialFileFactory(directory.toFile(), 1);
        JournalImpl journal = new JournalImpl(FILE_SIZE, MIN_FILES, MIN_FILES, 0, 0, files, "activemq-data", "amq", 1);
        journal.start();
        List<PreparedTransactionInfo> prepared = new ArrayList<>();
        journal.load(records, prepared, null);
        return journal;
    }
}
