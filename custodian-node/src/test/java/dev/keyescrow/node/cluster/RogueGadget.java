package dev.keyescrow.node.cluster;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a rogue member puts on the wire to run code in a node: a serializable map whose
 * {@code readObject} has a side effect. The counter shows whether any JVM in this test
 * ever deserialized one.
 */
final class RogueGadget extends HashMap<String, String> {
    @Serial
    private static final long serialVersionUID = 1L;
    static final AtomicInteger DESERIALIZED = new AtomicInteger();

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        DESERIALIZED.incrementAndGet();
    }
}
