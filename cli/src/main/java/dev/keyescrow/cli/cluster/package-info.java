/**
 * The local development cluster ({@code escrow cluster start|stop|status}): node and
 * coordinator processes on loopback in development mode, each with its own state directory
 * and token, enrolled with each other, recorded by process id so they can be stopped.
 */
package dev.keyescrow.cli.cluster;
