// The key-check page: opens a key file with the same code the request page uses and shows
// its public key. The key is imported as extractable here only to read the public key.

import { sameBytes, toBase64 } from './bytes.js';
import { KeyFileError, openKeyFile, publicKeyOf } from './key-file.js';

const $ = id => document.getElementById(id);

async function check() {
  $('kc-public-key').textContent = '';
  $('kc-details').textContent = '';
  const file = $('kc-file').files[0];
  const passphrase = $('kc-passphrase').value;
  $('kc-passphrase').value = '';
  if (!file || !passphrase) {
    $('kc-result').textContent = 'Choose a key file and type its passphrase.';
    return;
  }
  $('kc-result').textContent = 'Opening…';
  try {
    const opened = await openKeyFile(await file.text(), passphrase, true);
    const publicKey = await publicKeyOf(opened.signingKey);
    if (opened.publicKey && !sameBytes(opened.publicKey, publicKey)) {
      $('kc-result').textContent = 'The file\'s public key does not belong to its private key: the file is damaged.';
      return;
    }
    $('kc-public-key').textContent = toBase64(publicKey);
    $('kc-details').textContent = `PBES2, PBKDF2-HMAC-${opened.kdf.hash} with ${opened.kdf.iterations} iterations,`
      + ' AES-256-CBC; Ed25519 key';
    $('kc-result').textContent = 'opened';
  } catch (e) {
    $('kc-result').textContent = e instanceof KeyFileError ? e.message : `cannot open the file: ${e.message}`;
  }
}

$('kc-open').addEventListener('click', check);
