/**
 * Shamir secret sharing over GF(2^8) (polynomial 0x11B, x-coordinates 1..255): split a
 * secret of 1 byte to 64 KiB into n shares, combine any t of them.
 *
 * <p>Entry point: {@link dev.keyescrow.core.sharing.Shamir}. Implementation in
 * {@code internal}. Pure computation: no I/O, randomness injected.
 */
package dev.keyescrow.core.sharing;
