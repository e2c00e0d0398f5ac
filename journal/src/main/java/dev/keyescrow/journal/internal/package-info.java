/**
 * Implementation helpers of the journal module: durable file operations (fsync of files and
 * directories, atomic replace), SHA-256, and the fixed-width big-endian reader the formats
 * share. Not an API: other modules use {@code dev.keyescrow.journal} and
 * {@code dev.keyescrow.journal.blob}. Depends on the JDK only.
 */
package dev.keyescrow.journal.internal;
