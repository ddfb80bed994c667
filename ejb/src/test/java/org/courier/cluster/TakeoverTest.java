package org.courier.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TakeoverTest {

    /** A global transaction id as Narayana makes it: a 28-byte Uid, then the node's id. */
    private static byte[] globalId(String node) {
        byte[] uid = new byte[Takeover.UID_BYTES];
        for (int i = 0; i < uid.length; i++) {
            uid[i] = (byte) (i * 7 + 3);
        }
        byte[] name = node.getBytes(StandardCharsets.UTF_8);
        byte[] id = new byte[uid.length + name.length];
        System.arraycopy(uid, 0, id, 0, uid.length);
        System.arraycopy(name, 0, id, uid.length, name.length);
        return id;
    }

    /** The name PostgreSQL's XA data source gives a prepared transaction: formatId_base64(gtrid)_base64(bqual). */
    private static String gid(int format, byte[] global) {
        Base64.Encoder base64 = Base64.getEncoder();
        return format + "_" + base64.encodeToString(global) + "_" + base64.encodeToString(new byte[] {1, 2, 3});
    }

    @Test
    void readsTheNodeOutOfANarayanaTransactionName() {
        assertThat(Takeover.nodeOf(gid(Takeover.NARAYANA_FORMAT, globalId("courier-2")))).isEqualTo("courier-2");
        assertThat(Takeover.nodeOf(gid(Takeover.NARAYANA_FORMAT, globalId("courier-12")))).isEqualTo("courier-12");
    }

    @Test
    void leavesAloneWhatAnotherTransactionManagerOrAPersonPrepared() {
        assertThat(Takeover.nodeOf(gid(4660, globalId("courier-2")))).as("another format").isNull();
        assertThat(Takeover.nodeOf("my-own-prepared-transaction")).as("PREPARE TRANSACTION by hand").isNull();
        assertThat(Takeover.nodeOf(Takeover.NARAYANA_FORMAT + "_!!!_AQID")).as("not base64").isNull();
        assertThat(Takeover.nodeOf(gid(Takeover.NARAYANA_FORMAT, new byte[Takeover.UID_BYTES]))).as("no node id").isNull();
    }
}
