/**
 * Jazzer fuzz targets for the journal's readers: the record, checkpoint and head codecs and
 * the files they are read from. Regression inputs live under
 * {@code src/test/resources/dev/keyescrow/journal/fuzz/}; see {@code docs/fuzzing.md}.
 */
package dev.keyescrow.journal.fuzz;
