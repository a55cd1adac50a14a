'use strict';
// The ops dashboard. Reads /api/ops/overview every REFRESH_MS and redraws; every value from the server is
// inserted as text (never as HTML), since error messages and reasons come from banks and operators.

const REFRESH_MS = 2000;
const STATES = ['PREPARING', 'COMMITTING', 'ABORTING', 'COMMITTED', 'ABORTED'];
const ACTIVE = new Set(['PREPARING', 'COMMITTING', 'ABORTING']);

const RISKS = {
  retry: 'Safe. Sends the decision already logged here to the banks that have not acknowledged it, now instead '
    + 'of after its backoff. It cannot change the outcome.',
  abort: 'Aborts a transaction whose votes are still being collected. No bank can have committed it (there is no '
    + 'commit decision), so the banks stay in agreement; but the transfer will not happen, the client is told '
    + 'ABORTED (OPERATOR_ABORTED), and any bank that prepared releases its holds.',
  heuristic: 'LAST RESORT. Decides this transaction at this bank alone, without the coordinator that started it. '
    + 'If that coordinator ever decides otherwise, the two banks will disagree (a heuristic mismatch) and the money '
    + 'must be put right by hand. Do this only when that coordinator has lost the transaction or is gone for good, '
    + 'and you know what the other bank did. The outcome stays flagged as heuristic for good.'
};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '—';
}

function age(seconds) {
  if (seconds < 60) return seconds + ' s';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
  return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
}

function ms(value) {
  return value ? value.toFixed(1) + ' ms' : '—';
}

function txLink(txId) {
  return el('a', { href: '#', class: 'mono tx-link', onclick: (e) => { e.preventDefault(); showTimeline(txId); } },
    txId);
}

function fill(table, rows, emptyText, columns) {
  const body = document.querySelector(table + ' tbody');
  body.replaceChildren(...(rows.length ? rows
    : [el('tr', { class: 'empty' }, el('td', { colspan: columns }, emptyText))]));
}

function drawCounts(counts) {
  document.getElementById('counts').replaceChildren(...STATES.map(state =>
    el('div', { class: 'count' + (ACTIVE.has(state) && counts[state] > 0 ? ' active' : ''), 'data-state': state },
      el('div', { class: 'label' }, state), el('div', { class: 'value' }, counts[state] ?? 0))));
}

function drawRates(rates) {
  const rate = (label, r) => el('div', { class: 'rate' }, el('strong', {}, label + ': '),
    (r.commits / r.seconds).toFixed(2) + ' commits/s, ',
    r.commits + r.aborts === 0 ? 'no outcomes' : (100 * r.aborts / (r.commits + r.aborts)).toFixed(1) + ' % aborted');
  document.getElementById('rates').replaceChildren(
    rate('last minute', rates.lastMinute), rate('5 min', rates.last5Minutes), rate('15 min', rates.last15Minutes));
  const peak = Math.max(1, ...rates.perMinute.map(r => r.commits + r.aborts));
  document.getElementById('per-minute').replaceChildren(...rates.perMinute.map(r =>
    el('div', { class: 'bar', title: r.commits + ' commits, ' + r.aborts + ' aborts' },
      el('div', { class: 'c', style: 'height:' + (50 * r.commits / peak) + 'px' }),
      el('div', { class: 'a', style: 'height:' + (50 * r.aborts / peak) + 'px' }))));
}

/**
 * A failure as the coordinator and banks record it: what happened in words on the first line, the technical detail
 * (the exception) after it — shown one click away.
 */
function failure(text) {
  if (!text) return null;
  const newline = text.indexOf('\n');
  if (newline < 0) return el('div', { class: 'error' }, text);
  return el('div', { class: 'error' }, el('span', { class: 'words' }, text.slice(0, newline)),
    el('details', { class: 'detail' }, el('summary', {}, 'details'), el('div', { class: 'mono' }, text.slice(newline + 1))));
}

