/**
 * What a custodian's machine does: review a request (decode the canonical text, recompute
 * its digest, check the coordinator's signature) and sign an answer or a manifest
 * countersignature with a key that never leaves this process.
 */
package dev.keyescrow.cli.custodian;
