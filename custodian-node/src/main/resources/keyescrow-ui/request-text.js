// Turns a canonical request (already checked to be canonical) into plain language. Every
// value reaches the page through textContent, never as markup.

import { fromBase64, sha256Hex, toHex } from './bytes.js';

export const MEANING = Object.freeze({
  USE: 'The key is rebuilt inside the coordinator\'s token for a limited session: it serves encrypt, decrypt or'
    + ' sign calls for the requester named below only, up to the operation count and time below, then is destroyed.',
  EXPORT: 'The key leaves the cluster, wrapped to the recipient public key below: whoever holds that recipient'
    + ' key receives the key itself.',
  ROTATE: 'A new version of the key is made with new material and new shares; this version becomes'
    + ' DEACTIVATED (decrypt and verify only).',
  REFRESH: 'The same key gets new shares for the same custodians; the old shares are then shredded.',
  RESHARE: 'The key gets the new holders and threshold below; once their shares are verified, the old shares'
    + ' are shredded.',
  DESTROY: 'Every node shreds its share of this version: the key can never be used or recovered again.',
  COMPROMISE: 'This version is marked COMPROMISED: decrypt only, and an alert is raised. A rotation should follow.',
  SIGN: 'The threshold key signs the messages below; no share leaves its node.',
});

const PARAMS = Object.freeze({
  USE: ['maxOperations', 'sessionSeconds'], EXPORT: ['recipientPublicKey'], RESHARE: ['holders', 'threshold'],
  SIGN: ['messages'], ROTATE: [], REFRESH: [], DESTROY: [], COMPROMISE: [],
});
const REQUEST_MEMBERS = ['createdAt', 'ephemeralPublicKey', 'expiresAt', 'format', 'keyId', 'nonce', 'operation',
  'params', 'reason', 'requestId', 'requester', 'version'];

/** Control, zero-width and bidirectional-override characters: text containing them is shown as hex. */
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

/** Whether the page understands every member of this request (otherwise approving is disabled). */
export function recognized(request) {
  const members = Object.keys(request).sort();
  const params = PARAMS[request.operation];
  return request.format === 'keyescrow-request-v1' && params !== undefined
    && members.join(',') === REQUEST_MEMBERS.join(',')
    && Object.keys(request.params).sort().join(',') === [...params].sort().join(',');
}

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) {
    e.textContent = text;
  }
  if (className) {
    e.className = className;
  }
  return e;
}

/** A message as text when it is printable UTF-8, hex otherwise. */
export function messageView(bytes) {
  let text = null;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    text = null;
  }
  if (text !== null && !HIDDEN.test(text)) {
    return { kind: 'text', value: text };
  }
  return { kind: 'hex', value: toHex(bytes) };
}

function durationText(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', s || (!h && !m) ? `${s} s` : ''].filter(Boolean).join(' ');
}

/** The parameters of a request as a list of DOM nodes (one element). */
export async function paramsView(request) {
  const p = request.params;
  const list = el('ul', undefined, 'params');
  const item = text => list.appendChild(el('li', text));
  switch (request.operation) {
    case 'USE':
      item(`at most ${p.maxOperations} operation${p.maxOperations === 1 ? '' : 's'}`);
      item(`session of at most ${durationText(p.sessionSeconds)} (${p.sessionSeconds} s)`);
      break;
    case 'EXPORT': {
      const li = list.appendChild(el('li', 'recipient key SHA-256 '));
      li.appendChild(el('code', await sha256Hex(fromBase64(p.recipientPublicKey)), 'mono'));
      break;
    }
    case 'RESHARE':
      item(`new threshold: ${p.threshold} of ${p.holders.length} holders`);
      for (const h of p.holders) {
        const li = list.appendChild(el('li', `${h.custodianId} on ${h.nodeId}, key SHA-256 `));
        li.appendChild(el('code', await sha256Hex(fromBase64(h.publicKey)), 'mono'));
      }
      break;
    case 'SIGN':
      p.messages.forEach((m, i) => {
        const bytes = fromBase64(m);
        const shown = messageView(bytes);
        const li = list.appendChild(el('li', `message ${i + 1}, ${bytes.length} bytes, as ${shown.kind}:`));
        li.appendChild(el('pre', shown.value, shown.kind === 'hex' ? 'mono message' : 'message'));
      });
      break;
    default:
      if (Object.keys(p).length === 0) {
        item('no parameters');
      } else {
        item('parameters this page does not know (shown raw):');
        list.appendChild(el('li')).appendChild(el('pre', JSON.stringify(p, null, 2), 'mono'));
      }
  }
  return list;
}

/** "in 9 min 12 s" or "expired 3 s ago". */
export function countdownText(expiresAt, now) {
  const seconds = Math.round((Date.parse(expiresAt) - now) / 1000);
  return seconds > 0 ? `in ${durationText(seconds)}` : `expired ${durationText(-seconds)} ago`;
}