function drawBanks(banks) {
  fill('#banks', banks.map(b => el('tr', { 'data-bank': b.bankId },
    el('td', { class: 'bank' }, b.bankId, el('div', { class: 'mono' }, b.url)),
    el('td', { class: 'reachable ' + (b.reachable ? 'up' : 'down') }, b.reachable ? 'reachable' : 'UNREACHABLE',
      failure(b.error)),
    el('td', {}, b.healthLatencyMillis === null ? '—' : b.healthLatencyMillis + ' ms'),
    el('td', { class: 'breaker breaker-' + b.circuitBreaker }, b.circuitBreaker),
    el('td', {}, ms(b.prepare.p50Millis) + ' / ' + ms(b.prepare.p99Millis)),
    el('td', {}, ms(b.decision.p50Millis) + ' / ' + ms(b.decision.p99Millis)),
    el('td', { class: 'in-doubt-count' }, b.reachable ? b.inDoubt.length : '?'),
    el('td', {}, time(b.checkedAt)))), 'no banks configured', 8);
}

function drawInDoubt(rows) {
  fill('#in-doubt', rows.map(r => el('tr', { 'data-tx': r.txId, 'data-bank': r.bankId, class: r.stale ? 'stale' : '' },
    el('td', {}, txLink(r.txId)),
    el('td', { class: 'decision' }, r.decision),
    el('td', { class: 'bank' }, r.bankId),
    el('td', { class: 'age', 'data-seconds': r.ageSeconds }, age(r.ageSeconds)),
    el('td', { class: 'attempts' }, r.attempts),
    el('td', { class: 'last-error' }, failure(r.lastError)),
    el('td', {}, time(r.nextAttemptAt)),
    el('td', {}, el('button', { class: 'retry', onclick: () => openAction('retry', r.txId, {}) }, 'Retry now')))),
  'nothing in doubt', 8);
}

function drawUndecided(rows) {
  fill('#undecided', rows.map(r => el('tr', { 'data-tx': r.txId, class: r.stale ? 'stale' : '' },
    el('td', {}, txLink(r.txId)), el('td', {}, r.from), el('td', {}, r.to), el('td', {}, r.amount),
    el('td', { class: 'age', 'data-seconds': r.ageSeconds }, age(r.ageSeconds)),
    el('td', {}, r.onePhase ? el('span', { title: 'its bank decides; resolved by asking it' }, 'one phase')
      : el('button', { class: 'abort danger', onclick: () => openAction('abort', r.txId, {}) }, 'Abort')))),
  'none', 6);
}

function drawBankInDoubt(banks) {
  const rows = [];
  for (const b of banks) {
    for (const t of b.inDoubt) {
      const unknown = t.coordinatorState === null;
      rows.push(el('tr', { 'data-tx': t.txId, 'data-bank': b.bankId, class: t.stale ? 'stale' : '' },
        el('td', {}, txLink(t.txId)), el('td', { class: 'bank' }, b.bankId),
        el('td', { class: 'age', 'data-seconds': t.ageSeconds }, age(t.ageSeconds)),
        el('td', { class: 'held' }, t.held),
        el('td', {}, t.inquiryAttempts),
        el('td', { class: 'answers' }, t.coordinatorAnswers,
          failure(t.lastInquiryError)),
        el('td', { class: 'coordinator-state' }, unknown ? 'none (not this coordinator\'s, or lost)' : t.coordinatorState),
        el('td', {}, unknown ? [
          el('button', { class: 'heuristic-commit', onclick: () => openAction('heuristic', t.txId,
            { bankId: b.bankId, decision: 'COMMIT' }) }, 'Heuristic commit'), ' ',
          el('button', { class: 'heuristic-abort', onclick: () => openAction('heuristic', t.txId,
            { bankId: b.bankId, decision: 'ABORT' }) }, 'Heuristic abort')]
          : el('span', { class: 'why' }, 'the coordinator delivers its decision'))));
    }
  }
  fill('#bank-in-doubt', rows, 'nothing in doubt at any reachable bank', 8);
}

function drawHeuristics(rows) {
  fill('#heuristics', rows.map(h => el('tr', { 'data-tx': h.txId, 'data-bank': h.bankId,
    class: h.heuristic === 'MISMATCH' ? 'problem' : '' },
  el('td', {}, txLink(h.txId)), el('td', {}, h.bankId),
  el('td', { class: h.heuristic === 'MISMATCH' ? 'mismatch' : '' }, h.heuristic),
  el('td', {}, h.bankState), el('td', {}, h.state), el('td', {}, time(h.reportedAt)))), 'none', 6);
}

