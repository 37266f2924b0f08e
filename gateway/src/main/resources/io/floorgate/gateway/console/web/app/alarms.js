// The alarm board: every alarm that is not normal, live from the stream, with the operator's
// actions. New alarms are announced (aria-live); a new critical one also raises the banner.
import {$, h, stateBadge, severityBadge, when, ago, number, announce} from './dom.js';
import {post, ApiError} from './api.js';

let board = [];
let version = 0;
let seen = null; // keys of raises already known: rule|topic|event_id
let hooks = {onCritical: () => {}, announce};
let pendingShelve = null;
let shelveOpener = null; // the Shelve… button that opened the dialog
let rendered = new Map(); // rule|topic -> {signature, tr}

const keyOf = (alarm) => `${alarm.rule_id}|${alarm.topic}`;
const UNACKED = new Set(['active_unacknowledged', 'returned_unacknowledged']);
const ORDER = {critical: 0, error: 1, warning: 2, info: 3};

export function init(options) {
  hooks = {...hooks, ...options};
  for (const id of ['#alarm-severity', '#alarm-category', '#alarm-search']) {
    $(id).addEventListener('input', render);
  }
  $('#shelve-form').addEventListener('submit', shelveConfirmed);
  $('#shelve-cancel').addEventListener('click', () => $('#shelve-dialog').close());
  $('#shelve-dialog').addEventListener('close', giveFocusBack);
  setInterval(render, 30000); // keeps "since" current
}

export function show() {
  render();
}

/** A board from the stream (the whole board, with a version). */
export function update(message) {
  if (message.version <= version) return;
  version = message.version;
  board = message.alarms;
  const first = seen === null;
  const known = seen || new Set();
  seen = new Set();
  for (const alarm of board) {
    const key = `${alarm.rule_id}|${alarm.topic}|${alarm.event_id}`;
    seen.add(key);
    if (!first && !known.has(key) && alarm.state === 'active_unacknowledged') {
      hooks.announce(`New ${alarm.severity} alarm: ${alarm.parameter} on ${alarm.topic}, value ${number(alarm.value)}`);
      if (alarm.severity === 'critical') hooks.onCritical(alarm);
      alarm._fresh = true;
    }
  }
  render();
}

export function focusCritical() {
  const row = document.querySelector('#alarm-rows tr.fresh.sev-row-critical') ||
    document.querySelector('#alarm-rows tr.sev-row-critical');
  if (row) row.focus();
}

function visible() {
  const severity = $('#alarm-severity').value;
  const category = $('#alarm-category').value;
  const search = $('#alarm-search').value.trim().toLowerCase();
  return board
    .filter((a) => !severity || a.severity === severity)
    .filter((a) => !category || a.category === category)
    .filter((a) => !search || `${a.rule_id} ${a.parameter} ${a.topic}`.toLowerCase().includes(search))
    .sort((a, b) => (ORDER[a.severity] - ORDER[b.severity]) || String(b.since).localeCompare(String(a.since)));
}

function render() {
  const rows = $('#alarm-rows');
  const list = visible();
  const unacked = board.filter((a) => UNACKED.has(a.state)).length;
  const count = $('#alarm-count');
  count.textContent = board.length ? String(board.length) : '';
  count.className = `count${board.some((a) => a.severity === 'critical' && UNACKED.has(a.state)) ? ' count-critical' : ''}`;
  $('#alarm-summary').textContent = board.length
    ? `${board.length} alarm(s), ${unacked} unacknowledged${list.length !== board.length ? `; ${list.length} shown` : ''}`
    : '';
  $('#alarm-empty').hidden = board.length !== 0;
  // Rows whose alarm did not change are kept (a button being pressed stays where it is). The
  // focus, when it is on a row that is re-drawn, moves to the new row: a keyboard keeps its place.
  const active = document.activeElement;
  const holder = active && active !== document.body && rows.contains(active) ? active.closest('tr') : null;
  const keep = holder ? `${holder.dataset.rule}|${holder.dataset.topic}` : null;
  const next = new Map();
  const wanted = list.map((alarm) => {
    const key = keyOf(alarm);
    const signature = JSON.stringify(alarm);
    const old = rendered.get(key);
    const tr = old && old.signature === signature ? old.tr : row(alarm);
    next.set(key, {signature, tr});
    return tr;
  });
  rendered = next;
  wanted.forEach((tr, i) => {
    if (rows.children[i] !== tr) rows.insertBefore(tr, rows.children[i] || null);
  });
  while (rows.children.length > wanted.length) rows.lastChild.remove();
  for (const el of rows.querySelectorAll('.ago')) el.textContent = ago(el.dataset.since);
  if (keep && (!active.isConnected || document.activeElement === document.body)) focusRow(keep);
}

function focusRow(key) {
  if (rendered.has(key)) rendered.get(key).tr.focus();
}

