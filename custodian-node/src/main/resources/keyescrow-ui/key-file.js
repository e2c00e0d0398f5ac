// Opens a custodian key file in the browser: the encrypted PKCS#8 PEM that
// `escrow custodian keygen` writes (and `openssl pkcs8 -topk8 -v2 aes-256-cbc` too).
//
//   EncryptedPrivateKeyInfo ::= SEQUENCE {
//     encryptionAlgorithm  SEQUENCE { id-PBES2, PBES2-params ::= SEQUENCE {
//         keyDerivationFunc  SEQUENCE { id-PBKDF2, SEQUENCE { salt OCTET STRING, iterationCount INTEGER,
//                                       keyLength INTEGER OPTIONAL, prf SEQUENCE { hmacWithSHA256 | hmacWithSHA1, NULL? } } },
//         encryptionScheme   SEQUENCE { aes256-CBC, iv OCTET STRING (16) } } },
//     encryptedData        OCTET STRING }
//
// The passphrase (UTF-8) goes through WebCrypto PBKDF2 to a non-extractable AES-256-CBC key;
// the plaintext is a PKCS#8 OneAsymmetricKey holding the 32-byte Ed25519 seed, which is
// imported as a non-extractable WebCrypto key. Every intermediate byte array is zeroed.

import { DerError, TAG, children, content, expect, oid, readElement, smallInteger } from './der.js';

const OID = Object.freeze({
  PBES2: '1.2.840.113549.1.5.13', PBKDF2: '1.2.840.113549.1.5.12',
  HMAC_SHA256: '1.2.840.113549.2.9', HMAC_SHA1: '1.2.840.113549.2.7',
  AES256_CBC: '2.16.840.1.101.3.4.1.42', ED25519: '1.3.101.112',
});
/** Far above any real file (keygen uses 600,000); refuses a file that would hang the tab. */
const MAX_ITERATIONS = 10_000_000;
const MAX_FILE_BYTES = 16 * 1024;
/** PKCS#8 v1 header of a 32-byte Ed25519 seed (RFC 8410 §7), the one form every WebCrypto imports. */
const ED25519_PKCS8_PREFIX = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/** kind: 'format' (not a key file we can read), 'passphrase' (does not open it), 'algorithm' (not Ed25519). */
export class KeyFileError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

/** The DER inside "-----BEGIN ENCRYPTED PRIVATE KEY-----"; refuses any other PEM. */
export function pemToDer(text) {
  if (text.length > MAX_FILE_BYTES) {
    throw new KeyFileError('format', 'the file is too large to be a key file');
  }
  if (/-----BEGIN PRIVATE KEY-----/.test(text)) {
    throw new KeyFileError('format', 'this key file is not encrypted; custodian keys must be');
  }
  const m = /-----BEGIN ENCRYPTED PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END ENCRYPTED PRIVATE KEY-----/.exec(text);
  if (!m) {
    throw new KeyFileError('format', 'this is not an encrypted PKCS#8 key file (BEGIN ENCRYPTED PRIVATE KEY)');
  }
  try {
    const binary = atob(m[1].replace(/\s+/g, ''));
    return Uint8Array.from(binary, c => c.charCodeAt(0));
  } catch (e) {
    throw new KeyFileError('format', 'the key file\'s base64 is damaged');
  }
}

/** Parses EncryptedPrivateKeyInfo: {salt, iterations, hash, iv, ciphertext}. */
export function parseEncryptedKey(der) {
  try {
    const top = expect(der, 0, der.length, TAG.SEQUENCE, 'EncryptedPrivateKeyInfo');
    if (top.end !== der.length) {
      throw new DerError('trailing bytes after the key');
    }
    const [algorithm, data, ...extra] = children(der, top);
    if (!algorithm || !data || extra.length) {
      throw new DerError('EncryptedPrivateKeyInfo must have two members');
    }
    const [schemeOid, pbes2] = children(der, algorithm);
    if (oid(der, schemeOid) !== OID.PBES2) {
      throw new KeyFileError('format', 'the key file is not encrypted with PBES2');
    }
    const [kdf, cipher, ...more] = children(der, pbes2);
    if (more.length || !cipher) {
      throw new DerError('PBES2 parameters must have two members');
    }
    const [kdfOid, kdfParams] = children(der, kdf);
    if (oid(der, kdfOid) !== OID.PBKDF2) {
      throw new KeyFileError('format', 'the key file\'s key derivation is not PBKDF2');
    }
    const p = children(der, kdfParams);
    if (p.length < 2 || p[0].tag !== TAG.OCTET_STRING) {
      throw new DerError('PBKDF2 parameters need a salt and an iteration count');
    }
    const salt = content(der, p[0]);
    const iterations = smallInteger(der, p[1]);
    let next = 2;
    if (p[next] && p[next].tag === TAG.INTEGER) {
      if (smallInteger(der, p[next]) !== 32) {
        throw new KeyFileError('format', 'the key file asks for a key length other than AES-256\'s');
      }
      next++;
    }
    let hash = 'SHA-1'; // the PBKDF2 default prf, hmacWithSHA1, used by older key files
    if (p[next]) {
      const prf = oid(der, children(der, p[next])[0]);
      if (prf === OID.HMAC_SHA256) {
        hash = 'SHA-256';
      } else if (prf !== OID.HMAC_SHA1) {
        throw new KeyFileError('format', `the key file uses an unsupported PBKDF2 function (${prf})`);
      }
      next++;
    }
    if (next !== p.length) {
      throw new DerError('unexpected PBKDF2 parameters');
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new KeyFileError('format', `the key file asks for ${iterations} PBKDF2 iterations`);
    }
    const [cipherOid, ivElement] = children(der, cipher);
    if (oid(der, cipherOid) !== OID.AES256_CBC) {
      throw new KeyFileError('format', 'the key file is not encrypted with AES-256-CBC');
    }
    if (ivElement.tag !== TAG.OCTET_STRING || ivElement.end - ivElement.start !== 16) {
      throw new DerError('AES-CBC needs a 16-byte IV');
    }
    if (data.tag !== TAG.OCTET_STRING) {
      throw new DerError('encryptedData must be an octet string');
    }
    return { salt, iterations, hash, iv: content(der, ivElement), ciphertext: content(der, data) };
  } catch (e) {
    if (e instanceof KeyFileError) {
      throw e;
    }
    throw new KeyFileError('format', `the key file is damaged (${e.message})`);
  }
}

