/** The Hazelcast member settings both servers use (design: Cluster and durability). */
package dev.keyescrow.server.cluster;
