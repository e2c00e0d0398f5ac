package dev.keyescrow.cli;

import picocli.CommandLine.ArgGroup;

/** Mixes {@link CoordinatorOptions} into a command. */
final class CoordinatorOptionsMixin {
    @ArgGroup(exclusive = false)
    CoordinatorOptions options = new CoordinatorOptions();
}
