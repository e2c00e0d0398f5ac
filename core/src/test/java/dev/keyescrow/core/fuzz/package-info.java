/**
 * Jazzer fuzz targets for every decoder in core. A plain build replays the committed inputs
 * under {@code src/test/resources/dev/keyescrow/core/fuzz/<Class>Inputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} one target at a time is fuzzed (see {@code docs/fuzzing.md}).
 * A target passes when the decoder either accepts the input or refuses it with its declared
 * exception; any other throwable, a hang or an out-of-memory is a finding.
 */
package dev.keyescrow.core.fuzz;
