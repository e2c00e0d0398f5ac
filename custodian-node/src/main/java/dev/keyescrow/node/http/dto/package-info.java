/** Wire shapes of the node API's JSON bodies; no domain logic. */
package dev.keyescrow.node.http.dto;