function row(alarm) {
  const actions = [];
  if (alarm.event_id && UNACKED.has(alarm.state)) {
    actions.push(h('button', {type: 'button', class: 'primary', 'data-action': 'ack',
      onclick: () => act(alarm, 'ack')}, 'Acknowledge'));
  }
  if (alarm.state === 'shelved') {
    actions.push(h('button', {type: 'button', 'data-action': 'unshelve', onclick: () => act(alarm, 'unshelve')}, 'Unshelve'));
  } else {
    actions.push(h('button', {type: 'button', 'data-action': 'shelve', onclick: (e) => openShelve(alarm, e.currentTarget)}, 'Shelve…'));
  }
  if (alarm.latched) {
    actions.push(h('button', {type: 'button', 'data-action': 'reset', onclick: () => act(alarm, 'reset')}, 'Reset'));
  }
  actions.push(h('a', {class: 'button quiet', 'data-action': 'trend',
    href: `#/trend?rule=${encodeURIComponent(alarm.rule_id)}&topic=${encodeURIComponent(alarm.topic)}`}, 'Trend'));
  const shelvedNote = alarm.state === 'shelved'
    ? h('div', {class: 'note'}, `until ${when(alarm.shelved_until)} by ${alarm.shelved_by}: ${alarm.shelved_reason}`) : null;
  const level = alarm.level ? h('span', {class: 'level'}, ` ${alarm.level}`) : null;
  return h('tr', {
    tabindex: '-1',
    class: `sev-row-${alarm.severity}${alarm._fresh ? ' fresh' : ''}`,
    dataset: {rule: alarm.rule_id, topic: alarm.topic, state: alarm.state, eventId: alarm.event_id || ''},
  },
  h('td', {}, stateBadge(alarm.state), alarm.latched ? h('span', {class: 'latched'}, ' latched') : null, shelvedNote,
    alarm.acknowledged_by ? h('div', {class: 'note narrow-only'}, `acknowledged by ${alarm.acknowledged_by}`) : null),
  h('td', {}, severityBadge(alarm.severity), level),
  h('th', {scope: 'row'}, alarm.parameter, h('div', {class: 'note'}, alarm.rule_id)),
  h('td', {class: 'topic'}, alarm.topic),
  h('td', {class: 'num'}, number(alarm.value), h('div', {class: 'note'}, `${alarm.comparison.replace('_', ' ')} ${number(alarm.threshold)}`)),
  h('td', {}, h('time', {datetime: alarm.since, title: alarm.since}, when(alarm.since)), h('div', {class: 'note ago', dataset: {since: alarm.since}}, ago(alarm.since))),
  h('td', {class: 'acked-by acked-col'}, alarm.acknowledged_by || '—'),
  h('td', {class: 'actions'}, actions));
}

async function act(alarm, action) {
  try {
    if (action === 'ack') {
      await post(`/api/events/${encodeURIComponent(alarm.event_id)}/ack`);
      announce(`Acknowledged ${alarm.parameter} on ${alarm.topic}`);
    } else {
      await post(`/api/alarms/${encodeURIComponent(alarm.rule_id)}/${action}`, {topic: alarm.topic});
      announce(`${action === 'reset' ? 'Reset' : 'Unshelved'} ${alarm.parameter} on ${alarm.topic}`);
    }
  } catch (e) {
    $('#alarm-summary').textContent = `Could not ${action} ${alarm.rule_id}: ${e.message}`;
  }
}

function openShelve(alarm, opener) {
  pendingShelve = alarm;
  shelveOpener = opener;
  $('#shelve-what').textContent = `${alarm.parameter} on ${alarm.topic}`;
  $('#shelve-error').textContent = '';
  $('#shelve-reason').value = '';
  $('#shelve-dialog').showModal();
  $('#shelve-reason').focus();
}

/**
 * Gives the focus back when the shelve dialog closes: to the Shelve… button that opened it, or to
 * its row when the live board re-drew the row meanwhile. The browser's own hand-back does not do:
 * it leaves the focus on the hidden dialog until its next update and then drops it on <body> when
 * the button is gone.
 */
function giveFocusBack() {
  const dialog = $('#shelve-dialog');
  const focus = document.activeElement;
  if (dialog.open || !pendingShelve || (focus && focus !== document.body && !dialog.contains(focus))) return;
  if (shelveOpener && shelveOpener.isConnected) shelveOpener.focus();
  else focusRow(keyOf(pendingShelve));
}

async function shelveConfirmed(e) {
  e.preventDefault();
  const alarm = pendingShelve;
  try {
    await post(`/api/alarms/${encodeURIComponent(alarm.rule_id)}/shelve`, {
      topic: alarm.topic,
      reason: $('#shelve-reason').value,
      duration: $('#shelve-duration').value.trim(),
    });
    $('#shelve-dialog').close();
    giveFocusBack();
    announce(`Shelved ${alarm.parameter} on ${alarm.topic}`);
  } catch (err) {
    $('#shelve-error').textContent = err instanceof ApiError ? err.message : String(err);
  }
}
