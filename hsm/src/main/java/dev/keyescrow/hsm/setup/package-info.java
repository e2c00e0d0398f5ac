/**
 * Choosing and opening a token from configuration: the one place that knows every
 * implementation (PKCS#11 and the development vault), so the port stays free of them.
 */
package dev.keyescrow.hsm.setup;
