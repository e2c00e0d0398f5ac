/**
 * Small HTTP clients for the coordinator and node APIs, used by the custodian and operator
 * commands and by the demo. Custodian keys never leave this process: clients sign locally
 * and send signatures.
 */
package dev.keyescrow.cli.client;
