/**
 * {@code escrow demo}: a whole key ceremony on a local cluster, with a transcript a
 * security officer could file. It drives the real processes through their HTTP APIs exactly
 * as operators and custodians do.
 */
package dev.keyescrow.cli.demo;
