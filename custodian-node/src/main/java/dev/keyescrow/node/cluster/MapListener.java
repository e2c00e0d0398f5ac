package dev.keyescrow.node.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.function.Consumer;

/** Added, updated, and merged in from the other side of a healed partition: each is a message. */
final class MapListener implements EntryAddedListener<String, byte[]>, EntryUpdatedListener<String, byte[]>,
        EntryMergedListener<String, byte[]> {
    private final Consumer<EntryEvent<String, byte[]>> sink;

    MapListener(Consumer<EntryEvent<String, byte[]>> sink) {
        this.sink = sink;
    }

    @Override
    public void entryAdded(EntryEvent<String, byte[]> event) {
        sink.accept(event);
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> event) {
        sink.accept(event);
    }

    @Override
    public void entryMerged(EntryEvent<String, byte[]> event) {
        sink.accept(event);
    }
}
