// What the request page checks before it lets anyone answer: the text is exactly canonical
// JSON, its SHA-256 is the digest shown, and the coordinator's pinned P-256 key signed
//   keyescrow-coordinator-v1\nrequest\n<digest hex>
// (ECDSA with SHA-256; the signature travels as 64 bytes r || s, which is WebCrypto's own
// form; a DER signature is converted first).

import { fromBase64, sha256Hex, utf8 } from './bytes.js';

/** RFC 8785 restricted to objects, arrays, strings and safe integers (what requests use). */
export function canonicalize(value) {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new Error('only integers within ±(2^53 − 1) occur in requests');
    }
    return String(value);
  }
  if (Array.isArray(value)) {
    return '[' + value.map(canonicalize).join(',') + ']';
  }
  if (value !== null && typeof value === 'object') {
    return '{' + Object.keys(value).sort().map(k => JSON.stringify(k) + ':' + canonicalize(value[k])).join(',') + '}';
  }
  throw new Error('booleans, null and fractions do not occur in requests');
}

/** Parses the text and checks that it is exactly its canonical form (no duplicate or reordered members). */
export function parseCanonical(text) {
  const value = JSON.parse(text);
  if (canonicalize(value) !== text) {
    throw new Error('the request text is not in canonical form');
  }
  return value;
}

/** A DER ECDSA signature (SEQUENCE of two INTEGERs) as 64 bytes r || s; 64-byte input is returned as is. */
export function rawSignature(signature) {
  if (signature.length === 64) {
    return signature;
  }
  if (signature[0] !== 0x30 || signature[1] !== signature.length - 2) {
    throw new Error('the coordinator signature is neither 64 bytes r || s nor DER');
  }
  const out = new Uint8Array(64);
  let pos = 2;
  for (let i = 0; i < 2; i++) {
    if (signature[pos] !== 0x02) {
      throw new Error('the coordinator signature is not DER');
    }
    let len = signature[pos + 1];
    let start = pos + 2;
    pos = start + len;
    while (len > 32 && signature[start] === 0) {
      start++;
      len--;
    }
    if (len > 32) {
      throw new Error('the coordinator signature has an oversized integer');
    }
    out.set(signature.slice(start, start + len), 32 * i + 32 - len);
  }
  if (pos !== signature.length) {
    throw new Error('trailing bytes after the DER signature');
  }
  return out;
}

/**
 * Checks a node's request view against the coordinator key the node pins.
 * @returns {digest, digestMatches, signatureValid, problem} (problem names the first failure)
 */
export async function checkRequest(view, coordinatorKeyBase64) {
  const digest = await sha256Hex(utf8(view.canonical));
  if (digest !== view.digest) {
    return { digest, ok: false, problem: 'the digest the node shows is not the SHA-256 of the request text' };
  }
  let valid = false;
  try {
    const key = await crypto.subtle.importKey('raw', fromBase64(coordinatorKeyBase64),
      { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    valid = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key,
      rawSignature(fromBase64(view.coordinatorSignature)), utf8('keyescrow-coordinator-v1\nrequest\n' + digest));
  } catch (e) {
    return { digest, ok: false, problem: 'the coordinator signature cannot be checked: ' + e.message };
  }
  return valid ? { digest, ok: true, problem: null }
    : { digest, ok: false, problem: 'the coordinator signature does not verify for this request text' };
}
