/**
 * Jazzer fuzz targets for the node: the HTTP body of every route with one (against a real
 * Vert.x server and the node's real journal) and the journal-event decoder replayed at
 * start. Regression inputs live under {@code src/test/resources/dev/keyescrow/node/fuzz/};
 * see {@code docs/fuzzing.md}.
 */
package dev.keyescrow.node.fuzz;
