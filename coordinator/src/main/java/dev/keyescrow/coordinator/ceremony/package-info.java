/**
 * Key ceremonies: fresh key material from the DRBG, the Shamir split, share commitments,
 * each share wrapped to its node's pinned transport key and imported there, every node's
 * signed receipt checked, then the manifest signed by the coordinator and countersigned by
 * every custodian before the version becomes ACTIVE. The plaintext key and the shares exist
 * only during the split and are zeroed on every path. Must not depend on {@code http}.
 */
package dev.keyescrow.coordinator.ceremony;
