/**
 * Typed failures of the core. {@link dev.keyescrow.core.error.KeyEscrowException} and its
 * subclasses are outcomes a caller must handle (bad or mismatched input); they quote public
 * values only, never secret ones. {@link dev.keyescrow.core.error.BugException} means
 * "cannot happen" and should stop the operation.
 */
package dev.keyescrow.core.error;
