// The list page: this node's pending requests for its custodians, newest first. What is
// listed here is only a guide; the request page checks the signed text before any answer.

import { countdownText } from './request-text.js';

const $ = id => document.getElementById(id);

function createdAt(view) {
  try {
    return Date.parse(JSON.parse(view.canonical).createdAt) || 0;
  } catch (e) {
    return 0;
  }
}

function item(view) {
  const li = document.createElement('li');
  li.dataset.requestId = view.requestId;
  const link = document.createElement('a');
  link.href = `/ui/requests/${encodeURIComponent(view.requestId)}`;
  link.textContent = `${view.operation} of ${view.keyId} version ${view.version}`;
  li.appendChild(link);
  const details = document.createElement('p');
  const here = Array.isArray(view.custodians) ? view.custodians.map(c => c.custodianId).join(', ') : 'unknown';
  details.textContent = `expires ${view.expiresAt} (${countdownText(view.expiresAt, Date.now())}) · `
    + `${view.approvals} of ${view.threshold} approvals so far · requested by ${view.requester} · `
    + `custodians here: ${here}`;
  li.appendChild(details);
  const id = document.createElement('p');
  id.className = 'mono';
  id.textContent = `request ${view.requestId}`;
  li.appendChild(id);
  return li;
}

async function load() {
  try {
    const [listResponse, nodeResponse] = await Promise.all([
      fetch('/v1/requests?state=PENDING', { cache: 'no-store' }), fetch('/v1/node', { cache: 'no-store' })]);
    if (!listResponse.ok || !nodeResponse.ok) {
      throw new Error(`the node answered ${listResponse.status}`);
    }
    const views = await listResponse.json();
    $('node-id').textContent = (await nodeResponse.json()).nodeId;
    const mine = views.filter(v => !Array.isArray(v.custodians) || v.custodians.length > 0)
      .sort((a, b) => createdAt(b) - createdAt(a));
    $('requests').replaceChildren(...mine.map(item));
    $('list-status').textContent = mine.length === 0 ? 'No request is waiting for the custodians of this node.'
      : `${mine.length} request${mine.length === 1 ? '' : 's'} waiting.`;
  } catch (e) {
    $('list-status').textContent = `The requests cannot be loaded: ${e.message}`;
  }
}

load();
