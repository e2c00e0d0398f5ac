/**
 * The compactable blob store kept beside a journal: content-addressed blobs (wrapped shares,
 * large bodies) whose SHA-256 the caller records in the journal. Deleting a blob and then
 * compacting removes its bytes from every file of the store directory, which is the last
 * step of crypto-shredding on disk. Depends on the journal's log and the JDK only.
 */
package dev.keyescrow.journal.blob;