/** The 32-byte seed and, when present, the public key of a decrypted Ed25519 PKCS#8 key. */
export function parseEd25519PrivateKey(der) {
  try {
    const top = expect(der, 0, der.length, TAG.SEQUENCE, 'PrivateKeyInfo');
    if (top.end !== der.length) {
      throw new DerError('trailing bytes');
    }
    const [version, algorithm, privateKey, ...optional] = children(der, top);
    const v = smallInteger(der, version);
    if (v !== 0 && v !== 1) {
      throw new DerError('unknown PrivateKeyInfo version');
    }
    const algorithmParts = children(der, algorithm);
    if (oid(der, algorithmParts[0]) !== OID.ED25519 || algorithmParts.length !== 1) {
      throw new KeyFileError('algorithm', 'the key file does not hold an Ed25519 key');
    }
    if (privateKey.tag !== TAG.OCTET_STRING) {
      throw new DerError('privateKey must be an octet string');
    }
    const inner = readElement(der, privateKey.start, privateKey.end);
    if (inner.tag !== TAG.OCTET_STRING || inner.end !== privateKey.end || inner.end - inner.start !== 32) {
      throw new DerError('an Ed25519 private key is a 32-byte octet string');
    }
    let publicKey = null;
    for (const e of optional) {
      if (e.tag === TAG.CONTEXT_1_PRIMITIVE) {
        if (v !== 1 || e.end - e.start !== 33 || der[e.start] !== 0) {
          throw new DerError('bad public key field');
        }
        publicKey = der.slice(e.start + 1, e.end);
      } else if (e.tag !== TAG.CONTEXT_0) {
        throw new DerError('unexpected field in PrivateKeyInfo');
      }
    }
    return { seed: der.slice(inner.start, inner.end), publicKey };
  } catch (e) {
    if (e instanceof KeyFileError) {
      throw e;
    }
    // a wrong passphrase gives random bytes that pass the CBC padding check 1 time in 256
    throw new KeyFileError('passphrase', 'the passphrase does not open this key file (or the file is damaged)');
  }
}

/** Decrypts the file's PKCS#8 bytes with the passphrase; the caller zeroes them. */
async function decrypt(parsed, passphrase) {
  const passphraseBytes = new TextEncoder().encode(passphrase);
  try {
    const base = await crypto.subtle.importKey('raw', passphraseBytes, 'PBKDF2', false, ['deriveKey']);
    const aes = await crypto.subtle.deriveKey(
      { name: 'PBKDF2', salt: parsed.salt, iterations: parsed.iterations, hash: parsed.hash },
      base, { name: 'AES-CBC', length: 256 }, false, ['decrypt']);
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CBC', iv: parsed.iv }, aes, parsed.ciphertext));
  } catch (e) {
    throw new KeyFileError('passphrase', 'the passphrase does not open this key file');
  } finally {
    passphraseBytes.fill(0);
  }
}

/**
 * Opens a key file: {signingKey (non-extractable Ed25519 CryptoKey), publicKey (from the file,
 * or null when it does not carry one), kdf: {hash, iterations}}.
 * With `extractable`, the key can be exported (only to read its public key: see publicKeyOf).
 */
export async function openKeyFile(text, passphrase, extractable = false) {
  const parsed = parseEncryptedKey(pemToDer(text));
  const plain = await decrypt(parsed, passphrase);
  let seed = null;
  const pkcs8 = new Uint8Array(48);
  try {
    const key = parseEd25519PrivateKey(plain);
    seed = key.seed;
    pkcs8.set(ED25519_PKCS8_PREFIX);
    pkcs8.set(seed, 16);
    const signingKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, extractable, ['sign']);
    return { signingKey, publicKey: key.publicKey, kdf: { hash: parsed.hash, iterations: parsed.iterations } };
  } finally {
    plain.fill(0);
    pkcs8.fill(0);
    if (seed) {
      seed.fill(0);
    }
  }
}

/** The raw 32-byte public key of an extractable Ed25519 private key (its JWK "x"). */
export async function publicKeyOf(extractableKey) {
  const jwk = await crypto.subtle.exportKey('jwk', extractableKey);
  const x = jwk.x.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(x + '='.repeat((4 - x.length % 4) % 4));
  return Uint8Array.from(binary, c => c.charCodeAt(0));
}
