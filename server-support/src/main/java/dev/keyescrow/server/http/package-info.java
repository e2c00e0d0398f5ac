/**
 * HTTP pieces both servers use: strict JSON reading, RFC 9457 problem documents, the bounded
 * refusal log. No domain logic.
 */
package dev.keyescrow.server.http;
