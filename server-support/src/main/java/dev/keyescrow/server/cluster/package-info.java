/** The Hazelcast member settings both servers use (DESIGN.md, Cluster and durability). */
package dev.keyescrow.server.cluster;