async function refresh() {
  const status = document.getElementById('status');
  try {
    const response = await fetch('/api/ops/overview', { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error('overview answered ' + response.status);
    const o = await response.json();
    document.querySelectorAll('.stale-after').forEach(s => { s.textContent = o.staleAfterSeconds; });
    drawCounts(o.counts);
    drawRates(o.rates);
    drawBanks(o.banks);
    drawInDoubt(o.inDoubt);
    drawUndecided(o.undecided);
    drawBankInDoubt(o.banks);
    drawHeuristics(o.heuristics);
    document.getElementById('updated').textContent = 'updated ' + time(o.generatedAt);
    status.textContent = '';
    status.className = '';
  } catch (e) {
    status.textContent = 'cannot reach the coordinator: ' + e.message;
    status.className = 'error';
  }
}

function owner(o) {
  return o.node + ' #' + o.epoch;
}

function drawCluster(c) {
  fill('#cluster-nodes', c.nodes.map(n => el('tr', { 'data-node': n.nodeId, class: n.held ? '' : 'stale' },
    el('td', { class: 'node' }, n.nodeId + (n.self ? ' (this node)' : '')),
    el('td', { class: 'lease ' + (n.held ? 'up' : 'down') },
      n.held ? 'held' : (n.fencedAt ? 'fenced by ' + n.fencedBy + ' at ' + time(n.fencedAt) : 'EXPIRED')),
    el('td', { class: 'epoch' }, n.epoch),
    el('td', {}, time(n.renewedAt)),
    el('td', {}, time(n.startedAt)),
    el('td', { class: 'in-flight' }, n.inFlight),
    el('td', { class: 'mono' }, (n.host || '?') + ' pid ' + (n.pid ?? '?')))), 'no node has joined', 7);
  const took = t => t.finishedAt && t.lastRenewedAt
    ? ((new Date(t.finishedAt) - new Date(t.lastRenewedAt)) / 1000).toFixed(1) + ' s' : '—';
  fill('#takeovers', c.takeovers.map(t => el('tr', { 'data-takeover': t.id },
    el('td', {}, time(t.takenAt)), el('td', { class: 'from' }, owner(t.from)), el('td', { class: 'by' }, owner(t.by)),
    el('td', { class: 'transactions' }, t.transactions),
    el('td', { class: 'finished' }, t.finishedAt ? time(t.finishedAt) : 'in progress'),
    el('td', {}, took(t)))), 'no takeover yet', 6);
}

async function refreshCluster() {
  try {
    const response = await fetch('/api/ops/cluster');
    if (response.ok) drawCluster(await response.json());
  } catch (e) { /* the overview's status line already says the coordinator is unreachable */ }
}

const KIND_WORDS = {
  COMMITTED_HERE_ABORTED_THERE: 'committed here, aborted at the bank',
  COMMITTED_HERE_UNKNOWN_THERE: 'committed here, unknown at the bank',
  ABORTED_HERE_COMMITTED_THERE: 'aborted here, committed at the bank',
  APPLIED_THERE_UNKNOWN_HERE: 'committed at the bank, unknown here',
  AMOUNT_DIFFERS: 'committed on both sides, amounts differ',
  IN_DOUBT_THERE: 'decided here, still in doubt at the bank',
  UNDECIDED_HERE: 'still undecided here',
};

function drawReconciliation(r) {
  const agrees = r.disagreementCount === 0 && Object.keys(r.unreadableBanks).length === 0
    && r.totals.every(t => t.netHere === t.netThere && t.committedHere === t.committedThere);
  const summary = document.getElementById('reconciliation-summary');
  summary.className = agrees ? 'agrees' : 'disagrees';
  summary.replaceChildren(
    el('strong', {}, agrees ? 'The books agree' : r.disagreementCount + ' disagreement(s)'
      + (r.disagreementCount > r.disagreements.length ? ' (the first ' + r.disagreements.length + ' listed)' : '')),
    ' — ' + r.transactions + ' transactions begun ' + time(r.from) + ' to ' + time(r.to)
      + ', compared at ' + time(r.ranAt) + ' in ' + r.tookMillis + ' ms',
    ...Object.entries(r.unreadableBanks).map(([bank, why]) =>
      el('div', { class: 'unreadable', 'data-bank': bank }, bank + ' could not be read: ', failure(why))));
  fill('#reconciliation-totals', r.totals.map(t => {
    const same = Number(t.netHere) === Number(t.netThere) && t.committedHere === t.committedThere;
    return el('tr', { 'data-bank': t.bankId, class: same ? '' : 'problem' },
      el('td', { class: 'bank' }, t.bankId), el('td', { class: 'net-here' }, t.netHere),
      el('td', { class: 'net-there' }, t.netThere), el('td', {}, t.committedHere), el('td', {}, t.committedThere),
      el('td', { class: 'verdict' }, same ? 'agree' : 'DIFFER'));
  }), 'no bank read', 6);
  fill('#reconciliation-disagreements', r.disagreements.map(d =>
    el('tr', { 'data-tx': d.txId, 'data-bank': d.bankId || '', class: 'problem' },
      el('td', {}, txLink(d.txId)), el('td', { class: 'bank' }, d.bankId || '—'),
      el('td', { class: 'kind', 'data-kind': d.kind }, (KIND_WORDS[d.kind] || d.kind) + (d.heuristic ? ' (heuristic)' : '')),
      el('td', {}, d.here || '—'), el('td', {}, d.there || '—'),
      el('td', {}, d.netHere ?? '—'), el('td', {}, d.netThere ?? '—'), el('td', {}, time(d.since)))),
  'no disagreement', 8);
}

async function refreshReconciliation() {
  try {
    const response = await fetch('/api/ops/reconciliation');
    if (response.status === 200) drawReconciliation(await response.json());
  } catch (e) { /* the overview's status line already says the coordinator is unreachable */ }
}

document.getElementById('reconcile').addEventListener('submit', async event => {
  event.preventDefault();
  const iso = id => new Date(document.getElementById(id).value + 'Z').toISOString();
  const status = document.getElementById('reconciliation-status');
  status.textContent = 'comparing…';
  const response = await fetch('/api/ops/reconciliation?from=' + encodeURIComponent(iso('reconcile-from'))
    + '&to=' + encodeURIComponent(iso('reconcile-to')));
  if (response.ok) {
    status.textContent = '';
    drawReconciliation(await response.json());
  } else {
    const problem = await response.json().catch(() => ({}));
    status.textContent = problem.detail || ('failed: ' + response.status);
  }
});

/** The form starts on the last 15 minutes, in UTC as the page shows every time. */
(function defaultWindow() {
  const local = d => d.toISOString().slice(0, 19);
  const now = new Date();
  document.getElementById('reconcile-to').value = local(now);
  document.getElementById('reconcile-from').value = local(new Date(now - 15 * 60 * 1000));
})();

async function refreshAudit() {
  try {
    const response = await fetch('/api/ops/audit?limit=50');
    if (!response.ok) return;
    const entries = await response.json();
    fill('#audit', entries.map(a => el('tr', { 'data-id': a.id, 'data-tx': a.txId || '' },
      el('td', {}, time(a.at)), el('td', { class: 'actor' }, a.actor), el('td', { class: 'action' }, a.action),
      el('td', {}, a.txId ? txLink(a.txId) : ''), el('td', {}, a.bankId || ''),
      el('td', { class: 'result' }, a.result), el('td', { class: 'reason' }, a.reason),
      el('td', { class: 'detail' }, a.detail || ''))), 'no operator actions yet', 8);
  } catch (e) { /* the overview's status line already says the coordinator is unreachable */ }
}

async function showTimeline(txId) {
  document.getElementById('search-id').value = txId;
  const summary = document.getElementById('timeline-summary');
  const response = await fetch('/api/ops/transactions/' + encodeURIComponent(txId));
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    summary.textContent = problem.detail || ('lookup failed: ' + response.status);
    fill('#timeline', [], 'nothing to show', 4);
    return;
  }
  const view = await response.json();
  if (!view.found) {
    summary.textContent = 'No record of ' + txId + ' at the coordinator, at any bank, or in the audit log.';
  } else {
    const c = view.coordinator;
    summary.replaceChildren(el('strong', {}, txId), ' — ',
      c ? c.state + ' · ' + legs(c.transfer.legs) : 'unknown to this coordinator');
  }
  fill('#timeline', view.timeline.map(e => el('tr', { class: e.problem ? 'problem' : '' },
    el('td', {}, e.at ? new Date(e.at).toLocaleString() : '—'), el('td', { class: 'source' }, e.source),
    el('td', { class: 'what' }, e.what),
    e.detail && e.detail.includes('\n') ? el('td', {}, failure(e.detail)) : el('td', { class: 'mono' }, e.detail))),
    'no records', 4);
  document.getElementById('search-panel').scrollIntoView();
}

/**
 * What a transaction moves: "bank-a/alice → bank-b/bob 40.00" for a transfer (a debit, then the credit of as much),
 * else every leg with its signed amount.
 */
function legs(all) {
  const [debit, credit] = all;
  if (all.length === 2 && debit.amount.startsWith('-') && debit.amount.substring(1) === credit.amount) {
    return debit.bank + '/' + debit.account + ' → ' + credit.bank + '/' + credit.account + ' ' + credit.amount;
  }
  return all.map(leg => leg.bank + '/' + leg.account + ' ' + leg.amount).join(', ');
}

let pending = null;
let canAct = false;

/** Spring Security's CSRF token, from the cookie it sets, to send back with every POST. */
function csrfToken() {
  const cookie = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.split('=')[1]) : '';
}

