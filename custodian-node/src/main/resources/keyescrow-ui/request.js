// The request page: shows one request decoded from its signed canonical text, checks it,
// and lets a custodian answer with their own key file. The key is opened, used and dropped
// in this tab; only {custodianId, decision, signature} is sent, to this node.

import { fromBase64, groupsOfFour, sha256Hex, toBase64, utf8 } from './bytes.js';
import { checkRequest, parseCanonical } from './checks.js';
import { KeyFileError, openKeyFile } from './key-file.js';
import { MEANING, countdownText, paramsView, recognized } from './request-text.js';

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const $ = id => document.getElementById(id);
const requestId = decodeURIComponent(location.pathname.split('/').pop());
const page = { request: null, digest: null, holders: null, canAnswer: false, canApprove: false, timer: null };

function show(id, text) {
  $(id).textContent = text;
}

function say(text, kind = 'info') {
  const result = $('result');
  result.textContent = text;
  result.dataset.kind = kind;
}

function enableButtons(busy = false) {
  const open = page.request !== null && Date.now() < Date.parse(page.request.expiresAt);
  $('approve').disabled = busy || !open || !page.canApprove;
  $('deny').disabled = busy || !open || !page.canAnswer;
}

async function problemOf(response) {
  try {
    const body = await response.json();
    return body.detail || body.title || `the node answered ${response.status}`;
  } catch (e) {
    return `the node answered ${response.status}`;
  }
}

function tick() {
  show('countdown', countdownText(page.request.expiresAt, Date.now()));
  if (Date.now() >= Date.parse(page.request.expiresAt)) {
    clearInterval(page.timer);
    show('answer-hint', 'This request has expired: it can no longer be answered.');
    enableButtons();
  }
}

function showStatus(view) {
  show('status', `${view.state} at this node, ${view.approvals} of ${view.threshold} approvals so far`
    + ' (reported by the node; not part of the signed request)');
}

async function load() {
  show('request-id', requestId);
  let view;
  let node;
  try {
    const [viewResponse, nodeResponse] = await Promise.all([
      fetch(`/v1/requests/${encodeURIComponent(requestId)}`, { cache: 'no-store' }),
      fetch('/v1/node', { cache: 'no-store' })]);
    if (!viewResponse.ok) {
      throw new Error(await problemOf(viewResponse));
    }
    if (!nodeResponse.ok) {
      throw new Error(await problemOf(nodeResponse));
    }
    view = await viewResponse.json();
    node = await nodeResponse.json();
  } catch (e) {
    show('load-error', `This request cannot be shown: ${e.message}`);
    $('load-error').hidden = false;
    show('digest-check', 'Not checked: the request could not be loaded.');
    return;
  }
  let request;
  try {
    request = parseCanonical(view.canonical);
    if (request.requestId !== requestId) {
      throw new Error(`the node sent request ${request.requestId}, not ${requestId}`);
    }
  } catch (e) {
    show('digest-check', `CHECK FAILED: ${e.message}. Do not answer; tell your security team.`);
    $('digest-check').dataset.kind = 'bad';
    return;
  }
  page.request = request;
  show('operation', request.operation);
  show('operation-meaning', MEANING[request.operation] || 'This page does not know this operation.');
  show('key-id', request.keyId);
  show('key-version', String(request.version));
  show('kcv', view.kcv ? view.kcv : 'not known to this node');
  show('requester', request.requester);
  show('reason', request.reason);
  show('created-at', request.createdAt);
  show('expires-at', request.expiresAt);
  showStatus(view);
  try {
    $('params').replaceChildren(await paramsView(request));
  } catch (e) {
    $('params').textContent = `the parameters cannot be read: ${e.message}`;
  }
  const check = await checkRequest(view, node.coordinatorPublicKey);
  page.digest = check.digest;
  show('digest', groupsOfFour(check.digest));
  show('coordinator-fingerprint', groupsOfFour(await sha256Hex(fromBase64(node.coordinatorPublicKey))));
  const known = recognized(request);
  if (check.ok) {
    show('digest-check', 'verified: the SHA-256 of the request text is the digest above, and the coordinator key'
      + ' this node pins signed it.');
    $('digest-check').dataset.kind = 'good';
  } else {
    show('digest-check', `CHECK FAILED: ${check.problem}. Do not answer; tell your security team.`);
    $('digest-check').dataset.kind = 'bad';
  }
  page.holders = Array.isArray(view.custodians) ? view.custodians : null;
  for (const h of page.holders || []) {
    const option = document.createElement('option');
    option.value = h.custodianId;
    $('custodians-here').appendChild(option);
  }
  page.canAnswer = check.ok && view.state === 'PENDING';
  page.canApprove = page.canAnswer && known;
  if (view.state !== 'PENDING') {
    show('answer-hint', `This request is ${view.state}: answers are closed.`);
  } else if (!check.ok) {
    show('answer-hint', 'Answering is disabled: the request failed its check.');
  } else if (!known) {
    show('answer-hint', 'Approving is disabled: this page does not understand every part of this request.');
  }
  page.timer = setInterval(tick, 1000);
  tick();
  enableButtons();
}

