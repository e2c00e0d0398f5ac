/**
 * What the node's and the coordinator's configuration files share: strict reading and private
 * writing of a typed file form ({@link dev.keyescrow.server.config.ConfigJson}), and the parts
 * both files hold (cluster, TLS).
 */
package dev.keyescrow.server.config;
