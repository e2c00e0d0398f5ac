// Byte helpers shared by the pages: base64 (RFC 4648 §4, strict), hex, UTF-8, SHA-256.

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding to bytes; throws on anything else (no whitespace, no URL alphabet). */
export function fromBase64(text) {
  if (typeof text !== 'string' || !B64.test(text)) {
    throw new Error('not standard base64');
  }
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    out[i] = binary.charCodeAt(i);
  }
  return out;
}

export function toBase64(bytes) {
  let binary = '';
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary);
}

export function toHex(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

export function utf8(text) {
  return new TextEncoder().encode(text);
}

/** Lowercase hex SHA-256 of bytes. */
export async function sha256Hex(bytes) {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

/** "f3ea1527..." as "f3ea 1527 ...", for reading aloud and comparing by eye. */
export function groupsOfFour(hex) {
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Equal length and content; for public values only. */
export function sameBytes(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
