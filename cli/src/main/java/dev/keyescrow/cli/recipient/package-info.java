/**
 * The EXPORT recipient's offline side: node pins given by the operator, and the check and
 * combination of an export bundle. Nothing here trusts the coordinator that relayed the
 * bundle: every statement is rebuilt and verified under a pinned node key.
 */
package dev.keyescrow.cli.recipient;