async function refreshStatus() {
  try {
    const response = await fetch(`/v1/requests/${encodeURIComponent(requestId)}`, { cache: 'no-store' });
    if (response.ok) {
      const view = await response.json();
      showStatus(view);
      if (view.state !== 'PENDING') {
        page.canAnswer = page.canApprove = false;
        show('answer-hint', `This request is ${view.state}: answers are closed.`);
      }
    }
  } catch (e) {
    // the status line keeps its last value; the answer's own result is already shown
  }
}

async function answer(decision) {
  enableButtons(true);
  say('');
  const custodianId = $('custodian-id').value.trim();
  const file = $('key-file').files[0];
  const passphrase = $('passphrase').value;
  let opened = null;
  try {
    if (!ID.test(custodianId)) {
      return say('Enter your custodian id (lowercase letters, digits and dashes). Nothing was sent.', 'bad');
    }
    const pinned = page.holders ? page.holders.find(h => h.custodianId === custodianId) : undefined;
    if (page.holders && !pinned) {
      return say(`${custodianId} holds no share of ${page.request.keyId} v${page.request.version} on this node,`
        + ' so cannot answer here. Nothing was sent.', 'bad');
    }
    if (!file) {
      return say('Choose your key file. Nothing was sent.', 'bad');
    }
    if (!passphrase) {
      return say('Type the passphrase of your key file. Nothing was sent.', 'bad');
    }
    say('Opening your key file in this browser…');
    opened = await openKeyFile(await file.text(), passphrase);
    const statement = utf8(`keyescrow-approval-v1\n${requestId}\n${page.digest}\n${decision}\n${custodianId}`);
    const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, opened.signingKey, statement));
    opened = null;
    let note = '';
    if (pinned) {
      const key = await crypto.subtle.importKey('raw', fromBase64(pinned.publicKey), { name: 'Ed25519' }, false,
        ['verify']);
      if (!await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, statement)) {
        return say(`This key file is not the key pinned for ${custodianId}: it belongs to another custodian, or`
          + ' you typed another custodian id. Nothing was sent.', 'bad');
      }
    } else {
      note = ` (this node does not say which key is pinned for ${custodianId}; it checks the signature itself)`;
    }
    if (Date.now() >= Date.parse(page.request.expiresAt)) {
      return say('This request expired while you were answering. Nothing was sent.', 'bad');
    }
    say('Sending your signed answer to this node…');
    const response = await fetch(`/v1/requests/${encodeURIComponent(requestId)}/approvals`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'omit', cache: 'no-store',
      body: JSON.stringify({ custodianId, decision, signature: toBase64(signature) }),
    });
    if (response.status === 201) {
      const body = await response.json();
      say(`The node accepted your ${decision} as ${custodianId}: ${body.approvals} of ${body.threshold} approvals,`
        + ` request ${body.state}${note}.`, 'good');
    } else {
      say(`The node refused the answer (${response.status}): ${await problemOf(response)}`, 'bad');
    }
  } catch (e) {
    if (e instanceof KeyFileError) {
      say(`${e.message[0].toUpperCase()}${e.message.slice(1)}. Nothing was sent.`, 'bad');
    } else {
      say(`The answer could not be completed: ${e.message}`, 'bad');
    }
  } finally {
    opened = null;
    $('passphrase').value = '';
    $('key-file').value = '';
    await refreshStatus();
    enableButtons();
  }
}

$('approve').addEventListener('click', () => answer('APPROVE'));
$('deny').addEventListener('click', () => answer('DENY'));
load();
