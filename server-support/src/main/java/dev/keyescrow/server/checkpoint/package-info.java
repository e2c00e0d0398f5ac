/**
 * Signed checkpoints of a server's state: what a checkpoint's state field holds (a digest of
 * the ledger, {@link dev.keyescrow.server.checkpoint.CheckpointState}), how the digest is made
 * ({@link dev.keyescrow.server.checkpoint.StateDigest}), when one is written
 * ({@link dev.keyescrow.server.checkpoint.CheckpointSchedule}) and how a server opens its journal
 * from one ({@link dev.keyescrow.server.checkpoint.CheckpointedReplay}).
 */
package dev.keyescrow.server.checkpoint;