async function whoAmI() {
  const response = await fetch('/api/ops/me');
  if (!response.ok) return;
  const me = await response.json();
  canAct = me.roles.includes('OPERATOR');
  document.getElementById('user').textContent = me.name + ' (' + me.roles.map(r => r.toLowerCase()).join(', ') + ')';
  document.body.classList.toggle('viewer', !canAct);
}

function openAction(kind, txId, extra) {
  pending = { kind, txId, extra };
  const titles = { retry: 'Retry delivery now', abort: 'Abort transaction',
    heuristic: 'Heuristic ' + (extra.decision || '').toLowerCase() + ' at ' + extra.bankId };
  document.getElementById('action-title').textContent = titles[kind] + ' — ' + txId;
  document.getElementById('action-risk').textContent = RISKS[kind];
  document.getElementById('action-reason').value = '';
  document.getElementById('action-result').textContent = '';
  document.getElementById('action-dialog').showModal();
}

async function confirmAction() {
  const reason = document.getElementById('action-reason').value.trim();
  const result = document.getElementById('action-result');
  if (!reason) {
    result.textContent = 'A reason is required: it goes to the audit log with your name.';
    return;
  }
  const body = Object.assign({ reason }, pending.extra);
  const response = await fetch('/api/ops/transactions/' + encodeURIComponent(pending.txId) + '/' + pending.kind, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken() },
    body: JSON.stringify(body)
  });
  const answer = await response.json().catch(() => ({}));
  if (response.ok) {
    document.getElementById('action-dialog').close();
    document.getElementById('status').textContent = pending.kind + ' done: ' + answer.detail;
  } else {
    result.textContent = (answer.result || 'ERROR') + ': ' + (answer.detail || answer.title || response.status);
  }
  refresh();
  refreshAudit();
}

document.getElementById('action-confirm').addEventListener('click', confirmAction);
document.getElementById('action-cancel').addEventListener('click', () => document.getElementById('action-dialog').close());
document.getElementById('search').addEventListener('submit', (e) => {
  e.preventDefault();
  const id = document.getElementById('search-id').value.trim();
  if (id) showTimeline(id);
});

document.getElementById('logout').addEventListener('click', async () => {
  await fetch('/logout', { method: 'POST', headers: { 'X-XSRF-TOKEN': csrfToken() } });
  location.href = '/login?logout';
});

whoAmI();
refresh();
refreshAudit();
refreshCluster();
refreshReconciliation();
setInterval(refresh, REFRESH_MS);
setInterval(refreshReconciliation, REFRESH_MS * 2);
setInterval(refreshCluster, REFRESH_MS);
setInterval(refreshAudit, REFRESH_MS * 2);
