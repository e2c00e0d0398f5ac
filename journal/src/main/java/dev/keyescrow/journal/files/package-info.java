/**
 * Files private to the user that runs a member: how they are created (directories 0700,
 * files 0600, from the first moment) and the start-up check that refuses state, PIN, key and
 * configuration files that others can open.
 */
package dev.keyescrow.journal.files;
