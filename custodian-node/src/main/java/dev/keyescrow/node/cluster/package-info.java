/**
 * The node as a Hazelcast member: it reads signed manifests, requests and answers that
 * others published, verifies them through the node service, and publishes the answers its
 * custodians gave here. Hazelcast only carries bytes; safety comes from signatures.
 */
package dev.keyescrow.node.cluster;
