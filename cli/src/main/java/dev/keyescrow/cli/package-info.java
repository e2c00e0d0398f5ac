/**
 * The {@code escrow} command (picocli): exit 0 on success, 2 on bad usage or input, 1 on
 * failure; errors on stderr; nothing secret printed unless the command's job is to print it.
 */
package dev.keyescrow.cli;
