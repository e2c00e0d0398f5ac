/**
 * The EXPORT bundle: what the coordinator relays from the nodes to the recipient's offline
 * machine. It holds only public values and ciphertext that the recipient's key alone opens.
 */
package dev.keyescrow.core.export;
