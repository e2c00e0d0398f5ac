/**
 * The node's configuration file (JSON): read strictly, paths resolved against the file's
 * directory, secrets only by reference (environment variable or file). A missing or invalid
 * setting stops start-up with a message naming it; nothing is silently defaulted outside
 * development mode.
 */
package dev.keyescrow.node.config;
