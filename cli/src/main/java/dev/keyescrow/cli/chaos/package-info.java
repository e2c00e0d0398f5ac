/**
 * The chaos suite: a real local cluster under a seeded stream of concurrent operations and
 * seeded faults (kill -9, SIGSTOP pauses, a corrupted token), then a checker that reads only
 * the journals and the public APIs. Same seed, same fault schedule.
 */
package dev.keyescrow.cli.chaos;
