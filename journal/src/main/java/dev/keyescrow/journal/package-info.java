/**
 * The durable, tamper-evident log of a member (a node or the coordinator), as fixed by
 * {@code docs/spec/journal.md}.
 *
 * <ul>
 *   <li>{@link dev.keyescrow.journal.Journal} — append (acknowledged after fsync), replay on
 *       open (torn tail cut; a bad complete record stops the server), signed checkpoints, and
 *       the member's own signed head.</li>
 *   <li>{@link dev.keyescrow.journal.RecordFormat}, {@link dev.keyescrow.journal.CheckpointFormat},
 *       {@link dev.keyescrow.journal.HeadFormat} — the strict codecs of the three formats.</li>
 *   <li>{@link dev.keyescrow.journal.WitnessLog} and {@link dev.keyescrow.journal.HeadCheck} —
 *       other members' heads, stored durably, and the TRUNCATION / FORK check against them.</li>
 *   <li>{@link dev.keyescrow.journal.JournalVerifier} — the offline audit of a journal file.</li>
 *   <li>{@link dev.keyescrow.journal.AppendOnlyLog} — the frame file underneath all of them.</li>
 * </ul>
 *
 * <p>Depends on {@code keyescrow-core} (signatures, identifiers) and the JDK only; never on a
 * server module, Vert.x or Hazelcast. Bodies are opaque bytes: callers journal public facts and
 * hashes, never a plaintext secret.
 */
package dev.keyescrow.journal;
