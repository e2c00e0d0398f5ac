package dev.keyescrow.server.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.map.impl.DataAwareEntryEvent;
import com.hazelcast.query.impl.CachedQueryEntry;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.proxy.MapProxyImpl;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A map entry as it arrived from the cluster, checked in its serialized form before
 * anything is deserialized: the key must be a string and the value a byte array (the only
 * types the project writes, cluster-messages.md), each within {@link ClusterLimits}.
 * Anything else is never turned into an object in this member, so neither a Java
 * serialization gadget nor a huge collection a rogue member wrote gets to run or allocate.
 *
 * <p>Reads Hazelcast's serialized form through its internal {@code Data} type: the public
 * API offers only deserialized values.
 */
public record ReceivedEntry(String key, byte[] value) {
    /** Why an entry was not taken. */
    public enum Refusal {
        NOT_A_STRING_KEY,
        KEY_TOO_LONG,
        NOT_BYTES,
        TOO_LARGE
    }

    /** An entry that passed, or why it did not. */
    public record Outcome(ReceivedEntry entry, Refusal refusal) {
    }

    /** Checks an entry event's new value; events of this member's own listeners carry it serialized. */
    public static Outcome of(EntryEvent<?, ?> event) {
        if (!(event instanceof DataAwareEntryEvent<?, ?> raw)) {
            return new Outcome(null, Refusal.NOT_BYTES);
        }
        return check(raw.getKeyData(), raw.getNewValueData(), raw::getKey, raw::getValue);
    }

    /** Checks an entry read from a map's iterator (its entries hold the serialized key and value). */
    public static Outcome of(Map.Entry<?, ?> entry) {
        if (!(entry instanceof CachedQueryEntry<?, ?> raw)) {
            return new Outcome(null, Refusal.NOT_BYTES);
        }
        return check(raw.getKeyData(), raw.getValueData(), raw::getKey, raw::getValue);
    }

    /**
     * Reads every entry of {@code map}, {@code page} entries per round trip, partition after
     * partition, checking each. The entries arrive serialized ({@code IMap.iterator} would
     * deserialize each value with a {@code get}, so one object a rogue member wrote would end
     * the whole reading).
     */
    public static void readAll(IMap<?, ?> map, int page, Consumer<Outcome> sink) {
        MapProxyImpl<?, ?> proxy = (MapProxyImpl<?, ?>) map;
        int partitions = proxy.getNodeEngine().getPartitionService().getPartitionCount();
        for (int partition = 0; partition < partitions; partition++) {
            Iterator<? extends Map.Entry<?, ?>> entries = proxy.iterator(page, partition, true);
            while (entries.hasNext()) {
                sink.accept(of(entries.next()));
            }
        }
    }

    private static Outcome check(Data key, Data value, java.util.function.Supplier<?> keyObject,
                                 java.util.function.Supplier<?> valueObject) {
        if (key == null || key.getType() != SerializationConstants.CONSTANT_TYPE_STRING) {
            return new Outcome(null, Refusal.NOT_A_STRING_KEY);
        }
        if (key.dataSize() > ClusterLimits.MAX_KEY_BYTES + 4) {
            return new Outcome(null, Refusal.KEY_TOO_LONG);
        }
        if (value == null || value.getType() != SerializationConstants.CONSTANT_TYPE_BYTE_ARRAY) {
            return new Outcome(null, Refusal.NOT_BYTES);
        }
        // the payload is a 4-byte length and the bytes
        if (value.dataSize() > ClusterLimits.MAX_MESSAGE_BYTES + 4) {
            return new Outcome(null, Refusal.TOO_LARGE);
        }
        String k = (String) keyObject.get();
        byte[] v = (byte[]) valueObject.get();
        if (k.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > ClusterLimits.MAX_KEY_BYTES
                || v.length > ClusterLimits.MAX_MESSAGE_BYTES) {
            return new Outcome(null, v.length > ClusterLimits.MAX_MESSAGE_BYTES ? Refusal.TOO_LARGE
                    : Refusal.KEY_TOO_LONG);
        }
        return new Outcome(new ReceivedEntry(k, v), null);
    }
}
