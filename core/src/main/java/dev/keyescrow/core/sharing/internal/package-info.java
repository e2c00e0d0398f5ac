/**
 * Implementation of Shamir sharing: GF(2^8) arithmetic, the 64-bit lane kernel, Lagrange
 * coefficients. Not API. Everything here is constant-time in secret data: no table lookup
 * and no branch indexed by a secret; only x-coordinates (share indices), which are public,
 * may steer control flow or select constants.
 */
package dev.keyescrow.core.sharing.internal;
