/**
 * How long a server takes to start with a long history: full replay against a start from its
 * signed checkpoint. Simple mains that report figures; nothing here runs in CI.
 */
package dev.keyescrow.bench.restart;
