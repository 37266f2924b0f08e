// The event log: the seed's get_events with category and severity filters, a page at a time,
// newest first; an event's full JSON; acknowledge from there.
import {$, h, severityBadge, when, announce} from './dom.js';
import {get, post, query} from './api.js';

const PAGE = 25;
let offset = 0;
let total = 0;
let shown = false;
let openId = null;
let refreshTimer = null;

export function init() {
  $('#event-category').addEventListener('input', () => { offset = 0; load(); });
  $('#event-severity').addEventListener('input', () => { offset = 0; load(); });
  $('#event-newer').addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
  $('#event-older').addEventListener('click', () => { offset += PAGE; load(); });
  $('#event-detail-close').addEventListener('click', closeDetail);
  $('#event-detail-ack').addEventListener('click', acknowledgeOpen);
}

export function show(params) {
  shown = true;
  load();
  const id = params && params.get('id');
  if (id) openDetail(id);
}

export function hide() {
  shown = false;
}

/** A new event from the stream: the first page follows it (a short delay gathers bursts). */
export function arrived() {
  if (!shown || offset !== 0 || refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; load(); }, 300);
}

async function load() {
  const params = {
    category: $('#event-category').value,
    severity: $('#event-severity').value,
    offset,
    limit: PAGE,
  };
  let page;
  try {
    page = await get(`/console/api/events${query(params)}`);
  } catch (e) {
    $('#event-page').textContent = `Cannot load events: ${e.message}`;
    return;
  }
  total = page.total;
  if (offset >= total && total > 0) {
    offset = Math.floor((total - 1) / PAGE) * PAGE;
    return load();
  }
  $('#event-rows').replaceChildren(...page.events.map(row));
  const pages = Math.max(1, Math.ceil(total / PAGE));
  $('#event-page').textContent = `Page ${Math.floor(offset / PAGE) + 1} of ${pages} (${total} event(s) in the window of ${page.max_events})`;
  $('#event-newer').disabled = offset === 0;
  $('#event-older').disabled = offset + PAGE >= total;
  if (openId) {
    const open = page.events.find((e) => e.event_id === openId);
    if (open) showJson(open);
  }
}

function row(event) {
  return h('tr', {dataset: {eventId: event.event_id}},
    h('td', {}, h('time', {datetime: event.timestamp, title: event.timestamp}, when(event.timestamp))),
    h('td', {}, severityBadge(event.severity)),
    h('td', {}, event.category),
    h('td', {}, event.source),
    h('td', {class: 'message'}, event.message),
    h('td', {class: 'acked'}, event.acknowledged ? 'yes' : 'no'),
    h('td', {class: 'actions'},
      h('button', {type: 'button', 'data-action': 'details', onclick: () => openDetail(event.event_id)}, 'Details'),
      event.acknowledged ? null
        : h('button', {type: 'button', 'data-action': 'ack', onclick: () => acknowledge(event.event_id)}, 'Acknowledge')));
}

async function openDetail(id) {
  openId = id;
  try {
    showJson(await get(`/console/api/events/${encodeURIComponent(id)}`));
  } catch (e) {
    $('#event-json').textContent = `Cannot load event ${id}: ${e.message}`;
    $('#event-detail').hidden = false;
  }
}

function showJson(event) {
  $('#event-detail-title').textContent = `Event ${event.event_id}`;
  $('#event-json').textContent = JSON.stringify(event, null, 2);
  $('#event-detail-ack').hidden = event.acknowledged;
  $('#event-detail').hidden = false;
  $('#event-json').focus();
}

function closeDetail() {
  openId = null;
  $('#event-detail').hidden = true;
}

async function acknowledge(id) {
  try {
    await post(`/api/events/${encodeURIComponent(id)}/ack`);
    announce('Event acknowledged');
  } catch (e) {
    $('#event-page').textContent = `Could not acknowledge: ${e.message}`;
  }
  await load();
  if (openId === id) openDetail(id);
}

function acknowledgeOpen() {
  if (openId) acknowledge(openId);
}
